"""Annotation records and review files as the tests build and edit them."""

from __future__ import annotations

import csv
import io

from classifier.loop.review_csv import sniff_delimiter

CODES = ["sturen", "vertrouwen", "communicatie", "groei", "binding"]


def annotation_record(text: str, index: int, codes: list[str], *, transcript: str = "gesprek",
                      id: str | None = None) -> dict:
    """A record as annotate writes it, with made-up probabilities that agree with `codes`."""
    scores = {c: (0.8 if c in codes else 0.1) + index / 1000 for c in CODES}
    record = {"transcript": transcript, "index": index, "speaker": "Respondent", "start": None, "text": text,
              "codes": codes, "scores": scores, "evidence": {}, "lexicon_hits": {}, "model": "proef@000000000000"}
    return {"id": id, **record} if id else record


def edit(path, change, *, delimiter=None, encoding="utf-8-sig", line_end="\r\n"):
    """Read a review CSV, let `change` edit its rows (lists of cells, header first), save it again."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n")[0])))
    change(rows)
    out = io.StringIO()
    delimiter = delimiter or sniff_delimiter(text.split("\n")[0])
    csv.writer(out, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    path.write_text(out.getvalue(), encoding=encoding, newline="")
