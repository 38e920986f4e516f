import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.training.calibration import (
    apply_platt,
    apply_platt_per_code,
    cross_fitted_platt,
    expected_calibration_error,
    fit_platt,
    fit_platt_per_code,
    reliability,
)
from classifier.training.model import ParagraphClassifier


def overconfident(n=2000, seed=0):
    """Labels drawn with probability q, scores pushed towards 0 and 1: too sure of themselves."""
    rng = np.random.default_rng(seed)
    q = rng.uniform(0.05, 0.95, n)
    y = (rng.uniform(size=n) < q).astype(int)
    z = np.log(q / (1 - q)) * 3
    return y, 1 / (1 + np.exp(-z))


def brier(y, p):
    return float(np.mean((p - y) ** 2))


def test_platt_repairs_overconfident_scores():
    y, p = overconfident()
    a, b = fit_platt(y, p)
    assert 0.2 < a < 0.5  # undoes the factor 3 roughly
    calibrated = apply_platt(p, a, b)
    assert brier(y, calibrated) < brier(y, p)
    assert expected_calibration_error(y, calibrated) < expected_calibration_error(y, p) / 2


def test_platt_with_one_class_is_the_identity():
    p = np.array([0.2, 0.7, 0.9])
    assert fit_platt(np.ones(3, dtype=int), p) == (1.0, 0.0)
    assert np.allclose(apply_platt(p, 1.0, 0.0), p)


def test_cross_fitted_calibration_never_sees_its_own_fold():
    y, p = overconfident(600)
    Y, P = np.column_stack([y, 1 - y]), np.column_stack([p, 1 - p])
    folds = [(np.arange(300, 600), np.arange(300)), (np.arange(300), np.arange(300, 600))]
    before = cross_fitted_platt(Y, P, folds)
    changed = Y.copy()
    changed[:300] = 1 - changed[:300]  # other labels in the first fold only
    after = cross_fitted_platt(changed, P, folds)
    assert np.allclose(before[:300], after[:300])
    assert not np.allclose(before[300:], after[300:])


def test_reliability_bins_count_every_paragraph():
    y, p = overconfident(500)
    table = reliability(y, p, bins=5)
    assert sum(row["count"] for row in table) == 500
    for row in table:
        assert row["low"] <= row["mean_score"] <= row["high"] and 0 <= row["observed"] <= 1


def test_perfectly_calibrated_scores_have_no_calibration_error():
    y = np.array([1, 0, 0, 0] * 5)
    assert expected_calibration_error(y, np.full(20, 0.25)) == 0.0
    assert expected_calibration_error(y, np.full(20, 0.75)) == 0.5


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 5), st.floats(-3, 3))
def test_calibration_folds_into_the_weights(a, b):
    texts = ["wij werken thuis", "thuis werken is fijn", "de baas kijkt mee", "de baas belt vaak",
             "thuis of op kantoor", "de baas vertrouwt ons"]
    Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1]])
    model = ParagraphClassifier(["thuis", "baas"]).fit(texts, Y)
    before = model.predict_proba(texts)
    params = np.array([[a, b], [a, b]])
    after = model.calibrate(params).predict_proba(texts)
    assert np.allclose(after, apply_platt_per_code(before, params), atol=1e-6)


def test_a_score_without_information_calibrates_to_the_base_rate():
    y, p = overconfident(800)
    params = fit_platt_per_code(np.column_stack([y, y]), np.column_stack([p, np.full_like(p, 0.5)]))
    assert params.shape == (2, 2) and params[0, 0] > 0.1
    assert abs(params[1, 0]) < 1e-6
    assert abs(1 / (1 + np.exp(-params[1, 1])) - y.mean()) < 1e-3
