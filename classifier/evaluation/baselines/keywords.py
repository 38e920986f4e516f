"""Keyword auto-coding: what text-search autocoding in NVivo, ATLAS.ti or MAXQDA gives.

A paragraph gets a code when its lemmas contain one of that code's lexicon terms from the
codebook, matched exactly as the model's lexicon feature block matches them. It learns
nothing, so it is the baseline a researcher has without this tool.
"""

from __future__ import annotations

import numpy as np

from classifier.text.lexicon import LexiconMatcher


class KeywordCoder:
    """Same interface as the trained models; `fit` only checks the lexicon covers the codes."""

    def __init__(self, codes: list[str], lexicons: dict[str, list[str]]):
        self.codes = list(codes)
        self.lexicons = lexicons

    def fit(self, lemma_texts: list[str] | None = None, Y: np.ndarray | None = None) -> "KeywordCoder":
        self.matcher_ = LexiconMatcher({code: self.lexicons.get(code, []) for code in self.codes})
        return self

    def predict_proba(self, lemma_texts: list[str]) -> np.ndarray:
        """1.0 where a code's keyword occurs, else 0.0: a hard decision, not a probability."""
        counts = self.matcher_.transform(lemma_texts).toarray()
        return (counts > 0).astype(float)
