"""Why a code was assigned: the paragraph's terms with the largest weight x value."""

from __future__ import annotations

from itertools import chain

import numpy as np
import scipy.sparse as sp

from classifier.inference.vectorize import Featurizer, Tokens, ranges


class Explainer:
    """Per code, the terms of a paragraph that pushed its score up most.

    Word n-grams count as themselves; character n-grams are credited to the words
    they occur in (shared equally), so evidence stays readable ("thuiswerkdag", not
    "uiswe"). Stop words count in the scores but are left out of the evidence: "niet"
    or "ik" tells a reader nothing. Ties go to the alphabetically first term.

    Works on a batch of paragraphs at once, with array operations over all of them;
    build one per model: it indexes the vocabulary once.
    """

    def __init__(self, featurizer: Featurizer, coef: np.ndarray):
        self.featurizer = featurizer
        self.coef = np.asarray(coef, dtype=np.float64)
        self._coef_t = np.ascontiguousarray(self.coef.T)  # feature x code, rows contiguous
        self.stop = set(featurizer.stop_words)
        # Evidence terms are strings: a word n-gram and a word credited with character
        # n-grams that is spelled the same are one term. The vocabulary's come first.
        words = featurizer.words
        names = words.names if words is not None else []
        # The number placeholder and stop words alone are no evidence a reader can use.
        usable = np.fromiter((not n.startswith("<") for n in names), dtype=bool, count=len(names))
        if words is not None:
            usable &= ~words.all_words_in(self.stop)
        kept = np.flatnonzero(usable)
        self.terms: list[str] = [names[i] for i in kept.tolist()]  # the vocabulary's n-grams are distinct
        self.term_ids: dict[str, int] = dict(zip(self.terms, range(len(self.terms))))
        self.word_term = np.full(len(names), -1, dtype=np.int64)
        self.word_term[kept] = np.arange(len(kept))
        self._fixed = len(self.terms)
        self._stored_terms = np.zeros(0, dtype=np.int64)  # per word in the n-gram word store: its term, or -1
        self._generation = -1

    def _term(self, name: str) -> int:
        found = self.term_ids.get(name)
        if found is None:
            found = self.term_ids[name] = len(self.terms)
            self.terms.append(name)
        return found

    def explain(self, lemma_texts: list[str], X: sp.csr_matrix, code_indices: list[list[int]], *,
                top: int, tokens: Tokens | None = None) -> list[dict[int, list[str]]]:
        """Per paragraph, {code index: up to `top` terms} for the codes listed for it.
        X is the paragraphs' feature matrix (canonical CSR) and `tokens` their words, as
        Featurizer.transform returns them."""
        n = len(lemma_texts)
        out: list[dict[int, list[str]]] = [{j: [] for j in codes} for codes in code_indices]
        wanted = np.zeros((n, self.coef.shape[0]), dtype=bool)
        wanted[np.repeat(np.arange(n), [len(codes) for codes in code_indices]),
               list(chain.from_iterable(code_indices))] = True
        if not wanted.any():
            return out
        if len(self.terms) > self._fixed + 200_000:  # forget words seen long ago
            for name in self.terms[self._fixed:]:
                del self.term_ids[name]
            del self.terms[self._fixed:]
            self._generation = -1
        active = wanted.any(axis=1)  # paragraphs without codes need no evidence
        entry_rows = np.repeat(np.arange(n), np.diff(X.indptr))  # the paragraph of each stored value
        rows_w, terms_w, contrib_w = self._word_part(X, entry_rows, active)
        rows_c, terms_c, contrib_c = self._char_part(lemma_texts, X, entry_rows, tokens, active)
        rows = np.concatenate([rows_w, rows_c])
        if not rows.size:
            return out
        terms = np.concatenate([terms_w, terms_c])
        contrib = np.vstack([contrib_w, contrib_c])
        # One score per (paragraph, term) and code; a term can get both a word n-gram's and
        # its character n-grams' contribution.
        keys, where = np.unique(rows * len(self.terms) + terms, return_inverse=True)
        where = where.ravel()
        rows, terms = keys // len(self.terms), keys % len(self.terms)
        for k in np.flatnonzero(wanted.any(axis=0)):
            scores = np.bincount(where, weights=contrib[:, k], minlength=len(keys))
            self._pick(out, k, rows, terms, scores, wanted[:, k], top)
        return out

    def _nothing(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, terms, contributions) of no evidence at all."""
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, self.coef.shape[0]))

    def _word_part(self, X, entry_rows, active):
        block = self.featurizer.slices.get("words")
        if block is None:
            return self._nothing()
        inside = (X.indices >= block.start) & (X.indices < block.stop) & active[entry_rows]
        rows, cols, values = entry_rows[inside], X.indices[inside], X.data[inside]
        terms = self.word_term[cols - block.start]
        keep = terms >= 0
        rows, cols, values, terms = rows[keep], cols[keep], values[keep], terms[keep]
        return rows, terms, self._coef_t[cols] * values[:, None]

    def _char_part(self, lemma_texts, X, entry_rows, tokens: Tokens | None, active):
        block, chars = self.featurizer.slices.get("chars"), self.featurizer.chars
        if block is None or chars is None:
            return self._nothing()
        if tokens is None or tokens.generation != chars.generation:
            tokens = chars.tokens(lemma_texts)
        terms = self._word_terms(tokens, chars)
        pairs = np.sort(tokens.rows * len(tokens.words) + tokens.which)
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # np.unique, without its slower hashing
        rows, which = pairs // len(tokens.words), pairs % len(tokens.words)
        keep = (terms[which] >= 0) & active[rows]
        rows, which = rows[keep], which[keep]
        if not rows.size:
            return self._nothing()
        width = X.shape[1]
        # Every (paragraph, word, n-gram of the word) once, n-grams in column order.
        ids = tokens.ids[which]
        lengths = chars.indptr[ids + 1] - chars.indptr[ids]
        pair = np.repeat(np.arange(len(rows)), lengths)
        cols = chars.indices[ranges(chars.indptr[ids], lengths)] + block.start
        keys = rows[pair] * width + cols
        # Each n-gram's weight x value is shared equally by the paragraph's words that contain
        # it: sorted, the entries of one (paragraph, n-gram) lie together, and their number
        # is how many words share it.
        order = np.argsort(keys)
        ordered = keys[order]
        first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        owners = np.diff(np.r_[first, len(ordered)])
        values = X.data[np.searchsorted(entry_rows * width + X.indices, ordered[first])]  # sorted: X is canonical
        share = np.empty(len(keys))
        share[order] = np.repeat(values / owners, owners)
        # Per (paragraph, word) and code: the sum of its n-grams' shares x weights, as one
        # sparse (pair x n-gram) @ dense (n-gram x code) product.
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        credit = sp.csr_matrix((share, cols, indptr), shape=(len(rows), width)) @ self._coef_t
        return rows, terms[which], credit

    def _word_terms(self, tokens: Tokens, chars) -> np.ndarray:
        """Per distinct word of the batch, its term id, or -1 where it cannot be evidence (a stop
        word, the number placeholder, no n-gram in the vocabulary). Kept per word in the store."""
        if self._generation != chars.generation:
            self._stored_terms = np.zeros(0, dtype=np.int64)
            self._generation = chars.generation
        if len(self._stored_terms) < chars.stored:
            grown = np.full(max(chars.stored, 2 * len(self._stored_terms)), -2, dtype=np.int64)
            grown[:len(self._stored_terms)] = self._stored_terms
            self._stored_terms = grown
        for k in np.flatnonzero(self._stored_terms[tokens.ids] == -2).tolist():
            word, i = tokens.words[k], tokens.ids[k]
            usable = chars.indptr[i + 1] > chars.indptr[i] and not word.startswith("<") and word not in self.stop
            self._stored_terms[i] = self._term(word) if usable else -1
        return self._stored_terms[tokens.ids]

    def _pick(self, out, k, rows, terms, scores, wanted, top):
        """The `top` highest positive scores of code k per paragraph, ties by name."""
        chosen = np.flatnonzero(wanted[rows] & (scores > 0))
        if not chosen.size:
            return
        order = np.lexsort((-scores[chosen], rows[chosen]))
        chosen = chosen[order]
        r, s = rows[chosen], scores[chosen]
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
        sizes = np.diff(np.r_[starts, len(r)])
        position = np.arange(len(r)) - np.repeat(starts, sizes)
        last = np.repeat(s[starts + np.minimum(sizes, top) - 1], sizes)
        # Beyond the first `top`, only terms tied with the last of them can still get in.
        keep = (position < top) | (s == last)
        r, s, names = r[keep], s[keep], terms[chosen[keep]]
        # A paragraph whose kept scores are all different is in order already; one with a tie
        # is sorted again, by name within equal scores.
        tie = np.zeros(len(r), dtype=bool)
        tie[1:] = (r[1:] == r[:-1]) & (s[1:] == s[:-1])
        tied_rows = set(r[tie].tolist())
        ends = np.flatnonzero(np.r_[r[1:] != r[:-1], True]) + 1
        begin = 0
        for row, end in zip(r[ends - 1].tolist(), ends.tolist()):
            if row in tied_rows:
                found = sorted(zip((-s[begin:end]).tolist(), (self.terms[t] for t in names[begin:end].tolist())))
                out[row][int(k)] = [name for _, name in found[:top]]
            else:
                out[row][int(k)] = [self.terms[t] for t in names[begin:min(end, begin + top)].tolist()]
            begin = end
