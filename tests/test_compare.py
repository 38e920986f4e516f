import pytest

from classifier.data.corpus import load_corpus
from classifier.errors import ModelError
from classifier.evaluation.compare import compare
from classifier.evaluation.evaluate import evaluate
from classifier.inference.persistence import load_model
from classifier.text.preprocess import lemmatise
from classifier.training.train import TrainSettings, train


@pytest.fixture(scope="module")
def other_model(tmp_path_factory, codebook, small_corpus):
    out = tmp_path_factory.mktemp("models") / "other"
    train(small_corpus[:4], codebook=codebook, out_dir=out, settings=TrainSettings(cv_folds=2))
    return load_model(out)


def test_side_by_side_matches_evaluate(small_model, other_model, nlp, small_corpus):
    data = [small_corpus[-1]]
    result = compare(small_model, other_model, data, nlp, split="all")
    a, b = (evaluate(m, data, nlp, split="all") for m in (small_model, other_model))
    for code, m in result["per_code"].items():
        assert (m["f1_a"], m["f1_b"]) == (a["per_code"][code]["f1"], b["per_code"][code]["f1"])
        assert (m["kappa_a"], m["kappa_b"]) == (a["per_code"][code]["kappa"], b["per_code"][code]["kappa"])
        assert m["f1_diff"] == pytest.approx(m["f1_b"] - m["f1_a"], abs=1e-4)
    assert result["macro_f1"]["a"] == a["macro_f1"] and result["macro_f1"]["b"] == b["macro_f1"]


def test_changed_paragraphs_are_exactly_those_whose_codes_differ(small_model, other_model, nlp, small_corpus):
    data = [small_corpus[-1]]
    result = compare(small_model, other_model, data, nlp, split="all")
    records = load_corpus(data, codes=small_model.codes)
    lemmas = lemmatise([r.text for r in records], nlp)
    decided = [m.scorer.score(lemmas).decided for m in (small_model, other_model)]
    differing = [r.key for r, x, y in zip(records, *decided) if (x != y).any()]
    assert [c["key"] for c in result["changed"]] == differing and differing
    first = result["changed"][0]
    assert first["a"] != first["b"]


def test_a_model_against_itself_changes_nothing(small_model, nlp, small_corpus):
    result = compare(small_model, small_model, [small_corpus[0]], nlp, split="all")
    assert result["changed"] == []
    assert all(m["f1_diff"] == 0 for m in result["per_code"].values())


def test_models_of_different_codebooks_are_refused(small_model, other_model, nlp, small_corpus, monkeypatch):
    monkeypatch.setitem(other_model.card, "codes", ["sturen", "groei"])
    with pytest.raises(ModelError, match="compare models of one codebook"):
        compare(small_model, other_model, [small_corpus[0]], nlp)


def test_the_interval_and_the_small_set_note(small_model, other_model, nlp, small_corpus):
    from classifier.render.report import format_comparison

    result = compare(small_model, other_model, [small_corpus[-1]], nlp, split="all")
    low, high = result["macro_f1_diff_interval"]
    assert low <= high and result["transcripts"] == 1
    text = format_comparison(result)
    assert f"90% interval from resampling the {result['paragraphs']} paragraphs (too few transcripts" in text
    assert f"Note: only {result['paragraphs']} paragraphs from 1 transcript(s)" in text


def test_scoring_on_training_data_is_flagged(small_model, other_model, nlp, small_corpus):
    from classifier.inference.persistence import SEEN_MIN_WORDS
    from classifier.render.report import seen_warning

    def long(path):  # paragraphs long enough to count: a short question recurs in any collection
        return sum(len(r.text.split()) >= SEEN_MIN_WORDS for r in load_corpus([path], codes=small_model.codes))

    result = compare(small_model, other_model, [small_corpus[0]], nlp, split="all")
    # small_model trained on the first eight interviews, other_model on the first four.
    assert result["seen_in_training"] == {"a": long(small_corpus[0]), "b": long(small_corpus[0])} != {"a": 0, "b": 0}
    fresh = compare(small_model, other_model, [small_corpus[6]], nlp, split="all")
    assert fresh["seen_in_training"] == {"a": long(small_corpus[6]), "b": 0}
    assert seen_warning(fresh["seen_in_training"]["a"], fresh["paragraphs"], "A").startswith("Warning: ")
    assert seen_warning(fresh["seen_in_training"]["b"], fresh["paragraphs"], "B") is None
