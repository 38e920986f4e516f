"""Agreement between two codings of the same paragraphs: two researchers, or a researcher and the model.

Per code: percent agreement, Cohen's kappa and Krippendorff's alpha (nominal), the
measures qualitative researchers report, plus the same three pooled over every
paragraph-code decision. Paragraphs are matched by id where both codings have one,
otherwise by their text.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifier.data.corpus import corpus_files
from classifier.data.records import normalise_text
from classifier.errors import InputError
from classifier.evaluation.metrics import kappa
from classifier.loop.review_csv import read_review_file
from classifier.readers.decoding import decode_text

FIELDS = ("auto", "labels", "codes")


def percent_agreement(a: np.ndarray, b: np.ndarray) -> float | None:
    """Share of units on which the two coders gave the same value."""
    a, b = np.asarray(a), np.asarray(b)
    return float(np.mean(a == b)) if len(a) else None


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Agreement beyond chance with each coder's own marginals; None where undefined (one value only)."""
    return kappa(np.asarray(a), np.asarray(b)) if len(a) else None


def krippendorff_alpha(a: np.ndarray, b: np.ndarray) -> float | None:
    """Nominal alpha for two coders who both coded every unit: 1 - D_o / D_e, where D_o is the
    share of disagreeing pairs and D_e the disagreement expected from the pooled values,
    n_c n_k / (n (n - 1)) summed over pairs of different values (n = 2 x units)."""
    a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
    pooled = np.concatenate([a, b])
    _, counts = np.unique(pooled, return_counts=True)
    n = len(pooled)
    if n == 0 or len(counts) < 2:
        return None  # no variation at all: alpha is undefined
    observed = np.mean(a != b)
    expected = (n * n - np.sum(counts.astype(float) ** 2)) / (n * (n - 1))
    return float(1.0 - observed / expected)


def measures(a: np.ndarray, b: np.ndarray) -> dict:
    return {"percent_agreement": _round(percent_agreement(a, b)), "kappa": _round(cohen_kappa(a, b)),
            "alpha": _round(krippendorff_alpha(a, b)), "a_positives": int(np.sum(a)), "b_positives": int(np.sum(b))}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class Coded:
    """One coded paragraph of one coding."""

    id: str | None
    text: str
    labels: list[str]


def read_coding(path: str | Path, *, codes: list[str], field: str = "auto") -> list[Coded]:
    """A coding from a review CSV (its code columns), JSON Lines (`labels`, or annotate's `codes`)
    or a corpus directory of JSON Lines.

    With field "auto", a JSON record holding both (annotate run on a labelled file) is
    ambiguous and refused: say which one is meant.
    """
    path = Path(path)
    if path.is_dir():
        return [c for file in corpus_files(path) for c in read_coding(file, codes=codes, field=field)]
    if path.suffix.lower() != ".jsonl":
        rows, problems = read_review_file(path, codes=codes)
        if problems:
            raise InputError(problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        return [Coded(r.id, r.text, r.labels) for r in rows if r.labels is not None]
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    coded = []
    for number, line in enumerate(decode_text(path.read_bytes(), source=str(path)).split("\n"), start=1):
        if line.strip():
            coded.append(_coded_from_json(line, path, number, codes, field))
    if not coded:
        raise InputError(f"{path}: no coded paragraphs found")
    return coded


def _coded_from_json(line: str, path: Path, number: int, codes: list[str], field: str) -> Coded:
    where = f"{path}: line {number}"
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg})") from None
    if not isinstance(raw, dict) or not (isinstance(raw.get("text"), str) or raw.get("id") is not None):
        raise InputError(f"{where}: expected a JSON object with an 'id' or a 'text' to match it by")
    if field == "auto":
        present = [f for f in ("labels", "codes") if f in raw]
        if len(present) == 2:
            raise InputError(f"{where}: the record has both 'labels' (a coder's) and 'codes' (the model's); "
                             "choose one with --field-a/--field-b labels or codes")
        if not present:
            raise InputError(f"{where}: expected 'labels' or 'codes', found neither")
        field = present[0]
    labels = raw.get(field)
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise InputError(f"{where}: expected {field!r} to be a list of codes, found {labels!r}")
    unknown = sorted(set(labels) - set(codes))
    if unknown:
        raise InputError(f"{where}: unknown code(s) {', '.join(unknown)}; the codebook has {', '.join(codes)}")
    return Coded(str(raw["id"]) if raw.get("id") is not None else None, raw.get("text") or "", sorted(set(labels)))


def match_codings(a: list[Coded], b: list[Coded]) -> tuple[list[tuple[Coded, Coded]], dict]:
    """Pairs of the same paragraph: by id where both have one, else by normalised text, in order of occurrence."""
    by_id = {c.id: i for i, c in enumerate(b) if c.id is not None}
    by_text: dict[str, deque[int]] = defaultdict(deque)
    for i, c in enumerate(b):
        if c.text:
            by_text[normalise_text(c.text)].append(i)
    used: set[int] = set()
    pairs: list[tuple[Coded, Coded] | None] = [None] * len(a)
    for n, c in enumerate(a):
        if c.id is not None and c.id in by_id:
            pairs[n] = (c, b[by_id[c.id]])
            used.add(by_id[c.id])
    by_id_count = sum(p is not None for p in pairs)
    for n, c in enumerate(a):
        if pairs[n] is None and c.text:
            queue = by_text.get(normalise_text(c.text), deque())
            while queue and queue[0] in used:
                queue.popleft()
            if queue:
                j = queue.popleft()
                used.add(j)
                pairs[n] = (c, b[j])
    matched = [p for p in pairs if p is not None]
    return matched, {"matched_by_id": by_id_count, "matched_by_text": len(matched) - by_id_count,
                     "unmatched_a": len(a) - len(matched), "unmatched_b": len(b) - len(used)}


def agreement(coding_a: str | Path, coding_b: str | Path, *, codes: list[str],
              field_a: str = "auto", field_b: str = "auto") -> dict:
    """Per-code and pooled agreement between two codings of the same paragraphs."""
    a = read_coding(coding_a, codes=codes, field=field_a)
    b = read_coding(coding_b, codes=codes, field=field_b)
    pairs, matching = match_codings(a, b)
    if not pairs:
        raise InputError(f"{coding_a} and {coding_b} share no paragraph (matched by id or text); "
                         "are they codings of the same transcripts?")
    A = np.array([[int(code in x.labels) for code in codes] for x, _ in pairs])
    B = np.array([[int(code in y.labels) for code in codes] for _, y in pairs])
    return {"a": str(coding_a), "b": str(coding_b), "paragraphs": len(pairs), **matching,
            "per_code": {code: measures(A[:, j], B[:, j]) for j, code in enumerate(codes)},
            "pooled": measures(A.ravel(), B.ravel())}
