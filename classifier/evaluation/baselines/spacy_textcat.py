"""spaCy's own multi-label text classifier, as a baseline for the quality benchmark.

Trained with spaCy's API on raw text (spacy.blank("nl") and `textcat_multilabel`), the
way a researcher who knows spaCy would: the bag-of-words architecture (TextCatBOW.v3)
or spaCy's default ensemble (bag of words plus a CNN over hashed embeddings). The
model is not part of the tool; it exists to be measured against.
"""

from __future__ import annotations

import random

import numpy as np
import spacy
from spacy.training import Example
from spacy.training.batchers import minibatch_by_words
from spacy.util import fix_random_seed

ARCHITECTURES = ("bow", "ensemble")
BOW = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 1,
       "no_output_layer": False, "length": 262144}


class SpacyTextcat:
    """fit on texts and a label matrix for a fixed number of epochs, then predict_proba.

    `fit_watching` also returns the probabilities for held-out texts after every epoch,
    so the number of epochs can be chosen on held-out data without training twice.
    """

    def __init__(self, codes: list[str], *, architecture: str = "bow", epochs: int = 10,
                 dropout: float = 0.1, batch_words: int = 1000, seed: int = 0):
        if architecture not in ARCHITECTURES:
            raise ValueError(f"unknown architecture {architecture!r}; choose from {ARCHITECTURES}")
        self.codes = list(codes)
        self.architecture = architecture
        self.epochs = epochs
        self.dropout = dropout
        self.batch_words = batch_words
        self.seed = seed

    def fit(self, texts: list[str], Y: np.ndarray) -> "SpacyTextcat":
        self.fit_watching(texts, Y, [])
        return self

    def fit_watching(self, texts: list[str], Y: np.ndarray, watch: list[str]) -> list[np.ndarray]:
        """Train; after each epoch, the probabilities for `watch` (one array per epoch)."""
        fix_random_seed(self.seed)
        config = {"model": BOW} if self.architecture == "bow" else {}
        self.nlp_ = spacy.blank("nl")
        textcat = self.nlp_.add_pipe("textcat_multilabel", config=config)
        for code in self.codes:
            textcat.add_label(code)
        examples = [Example.from_dict(self.nlp_.make_doc(text), {"cats": self._cats(row)})
                    for text, row in zip(texts, np.asarray(Y))]
        optimizer = self.nlp_.initialize(lambda: examples)
        rng = random.Random(self.seed)
        history = []
        for _ in range(self.epochs):
            rng.shuffle(examples)
            # Batches of about 1000 words: the ceiling of spaCy's default batch schedule.
            for batch in minibatch_by_words(examples, size=self.batch_words):
                self.nlp_.update(batch, sgd=optimizer, drop=self.dropout)
            if watch:
                history.append(self.predict_proba(watch))
        return history

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        docs = self.nlp_.pipe(texts, batch_size=256)
        return np.array([[doc.cats[code] for code in self.codes] for doc in docs],
                        dtype=float).reshape(len(texts), len(self.codes))

    def _cats(self, row: np.ndarray) -> dict[str, float]:
        return {code: float(value) for code, value in zip(self.codes, row)}
