"""Cross-validation folds that keep each transcript in one fold."""

from __future__ import annotations

import numpy as np
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold


def grouped_folds(groups: list[str], Y: np.ndarray, *, n_splits: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train_idx, test_idx) pairs; no transcript is split over folds.

    Transcripts are stratified over the codes with iterative stratification: a
    transcript counts as "rich" in a code when its share of that code is above the
    corpus share, so every fold gets a mix of transcripts heavy and light in each code.
    """
    groups_arr = np.asarray(groups)
    unique = sorted(set(groups))
    if len(unique) < 2:
        raise ValueError("cross-validation needs paragraphs from at least 2 transcripts")
    n_splits = min(n_splits, len(unique))
    Y = np.asarray(Y)
    overall = Y.mean(axis=0)
    profile = np.array([(Y[groups_arr == g].mean(axis=0) > overall).astype(int) for g in unique])
    # Constant columns carry no information and upset the stratifier.
    informative = profile[:, profile.std(axis=0) > 0]
    if informative.shape[1] == 0:
        informative = np.zeros((len(unique), 1), dtype=int)
    splitter = MultilabelStratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    folds = []
    for _, test_groups in splitter.split(np.zeros(len(unique)), informative):
        test_set = {unique[i] for i in test_groups}
        test_mask = np.array([g in test_set for g in groups])
        folds.append((np.flatnonzero(~test_mask), np.flatnonzero(test_mask)))
    return [f for f in folds if len(f[1])]
