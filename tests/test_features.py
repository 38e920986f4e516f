"""One feature path: vocabularies fitted once, every matrix from the Featurizer, equal to what
scikit-learn's vectorizers compute for any settings (scikit-learn is the oracle)."""

import scipy.sparse as sp
from helpers.oracle import assert_same_matrix
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.inference.vectorize import Featurizer
from classifier.training.features import FeatureSet, FeatureSettings

WORDS = ["thuis", "werken", "de", "baas", "vertrouwt", "ons", "niet", "<num>", "één", "ontwikkelgesprek",
         "a", "co-creatie", "İstanbul", "zelf", "half_acht"]
texts = st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=2, max_size=12)
ranges = st.tuples(st.integers(1, 3), st.integers(0, 2)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=60, deadline=None)
@given(texts, ranges, ranges, st.integers(1, 3), st.sampled_from([None, ["de", "ons", "niet"]]))
def test_features_equal_scikit_learns_vectorizers_for_any_settings(docs, word_ngrams, char_ngrams, min_df, stop):
    char_ngrams = (char_ngrams[0] + 1, char_ngrams[1] + 2)
    s = FeatureSettings(blocks=("words", "chars"), word_ngrams=word_ngrams, char_ngrams=char_ngrams,
                        min_df=min_df, max_char_features=40, remove_stop_words=stop is not None)
    words = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=word_ngrams, min_df=min_df,
                            sublinear_tf=True, stop_words=stop)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=char_ngrams, min_df=min_df, sublinear_tf=True,
                            max_features=40)
    expected = []
    for vectorizer in (words, chars):
        try:
            expected.append(vectorizer.fit_transform(docs))
        except ValueError:  # scikit-learn: no term left (empty texts, or min_df too high)
            expected.append(sp.csr_matrix((len(docs), 0)))
    features = FeatureSet(s, stop_words=stop)
    X = features.fit_transform(docs)
    assert_same_matrix(X, sp.hstack(expected, format="csr"))
    rebuilt = Featurizer.from_state(*features.state())  # what a saved model is read back into
    assert_same_matrix(rebuilt.transform(docs)[0], X)


def test_common_words_carry_no_weight_alone_but_stay_in_bigrams():
    docs = ["mensen vertrouwen ons", "de mensen bellen", "mensen leren veel", "wij missen mensen",
            "zij bellen vaak", "ik leer graag"]
    groups = ["a", "a", "b", "b", "c", "d"]  # "mensen" is in two of four transcripts, "vertrouwen" in one
    s = FeatureSettings(blocks=("words", "chars", "lexicon"), min_df=1, common_word_share=0.5)
    features = FeatureSet(s, stop_words=["de", "ons"], lexicons={"binding": ["bellen"]}).fit(docs, groups)
    meta, arrays = features.state()
    assert meta["common_words"] == ["mensen"]  # "bellen" (two transcripts too) is a lexicon term
    assert "mensen" not in meta["word_vocabulary"] and "mensen vertrouwen" in meta["word_vocabulary"]
    assert not [g for g in meta["char_vocabulary"] if "mens" in g]
    from helpers.oracle import SklearnFeatures

    assert_same_matrix(features.transform(docs), SklearnFeatures(meta, arrays).transform(docs))
    assert FeatureSet(FeatureSettings(common_word_share=None), stop_words=[]).fit(docs, groups).state()[0][
        "common_words"] == []
