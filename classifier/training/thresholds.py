"""Decision thresholds per code, chosen on out-of-fold probabilities."""

from __future__ import annotations

import numpy as np

GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def f1_at(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> float:
    pred = proba >= threshold
    tp = np.sum(pred & (y_true == 1))
    denominator = pred.sum() + (y_true == 1).sum()
    return float(2 * tp / denominator) if denominator else 0.0


def best_threshold(y_true: np.ndarray, proba: np.ndarray, grid: np.ndarray = GRID) -> float:
    """The grid value with the highest F1; among ties, the one nearest 0.5."""
    scores = np.array([f1_at(y_true, proba, t) for t in grid])
    best = np.flatnonzero(np.isclose(scores, scores.max()))
    return float(grid[best[np.argmin(np.abs(grid[best] - 0.5))]])


def tune_thresholds(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    return np.array([best_threshold(Y[:, j], P[:, j]) for j in range(Y.shape[1])])
