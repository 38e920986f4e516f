"""Feature blocks over lemma text: word n-grams, character n-grams, and codebook lexicon hits.

Vocabularies and idf weights are fitted once, with scikit-learn's vectorizers; every feature
matrix after that, in training, evaluation and annotation alike, is computed by the
Featurizer (inference/vectorize.py) from those fitted arrays. A saved model holds no pickle.
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
    # Words in at least this share of the training transcripts (mensen, zeggen, jaar, team) are
    # topic and speech habits of the corpus, not signs of a code: alone they carry no weight (no
    # word unigram, no character n-grams), and they count only inside word bigrams. Lexicon
    # terms and stop words keep their weight. None keeps every word.
    common_word_share: float | None = 0.5

    def __post_init__(self):
        unknown = set(self.blocks) - set(BLOCKS)
        if unknown:
            raise ValueError(f"unknown feature block(s) {sorted(unknown)}; choose from {BLOCKS}")


def word_vectorizer(settings: FeatureSettings, stop_words: list[str] | None) -> TfidfVectorizer:
    """Word n-grams of whitespace-separated lemmas, as the Featurizer computes them."""
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=settings.word_ngrams,
                           min_df=settings.min_df, sublinear_tf=True,
                           stop_words=stop_words if settings.remove_stop_words else None, dtype=np.float64)


def char_vectorizer(settings: FeatureSettings) -> TfidfVectorizer:
    """Character n-grams within word boundaries, as the Featurizer computes them."""
    return TfidfVectorizer(analyzer="char_wb", ngram_range=settings.char_ngrams, min_df=settings.min_df,
                           sublinear_tf=True, max_features=settings.max_char_features, dtype=np.float64)


class FeatureSet:
    """The chosen blocks side by side: fit on lemma texts, then transform."""

    def __init__(self, settings: FeatureSettings, *, stop_words: list[str] | None = None,
                 lexicons: dict[str, list[str]] | None = None):
        self.settings = settings
        # Kept either way: the explainer leaves stop words out of the evidence.
        self.stop_words = stop_words
        lexicons = lexicons or {}
        use_lexicon = "lexicon" in settings.blocks and any(lexicons.values())
        # A list of pairs, not a mapping, once saved: the order of codes is the order of the columns.
        self.lexicons = {code: list(terms) for code, terms in lexicons.items()} if use_lexicon else {}

    def fit(self, lemma_texts: list[str], groups: list[str] | None = None) -> "FeatureSet":
        """Fit the vocabularies and idf weights (scikit-learn's definition), once. `groups` names
        each text's transcript, for common_word_share."""
        s = self.settings
        common = self._common_words(lemma_texts, groups)
        meta = {
            "blocks": list(s.blocks), "word_ngrams": list(s.word_ngrams), "char_ngrams": list(s.char_ngrams),
            "min_df": s.min_df, "max_char_features": s.max_char_features,
            "remove_stop_words": s.remove_stop_words, "stop_words": self.stop_words,
            "word_vocabulary": [], "char_vocabulary": [],
            "lexicons": [[code, terms] for code, terms in self.lexicons.items()],
            "common_words": sorted(common),
        }
        arrays = {}
        for block, vectorizer in (("word", word_vectorizer(s, self.stop_words) if "words" in s.blocks else None),
                                  ("char", char_vectorizer(s) if "chars" in s.blocks else None)):
            if vectorizer is None:
                continue
            texts = without(lemma_texts, common) if block == "char" and common else lemma_texts
            try:
                vectorizer.fit(texts)
            except ValueError:  # no term is frequent enough: the block has no columns
                continue
            names, idf = vectorizer.get_feature_names_out(), vectorizer.idf_
            if block == "word" and common:
                kept = np.array([name not in common for name in names], dtype=bool)
                names, idf = names[kept], idf[kept]
            meta[f"{block}_vocabulary"] = names.tolist()
            arrays[f"{block}_idf"] = idf
        self.meta_, self.arrays_ = meta, arrays
        self.featurizer_ = Featurizer.from_state(meta, arrays)
        return self

    def _common_words(self, lemma_texts: list[str], groups: list[str] | None) -> set[str]:
        share = self.settings.common_word_share
        if share is None or groups is None or len(set(groups)) < 2:
            return set()
        seen: dict[str, set[str]] = {}
        for text, group in zip(lemma_texts, groups):
            for word in set(text.split()):
                seen.setdefault(word, set()).add(group)
        n = len(set(groups))
        keep = set(self.stop_words or ())
        matcher = LexiconMatcher(self.lexicons) if self.lexicons else None
        return {word for word, found in seen.items() if len(found) >= share * n and word not in keep
                and not (matcher and any(matcher.hits(word).values()))}

    def transform(self, lemma_texts: list[str]) -> sp.csr_matrix:
        return self.featurizer_.transform(lemma_texts)[0]

    def fit_transform(self, lemma_texts: list[str], groups: list[str] | None = None) -> sp.csr_matrix:
        return self.fit(lemma_texts, groups).transform(lemma_texts)

    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON-able vocabularies and settings, arrays): what Featurizer.from_state rebuilds from."""
        return self.meta_, self.arrays_


def without(lemma_texts: list[str], words: set[str]) -> list[str]:
    """The texts with these words left out."""
    return [" ".join(w for w in text.split() if w not in words) for text in lemma_texts]
