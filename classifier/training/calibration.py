"""Do the probabilities mean what they say? Reliability per code, and Platt scaling.

Researchers read the scores as probabilities, so a paragraph scored 0.7 should carry
the code about 7 times in 10. Platt scaling fits p' = sigmoid(a * logit(p) + b) per code
on out-of-fold probabilities; because the model is linear in logit space, the map folds
into its weights and a calibrated model is saved like any other.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

EPS = 1e-6


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.log(p / (1 - p))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def fit_platt(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(a, b) of the logistic map from logit(p) to the observed 0/1 labels."""
    return fit_platt_scores(y, logit(p))


def fit_platt_scores(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """(a, b) with sigmoid(a * score + b) closest to the labels (log loss); any real scores."""
    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    fitted = LogisticRegression(C=1e4, solver="lbfgs").fit(np.reshape(scores, (-1, 1)), y)
    return float(fitted.coef_[0, 0]), float(fitted.intercept_[0])


def apply_platt(p: np.ndarray, a: float, b: float) -> np.ndarray:
    return sigmoid(a * logit(p) + b)


def fit_platt_per_code(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    """One (a, b) row per code."""
    return np.array([fit_platt(Y[:, j], P[:, j]) for j in range(Y.shape[1])]).reshape(-1, 2)


def apply_platt_per_code(P: np.ndarray, params: np.ndarray) -> np.ndarray:
    return np.column_stack([apply_platt(P[:, j], *params[j]) for j in range(P.shape[1])])


def cross_fitted_platt(Y: np.ndarray, P: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Calibrated out-of-fold probabilities where each fold's map was fitted on the other
    folds only, so the calibration is judged on paragraphs it never saw."""
    out = np.zeros_like(P, dtype=float)
    for train_idx, test_idx in folds:
        params = fit_platt_per_code(Y[train_idx], P[train_idx])
        out[test_idx] = apply_platt_per_code(P[test_idx], params)
    return out


def reliability(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> list[dict]:
    """Per probability bin: how many paragraphs, their mean score, and how often they carry the code."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    rows = []
    for k in range(bins):
        mask = which == k
        if mask.any():
            rows.append({"low": round(float(edges[k]), 2), "high": round(float(edges[k + 1]), 2),
                         "count": int(mask.sum()), "mean_score": round(float(p[mask].mean()), 4),
                         "observed": round(float(y[mask].mean()), 4)})
    return rows


def expected_calibration_error(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> float:
    """Mean gap between score and observed rate over the bins, weighted by bin size."""
    table = reliability(y, p, bins=bins)
    total = sum(row["count"] for row in table)
    return round(sum(row["count"] * abs(row["mean_score"] - row["observed"]) for row in table) / total, 4)
