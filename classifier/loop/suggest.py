"""What to label next: the unlabelled paragraphs whose labels would teach the model most.

Uncertainty sampling around each code's own threshold, taken in turn for every code,
spread over transcripts, and without near-duplicates: `pick(uncertainty(proba))`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

from classifier.data.corpus import load_corpus
from classifier.data.records import Paragraph, normalise_text
from classifier.errors import HnwError, InputError
from classifier.inference.annotate import annotate_paragraphs
from classifier.inference.persistence import LoadedModel
from classifier.readers import read_transcript
from classifier.text.preprocess import lemmatise

NEAR_DUPLICATE = 0.9  # cosine similarity of the model's feature vectors
SPREAD = 0.5  # a less used transcript's paragraph is preferred when at least half as uncertain as the best


def uncertainty(proba: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """1 where a probability sits on its code's threshold, falling linearly to 0 at 0 and at 1."""
    t = np.asarray(thresholds, dtype=float)
    distance = np.where(proba < t, (t - proba) / t, (proba - t) / (1 - t))
    return 1 - distance


def pick(scores: np.ndarray, transcripts: list[str], n: int, *, too_similar=lambda i, chosen: False,
         spread: float = SPREAD) -> list[tuple[int, int]]:
    """(paragraph, code) pairs: each code in turn gets its most uncertain paragraph not yet chosen.

    Among the paragraphs at least `spread` times as uncertain as a code's best, the one
    from the transcript with the fewest picks so far wins, so the picks spread over
    transcripts without taking paragraphs the model is sure of. A paragraph too similar
    to a chosen one is passed over.
    """
    queues = [list(np.argsort(-scores[:, j], kind="stable")) for j in range(scores.shape[1])]
    chosen: list[tuple[int, int]] = []
    out: set[int] = set()  # chosen, or too similar to a chosen one: similarity only grows as picks are added
    per_transcript: Counter[str] = Counter()
    while len(chosen) < n and any(queues):
        for j in range(len(queues)):
            queues[j] = [i for i in queues[j] if i not in out]
            best = None
            for i in queues[j]:
                if best is not None and scores[i, j] < spread * scores[best, j]:
                    break
                if too_similar(i, [c for c, _ in chosen]):
                    out.add(i)
                elif best is None or per_transcript[transcripts[i]] < per_transcript[transcripts[best]]:
                    best = i
            if best is not None and len(chosen) < n:
                chosen.append((int(best), j))
                out.add(best)
                per_transcript[transcripts[best]] += 1
            queues[j] = [i for i in queues[j] if i not in out]
    return chosen


def choose(proba: np.ndarray, thresholds: np.ndarray, X, transcripts: list[str], n: int, *,
           near_duplicate: float = NEAR_DUPLICATE) -> list[tuple[int, int]]:
    """(paragraph, code) pairs to label next: the most uncertain around each code's threshold,
    in turn per code, spread over transcripts, none a near-duplicate (cosine of the feature
    rows X) of one already chosen."""
    X = normalize(X)

    def too_similar(i: int, chosen: list[int]) -> bool:
        return bool(chosen) and (X[chosen] @ X[i].T).max() >= near_duplicate

    return pick(uncertainty(proba, thresholds), transcripts, n, too_similar=too_similar)


@dataclass
class Suggestion:
    record: dict  # annotate's record of the paragraph
    code: str  # the code it is most uncertain about
    probability: float
    threshold: float


def suggest(inputs: list[str], model: LoadedModel, nlp, *, n: int, exclude: list[str | Path] = (),
            near_duplicate: float = NEAR_DUPLICATE) -> tuple[list[Suggestion], list[str]]:
    """The n paragraphs to label next, most useful first, and the inputs that could not be read.

    Paragraphs that carry labels already, or whose text is in an `exclude` corpus or
    correction set, are not suggested.
    """
    codes = model.codes
    known = {normalise_text(r.text) for r in load_corpus(list(exclude), codes=codes)} if exclude else set()
    paragraphs, failed = _candidates(inputs, known)
    if not paragraphs:
        raise InputError("no unlabelled paragraphs to suggest from"
                         + (f" ({len(failed)} input(s) failed)" if failed else ""))
    lemmas = lemmatise([p.text for p in paragraphs], nlp)
    scores = model.scorer.score(lemmas)
    proba, thresholds = scores.proba, model.thresholds
    picks = choose(proba, thresholds, scores.X, [p.transcript for p in paragraphs], n, near_duplicate=near_duplicate)
    records = annotate_paragraphs([paragraphs[i] for i, _ in picks], model, nlp)
    return [Suggestion(record, codes[j], float(proba[i, j]), float(thresholds[j]))
            for record, (i, j) in zip(records, picks)], failed


def _candidates(inputs: list[str], known: set[str]) -> tuple[list[Paragraph], list[str]]:
    """Unlabelled paragraphs, each distinct text once, and the error of each unreadable input."""
    paragraphs, failed, seen = [], [], set(known)
    for item in inputs:
        try:
            found = read_transcript(item)
        except HnwError as exc:
            failed.append(str(exc))
            continue
        for paragraph in found:
            text = normalise_text(paragraph.text)
            if paragraph.labels is None and text not in seen:
                seen.add(text)
                paragraphs.append(paragraph)
    return paragraphs, failed
