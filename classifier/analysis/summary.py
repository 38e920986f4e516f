"""The overview across a collection of annotated transcripts: a code matrix with expected
counts and intervals, co-occurrence, the quotes that carry each code, and the same matrix
grouped by case attributes (organisation type, role, year, ...), as QDA tools' code
matrices and case classifications give it, plus how sure each count is."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classifier.analysis.counts import cooccurrence, count_interval
from classifier.data.records import normalise_text
from classifier.errors import InputError
from classifier.readers.decoding import decode_text
from classifier.readers.turns import is_interviewer
from classifier.render.annotation_files import annotation_inputs, read_annotations

LEVEL = 0.9


@dataclass
class Document:
    """One annotate output file: the transcript's paragraphs as annotate wrote them."""

    path: str
    name: str  # the file's name in its folder, without .jsonl
    records: list[dict]
    page: str | None = None  # its review page, where one lies beside it

    @property
    def transcript(self) -> str:
        return self.records[0]["transcript"]


@dataclass(frozen=True)
class Speakers:
    """Whose paragraphs count: by default everyone but the interviewer (a question about
    binding is not binding in the case)."""

    all: bool = False
    only: tuple[str, ...] = ()  # these speakers alone
    interviewers: tuple[str, ...] = ()  # named speakers who are interviewers too (Teams exports)

    def keep(self, speaker: str | None) -> bool:
        if self.only:
            return speaker in self.only
        if self.all:
            return True
        return not (is_interviewer(speaker) or speaker in self.interviewers)


@dataclass
class Row:
    """A transcript, or all transcripts with one value of a case attribute."""

    label: str
    transcripts: int
    paragraphs: int
    counts: dict[str, int]
    expected: dict[str, float]
    intervals: dict[str, tuple[int, int]]
    attributes: dict[str, str] = field(default_factory=dict)


def read_collection(inputs: list[str | Path]) -> tuple[list[str], str, list[Document]]:
    """(codes, model, documents) of annotate's JSON Lines: files, or batch output folders
    read through their manifest. Every file must come from one model."""
    found = annotation_inputs(inputs)
    if not found:
        raise InputError(f"{', '.join(map(str, inputs))}: no annotate output (.jsonl) found")
    documents, codes, model = [], None, None
    for path, name in found:
        if codes is None:
            codes = _codes_of(path)
        records = read_annotations(path, codes=codes)
        models = {r.get("model") for r in records}
        if len(models) > 1:
            raise InputError(f"{path}: records of {len(models)} models ({', '.join(sorted(map(str, models)))}); "
                             "annotate the transcript again with one model")
        (this,) = models
        if model is None:
            model = this
        elif this != model:
            raise InputError(f"{path}: annotated by model {this}, but {found[0][0]} by {model}; summarise the "
                             "outputs of one model together (annotate again with the same model)")
        page = Path(path).with_suffix(".html")
        documents.append(Document(path, name, records, str(page) if page.is_file() else None))
    return codes, model, documents


def _codes_of(path: str) -> list[str]:
    """The codes, in the order annotate wrote them, from the first record's scores."""
    import json

    text = decode_text(Path(path).read_bytes(), source=path).lstrip("\ufeff")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {number}: invalid JSON ({exc.msg}); expected annotate's "
                                 "JSON Lines") from None
            scores = record.get("scores") if isinstance(record, dict) else None
            if not isinstance(scores, dict) or not scores:
                raise InputError(f"{path}: line {number}: no 'scores'; expected the JSON Lines that annotate writes")
            return list(scores)
    raise InputError(f"{path}: the file is empty")


def row_labels(documents: list[Document]) -> list[str]:
    """A transcript's name, or, where two files hold the same transcript (one interview in
    .docx and .txt), its file name."""
    counts = defaultdict(int)
    for document in documents:
        counts[document.transcript] += 1
    return [d.transcript if counts[d.transcript] == 1 else d.name for d in documents]


