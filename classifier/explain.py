"""Why a code was assigned: the paragraph's terms with the largest weight x value."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from classifier.model import ParagraphClassifier


class Explainer:
    """Per code, the terms of a paragraph that pushed its score up most.

    Word n-grams count as themselves; character n-grams are credited to the words
    they occur in (shared equally), so evidence stays readable ("thuiswerkdag", not
    "uiswe"). Stop words count in the scores but are left out of the evidence: "niet"
    or "ik" tells a reader nothing. Build one per model: it indexes the vocabulary once.
    """

    def __init__(self, model: ParagraphClassifier):
        features = model.features_
        self.slices = features.block_slices()
        self.word_names = np.array(features.word_names(), dtype=object)
        self.stop = set(features.stop_words or ())
        # The number placeholder and stop words alone are no evidence a reader can use.
        self.word_ok = np.array([not n.startswith("<") and not all(t in self.stop for t in n.split())
                                 for n in self.word_names], dtype=bool)
        self.char_index = {name: i for i, name in enumerate(features.char_names())}
        self.char_analyzer = features.chars.build_analyzer() if features.chars is not None else None
        self.coef = model.coef_
        self._columns: dict[str, list[int]] = {}

    def explain(self, lemma_text: str, cols: np.ndarray, values: np.ndarray, code_indices: list[int], *,
                top: int) -> dict[int, list[str]]:
        """{code index: up to `top` terms} for the given codes of one paragraph, whose feature row
        holds `values` at the sorted column indices `cols` (a CSR row's indices and data)."""
        if not code_indices:
            return {}
        coef = self.coef[code_indices]  # codes x features
        terms: list[str] = []
        contributions: list[np.ndarray] = []  # each: one value per code
        if "words" in self.slices:
            words = self.slices["words"]
            inside = (cols >= words.start) & (cols < words.stop)
            word_cols, word_values = cols[inside], values[inside]
            keep = self.word_ok[word_cols - words.start]
            word_cols, word_values = word_cols[keep], word_values[keep]
            terms += list(self.word_names[word_cols - words.start])
            contributions += list((coef[:, word_cols] * word_values).T)
        if "chars" in self.slices and self.char_analyzer is not None:
            terms_c, contrib_c = self._char_credit(lemma_text, cols, values, coef)
            terms += terms_c
            contributions += contrib_c
        if not terms:
            return {j: [] for j in code_indices}
        scores: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(code_indices)))
        for term, contribution in zip(terms, contributions):
            scores[term] = scores[term] + contribution
        names = list(scores)
        matrix = np.vstack([scores[n] for n in names])
        out = {}
        for k, j in enumerate(code_indices):
            order = sorted((i for i in range(len(names)) if matrix[i, k] > 0), key=lambda i: (-matrix[i, k], names[i]))
            out[j] = [names[i] for i in order[:top]]
        return out

    def _token_columns(self, token: str) -> list[int]:
        """Character n-gram columns of one word; cached, since words recur across paragraphs."""
        cached = self._columns.get(token)
        if cached is None:
            offset = self.slices["chars"].start
            found = {self.char_index.get(gram) for gram in self.char_analyzer(token)} - {None}
            cached = self._columns[token] = [col + offset for col in sorted(found)]
        return cached

    def _char_credit(self, lemma_text, cols, values, coef):
        value_of = dict(zip(cols.tolist(), values.tolist()))
        tokens, present = [], []
        for token in dict.fromkeys(lemma_text.split()):
            if token.startswith("<") or token in self.stop:
                continue
            mine = [c for c in self._token_columns(token) if c in value_of]
            if mine:
                tokens.append(token)
                present.append(mine)
        if not tokens:
            return [], []
        # Each present n-gram's contribution, shared equally among the words that contain it.
        owners = Counter(c for mine in present for c in mine)
        shared = list(owners)
        position = {c: i for i, c in enumerate(shared)}
        share = coef[:, shared] * np.array([value_of[c] / owners[c] for c in shared])
        word_of = np.fromiter((i for i, mine in enumerate(present) for _ in mine), dtype=np.int64)
        column = np.fromiter((position[c] for mine in present for c in mine), dtype=np.int64)
        per_word = np.vstack([np.bincount(word_of, weights=share[k, column], minlength=len(tokens))
                              for k in range(share.shape[0])])
        return tokens, list(per_word.T)
