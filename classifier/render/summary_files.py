"""Writing the collection overview: matrix.csv, cooccurrence.csv, one matrix per case
attribute, summary.html (self-contained, like the review pages) and matrix.png."""

from __future__ import annotations

import csv
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING

from classifier.fileio import atomic_writer, mark_output_folder
from classifier.readers import OUTPUT_MARK
from classifier.render.highlight import evidence_segments
from classifier.render.html_pages import code_styles, render

if TYPE_CHECKING:
    from classifier.analysis.summary import Row, Summary
    from classifier.render.context import OutputContext


def _number(value: float, decimal: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if decimal == "," else text


def write_matrix(rows: list["Row"], handle: IO[str], *, codes: list[str], first: str, delimiter: str = ";",
                 attributes: list[str] = ()) -> None:
    """One row per transcript (or attribute value): paragraphs, then per code the paragraphs
    assigned it, the expected count (the sum of its probabilities) and the 90% interval."""
    decimal = "," if delimiter == ";" else "."
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([first, *attributes, "transcripts", "paragraphs", *codes, *(f"expected_{c}" for c in codes),
                     *(f"{c}_90_low" for c in codes), *(f"{c}_90_high" for c in codes)])
    for row in rows:
        writer.writerow([row.label, *(row.attributes.get(a, "") for a in attributes), row.transcripts,
                         row.paragraphs, *(row.counts[c] for c in codes),
                         *(_number(row.expected[c], decimal) for c in codes),
                         *(row.intervals[c][0] for c in codes), *(row.intervals[c][1] for c in codes)])


def write_cooccurrence(summary: "Summary", handle: IO[str], *, delimiter: str = ";") -> None:
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["code", *summary.codes])
    for j, code in enumerate(summary.codes):
        writer.writerow([code, *(int(v) for v in summary.cooccurrence[j])])


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "attribute"


def _cell(row: "Row", code: str) -> dict:
    share = row.counts[code] / row.paragraphs if row.paragraphs else 0.0
    low, high = row.intervals[code]
    return {"count": row.counts[code], "share": share, "low": low, "high": high, "expected": row.expected[code],
            "title": (f"{code}: {row.counts[code]} of {row.paragraphs} paragraphs ({share:.0%}); expected "
                      f"{row.expected[code]:.1f} from the probabilities; 90% interval {low}-{high}")}


def summary_page(summary: "Summary", *, output_dir: Path, context: "OutputContext | None" = None) -> str:
    codebook = context.codebook if context and context.codebook and set(summary.codes) <= set(context.codebook.ids) \
        else None
    if codebook is None:
        from classifier.data.codebook import Code, Codebook

        codebook = Codebook(name="codes", codes=tuple(Code(id=c, name=c, description="") for c in summary.codes))
    styles = [s for s in code_styles(codebook, {}) if s["id"] in summary.codes]
    by_id = {s["id"]: s for s in styles}

    def table(rows):
        return [{"label": row.label, "paragraphs": row.paragraphs, "transcripts": row.transcripts,
                 "cells": [{**_cell(row, s["id"]), **s} for s in styles]} for row in rows]

    quotes = []
    for style in styles:
        items = []
        for k, record in summary.quotes[style["id"]]:
            document = summary.documents[k]
            position = document.records.index(record)
            link = None
            if document.page:
                link = os.path.relpath(document.page, output_dir).replace(os.sep, "/") + f"#p-{position}"
            evidence = {style["id"]: (record.get("evidence") or {}).get(style["id"], [])}
            items.append({"transcript": record["transcript"], "number": record["index"] + 1,
                          "speaker": record.get("speaker"), "p": record["scores"][style["id"]], "link": link,
                          "segments": [(piece, [by_id[c] for c in owners])
                                       for piece, owners in evidence_segments(record["text"], evidence)],
                          "evidence": evidence[style["id"]],
                          "lexicon": (record.get("lexicon_hits") or {}).get(style["id"], [])})
        quotes.append({**style, "items": items})
    speakers = ("all speakers" if summary.speakers.all else
                "only " + ", ".join(summary.speakers.only) if summary.speakers.only else
                "interviewer turns left out")
    return render("summary.html.j2", css=["page.css", "summary.css"], title="Code overview",
                  model=summary.model, codes=styles, rows=table(summary.rows),
                  groups={name: table(rows) for name, rows in summary.groups.items()},
                  cooccurrence=[{"code": by_id[c], "values": [int(v) for v in summary.cooccurrence[j]]}
                                for j, c in enumerate(summary.codes)],
                  quotes=quotes, speakers=speakers, documents=len(summary.documents),
                  paragraphs=sum(r.paragraphs for r in summary.rows),
                  created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_summary(summary: "Summary", output_dir: str | Path, *, delimiter: str = ";",
                  context: "OutputContext | None" = None) -> list[Path]:
    """Every file of the overview, each written atomically; returns their paths. Where
    matplotlib is missing, MissingExtra is raised after everything but matrix.png is written."""
    output_dir = Path(output_dir)
    mark_output_folder(output_dir, OUTPUT_MARK, "hnw-classifier summarize wrote this folder")
    written = []
    attributes = list(summary.groups)
    with atomic_writer(output_dir / "matrix.csv", encoding="utf-8-sig", newline="") as handle:
        write_matrix(summary.rows, handle, codes=summary.codes, first="transcript", delimiter=delimiter,
                     attributes=attributes)
    written.append(output_dir / "matrix.csv")
    with atomic_writer(output_dir / "cooccurrence.csv", encoding="utf-8-sig", newline="") as handle:
        write_cooccurrence(summary, handle, delimiter=delimiter)
    written.append(output_dir / "cooccurrence.csv")
    for name, rows in summary.groups.items():
        path = output_dir / f"matrix_by_{_safe(name)}.csv"
        with atomic_writer(path, encoding="utf-8-sig", newline="") as handle:
            write_matrix(rows, handle, codes=summary.codes, first=name, delimiter=delimiter)
        written.append(path)
    with atomic_writer(output_dir / "summary.html") as handle:
        handle.write(summary_page(summary, output_dir=output_dir, context=context))
    written.append(output_dir / "summary.html")
    from classifier.render.plots import plot_matrix  # matplotlib: the plots extra

    written.append(plot_matrix(summary, output_dir / "matrix.png"))
    return written

