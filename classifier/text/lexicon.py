"""Codebook lexicons: how often a paragraph's lemmas hit each code's indicator terms."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

from classifier.text.splitting import Words, split_words


class LexiconMatcher:
    """Counts, per code, how often the paragraph's lemmas hit that code's indicator terms.

    Terms are lemma sequences; a trailing or leading '*' matches inside compounds
    ("ontwikkel*" hits "ontwikkelgesprek").
    """

    def __init__(self, lexicons: dict[str, list[str]]):
        self.lexicons = {code: list(terms) for code, terms in lexicons.items()}
        self._patterns = {code: _compile(terms) for code, terms in self.lexicons.items()}
        # The same matching word by word, for hits_many: per code the terms in the order the
        # pattern tries them, and per first word of a term the (code, term) pairs it can start.
        self._terms = [[term.split() for term in _ordered(terms)] for terms in self.lexicons.values()]
        self._exact: dict[str, list[tuple[int, int]]] = {}
        self._wild: list[tuple[str, int, int]] = []
        for c, terms in enumerate(self._terms):
            for r, words in enumerate(terms):
                if words[0].startswith("*") or words[0].endswith("*"):
                    self._wild.append((words[0], c, r))
                else:
                    self._exact.setdefault(words[0], []).append((c, r))
        self._starts: dict[str, tuple[tuple[int, int], ...]] = {}
        # Quick tests that rule out most words before trying each wildcard term.
        self._wild_starts = tuple(w.strip("*") for w, _, _ in self._wild if not w.startswith("*"))
        self._wild_ends = tuple(w.strip("*") for w, _, _ in self._wild if not w.endswith("*"))
        self._wild_inside = any(w.startswith("*") and w.endswith("*") for w, _, _ in self._wild)

    @property
    def codes(self) -> list[str]:
        return list(self.lexicons)

    def hits(self, lemma_text: str) -> dict[str, list[str]]:
        return {
            code: [m.group(0) for m in pattern.finditer(lemma_text)] if pattern else []
            for code, pattern in self._patterns.items()
        }

    def hits_many(self, lemma_texts: list[str], words: Words | None = None) -> list[dict[str, list[str]]]:
        """hits() of each text, found word by word: one dictionary lookup per distinct word of the
        batch instead of a regular expression scan per code and text."""
        words = words or split_words(lemma_texts)
        codes = list(self.lexicons)
        found: list[dict[str, list[str]]] = [{code: [] for code in codes} for _ in lemma_texts]
        known = self._starts.get
        starts = [s if (s := known(w)) is not None else self._starts_of(w) for w in words.words]
        can_start = np.fromiter(map(bool, starts), dtype=bool, count=len(starts))
        positions = np.flatnonzero(can_start[words.which])
        irregular = [i for i, text in enumerate(lemma_texts) if not _single_spaced(text)]
        skip = set(irregular)
        current, free = -1, []
        for p, row, word in zip(positions.tolist(), words.rows[positions].tolist(), words.which[positions].tolist()):
            if row in skip:
                continue
            if row != current:
                current, free = row, [0] * len(codes)  # per code, where the text's next hit may start
            for c, r in starts[word]:
                if p < free[c]:
                    continue
                term = self._terms[c][r]
                end = p + len(term)
                if end <= len(words.which) and words.rows[end - 1] == row and all(
                        _word_matches(w, words.words[words.which[q]]) for w, q in zip(term[1:], range(p + 1, end))):
                    found[row][codes[c]].append(" ".join(words.words[words.which[q]] for q in range(p, end)))
                    free[c] = end
        for i in irregular:  # a hit's text keeps the spacing: leave those to the regular expressions
            found[i] = self.hits(lemma_texts[i])
        return found

    def _starts_of(self, token: str) -> tuple[tuple[int, int], ...]:
        """The (code, term) pairs whose first word matches `token`, in the order tried."""
        if len(self._starts) > 200_000:
            self._starts.clear()
        pairs = list(self._exact.get(token, ()))
        if token.startswith(self._wild_starts) or token.endswith(self._wild_ends) or self._wild_inside:
            pairs += [(c, r) for word, c, r in self._wild if _word_matches(word, token)]
        self._starts[token] = found = tuple(sorted(pairs))
        return found

    def transform(self, lemma_texts: list[str]) -> sp.csr_matrix:
        return self.matrix(self.hits_many(lemma_texts))

    def matrix(self, hits: list[dict[str, list[str]]]) -> sp.csr_matrix:
        """The feature block from hits already found: log(1 + hits) per code."""
        rows = [[len(found) for found in paragraph.values()] for paragraph in hits]
        counts = np.asarray(rows, dtype=np.float64).reshape(len(hits), len(self.lexicons))
        return sp.csr_matrix(np.log1p(counts))


def _single_spaced(text: str) -> bool:
    """Words separated by single spaces only? (isprintable is False for any other whitespace.)"""
    return "  " not in text and text[:1] != " " and text[-1:] != " " and text.isprintable()


def _ordered(terms: list[str]) -> list[str]:
    """Longest first: where two terms match at the same place, the longer one is the hit."""
    return [term for term in sorted(terms, key=len, reverse=True) if term.split()]


def _word_matches(word: str, token: str) -> bool:
    """Does one word of a term, with its '*' wildcards, match a whole token?"""
    body = word.strip("*")
    if word.startswith("*"):
        return body in token if word.endswith("*") else token.endswith(body)
    return token.startswith(body) if word.endswith("*") else token == body


def _compile(terms: list[str]) -> re.Pattern | None:
    alternatives = []
    for term in _ordered(terms):
        parts = []
        for word in term.split():
            body = re.escape(word.strip("*"))
            parts.append(("\\S*" if word.startswith("*") else "") + body + ("\\S*" if word.endswith("*") else ""))
        if parts:
            alternatives.append("\\s+".join(parts))
    if not alternatives:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)")
