import numpy as np
import pytest

from classifier.data.corpus import label_matrix, load_corpus
from classifier.inference.persistence import load_model
from classifier.text.lexicon import LexiconMatcher
from classifier.training.folds import grouped_folds
from classifier.training.thresholds import best_threshold, f1_at
from classifier.training.train import TrainSettings, train


def test_lexicon_matches_phrases_and_compounds():
    matcher = LexiconMatcher({"groei": ["ontwikkel*", "cursus"], "sturen": ["afspraak maken"]})
    hits = matcher.hits("we afspraak maken over het ontwikkelgesprek en een cursus")
    assert hits == {"groei": ["ontwikkelgesprek", "cursus"], "sturen": ["afspraak maken"]}
    assert matcher.transform(["niets hier"]).toarray().tolist() == [[0.0, 0.0]]


def test_best_threshold_prefers_f1_then_half():
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.7, 0.3, 0.1])
    t = best_threshold(y, p)
    assert 0.3 < t <= 0.7 and f1_at(y, p, t) == 1.0
    assert abs(t - 0.5) <= 0.2


def test_folds_never_split_a_transcript(codebook, small_corpus):
    records = load_corpus(small_corpus, codes=codebook.ids)
    groups = [r.transcript for r in records]
    Y = label_matrix(records, codebook.ids)
    folds = grouped_folds(groups, Y, n_splits=4, seed=1)
    seen = []
    for train_idx, test_idx in folds:
        test_groups = {groups[i] for i in test_idx}
        assert not test_groups & {groups[i] for i in train_idx}
        seen.extend(test_idx)
    assert sorted(seen) == list(range(len(records)))


def test_training_writes_card_with_metrics(small_model_dir, small_model, codebook):
    card = small_model.card
    assert card["codes"] == codebook.ids
    assert set(card["cross_validation"]["per_code"]) == set(codebook.ids)
    assert card["training_data"]["paragraphs"] > 100
    assert card["spacy_pipeline"]["name"] == "nl_blank_lookup"
    assert all(0.05 <= t <= 0.95 for t in card["thresholds"].values())
    # Cross-validated macro F1 on a few interviews is far from perfect but far above chance.
    assert card["cross_validation"]["macro_f1"] > 0.4


def test_training_is_deterministic(tmp_path, codebook, small_model_dir, small_corpus):
    again = tmp_path / "again"
    train(small_corpus, codebook=codebook, out_dir=again, settings=TrainSettings(cv_folds=3))
    first, second = load_model(small_model_dir), load_model(again)
    assert first.card["files"] == second.card["files"]
    assert first.card["cross_validation"] == second.card["cross_validation"]


def test_too_few_examples_is_a_corpus_error(tmp_path, codebook, data_dir):
    from classifier.errors import CorpusError
    with pytest.raises(CorpusError, match="code 'sturen' has 1 positive"):
        train([data_dir / "corpus_good.jsonl"], codebook=codebook, out_dir=tmp_path / "m")


@pytest.mark.parametrize("settings", [TrainSettings(cv_folds=3, estimator="svm", C=0.5),
                                      TrainSettings(cv_folds=3, calibration="platt")],
                         ids=["svm", "platt"])
def test_calibrated_variants_save_and_load_like_the_default(tmp_path, codebook, nlp, small_corpus, settings):
    from classifier.text.preprocess import lemmatise
    out = tmp_path / "m"
    card = train(small_corpus[:5], codebook=codebook, out_dir=out, settings=settings)
    assert "Platt" in card["calibration_method"]
    assert card["settings"]["estimator"] == settings.estimator
    records = load_corpus(small_corpus[5:6], codes=codebook.ids)
    lemmas = lemmatise([r.text for r in records], nlp)
    proba = load_model(out).scorer.score(lemmas).proba
    assert ((0 < proba) & (proba < 1)).all()
    Y = label_matrix(records, codebook.ids)
    # Probabilities that carry information: coded paragraphs score higher on average.
    assert all(proba[Y[:, j] == 1, j].mean() > proba[Y[:, j] == 0, j].mean() for j in range(Y.shape[1]))


def test_unknown_estimator_and_calibration_are_refused(codebook):
    from classifier.training.model import ParagraphClassifier
    with pytest.raises(ValueError, match="unknown estimator 'tree'"):
        ParagraphClassifier(codebook.ids, estimator="tree")
    with pytest.raises(ValueError, match="unknown calibration 'isotonic'"):
        TrainSettings(calibration="isotonic")


def test_a_lexicon_word_of_only_wildcards_is_refused():
    import pytest

    from classifier.data.codebook import codebook_from_dict
    from classifier.errors import CodebookError

    codes = [{"id": "groei", "name": "Groei", "description": "Ontwikkeling.", "lexicon": ["leren *"]}]
    with pytest.raises(CodebookError, match=r"codebook.yaml: code #1 \(groei\): lexicon term 'leren \*' has a word"):
        codebook_from_dict({"codes": codes}, source="codebook.yaml")
