"""The model's most confident mistakes on labelled data: what a researcher should read
to see where the model and the codebook part ways."""

from __future__ import annotations

import numpy as np

from classifier.data.records import Paragraph


def confident_errors(records: list[Paragraph], Y_true: np.ndarray, proba: np.ndarray, thresholds: np.ndarray,
                     codes: list[str], *, top: int) -> dict[str, dict[str, list[dict]]]:
    """Per code, up to `top` false positives (highest probability first) and false
    negatives (lowest probability first), each with its paragraph."""
    Y_true = np.asarray(Y_true, dtype=bool)
    result = {}
    for j, code in enumerate(codes):
        predicted = proba[:, j] >= thresholds[j]
        false_pos = np.flatnonzero(predicted & ~Y_true[:, j])
        false_neg = np.flatnonzero(~predicted & Y_true[:, j])
        # Stable sorts on position first, so equal probabilities keep corpus order.
        result[code] = {
            "false_positives": [_entry(records[i], proba[i, j]) for i in
                                false_pos[np.argsort(-proba[false_pos, j], kind="stable")][:top]],
            "false_negatives": [_entry(records[i], proba[i, j]) for i in
                                false_neg[np.argsort(proba[false_neg, j], kind="stable")][:top]],
        }
    return result


def _entry(record: Paragraph, p: float) -> dict:
    entry = {"transcript": record.transcript, "index": record.index, "speaker": record.speaker,
             "text": record.text, "labels": list(record.labels or []), "p": round(float(p), 4)}
    if record.id:
        entry["id"] = record.id
    return entry
