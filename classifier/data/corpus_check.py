"""Checks that a labelled corpus is sound and big enough to train on.

Fails on schema errors and unknown codes (raised by the reader), duplicate and
near-duplicate paragraphs, transcripts in two splits, and counts under the minimums.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.data.codebook import Codebook
from classifier.data.corpus import corpus_files, load_splits
from classifier.data.records import Paragraph
from classifier.errors import CorpusError
from classifier.readers.jsonl import read_jsonl_file

INTERVIEW = "interview"


@dataclass(frozen=True)
class Minimums:
    """What the project asks of the shipped corpus; smaller corpora pass smaller ones."""

    interviews: int = 60
    interview_paragraphs: int = 2500
    positives_per_code: int = 350
    uncoded: int = 500
    multi_label_share: float = 0.25
    other_register_paragraphs: int = 400
    implicit_share: float = 0.5


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


_ASKER = re.compile(r"^(interviewer|moderator|i|int)\b", re.IGNORECASE)
PROTOCOL_MAX_WORDS = 15


def is_protocol_question(record: Paragraph) -> bool:
    """A short interviewer question: a semi-structured protocol asks these verbatim in every
    interview ("Doe je zelf nog iets aan je eigen ontwikkeling?")."""
    return bool(record.speaker and _ASKER.match(record.speaker)) and len(record.text.split()) <= PROTOCOL_MAX_WORDS


def find_duplicates(records: list[Paragraph], *, exact_min_words: int = 8, near_min_words: int = 12,
                    near_threshold: float = 0.85) -> list[tuple[str, str, float]]:
    """Pairs (key, key, similarity) of paragraphs that repeat, exactly or nearly.

    Short backchannel turns ("Ja, dat klopt zeker.") and protocol questions recur in
    real interviews; the word minimum and `is_protocol_question` leave them out.
    Near-duplicates: cosine similarity of binary word 1-3-gram vectors (one word changed
    in a 25-word paragraph scores about 0.91; the shipped corpus tops out near 0.80).
    """
    pairs: list[tuple[str, str, float]] = []
    seen: dict[str, str] = {}
    records = [r for r in records if not is_protocol_question(r)]
    for r in records:
        norm = _norm(r.text)
        if len(norm.split()) < exact_min_words:
            continue
        if norm in seen:
            pairs.append((seen[norm], r.key, 1.0))
        else:
            seen[norm] = r.key
    long_ones = [r for r in records if len(r.text.split()) >= near_min_words]
    if len(long_ones) > 1:
        X = TfidfVectorizer(ngram_range=(1, 3), use_idf=False, binary=True).fit_transform(_norm(r.text) for r in long_ones)
        sims = (X @ X.T).tocoo()
        exact = {(a, b) for a, b, _ in pairs}
        for i, j, value in zip(sims.row, sims.col, sims.data):
            if i < j and value >= near_threshold:
                a, b = long_ones[i].key, long_ones[j].key
                if (a, b) not in exact:
                    pairs.append((a, b, round(float(value), 3)))
    return pairs


def giveaway_stems(codebook: Codebook) -> dict[str, str]:
    """A code's own word stem: the first five letters of its id ("vertr", "commu")."""
    return {code: code[:5] for code in codebook.ids}


def check_corpus(root: Path, codebook: Codebook, *, minimums: Minimums = Minimums()) -> CheckReport:
    report = CheckReport()
    records: list[Paragraph] = []
    for file in corpus_files(root):
        try:
            file_records = read_jsonl_file(file, codes=codebook.ids, require_labels=True)
        except CorpusError as exc:
            report.problems.append(str(exc))
            continue
        transcripts = {r.transcript for r in file_records}
        if transcripts != {file.stem}:
            report.problems.append(f"{file}: records name transcript(s) {sorted(transcripts)}, expected {file.stem!r}")
        ids = [r.id for r in file_records]
        if None in ids or len(set(ids)) != len(ids):
            report.problems.append(f"{file}: every record needs a unique 'id'")
        records.extend(file_records)

    keys = Counter(r.key for r in records)
    report.problems += [f"id {k!r} occurs {n} times" for k, n in keys.items() if n > 1]
    for a, b, sim in find_duplicates(records):
        report.problems.append(f"duplicate paragraphs {a} and {b} (similarity {sim})")

    _check_splits(root, {r.transcript for r in records}, report)
    _count(records, codebook, minimums, report)
    return report


