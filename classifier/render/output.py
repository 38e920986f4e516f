"""Writing annotation records: the output formats, and atomic file writing."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterator

from classifier.data.codebook import Codebook
from classifier.loop.review_csv import write_review
from classifier.render.review_page import write_review_page

if TYPE_CHECKING:
    from classifier.inference.persistence import LoadedModel

CSV_FIXED = ["transcript", "index", "speaker", "start", "text", "codes"]


@dataclass(frozen=True)
class OutputContext:
    """What a format may need beside the records: the codebook (names, colours, definitions),
    each code's decision threshold, and which model made the records. Line formats ignore it."""

    codebook: Codebook | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    model_id: str | None = None

    @classmethod
    def from_model(cls, model: "LoadedModel") -> "OutputContext":
        codes = model.codes
        return cls(codebook=model.codebook, model_id=model.model_id,
                   thresholds={c: float(t) for c, t in zip(codes, model.thresholds)})


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


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8", newline: str | None = None,
                  binary: bool = False, durable: bool = True) -> Iterator[IO]:
    """Write to a temporary file beside `path` and rename it into place only on success.

    Either way a killed process leaves the old file or the new one, never half of one.
    durable=True also flushes the file to disk before the rename, so that it survives a
    power cut; a batch skips that for each transcript's output, because a resumed run
    re-hashes those against the journal anyway."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        handle_args = {"mode": "wb"} if binary else {"mode": "w", "encoding": encoding, "newline": newline}
        with os.fdopen(fd, **handle_args) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
