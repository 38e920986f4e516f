"""Correction sets: an analyst's corrected codes stored as labelled records, with provenance.

A correction set is a directory holding corrections.jsonl (one labelled record per
paragraph, the latest correction of each, readable by `load_corpus` and so by `train`)
and history.log (JSON Lines, append-only: every record that was added or replaced,
with the labels before and after). Each record says who corrected it, when, from
which file and row, with which model's codes in front of them, and which codes the
analyst added or removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from classifier.data.records import Paragraph, normalise_text
from classifier.errors import CorpusError, HnwError
from classifier.fileio import atomic_writer
from classifier.loop.review_csv import ReviewRow, read_review_file
from classifier.readers.jsonl import read_jsonl_file

STORE = "corrections.jsonl"
HISTORY = "history.log"  # not .jsonl: the corpus loader must not read it as records


@dataclass
class ImportReport:
    files: int = 0
    rows: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    not_reviewed: int = 0
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.rows} rows from {self.files} file(s): {self.added} added, {self.replaced} replaced, "
                f"{self.unchanged} unchanged, {self.not_reviewed} not reviewed (no code filled in), "
                f"{len(self.conflicts)} conflict(s), {len(self.problems)} rejected")


def load_store(directory: str | Path) -> dict[str, dict]:
    """The stored corrections of a set, by paragraph key; empty for a new set."""
    path = Path(directory) / STORE
    if not path.is_file():
        return {}
    return {paragraph.key: paragraph.to_record() for paragraph in read_jsonl_file(path, require_labels=True)}


def changed_codes(labels: list[str], model_codes: list[str] | None) -> dict | None:
    """What the analyst added to and removed from the model's decision; None when that is unknown."""
    if model_codes is None:
        return None
    return {"added": sorted(set(labels) - set(model_codes)), "removed": sorted(set(model_codes) - set(labels))}


def correction_record(row: ReviewRow, *, annotator: str, when: str) -> dict:
    record = {"id": row.id, "transcript": row.transcript, "index": row.index, "speaker": row.speaker,
              "text": row.text, "labels": row.labels, "annotator": annotator, "corrected_at": when,
              "model": row.model, "changed": changed_codes(row.labels, row.model_codes), "origin": row.origin}
    if row.note:
        record["note"] = row.note
    return {k: v for k, v in record.items() if v is not None or k in ("speaker", "model", "changed")}


def import_corrections(paths: list[str | Path], *, into: str | Path, codes: list[str], annotator: str,
                       now: datetime | None = None) -> ImportReport:
    """Validate corrected review files and merge them into the correction set `into`.

    Files are applied in the order given, rows top to bottom: when two corrections of a
    paragraph disagree the later one wins, and the conflict is reported. A row whose
    labels equal the stored ones changes nothing, so importing a file twice adds nothing.
    A bad file or row is reported and skipped; the rest is imported.
    """
    if not annotator.strip():
        raise CorpusError("--annotator is empty; say who made the corrections")
    into = Path(into)
    when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    store = load_store(into)
    report = ImportReport()
    history: list[dict] = []
    for path in paths:
        try:
            rows, problems = read_review_file(path, codes=codes)
        except HnwError as exc:
            report.problems.append(str(exc))
            continue
        report.files += 1
        report.problems.extend(problems)
        for row in rows:
            report.rows += 1
            _apply(row, store, history, report, annotator=annotator.strip(), when=when, path=Path(path))
    if history:
        into.mkdir(parents=True, exist_ok=True)
        with open(into / HISTORY, "a", encoding="utf-8") as log:
            log.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in history)
        ordered = sorted(store.values(), key=lambda r: (r["transcript"], r["index"], r.get("id") or ""))
        with atomic_writer(into / STORE) as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered)
    return report


def _apply(row: ReviewRow, store: dict[str, dict], history: list[dict], report: ImportReport, *,
           annotator: str, when: str, path: Path) -> None:
    if row.labels is None:
        report.not_reviewed += 1
        return
    old = store.get(row.key)
    if old is not None and normalise_text(old["text"]) != normalise_text(row.text):
        report.problems.append(f"{path}: {row.where}: paragraph {row.key} has a different text "
                               f"than its stored correction (from {old.get('origin')}); was the transcript changed?")
        return
    if old is not None and sorted(old["labels"]) == row.labels:
        report.unchanged += 1
        return
    new = correction_record(row, annotator=annotator, when=when)
    if old is None:
        report.added += 1
    else:
        report.replaced += 1
        report.conflicts.append(
            f"{row.key}: {old.get('origin')} ({old.get('annotator')}) gave {_codes(old['labels'])}, "
            f"{row.origin} ({annotator}) gives {_codes(row.labels)}; kept {row.origin}")
    store[row.key] = new
    history.append({"at": when, "annotator": annotator, "key": row.key, "origin": row.origin,
                    "before": old["labels"] if old else None, "after": row.labels, "model": row.model})


def _codes(labels: list[str]) -> str:
    return ", ".join(labels) if labels else "no code"


@dataclass
class MergeInfo:
    sets: list[str]
    paragraphs: int = 0
    replaced: int = 0
    added: int = 0
    with_changed_codes: int = 0
    left_out: int = 0
    keys: list[str] = field(default_factory=list)  # the corrected paragraphs that went in

    def as_dict(self) -> dict:
        return {"sets": self.sets, "paragraphs": self.paragraphs, "replaced_corpus_records": self.replaced,
                "added_records": self.added, "with_changed_codes": self.with_changed_codes,
                "left_out_test_transcripts": self.left_out}


def merge_corrections(records: list[Paragraph], corrections: list[Paragraph], *, sets: list[str],
                      skip_transcripts: set[str] = frozenset()) -> tuple[list[Paragraph], MergeInfo]:
    """Corpus records with corrections applied: a correction replaces the record with the same
    paragraph key (id, else transcript and index) and is added where there is none.

    Corrections of `skip_transcripts` (the test split) are left out, so a test score stays honest.
    """
    info = MergeInfo(sets=sets)
    position = {record.key: i for i, record in enumerate(records)}
    merged = list(records)
    latest = {correction.key: correction for correction in corrections}  # a later set wins
    for correction in latest.values():
        if correction.transcript in skip_transcripts:
            info.left_out += 1
            continue
        info.paragraphs += 1
        info.keys.append(correction.key)
        changed = correction.extra.get("changed") or {}
        info.with_changed_codes += bool(changed.get("added") or changed.get("removed"))
        if correction.key in position:
            merged[position[correction.key]] = correction
            info.replaced += 1
        else:
            position[correction.key] = len(merged)
            merged.append(correction)
            info.added += 1
    return merged, info
