"""Why a code was assigned: the paragraph's terms with the largest weight x value."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from classifier.model import ParagraphClassifier


class Explainer:
    """Per code, the terms of a paragraph that pushed its score up most.

    Word n-grams count as themselves; character n-grams are credited to the words
    they occur in, so evidence stays readable ("thuiswerkdag", not "uiswe").
    """

    def __init__(self, model: ParagraphClassifier):
        self.model = model
        features = model.features_
        self.slices = features.block_slices()
        self.word_names = np.array(features.word_names(), dtype=object)
        self.char_index = {name: i for i, name in enumerate(features.char_names())}
        self.char_analyzer = features.chars.build_analyzer() if features.chars is not None else None
        self.coef = model.coef_
        self.stop = set(features.stop_words or ())

    def explain(self, lemma_text: str, row: sp.csr_matrix, code_index: int, *, top: int) -> list[str]:
        scores: dict[str, float] = defaultdict(float)
        coef = self.coef[code_index]
        row = row.tocsr()
        values = dict(zip(row.indices, row.data))
        if "words" in self.slices:
            offset = self.slices["words"].start
            for col, value in values.items():
                if self.slices["words"].start <= col < self.slices["words"].stop:
                    scores[self.word_names[col - offset]] += value * coef[col]
        if "chars" in self.slices and self.char_analyzer is not None:
            offset = self.slices["chars"].start
            tokens = [t for t in set(lemma_text.split()) if not t.startswith("<") and t not in self.stop]
            owners: dict[int, list[str]] = defaultdict(list)
            for token in tokens:
                for gram in set(self.char_analyzer(token)):
                    col = self.char_index.get(gram)
                    if col is not None:
                        owners[col + offset].append(token)
            for col, words in owners.items():
                share = values.get(col, 0.0) * coef[col] / len(words)
                for word in words:
                    scores[word] += share
        ranked = sorted((s, term) for term, s in scores.items() if s > 0)
        return [term for s, term in sorted(ranked, key=lambda x: (-x[0], x[1]))[:top]]
