import numpy as np

from classifier.evaluation.metrics import confusion_counts


def test_confusion_counts_by_hand():
    Y_true = np.array([[1, 0], [1, 1], [0, 0], [0, 1], [1, 0]])
    Y_pred = np.array([[1, 1], [0, 1], [0, 0], [1, 1], [1, 0]])
    counts = confusion_counts(Y_true, Y_pred, ["sturen", "groei"])
    assert counts == {"sturen": {"tp": 2, "fp": 1, "fn": 1, "tn": 1},
                      "groei": {"tp": 2, "fp": 1, "fn": 0, "tn": 2}}
