"""Decision thresholds per code, chosen on out-of-fold probabilities."""

from __future__ import annotations

import numpy as np

GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def f_beta_at(y_true: np.ndarray, proba: np.ndarray, threshold: float, beta: float = 1.0) -> float:
    """F-beta of deciding `proba >= threshold`: beta 1 weighs precision and recall alike, beta 2
    counts recall four times as much (a missed code costs a researcher more than a wrong one)."""
    pred = proba >= threshold
    tp = np.sum(pred & (y_true == 1))
    b2 = beta * beta
    denominator = b2 * (y_true == 1).sum() + pred.sum()
    return float((1 + b2) * tp / denominator) if denominator else 0.0


def f1_at(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> float:
    return f_beta_at(y_true, proba, threshold)


def best_threshold(y_true: np.ndarray, proba: np.ndarray, grid: np.ndarray = GRID, *, beta: float = 1.0) -> float:
    """The grid value with the highest F-beta; among ties, the one nearest 0.5."""
    scores = np.array([f_beta_at(y_true, proba, t, beta) for t in grid])
    best = np.flatnonzero(np.isclose(scores, scores.max()))
    return float(grid[best[np.argmin(np.abs(grid[best] - 0.5))]])


def tune_thresholds(Y: np.ndarray, P: np.ndarray, *, beta: float = 1.0) -> np.ndarray:
    return np.array([best_threshold(Y[:, j], P[:, j], beta=beta) for j in range(Y.shape[1])])
