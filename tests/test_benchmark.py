import json

import numpy as np
import pytest

from classifier.errors import CorpusError
from classifier.evaluation.benchmark import (
    BenchmarkSettings,
    check_targets,
    describe,
    run_benchmark,
    variants,
)
from classifier.training.train import TrainSettings

pytestmark = pytest.mark.slow

QUICK = BenchmarkSettings(cv_folds=3, spacy=(), variants=False)


def test_every_method_is_scored_on_both_parts(quick_benchmark, codebook):
    names = [m["name"] for m in quick_benchmark["methods"]]
    assert names == ["keywords (codebook lexicon)", "spaCy textcat bow",
                     f"default: {describe(TrainSettings())}", "default, thresholds 0.5"]
    for method in quick_benchmark["methods"]:
        for part in ("cv", "test"):
            scores = method[part]
            assert 0 <= scores["macro_f1"] <= 1
            assert set(scores["per_code"]) == set(codebook.ids)
            assert {"f1", "kappa", "brier", "ece"} <= set(scores["per_code"]["groei"])
        assert method["predict_per_second"] > 0
    assert quick_benchmark["corpus"]["test"]["transcripts"] == 3


def test_the_best_variant_is_compared_fold_by_fold(quick_benchmark):
    best = quick_benchmark["best_cv"]
    default = quick_benchmark["methods"][2]
    assert best["name"] in {default["name"], "default, thresholds 0.5"}
    assert len(default["cv"]["fold_macro_f1"]) == 3 and len(best["fold_gains"]) == 3
    if best["name"] == default["name"]:
        assert best["gain"] == 0 and best["fold_gains"] == [0, 0, 0]
    else:
        assert best["gain"] > 0


def test_registers_are_scored_separately(quick_benchmark):
    test_registers = quick_benchmark["corpus"]["test"]["registers"]
    assert set(test_registers) == {"interview", "focus_group"}
    for method in quick_benchmark["methods"]:
        assert set(method["test"]["registers"]) == set(test_registers)
        assert method["test"]["registers"]["focus_group"]["paragraphs"] == test_registers["focus_group"]
    assert "survey" in quick_benchmark["corpus"]["train"]["registers"]


def test_spacy_epochs_and_thresholds_come_from_cross_validation(quick_benchmark):
    spacy_run = next(m for m in quick_benchmark["methods"] if m["family"] == "spacy")
    assert spacy_run["epochs"] in (1, 2) and spacy_run["train_seconds"] > 0
    keywords = quick_benchmark["methods"][0]
    assert set(keywords["thresholds"].values()) == {0.5} and keywords["train_seconds"] is None
    assert set(quick_benchmark["methods"][3]["thresholds"].values()) == {0.5}


def test_the_test_split_plays_no_part_in_thresholds(split_corpus_dir, codebook, nlp, tmp_path):
    """Flip every test label: the test scores change, the thresholds must not."""
    flipped = tmp_path / "corpus"
    for path in split_corpus_dir.rglob("*"):
        target = flipped / path.relative_to(split_corpus_dir)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if path.stem in json.loads((split_corpus_dir / "splits.json").read_text())["test"]:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
            for record in records:
                record["labels"] = [c for c in codebook.ids if c not in record["labels"]]
            text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
        target.write_text(text, encoding="utf-8")
    first = run_benchmark(split_corpus_dir, codebook, nlp, settings=QUICK)
    second = run_benchmark(flipped, codebook, nlp, settings=QUICK)
    for a, b in zip(first["methods"], second["methods"]):
        assert a["thresholds"] == b["thresholds"] and a["cv"]["macro_f1"] == b["cv"]["macro_f1"]
    assert first["methods"][1]["test"]["macro_f1"] != second["methods"][1]["test"]["macro_f1"]


def test_a_corpus_without_splits_is_refused(tmp_path, codebook, nlp, small_corpus):
    (tmp_path / "interviews").mkdir()
    with pytest.raises(CorpusError, match=r"expected a corpus directory with splits.json .* scripts/make_splits.py"):
        run_benchmark(tmp_path, codebook, nlp, settings=QUICK)


def test_variants_change_one_thing_each():
    default = TrainSettings()
    found = variants(default)
    assert found[0] == default and len(found) == len(set(found))
    assert {s.features.blocks for s in found} >= {("words",), ("chars",), ("lexicon",)}
    assert any(s.estimator == "svm" for s in found)
    assert any(s.calibration != default.calibration for s in found)
    assert any(s.class_weight != default.class_weight for s in found)
    assert any(not s.features.remove_stop_words for s in found)
    assert len({describe(s) for s in found}) == len(found)


def fake(name, family, macro, kappa=0.7, seconds=1.0):
    per_code = {c: {"kappa": kappa} for c in ("a", "b")}
    return {"name": name, "family": family, "train_seconds": seconds,
            "test": {"macro_f1": macro, "per_code": per_code}}


def test_targets_compare_the_default_with_each_baseline():
    results = [fake("keywords", "keywords", 0.5, seconds=None), fake("spaCy textcat bow", "spacy", 0.6, seconds=4.0),
               fake("default: lr", "ours", 0.62, kappa=0.65)]
    targets = {t["target"]: t for t in check_targets(results)}
    assert targets["macro F1 >= keywords + 0.10"]["met"]
    assert not targets["macro F1 >= spaCy textcat bow + 0.03"]["met"]
    assert targets["macro F1 >= spaCy textcat bow + 0.03"]["value"] == pytest.approx(0.02)
    assert not targets["trains >= 5x faster than spaCy textcat bow"]["met"]
    assert targets["kappa a >= 0.60"]["met"]
    assert np.isclose(targets["trains >= 5x faster than spaCy textcat bow"]["value"], 4.0)
