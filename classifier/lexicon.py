"""Codebook lexicons: how often a paragraph's lemmas hit each code's indicator terms."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp


class LexiconMatcher:
    """Counts, per code, how often the paragraph's lemmas hit that code's indicator terms.

    Terms are lemma sequences; a trailing or leading '*' matches inside compounds
    ("ontwikkel*" hits "ontwikkelgesprek").
    """

    def __init__(self, lexicons: dict[str, list[str]]):
        self.lexicons = {code: list(terms) for code, terms in lexicons.items()}
        self._patterns = {code: _compile(terms) for code, terms in self.lexicons.items()}

    @property
    def codes(self) -> list[str]:
        return list(self.lexicons)

    def hits(self, lemma_text: str) -> dict[str, list[str]]:
        return {
            code: [m.group(0) for m in pattern.finditer(lemma_text)] if pattern else []
            for code, pattern in self._patterns.items()
        }

    def transform(self, lemma_texts: list[str]) -> sp.csr_matrix:
        return self.matrix([self.hits(text) for text in lemma_texts])

    def matrix(self, hits: list[dict[str, list[str]]]) -> sp.csr_matrix:
        """The feature block from hits already found: log(1 + hits) per code."""
        rows = [[len(found) for found in paragraph.values()] for paragraph in hits]
        counts = np.asarray(rows, dtype=np.float64).reshape(len(hits), len(self.lexicons))
        return sp.csr_matrix(np.log1p(counts))


def _compile(terms: list[str]) -> re.Pattern | None:
    alternatives = []
    for term in sorted(terms, key=len, reverse=True):
        parts = []
        for word in term.split():
            body = re.escape(word.strip("*"))
            parts.append(("\\S*" if word.startswith("*") else "") + body + ("\\S*" if word.endswith("*") else ""))
        if parts:
            alternatives.append("\\s+".join(parts))
    if not alternatives:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)")
