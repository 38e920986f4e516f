"""The scikit-learn-free features, scores and evidence equal what the scikit-learn model defines."""

from collections import Counter, defaultdict

import numpy as np
import pytest
from helpers.oracle import SklearnFeatures, assert_same_matrix, sklearn_proba
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.config import DEFAULTS
from classifier.data.corpus import load_corpus
from classifier.inference import vectorize
from classifier.inference.persistence import load_model
from classifier.inference.vectorize import (
    CharNgrams,
    KeyIndex,
    WordNgrams,
    char_wb_ngrams,
)
from classifier.text.preprocess import lemmatise


@pytest.fixture(scope="module")
def default_model():
    return load_model("default")


@pytest.fixture(scope="module")
def corpus_lemmas(default_model, nlp):
    records = load_corpus([DEFAULTS.corpus_dir], codes=default_model.codes)
    return lemmatise([r.text for r in records], nlp)


@pytest.fixture(scope="module")
def oracle(default_model):
    """scikit-learn's vectorizers with the default model's vocabularies and idf weights."""
    return SklearnFeatures(default_model.features, default_model.arrays)


@pytest.mark.slow
def test_word_and_character_blocks_equal_scikit_learn_on_the_whole_corpus(default_model, corpus_lemmas, oracle):
    fitted = oracle
    featurizer = default_model.scorer.featurizer
    assert_same_matrix(featurizer.words.transform(corpus_lemmas), fitted.words.transform(corpus_lemmas))
    assert_same_matrix(featurizer.chars.transform(corpus_lemmas), fitted.chars.transform(fitted.char_texts(corpus_lemmas)))
    X, hits, _ = featurizer.transform(corpus_lemmas)
    lexicon = featurizer.slices["lexicon"]
    assert_same_matrix(X[:, lexicon], fitted.lexicon.transform(corpus_lemmas))
    assert hits[7] == fitted.lexicon.hits(corpus_lemmas[7])


@pytest.mark.slow
def test_probabilities_and_codes_equal_the_scikit_learn_model(default_model, corpus_lemmas):
    expected = sklearn_proba(default_model.features, default_model.arrays, corpus_lemmas)
    scores = default_model.scorer.score(corpus_lemmas)
    assert np.allclose(scores.proba, expected, rtol=1e-12, atol=1e-15)
    assert np.array_equal(scores.decided, expected >= default_model.thresholds)
    assert 0 < scores.decided.sum() < scores.decided.size


@pytest.mark.parametrize("word", ["a", "ab", "abc", "abcd", "Thuiswerkdag", "één", "İstanbul", "straße",
                                  "e\u0301n", "<num>", "half_acht", "co-creatie"])
def test_character_ngrams_of_a_word_equal_scikit_learns_char_wb(word):
    for ngram_range in ((3, 5), (2, 4), (1, 1), (4, 6)):
        analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range).build_analyzer()
        assert char_wb_ngrams(word, ngram_range) == analyzer(word)


def test_a_paragraph_is_the_sum_of_its_words_even_when_the_word_cache_overflows(monkeypatch):
    texts = ["thuis werken thuis", "", "vertrouwen geven en vertrouwen krijgen", "de de de"]
    fitted = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit(texts)
    names = list(fitted.get_feature_names_out())
    monkeypatch.setattr(vectorize, "CACHE_WORDS", 2)
    chars = CharNgrams(names, fitted.idf_, (2, 4))
    generation = chars.generation
    for _ in range(2):
        assert_same_matrix(chars.transform(texts), fitted.transform(texts))
    assert chars.generation == generation + 2, "a batch with more new words than fit empties the store first"


def test_word_ngrams_drop_stop_words_before_pairing_like_scikit_learn():
    texts = ["we spreken het af", "het doel en het resultaat", "af"]
    fitted = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True,
                             stop_words=["het", "en"]).fit(texts)
    words = WordNgrams(list(fitted.get_feature_names_out()), fitted.idf_, (1, 2), ["het", "en"])
    assert "doel resultaat" in words.names
    assert_same_matrix(words.transform(texts), fitted.transform(texts))


def _reference_evidence(features, coef, lemma_text, row, top, index):
    """The definition, one paragraph at a time: word n-grams count as themselves, each character
    n-gram's weight x value is shared equally by the non-stop words that contain it."""
    stop = set(features.meta["stop_words"] or ())
    words = slice(0, len(features.meta["word_vocabulary"]))
    names = features.meta["word_vocabulary"]
    scores = defaultdict(lambda: np.zeros(coef.shape[0]))
    for col, value in row.items():
        if words.start <= col < words.stop:
            name = names[col - words.start]
            if not name.startswith("<") and not all(t in stop for t in name.split()):
                scores[name] = scores[name] + coef[:, col] * value
    analyzer = features.chars.build_analyzer()
    common = set(features.meta.get("common_words") or ())
    tokens = [t for t in dict.fromkeys(lemma_text.split()) if not t.startswith("<") and t not in stop and t not in common]
    columns = {t: sorted({index[g] for g in analyzer(t) if g in index}) for t in tokens}
    owners = Counter(c for t in tokens for c in columns[t])
    for t in tokens:
        if columns[t]:
            credit = np.array([sum(coef[k, c] * (row[c] / owners[c]) for c in columns[t])
                               for k in range(coef.shape[0])])
            scores[t] = scores[t] + credit
    return {k: [n for n in sorted(scores, key=lambda n: (-scores[n][k], n)) if scores[n][k] > 0][:top]
            for k in range(coef.shape[0])}


