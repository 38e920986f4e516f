"""The review page: one self-contained HTML file in which a researcher reads a coded
transcript, filters it, and corrects the codes.

The page is rendered here (text, chips, probability bars, evidence marks), so it reads
and prints without JavaScript; review.js adds the filters, the toggling (kept in the
browser's localStorage) and the download of the corrections as JSON Lines that
`import-corrections` reads.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING

from classifier.config import DEFAULTS
from classifier.data.codebook import Code, Codebook
from classifier.data.records import text_hash
from classifier.loop.review_csv import paragraph_key
from classifier.render.highlight import evidence_segments
from classifier.render.html_pages import code_styles, render

if TYPE_CHECKING:
    from classifier.render.context import OutputContext


def record_key(record: dict) -> str:
    """The same identity as Paragraph.key and import-corrections use."""
    return paragraph_key(record.get("id"), record["transcript"], record["index"])


def review_page(records: list[dict], *, codes: list[str], context: "OutputContext | None" = None,
                margin: float = DEFAULTS.uncertain_margin) -> str:
    """The HTML of one review page for `records` (usually one transcript's, in order)."""
    codebook = _codebook(codes, context)
    thresholds = {c: (context.thresholds.get(c, 0.5) if context else 0.5) for c in codes}
    model_id = context.model_id if context and context.model_id else None
    styles = [s for s in code_styles(codebook, thresholds) if s["id"] in codes]
    by_id = {s["id"]: s for s in styles}
    transcripts = list(dict.fromkeys(r["transcript"] for r in records))
    title = f"Review: {transcripts[0]}" if len(transcripts) == 1 else f"Review: {len(transcripts)} transcripts"
    shown = [_paragraph(n, r, styles, by_id, margin) for n, r in enumerate(records)]
    groups = [{"name": name, "paragraphs": [p for p in shown if p["transcript"] == name]} for name in transcripts]
    data = {
        "storage_key": "hnw-review:" + _fingerprint(records, model_id),
        "model": model_id,
        "codes": [s["id"] for s in styles],
        "names": {s["id"]: s["name"] for s in styles},
        "thresholds": thresholds,
        "margin": margin,
        "file_stem": _file_stem(transcripts),
        "paragraphs": [_page_record(r, model_id) for r in records],
    }
    return render("review.html.j2", css=["page.css", "review.css"], scripts=["review.js"],
                  title=title, codes=styles, groups=groups, data=data, model_id=model_id,
                  paragraphs=len(records), margin=margin,
                  created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_review_page(records: list[dict], handle: IO[str], *, codes: list[str],
                      context: "OutputContext | None" = None) -> None:
    """The "html" output format: `annotate --format html`, one page per output file."""
    handle.write(review_page(records, codes=codes, context=context))


def _codebook(codes: list[str], context: "OutputContext | None") -> Codebook:
    if context and context.codebook and set(codes) <= set(context.codebook.ids):
        return context.codebook
    return Codebook(name="codes", codes=tuple(Code(id=c, name=c, description="") for c in codes))


def _paragraph(n: int, record: dict, styles: list[dict], by_id: dict[str, dict], margin: float) -> dict:
    assigned = set(record["codes"])
    evidence = {c: terms for c, terms in (record.get("evidence") or {}).items() if c in by_id}
    segments = [(piece, [by_id[c] for c in owners]) for piece, owners in evidence_segments(record["text"], evidence)]
    scores = []
    for style in styles:
        p = float(record["scores"].get(style["id"], 0.0))
        scores.append({**style, "p": p, "assigned": style["id"] in assigned,
                       "uncertain": abs(p - style["threshold"]) <= margin})
    return {"n": n, "key": record_key(record), "transcript": record["transcript"], "index": record["index"],
            "speaker": record.get("speaker"), "start": record.get("start"), "segments": segments,
            "assigned": [by_id[c] for c in record["codes"] if c in by_id], "scores": scores}


def _page_record(record: dict, model_id: str | None) -> dict:
    """What the page's script needs of a paragraph to write it into the corrections file, which
    import-corrections reads as JSON Lines; text_hash lets it refuse a paragraph whose text changed."""
    data = {"key": record_key(record), "transcript": record["transcript"], "index": record["index"],
            "speaker": record.get("speaker"), "text": record["text"], "text_hash": text_hash(record["text"]),
            "codes": list(record["codes"]), "scores": record["scores"], "model": record.get("model") or model_id}
    if record.get("id"):
        data["id"] = record["id"]
    return data


def _fingerprint(records: list[dict], model_id: str | None) -> str:
    """Names the page's corrections in localStorage: pages share it when opened from file://."""
    digest = hashlib.sha256(json.dumps([model_id, [(record_key(r), r["text"]) for r in records]],
                                       ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:24]


def _file_stem(transcripts: list[str]) -> str:
    """A safe file name for the download: the transcript's name, or how many there are."""
    if len(transcripts) == 1:
        return re.sub(r"[^\w.-]+", "_", Path(transcripts[0]).name).strip("._") or "transcript"
    return f"{len(transcripts)}-transcripts"

