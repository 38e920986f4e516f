"""Writing annotation records as JSON Lines or CSV, atomically."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

FORMATS = ("jsonl", "csv")
CSV_FIXED = ["transcript", "index", "speaker", "start", "text", "codes"]


def write_jsonl(records: list[dict], handle: IO[str]) -> None:
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(records: list[dict], handle: IO[str], *, codes: list[str], header: bool = True) -> None:
    """One row per paragraph: the assigned codes joined by ';' and a probability column per code."""
    writer = csv.writer(handle, lineterminator="\n")
    if header:
        writer.writerow(CSV_FIXED + [f"p_{code}" for code in codes])
    for r in records:
        writer.writerow([r["transcript"], r["index"], r["speaker"] or "", r["start"] or "", r["text"],
                         ";".join(r["codes"])] + [f"{r['scores'][c]:.4f}" for c in codes])


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path` and rename it into place only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