@pytest.mark.slow
def test_batch_evidence_equals_the_definition_for_every_code_of_every_corpus_paragraph(default_model,
                                                                                        corpus_lemmas, oracle):
    scorer = default_model.scorer
    features = oracle
    every_code = list(range(len(scorer.codes)))
    lemmas = corpus_lemmas[::4]
    start = scorer.featurizer.slices["chars"].start
    index = {name: i + start for i, name in enumerate(features.meta["char_vocabulary"])}
    found = []
    for first in range(0, len(lemmas), 64):  # batches, as annotation makes them
        batch = lemmas[first:first + 64]
        X = scorer.featurizer.transform(batch)[0]
        found += scorer.explainer.explain(batch, X, [every_code] * len(batch), top=5)
    X = scorer.featurizer.transform(lemmas)[0]
    for i, text in enumerate(lemmas):
        row = dict(zip(X.indices[X.indptr[i]:X.indptr[i + 1]].tolist(), X.data[X.indptr[i]:X.indptr[i + 1]].tolist()))
        assert found[i] == _reference_evidence(features, scorer.coef, text, row, 5, index), text
    assert sum(len(terms) for paragraph in found for terms in paragraph.values()) > len(lemmas) * 5


def test_evidence_only_for_the_codes_asked_and_none_for_an_empty_paragraph(default_model):
    scorer = default_model.scorer
    texts = ["ik vertrouw mijn team en wij spreken het resultaat af", ""]
    X = scorer.featurizer.transform(texts)[0]
    out = scorer.explainer.explain(texts, X, [[0, 2], [1]], top=3)
    assert list(out[0]) == [0, 2] and all(len(terms) <= 3 for terms in out[0].values())
    assert out[1] == {1: []}


@pytest.mark.slow
def test_lexicon_hits_word_by_word_equal_the_regular_expressions(default_model, corpus_lemmas):
    from classifier.text.lexicon import LexiconMatcher

    lexicon = default_model.scorer.featurizer.lexicon
    assert lexicon.hits_many(corpus_lemmas) == [lexicon.hits(t) for t in corpus_lemmas]
    assert sum(len(h) for paragraph in lexicon.hits_many(corpus_lemmas) for h in paragraph.values()) > 1000
    tricky = LexiconMatcher({
        "a": ["afspraak maken", "afspraak", "*werk*", "thuis*", "*gesprek", "op de vinger kijken"],
        "b": ["maken", "werk", "de vinger", "a*b", "*ontwikkel* plan"],
        "c": [],
    })
    texts = ["we afspraak maken thuiswerken thuis", "afspraak afspraak maken maken", "op de vinger kijken",
             "op de vinger", "werk werkplek a*b ab", "zelfontwikkeling plan", "dubbel  spatie afspraak\tmaken",
             "", "ontwikkel plan en ontwikkelplan plan", "dan de afspraak", "maken we samen", " thuis "]
    assert tricky.hits_many(texts) == [tricky.hits(t) for t in texts]
    assert tricky.hits("afspraak afspraak maken maken")["a"] == ["afspraak", "afspraak maken"]


@pytest.mark.parametrize("size", [0, 1, 7, 5000])
def test_key_index_finds_present_keys_and_only_those(size):
    rng = np.random.default_rng(size)
    keys = rng.choice(2 ** 62, size=size, replace=False).astype(np.int64)
    keys = np.concatenate([keys, (np.arange(1, 40, dtype=np.int64) << 50) + 3])
    index = KeyIndex(keys)
    if size == 5000:  # enough keys that some found their home slot taken and probed on
        assert (index._slots[index._home(keys)] != np.arange(len(keys))).any()
    position = {int(k): i for i, k in enumerate(keys)}
    queries = np.concatenate([keys[::-1], rng.integers(0, 2 ** 62, size=3000, dtype=np.int64), keys[:5] + 1])
    expected = [position.get(int(q), -1) for q in queries]
    assert index.find(queries).tolist() == expected
    assert index.find(np.zeros(0, dtype=np.int64)).tolist() == []


def test_word_ngrams_all_words_in():
    words = WordNgrams(["de", "de baas", "baas", "het de", "<num> keer"], np.ones(5), (1, 2))
    assert words.all_words_in({"de", "het"}).tolist() == [True, False, False, True, False]
    assert words.all_words_in(set()).tolist() == [False] * 5
    assert WordNgrams([], np.ones(0), (1, 2)).all_words_in({"de"}).tolist() == []
