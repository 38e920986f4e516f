from classifier.render.plots import plot_learning_curve, plot_reliability

PNG = b"\x89PNG\r\n\x1a\n"


def test_learning_curve_is_drawn_as_png(tmp_path):
    curve = {"codes": ["a", "b"], "keywords": {"macro_f1": 0.4},
             "points": [{"transcripts": n, "runs": 1, "macro_f1": f, "macro_f1_min": f - 0.01,
                         "macro_f1_max": f + 0.01, "kappa": {"a": f - 0.1, "b": f - 0.05}}
                        for n, f in ((5, 0.55), (10, 0.6), (20, 0.65))]
             + [{"transcripts": 2, "runs": 0}]}
    path = plot_learning_curve(curve, tmp_path / "out" / "curve.png")
    assert path.read_bytes()[:8] == PNG


def test_reliability_diagram_has_a_panel_per_model(quick_benchmark, tmp_path):
    path = plot_reliability(quick_benchmark["reliability"], tmp_path / "reliability.png")
    assert path.read_bytes()[:8] == PNG
