"""Code counts with their uncertainty.

Each paragraph's probability for a code is read as an independent Bernoulli trial, so the
number of paragraphs in a transcript that carry the code follows a Poisson-binomial
distribution: its mean is the sum of the probabilities (the expected count) and its
quantiles give an interval for the count.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

EXACT_UP_TO = 5000  # paragraphs; beyond, the normal approximation (its error is far below one count)


def poisson_binomial(probabilities: np.ndarray) -> np.ndarray:
    """P(count = k) for k = 0..n, by convolving one paragraph at a time."""
    distribution = np.ones(1)
    for p in np.clip(np.asarray(probabilities, dtype=float), 0.0, 1.0):
        distribution = np.convolve(distribution, [1.0 - p, p])
    return distribution


def count_interval(probabilities: np.ndarray, level: float = 0.9) -> tuple[int, int]:
    """The central `level` interval of the count: its (1 - level) / 2 and (1 + level) / 2 quantiles."""
    probabilities = np.asarray(probabilities, dtype=float)
    low_q, high_q = (1 - level) / 2, (1 + level) / 2
    if len(probabilities) == 0:
        return 0, 0
    if len(probabilities) > EXACT_UP_TO:
        mean = probabilities.sum()
        sd = np.sqrt(np.sum(probabilities * (1 - probabilities)))
        low, high = norm.ppf([low_q, high_q], loc=mean, scale=max(sd, 1e-9))
        return int(max(0, np.floor(low + 0.5))), int(min(len(probabilities), np.ceil(high - 0.5)))
    cumulative = np.cumsum(poisson_binomial(probabilities))
    low = int(np.searchsorted(cumulative, low_q - 1e-12))
    high = int(np.searchsorted(cumulative, high_q - 1e-12))
    return low, high


def cooccurrence(assigned: np.ndarray) -> np.ndarray:
    """codes x codes: how many paragraphs carry both (the diagonal: how many carry each)."""
    assigned = np.asarray(assigned, dtype=int)
    return assigned.T @ assigned
