"""How much does more coded data still add? Train on growing shares of the training
transcripts and score each model on the fixed test split.

Shares are drawn by transcript, never by paragraph, and nested: within one repeat the 25%
sample holds the 10% sample. Smaller shares are drawn several times, so the curve shows
the spread that the choice of transcripts alone causes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from classifier.config import DEFAULTS
from classifier.data.codebook import Codebook
from classifier.errors import CorpusError
from classifier.evaluation.baselines.keywords import KeywordCoder
from classifier.evaluation.datasets import SplitData, load_split_data
from classifier.evaluation.metrics import score
from classifier.training.train import (
    TrainSettings,
    check_label_counts,
    cross_validate,
    fit_final,
    make_classifier,
)


@dataclass(frozen=True)
class CurveSettings:
    fractions: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0)
    repeats: int = 3
    seed: int = DEFAULTS.seed

    def __post_init__(self):
        if not self.fractions or any(not 0 < f <= 1 for f in self.fractions):
            raise ValueError(f"fractions must lie in (0, 1], found {self.fractions}")


def learning_curve(corpus_dir: str | Path, codebook: Codebook, nlp, *, settings: CurveSettings = CurveSettings(),
                   train: TrainSettings = TrainSettings(), n_jobs: int = 1,
                   log: Callable[[str], None] | None = None) -> dict:
    """Per share of the training transcripts: test macro F1 (mean, min, max over repeats)
    and mean per-code kappa; the keyword baseline's test scores for reference."""
    data = load_split_data(corpus_dir, codebook, nlp)
    transcripts = sorted(set(data.train.groups))
    orders = [np.random.default_rng(settings.seed + r).permutation(transcripts) for r in range(settings.repeats)]
    points = []
    for fraction in sorted(settings.fractions):
        n = max(2, round(fraction * len(transcripts)))
        scores, skipped = [], 0
        for order in orders[:1] if n >= len(transcripts) else orders:
            chosen = set(order[:n])
            result = _train_and_score(data, [i for i, g in enumerate(data.train.groups) if g in chosen], train, n_jobs)
            if result is None:
                skipped += 1
            else:
                scores.append(result)
        points.append(_point(fraction, n, scores, skipped, data.codes))
        if log:
            log(f"{fraction:.0%} of the training transcripts ({n}): macro F1 {_fmt(points[-1]['macro_f1'])}")
    keywords = KeywordCoder(data.codes, data.lexicons).fit()
    reference = score(data.test.Y, keywords.predict_proba(data.test.lemmas).astype(int), data.codes)
    return {"codes": data.codes, "train_transcripts": len(transcripts), "test_paragraphs": len(data.test.records),
            "repeats": settings.repeats, "points": points,
            "keywords": {"macro_f1": reference["macro_f1"],
                         "kappa": {c: m["kappa"] for c, m in reference["per_code"].items()}}}


def _train_and_score(data: SplitData, index: list[int], train: TrainSettings, n_jobs: int) -> dict | None:
    """Test-split scores of a model trained on the paragraphs at `index`; None when a code
    has too few examples there to train on."""
    subset = data.train.subset(index)
    try:
        check_label_counts(subset.Y, data.codes)
    except CorpusError:
        return None

    def factory():
        return make_classifier(data.codes, train, stop=data.stop, lexicons=data.lexicons)

    cv = cross_validate(subset.lemmas, subset.Y, subset.groups, factory, settings=train, n_jobs=n_jobs)
    model = fit_final(subset.lemmas, subset.Y, factory, cv, groups=subset.groups)
    result = score(data.test.Y, model.predict(model.predict_proba(data.test.lemmas)), data.codes)
    result["train_paragraphs"] = len(index)
    return result


def _point(fraction: float, n: int, scores: list[dict], skipped: int, codes: list[str]) -> dict:
    macro = [s["macro_f1"] for s in scores]
    kappa = {c: _mean([s["per_code"][c]["kappa"] for s in scores]) for c in codes}
    return {"fraction": fraction, "transcripts": n, "runs": len(scores), "skipped": skipped,
            "paragraphs": round(_mean([s["train_paragraphs"] for s in scores]) or 0),
            "macro_f1": _mean(macro), "macro_f1_min": min(macro, default=None),
            "macro_f1_max": max(macro, default=None), "kappa": kappa}


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
