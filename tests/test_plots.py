import numpy as np
import pytest

from classifier.render.plots import plot_learning_curve, plot_reliability

image = pytest.importorskip("matplotlib.image")


def _curve(scores):
    return {"codes": ["a", "b"], "keywords": {"macro_f1": 0.4},
            "points": [{"transcripts": n, "runs": 1, "macro_f1": f, "macro_f1_min": f - 0.01,
                        "macro_f1_max": f + 0.01, "kappa": {"a": f - 0.1, "b": f - 0.05}}
                       for n, f in zip((5, 10, 20), scores)]
            + [{"transcripts": 2, "runs": 0}]}


def _pixels(path):
    pixels = image.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 200 and pixels.shape[1] > 300
    return pixels


def test_learning_curve_draws_the_data(tmp_path):
    first = _pixels(plot_learning_curve(_curve((0.55, 0.6, 0.65)), tmp_path / "out" / "a.png"))
    # Lines in several colours, not a blank canvas.
    assert len(np.unique(first.reshape(-1, first.shape[2]), axis=0)) > 20
    second = _pixels(plot_learning_curve(_curve((0.45, 0.7, 0.5)), tmp_path / "out" / "b.png"))
    assert first.shape == second.shape and not np.array_equal(first, second), "the figure must follow the data"


@pytest.mark.slow
def test_reliability_diagram_draws_each_model(quick_benchmark, tmp_path):
    name, table = next(iter(quick_benchmark["reliability"].items()))
    one = _pixels(plot_reliability({name: table}, tmp_path / "one.png"))
    both = _pixels(plot_reliability({name: table, "uncalibrated": table}, tmp_path / "both.png"))
    assert both.shape[1] > 1.8 * one.shape[1], "one panel per model, side by side"
