"""Review files: the spreadsheet an analyst checks and corrects, written out and read back.

A review CSV has one row per paragraph: id, transcript, index, speaker, text, one 0/1
column per code (the decision to check), one probability column per code, then
model_codes (the model's decision, kept to see what the analyst changed), model,
text_hash (to notice a text that was edited or a sorted column that no longer lines
up) and note (free text for the analyst). It is UTF-8 with a byte-order mark and ';'
between fields by default, with decimal commas, as Dutch Excel expects; with ',' the
decimals get a point. Corrected files come back as CSV (';', ',' or tab, any line
ends) or as JSON Lines (annotate's records with an added "labels" list).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from classifier.data.records import normalise_text, text_hash  # noqa: F401  (imported from here too)
from classifier.errors import InputError
from classifier.readers.decoding import decode_text

FIXED = ["id", "transcript", "index", "speaker", "text"]
TRAILER = ["model_codes", "model", "text_hash", "note"]
REQUIRED = ["transcript", "index", "text", "text_hash"]
DELIMITERS = (";", ",", "\t")
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
# Excel runs a cell that starts with one of these as a formula; a leading apostrophe stops it.
_FORMULA_START = ("=", "+", "-", "@")


def header(codes: list[str]) -> list[str]:
    return FIXED + list(codes) + [f"p_{code}" for code in codes] + TRAILER


def _cell_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(value: float, decimal: str) -> str:
    return f"{value:.4f}".replace(".", decimal)


def review_row(record: dict, codes: list[str], *, blank: bool = False, decimal: str = ".") -> list[str]:
    """One annotation record as a review row; `blank` leaves the code cells for the analyst to fill."""
    assigned = set(record["codes"])
    decisions = ["" if blank else str(int(code in assigned)) for code in codes]
    return ([record.get("id") or "", record["transcript"], str(record["index"]), record.get("speaker") or "",
             _cell_text(record["text"])] + decisions
            + [_number(record["scores"][code], decimal) for code in codes]
            + [" ".join(c for c in codes if c in assigned), record.get("model") or "",
               text_hash(record["text"]), ""])


def write_review(records: list[dict], handle: IO[str], *, codes: list[str], delimiter: str | None = None,
                 blank: bool = False, context=None) -> None:
    """The review CSV, byte-order mark first so that Excel reads it as UTF-8. Delimiter: ';' unless given.
    (`context`, the codebook and thresholds that page formats use, is not needed here.)"""
    delimiter = delimiter or ";"
    if delimiter not in DELIMITERS:
        raise InputError(f"delimiter {delimiter!r} is not supported; expected one of ; , or a tab")
    decimal = "," if delimiter == ";" else "."
    handle.write("\ufeff")
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header(codes))
    for record in records:
        writer.writerow(review_row(record, codes, blank=blank, decimal=decimal))


@dataclass
class ReviewRow:
    """One corrected paragraph as read back. `labels` is None when the analyst left every code cell empty."""

    origin: str  # "file.csv row 7": provenance
    where: str  # "row 7" or "line 7": for messages that already name the file
    key: str
    transcript: str
    index: int
    text: str
    labels: list[str] | None
    id: str | None = None
    speaker: str | None = None
    model_codes: list[str] | None = None
    model: str | None = None
    note: str | None = None


class RowProblem(ValueError):
    """A row that cannot be taken; the file's other rows still are."""


def paragraph_key(paragraph_id: str | None, transcript: str, index: int) -> str:
    """The same identity as Paragraph.key: the record id, else transcript and position."""
    return paragraph_id or f"{transcript}#{index}"


def read_review_file(path: str | Path, *, codes: list[str]) -> tuple[list[ReviewRow], list[str]]:
    """Rows of a corrected review file (CSV or JSON Lines) and the problems of rows that were left out.

    A problem with the file as a whole (unreadable, a missing or unknown column) raises InputError.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    if path.suffix.lower() in SPREADSHEETS:
        raise InputError(f"{path}: a {path.suffix} workbook is not read; save it as CSV UTF-8 and import that file")
    text = decode_text(path.read_bytes(), source=str(path)).lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    if path.suffix.lower() == ".jsonl":
        unit, build = "line", _row_from_json
        items = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    else:
        unit, build = "row", _row_from_csv
        items = _csv_cells(text, path, codes)
    rows, problems = [], []
    for number, item in items:
        try:
            rows.append(build(item, codes, f"{unit} {number}", path.name))
        except RowProblem as exc:
            problems.append(f"{path}: {unit} {number}: {exc}")
    return rows, problems


def sniff_delimiter(first_line: str) -> str:
    """The header holds only column names, so the most frequent separator in it is the one."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_cells(text: str, path: Path, codes: list[str]) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, column -> cell) for each non-empty row; the header is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n", 1)[0]))
    columns = [c.strip() for c in next(reader)]
    _check_columns(columns, path, codes)
    items = []
    for number, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            cells = cells + [""] * (len(columns) - len(cells))
            items.append((number, {name: cells[i].strip() for i, name in enumerate(columns)}))
    return items