def _check_splits(root: Path, transcripts: set[str], report: CheckReport) -> None:
    splits = load_splits(root) if root.is_dir() else None
    if splits is None:
        report.problems.append(f"{root}: no splits.json naming the test transcripts")
        return
    test = set(splits["test"])
    train = set(splits.get("train", transcripts - test))
    for name in sorted(test & train):
        report.problems.append(f"splits.json: transcript {name!r} is in both train and test")
    for name in sorted((test | train) - transcripts):
        report.problems.append(f"splits.json: transcript {name!r} has no records")
    for name in sorted(transcripts - test - train):
        report.problems.append(f"splits.json: transcript {name!r} is in no split")
    report.stats["split_transcripts"] = {"train": len(train & transcripts), "test": len(test & transcripts)}


def _count(records: list[Paragraph], codebook: Codebook, m: Minimums, report: CheckReport) -> None:
    codes = codebook.ids
    interviews = [r for r in records if (r.register or INTERVIEW) == INTERVIEW]
    others = [r for r in records if (r.register or INTERVIEW) != INTERVIEW]
    positives = Counter(label for r in interviews for label in r.labels)
    coded = [r for r in interviews if r.labels]
    multi = sum(len(r.labels) > 1 for r in coded)
    stems = giveaway_stems(codebook)
    implicit = {
        c: float(np.mean([stems[c] not in r.text.lower() for r in interviews if c in r.labels] or [0.0]))
        for c in codes
    }
    n_interviews = len({r.transcript for r in interviews})
    stats = report.stats
    stats.update({
        "interviews": n_interviews, "interview_paragraphs": len(interviews),
        "positives": {c: positives[c] for c in codes}, "uncoded": len(interviews) - len(coded),
        "multi_label_share": round(multi / len(coded), 3) if coded else 0.0,
        "implicit_share": {c: round(v, 3) for c, v in implicit.items()},
        "registers": dict(sorted(Counter(r.register or INTERVIEW for r in records).items())),
        "other_register_positives": dict(Counter(label for r in others for label in r.labels)),
    })
    need = [
        (n_interviews, m.interviews, "interviews"),
        (len(interviews), m.interview_paragraphs, "interview paragraphs"),
        (stats["uncoded"], m.uncoded, "interview paragraphs without a code"),
        (len(others), m.other_register_paragraphs, "paragraphs in other registers"),
    ] + [(positives[c], m.positives_per_code, f"positive interview paragraphs for {c}") for c in codes]
    for found, minimum, what in need:
        if found < minimum:
            report.problems.append(f"{found} {what}, the minimum is {minimum}")
    if stats["multi_label_share"] < m.multi_label_share:
        report.problems.append(f"{stats['multi_label_share']:.0%} of coded paragraphs carry 2+ codes, "
                               f"the minimum is {m.multi_label_share:.0%}")
    for c, share in implicit.items():
        if share < m.implicit_share:
            report.problems.append(f"only {share:.0%} of {c} paragraphs avoid the word stem {stems[c]!r}, "
                                   f"the minimum is {m.implicit_share:.0%}")


def format_report(report: CheckReport) -> str:
    s = report.stats
    lines = [f"interviews: {s.get('interviews')}  interview paragraphs: {s.get('interview_paragraphs')}  "
             f"without code: {s.get('uncoded')}  2+ codes: {s.get('multi_label_share', 0):.0%} of coded"]
    lines.append("positives per code (interviews): " + ", ".join(f"{c} {n}" for c, n in s.get("positives", {}).items()))
    lines.append("avoiding the code's own word: " + ", ".join(f"{c} {v:.0%}" for c, v in s.get("implicit_share", {}).items()))
    lines.append("registers: " + ", ".join(f"{k} {v}" for k, v in s.get("registers", {}).items()))
    if "split_transcripts" in s:
        lines.append(f"split: {s['split_transcripts']['train']} train / {s['split_transcripts']['test']} test transcripts")
    lines += [f"PROBLEM: {p}" for p in report.problems] or ["corpus check passed"]
    return "\n".join(lines)
