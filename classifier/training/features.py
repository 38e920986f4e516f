"""Feature blocks over lemma text: word n-grams, character n-grams, and codebook lexicon hits.

Each block can hand its fitted state over as plain arrays and lists, and be rebuilt from
them, so a saved model holds no pickle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.inference.vectorize import Featurizer
from classifier.text.lexicon import LexiconMatcher

BLOCKS = ("words", "chars", "lexicon")


@dataclass(frozen=True)
class FeatureSettings:
    blocks: tuple[str, ...] = ("words", "chars", "lexicon")
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    min_df: int = 2
    max_char_features: int = 60000
    # Dutch stop words such as "zelf", "ons", "vaak" and "niet" carry codes: keeping them raised
    # cross-validated macro F1 from 0.686 to 0.697 (scripts/results/quality.md).
    remove_stop_words: bool = False


class FeatureSet:
    """The chosen blocks side by side. fit on lemma texts, then transform."""

    def __init__(self, settings: FeatureSettings, *, stop_words: list[str] | None = None,
                 lexicons: dict[str, list[str]] | None = None):
        unknown = set(settings.blocks) - set(BLOCKS)
        if unknown:
            raise ValueError(f"unknown feature block(s) {sorted(unknown)}; choose from {BLOCKS}")
        self.settings = settings
        # Kept either way: the explainer leaves stop words out of the evidence.
        self.stop_words = stop_words
        lexicons = lexicons or {}
        self.use_lexicon = "lexicon" in settings.blocks and any(lexicons.values())
        self.lexicon = LexiconMatcher(lexicons) if self.use_lexicon else None
        self.words = self._word_vectorizer() if "words" in settings.blocks else None
        self.chars = self._char_vectorizer() if "chars" in settings.blocks else None
        self._featurizer: Featurizer | None = None

    def _word_vectorizer(self, vocabulary=None) -> TfidfVectorizer:
        s = self.settings
        return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=s.word_ngrams,
                               min_df=s.min_df, sublinear_tf=True,
                               stop_words=self.stop_words if s.remove_stop_words else None,
                               vocabulary=vocabulary, dtype=np.float64)

    def _char_vectorizer(self, vocabulary=None) -> TfidfVectorizer:
        s = self.settings
        return TfidfVectorizer(analyzer="char_wb", ngram_range=s.char_ngrams, min_df=s.min_df,
                               sublinear_tf=True, max_features=s.max_char_features,
                               vocabulary=vocabulary, dtype=np.float64)

    def fit_transform(self, lemma_texts: list[str]) -> sp.csr_matrix:
        """Fit scikit-learn's vectorizers; their vocabularies and idf weights are all the rest needs."""
        self._featurizer = None
        parts = [vectorizer.fit_transform(lemma_texts) for vectorizer in (self.words, self.chars)
                 if vectorizer is not None]
        if self.lexicon is not None:
            parts.append(self.lexicon.transform(lemma_texts))
        return sp.hstack(parts, format="csr")

    def transform(self, lemma_texts: list[str]) -> sp.csr_matrix:
        return self.featurizer().transform(lemma_texts)[0]

    def featurizer(self) -> Featurizer:
        """The fitted blocks as a Featurizer: the same features, computed faster (vectorize.py)."""
        if self._featurizer is None:
            self._featurizer = Featurizer.from_state(*self.state())
        return self._featurizer

    def block_slices(self) -> dict[str, slice]:
        """Where each block's columns sit in the combined matrix."""
        return self.featurizer().slices

    def word_names(self) -> list[str]:
        return list(self.words.get_feature_names_out()) if self.words is not None else []

    def char_names(self) -> list[str]:
        return list(self.chars.get_feature_names_out()) if self.chars is not None else []

    # --- saving and rebuilding without pickle -------------------------------------------
    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON-able vocabularies and settings, arrays) that `from_state` rebuilds from."""
        meta = {
            "blocks": list(self.settings.blocks),
            "word_ngrams": list(self.settings.word_ngrams),
            "char_ngrams": list(self.settings.char_ngrams),
            "min_df": self.settings.min_df,
            "max_char_features": self.settings.max_char_features,
            "remove_stop_words": self.settings.remove_stop_words,
            "stop_words": self.stop_words,
            "word_vocabulary": self.word_names(),
            "char_vocabulary": self.char_names(),
            # A list of pairs, not a mapping: the order of codes is the order of the columns.
            "lexicons": [[code, terms] for code, terms in self.lexicon.lexicons.items()] if self.lexicon else [],
        }
        arrays = {}
        if self.words is not None:
            arrays["word_idf"] = self.words.idf_
        if self.chars is not None:
            arrays["char_idf"] = self.chars.idf_
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> "FeatureSet":
        settings = FeatureSettings(
            blocks=tuple(meta["blocks"]), word_ngrams=tuple(meta["word_ngrams"]),
            char_ngrams=tuple(meta["char_ngrams"]), min_df=meta["min_df"],
            max_char_features=meta["max_char_features"], remove_stop_words=meta["remove_stop_words"],
        )
        features = cls(settings, stop_words=meta.get("stop_words"),
                       lexicons={code: terms for code, terms in meta.get("lexicons", [])})
        if features.words is not None:
            features.words = features._word_vectorizer(
                {term: i for i, term in enumerate(meta["word_vocabulary"])})
            features.words.idf_ = arrays["word_idf"]
        if features.chars is not None:
            features.chars = features._char_vectorizer(
                {term: i for i, term in enumerate(meta["char_vocabulary"])})
            features.chars.idf_ = arrays["char_idf"]
        return features
