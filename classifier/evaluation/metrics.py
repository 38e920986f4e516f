"""Agreement between gold and predicted codes: per-code precision, recall, F1, kappa."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score, precision_recall_fscore_support


def kappa(y_true: np.ndarray, y_pred: np.ndarray) -> float | None:
    """Cohen's kappa for one code; None when both codings are one constant (undefined)."""
    if len(set(y_true.tolist()) | set(y_pred.tolist())) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(y_true, y_pred)
    return None if np.isnan(value) else float(value)


def score(Y_true: np.ndarray, Y_pred: np.ndarray, codes: list[str],
          proba: np.ndarray | None = None) -> dict:
    """The evaluation dict: micro_f1, macro_f1 and per_code -> code -> measures."""
    Y_true, Y_pred = np.asarray(Y_true, dtype=int), np.asarray(Y_pred, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, s = precision_recall_fscore_support(Y_true, Y_pred, average=None, zero_division=0)
        micro = f1_score(Y_true, Y_pred, average="micro", zero_division=0)
        macro = f1_score(Y_true, Y_pred, average="macro", zero_division=0)
    per_code = {}
    for j, code in enumerate(codes):
        entry = {
            "precision": round(float(p[j]), 4), "recall": round(float(r[j]), 4),
            "f1": round(float(f[j]), 4), "kappa": _round(kappa(Y_true[:, j], Y_pred[:, j])),
            "support": int(s[j]),
        }
        if proba is not None:
            entry["brier"] = round(float(np.mean((proba[:, j] - Y_true[:, j]) ** 2)), 4)
        per_code[code] = entry
    return {"micro_f1": round(float(micro), 4), "macro_f1": round(float(macro), 4),
            "paragraphs": int(Y_true.shape[0]), "per_code": per_code}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def confusion_counts(Y_true: np.ndarray, Y_pred: np.ndarray, codes: list[str]) -> dict[str, dict[str, int]]:
    """Per code: true positives, false positives, false negatives, true negatives."""
    Y_true, Y_pred = np.asarray(Y_true, dtype=bool), np.asarray(Y_pred, dtype=bool)
    return {code: {"tp": int(np.sum(Y_true[:, j] & Y_pred[:, j])), "fp": int(np.sum(~Y_true[:, j] & Y_pred[:, j])),
                   "fn": int(np.sum(Y_true[:, j] & ~Y_pred[:, j])), "tn": int(np.sum(~Y_true[:, j] & ~Y_pred[:, j]))}
            for j, code in enumerate(codes)}


MIN_GROUPS = 10  # fewer transcripts than this, and the paragraphs are resampled instead


def macro_f1_difference_interval(Y_true: np.ndarray, A: np.ndarray, B: np.ndarray, groups: list[str], *,
                                 level: float = 0.9, resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """The `level` interval of macro F1(B) - macro F1(A), by resampling whole transcripts (the
    paragraphs of one interview are not independent), both models on the same resamples. With
    fewer than MIN_GROUPS transcripts, paragraphs are resampled instead (an interval that is too
    narrow rather than none)."""
    Y_true, A, B = (np.asarray(m, dtype=bool) for m in (Y_true, A, B))
    if len(set(groups)) < MIN_GROUPS:
        groups = [str(i) for i in range(len(Y_true))]
    names, which = np.unique(np.asarray(groups), return_inverse=True)

    def per_group(pred: np.ndarray) -> np.ndarray:  # transcripts x codes x (tp, fp, fn)
        counts = np.stack([Y_true & pred, ~Y_true & pred, Y_true & ~pred], axis=-1).astype(float)
        out = np.zeros((len(names), *counts.shape[1:]))
        np.add.at(out, which, counts)
        return out

    weights = np.random.default_rng(seed).multinomial(len(names), np.full(len(names), 1 / len(names)), resamples)

    def macro(counts: np.ndarray) -> np.ndarray:
        tp, fp, fn = (np.tensordot(weights, counts[..., k], axes=1) for k in range(3))
        denominator = 2 * tp + fp + fn
        f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
        return f1.mean(axis=1)

    diff = macro(per_group(B)) - macro(per_group(A))
    low, high = np.quantile(diff, [(1 - level) / 2, (1 + level) / 2])
    return round(float(low), 4), round(float(high), 4)