def _check_columns(columns: list[str], path: Path, codes: list[str]) -> None:
    known = set(header(codes)) | {"start"}
    missing = [c for c in REQUIRED + list(codes) if c not in columns]
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise InputError(f"{path}: row 1: unknown column(s) {', '.join(map(repr, unknown))}: not a code of the "
                         f"codebook ({', '.join(codes)}) nor a review column")
    if missing:
        raise InputError(f"{path}: row 1: missing column(s) {', '.join(missing)}; expected the header of a "
                         "review file (write one with: hnw-classifier annotate FILE --format review -o review.csv)")


def _row_from_csv(values: dict[str, str], codes: list[str], where: str, name: str) -> ReviewRow:
    labels, empty = [], []
    for code in codes:
        value = values[code]
        if value not in ("0", "1", ""):
            raise RowProblem(f"column {code}: expected 0, 1 or empty, found {value!r}")
        if value == "1":
            labels.append(code)
        elif not value:
            empty.append(code)
    # A row with some code cells filled was touched: an empty cell there means "not this code"
    # (suggest leaves them all empty; an analyst marks only the codes that apply). A row with
    # every code cell empty was not reviewed.
    text = _uncell(values["text"])
    if text_hash(text) != values["text_hash"]:
        raise RowProblem("the text does not match the exported paragraph (text_hash differs): the text was "
                         "edited, or a sort moved it away from its row; export the paragraph again")
    try:
        index = int(values["index"])
    except ValueError:
        raise RowProblem(f"column index: expected a whole number, found {values['index']!r}") from None
    model_codes = values.get("model_codes")
    paragraph_id = values.get("id") or None
    return ReviewRow(origin=f"{name} {where}", where=where,
                     key=paragraph_key(paragraph_id, values["transcript"], index),
                     transcript=values["transcript"], index=index, text=text, id=paragraph_id,
                     labels=None if len(empty) == len(codes) else sorted(labels), speaker=values.get("speaker") or None,
                     model_codes=model_codes.split() if model_codes is not None else None,
                     model=values.get("model") or None, note=values.get("note") or None)


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _row_from_json(line: str, codes: list[str], where: str, name: str) -> ReviewRow:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RowProblem(f"invalid JSON ({exc.msg})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise RowProblem("expected a JSON object with a non-empty 'text'")
    labels = raw.get("labels")
    if labels is not None:
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise RowProblem(f"'labels' must be a list of codes, found {labels!r}")
        unknown = sorted(set(labels) - set(codes))
        if unknown:
            raise RowProblem(f"unknown code(s) {', '.join(unknown)}; the codebook has {', '.join(codes)}")
    if raw.get("text_hash") and text_hash(raw["text"]) != raw["text_hash"]:
        raise RowProblem("the text does not match the exported paragraph (text_hash differs)")
    if not isinstance(raw.get("transcript"), str) or not isinstance(raw.get("index"), int):
        raise RowProblem("expected 'transcript' (text) and 'index' (a whole number), as annotate writes them")
    model_codes = raw.get("codes")
    paragraph_id = str(raw["id"]) if raw.get("id") is not None else None
    return ReviewRow(origin=f"{name} {where}", where=where,
                     key=paragraph_key(paragraph_id, raw["transcript"], raw["index"]),
                     transcript=raw["transcript"], index=raw["index"], text=raw["text"], id=paragraph_id,
                     labels=sorted(set(labels)) if labels is not None else None, speaker=raw.get("speaker"),
                     model_codes=model_codes if isinstance(model_codes, list) else None,
                     model=raw.get("model"), note=raw.get("note"))
