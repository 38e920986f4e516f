"""Writing annotation records in each output format, atomically."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable

from classifier.fileio import atomic_writer
from classifier.loop.review_csv import write_review
from classifier.render.context import OutputContext
from classifier.render.review_page import write_review_page

CSV_FIXED = ["transcript", "index", "speaker", "start", "text", "codes"]


# json.dumps with any option builds a new encoder for every call; one shared encoder is faster.
_json_line = json.JSONEncoder(ensure_ascii=False).encode


def write_jsonl(records: list[dict], handle: IO[str], *, codes: list[str],
                context: OutputContext | None = None) -> None:
    handle.writelines(_json_line(record) + "\n" for record in records)


def write_csv(records: list[dict], handle: IO[str], *, codes: list[str],
              context: OutputContext | None = None) -> None:
    """One row per paragraph: the assigned codes joined by ';' and a probability column per code."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(CSV_FIXED + [f"p_{code}" for code in codes])
    for r in records:
        writer.writerow([r["transcript"], r["index"], r["speaker"] or "", r["start"] or "", r["text"],
                         ";".join(r["codes"])] + [f"{r['scores'][c]:.4f}" for c in codes])


@dataclass(frozen=True)
class OutputFormat:
    """`write(records, handle, *, codes, context=None, **options)` writes one file's worth of records."""

    name: str
    suffix: str
    write: Callable[..., None]
    newline: str | None = None  # "" for csv: the csv module writes its own line ends
    encoding: str = "utf-8"


FORMATS: dict[str, OutputFormat] = {}


def register_format(fmt: OutputFormat) -> None:
    FORMATS[fmt.name] = fmt


register_format(OutputFormat("jsonl", ".jsonl", write_jsonl))
register_format(OutputFormat("csv", ".csv", write_csv, newline=""))
register_format(OutputFormat("html", ".html", write_review_page))
# For Dutch Excel and LibreOffice: BOM, ';', decimal commas (see classifier/review.py).
register_format(OutputFormat("review", ".review.csv", write_review, newline=""))


def write_records(records: list[dict], path: str | Path, fmt: str, *, codes: list[str],
                  context: OutputContext | None = None, durable: bool = True, **options) -> None:
    """Write one output file in `fmt`, atomically; `options` go to the format's writer (review: delimiter).
    durable=False skips the fsync (see atomic_writer)."""
    spec = FORMATS[fmt]
    with atomic_writer(path, encoding=spec.encoding, newline=spec.newline, durable=durable) as handle:
        spec.write(records, handle, codes=codes, context=context, **options)