def make_row(label: str, records: list[dict], codes: list[str], *, transcripts: int = 1,
             attributes: dict[str, str] | None = None) -> Row:
    probabilities = np.array([[r["scores"][c] for c in codes] for r in records], dtype=float).reshape(-1, len(codes))
    return Row(label, transcripts, len(records),
               counts={c: sum(c in r["codes"] for r in records) for c in codes},
               expected={c: round(float(probabilities[:, j].sum()), 2) for j, c in enumerate(codes)},
               intervals={c: count_interval(probabilities[:, j], LEVEL) for j, c in enumerate(codes)},
               attributes=attributes or {})


def read_attributes(path: str | Path, labels: list[str]) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(attribute names, transcript -> attribute -> value) from a CSV whose first column is
    `transcript` (';', ',' or tab; a BOM is fine). Every transcript it names must be summarised."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    text = decode_text(path.read_bytes(), source=str(path)).lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count) if any(d in first for d in ";,\t") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not rows[0] or rows[0][0].strip().lower() != "transcript":
        raise InputError(f"{path}: row 1: expected a header starting with 'transcript', then attribute "
                         f"columns; found {rows[0][:3] if rows else 'nothing'}")
    names = [c.strip() for c in rows[0][1:]]
    if not names or any(not n for n in names):
        raise InputError(f"{path}: row 1: every attribute column needs a name")
    known, values = set(labels), {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        transcript = row[0].strip()
        if transcript not in known:
            raise InputError(f"{path}: row {number}: transcript {transcript!r} is not among the summarised "
                             f"transcripts ({', '.join(sorted(known)[:8])}{', ...' if len(known) > 8 else ''})")
        if len(row) - 1 > len(names):
            raise InputError(f"{path}: row {number}: {len(row) - 1} values for {len(names)} attribute columns")
        values[transcript] = {n: (row[k + 1].strip() if k + 1 < len(row) else "") for k, n in enumerate(names)}
    return names, values


@dataclass
class Summary:
    codes: list[str]
    model: str
    documents: list[Document]
    rows: list[Row]  # one per document
    selected: list[list[dict]]  # per document, the paragraphs that count
    cooccurrence: np.ndarray
    groups: dict[str, list[Row]]  # per attribute, a row per value
    quotes: dict[str, list[tuple[int, dict]]]  # per code, (document, record) by probability
    speakers: Speakers


def summarise(inputs: list[str | Path], *, speakers: Speakers = Speakers(), attributes: str | Path | None = None,
              quotes: int = 5) -> Summary:
    """Everything the overview shows, computed from the records (the model is not run)."""
    codes, model, documents = read_collection(inputs)
    labels = row_labels(documents)
    selected = [[r for r in d.records if speakers.keep(r.get("speaker"))] for d in documents]
    if not any(selected):
        raise InputError("no paragraph is left to summarise after choosing the speakers; "
                         "try --all-speakers or check the --speaker names")
    rows = [make_row(label, chosen, codes) for label, chosen in zip(labels, selected)]
    everything = [r for chosen in selected for r in chosen]
    assigned = np.array([[c in r["codes"] for c in codes] for r in everything], dtype=int).reshape(-1, len(codes))
    groups: dict[str, list[Row]] = {}
    if attributes is not None:
        names, values = read_attributes(attributes, labels)
        for row, label in zip(rows, labels):
            row.attributes = values.get(label, {})
        for name in names:
            by_value: dict[str, list[int]] = defaultdict(list)
            for k, label in enumerate(labels):
                by_value[values.get(label, {}).get(name) or "(no value)"].append(k)
            groups[name] = [make_row(value, [r for k in members for r in selected[k]], codes,
                                     transcripts=len(members))
                            for value, members in sorted(by_value.items())]
    best = {}
    for code in codes:
        ranked = sorted(((k, r) for k, chosen in enumerate(selected) for r in chosen if code in r["codes"]),
                        key=lambda item: -item[1]["scores"][code])
        seen, best[code] = set(), []
        for k, record in ranked:  # one interview in .docx and .txt: its quote once
            if len(best[code]) < quotes and normalise_text(record["text"]) not in seen:
                seen.add(normalise_text(record["text"]))
                best[code].append((k, record))
    return Summary(codes, model, documents, rows, selected, cooccurrence(assigned), groups, best, speakers)
