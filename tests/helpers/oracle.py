"""scikit-learn's own vectorizers and linear models, rebuilt from what a model directory holds:
the oracle our numpy feature and scoring path is tested against."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.text.lexicon import LexiconMatcher


class SklearnFeatures:
    """The fitted blocks of a model as scikit-learn computes them."""

    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]):
        self.meta = meta
        stop = meta["stop_words"] if meta["remove_stop_words"] else None
        self.words = self.chars = self.lexicon = None
        if meta["word_vocabulary"]:
            self.words = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=tuple(meta["word_ngrams"]),
                                         sublinear_tf=True, stop_words=stop, dtype=np.float64,
                                         vocabulary={t: i for i, t in enumerate(meta["word_vocabulary"])})
            self.words.idf_ = arrays["word_idf"]
        if meta["char_vocabulary"]:
            self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(meta["char_ngrams"]), sublinear_tf=True,
                                         dtype=np.float64,
                                         vocabulary={t: i for i, t in enumerate(meta["char_vocabulary"])})
            self.chars.idf_ = arrays["char_idf"]
        if meta["lexicons"]:
            self.lexicon = LexiconMatcher({code: terms for code, terms in meta["lexicons"]})

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        parts = [block.transform(self.char_texts(texts) if block is self.chars else texts)
                 for block in (self.words, self.chars, self.lexicon) if block is not None]
        return sp.hstack(parts, format="csr")

    def char_texts(self, texts: list[str]) -> list[str]:
        """What the character block sees: the texts without the model's common words."""
        common = set(self.meta.get("common_words") or ())
        return [" ".join(w for w in t.split() if w not in common) for t in texts] if common else texts


def sklearn_proba(meta: dict, arrays: dict[str, np.ndarray], texts: list[str]) -> np.ndarray:
    """sigmoid(X @ coef.T + intercept) with X from scikit-learn's vectorizers."""
    X = SklearnFeatures(meta, arrays).transform(texts)
    return expit(X @ arrays["coef"].T + arrays["intercept"])


def assert_same_matrix(a: sp.spmatrix, b: sp.spmatrix) -> None:
    """Same shape, same stored positions, values equal to 12 significant digits."""
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    a.sort_indices()
    b.sort_indices()
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.allclose(a.data, b.data, rtol=1e-12, atol=0)
