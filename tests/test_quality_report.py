import json

import pytest

from classifier.render.quality_report import format_benchmark, format_curve

pytestmark = pytest.mark.slow


def test_markdown_report_has_every_table(quick_benchmark):
    text = format_benchmark(quick_benchmark, "markdown")
    for heading in ("Summary, held-out test split", "Summary, train split, cross-validated by transcript",
                    "F1 per code", "Cohen's kappa per code", "Brier score", "expected calibration error",
                    "Macro F1 per register, held-out test split", "Reliability on the test split", "Targets"):
        assert f"### {heading}" in text
    assert "| method | micro F1 | macro F1 | min kappa | mean Brier | train s | paragraphs/s |" in text
    default = quick_benchmark["methods"][2]
    assert f"| {default['name']} | {default['test']['micro_f1']:.3f} | {default['test']['macro_f1']:.3f} |" in text


def test_plain_table_aligns_columns(quick_benchmark):
    text = format_benchmark(quick_benchmark, "table")
    summary = text.split("== Summary, held-out test split\n\n")[1].split("\n\n")[0].splitlines()
    assert len(summary) == 1 + len(quick_benchmark["methods"])
    assert len({len(line) for line in summary}) == 1


def test_json_report_round_trips(quick_benchmark):
    assert json.loads(format_benchmark(quick_benchmark, "json")) == json.loads(json.dumps(quick_benchmark))


def test_curve_table_lists_each_share_and_the_keywords():
    curve = {"codes": ["a"], "train_transcripts": 10, "test_paragraphs": 50, "repeats": 2,
             "points": [{"fraction": 0.5, "transcripts": 5, "paragraphs": 100, "runs": 2, "skipped": 0,
                         "macro_f1": 0.6, "macro_f1_min": 0.55, "macro_f1_max": 0.65, "kappa": {"a": 0.5}},
                        {"fraction": 1.0, "transcripts": 10, "paragraphs": 200, "runs": 0, "skipped": 1,
                         "macro_f1": None, "macro_f1_min": None, "macro_f1_max": None, "kappa": {"a": None}}],
             "keywords": {"macro_f1": 0.4, "kappa": {"a": 0.3}}}
    lines = format_curve(curve, "markdown").splitlines()
    assert "| 50% | 5 | 100 | 2 | 0.600 | 0.550-0.650 | 0.500 |" in lines
    assert "| 100% | 10 | 200 | 0 | - | - | - |" in lines
    assert "| keywords | - | - | - | 0.400 | - | 0.300 |" in lines


def test_best_variant_line_names_the_gain(quick_benchmark):
    other = dict(quick_benchmark, best_cv={"name": "lr words C=4", "gain": 0.012, "fold_gains": [-0.01, 0.02, 0.03]})
    assert format_benchmark(other).endswith(
        "Best variant by cross-validated macro F1: lr words C=4 (+0.012 over the default; fold by fold -0.010 to +0.030).")
    same = dict(quick_benchmark, best_cv={"name": "default: lr", "gain": 0.0, "fold_gains": [0.0, 0.0, 0.0]})
    assert format_benchmark(same).endswith("Best variant by cross-validated macro F1: the default.")
