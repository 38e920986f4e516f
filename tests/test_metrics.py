import numpy as np

from classifier.evaluation.metrics import confusion_counts


def test_confusion_counts_by_hand():
    Y_true = np.array([[1, 0], [1, 1], [0, 0], [0, 1], [1, 0]])
    Y_pred = np.array([[1, 1], [0, 1], [0, 0], [1, 1], [1, 0]])
    counts = confusion_counts(Y_true, Y_pred, ["sturen", "groei"])
    assert counts == {"sturen": {"tp": 2, "fp": 1, "fn": 1, "tn": 1},
                      "groei": {"tp": 2, "fp": 1, "fn": 0, "tn": 2}}


def test_difference_interval_covers_the_difference_and_is_zero_for_one_model():
    from classifier.evaluation.metrics import macro_f1_difference_interval, score

    rng = np.random.default_rng(3)
    Y = rng.random((400, 3)) < 0.3
    A = Y ^ (rng.random(Y.shape) < 0.25)
    B = Y ^ (rng.random(Y.shape) < 0.10)
    groups = [f"t{i // 20}" for i in range(400)]
    low, high = macro_f1_difference_interval(Y, A, B, groups)
    diff = score(Y, B, list("abc"))["macro_f1"] - score(Y, A, list("abc"))["macro_f1"]
    assert low < diff < high and low > 0
    assert macro_f1_difference_interval(Y, A, A, groups) == (0.0, 0.0)
    # A quarter of the transcripts: a wider interval.
    part_low, part_high = macro_f1_difference_interval(Y[:100], A[:100], B[:100], groups[:100])
    assert part_high - part_low > high - low


def test_with_few_transcripts_paragraphs_are_resampled_not_one_transcript_again_and_again():
    from classifier.evaluation.metrics import macro_f1_difference_interval

    rng = np.random.default_rng(5)
    Y = rng.random((60, 2)) < 0.4
    A, B = Y ^ (rng.random(Y.shape) < 0.3), Y ^ (rng.random(Y.shape) < 0.2)
    low, high = macro_f1_difference_interval(Y, A, B, ["one"] * 60)
    assert high - low > 0.05, "one transcript resampled is always itself: the interval would be a point"
