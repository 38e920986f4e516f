"""Scoring paragraphs with a saved model: features, probabilities, decisions, evidence.

Everything annotation needs at run time, in numpy and scipy only: a model directory is
turned into a Scorer without building any scikit-learn object.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from classifier.inference.explain import Explainer
from classifier.inference.vectorize import Featurizer, Tokens


@dataclass
class Scores:
    X: sp.csr_matrix  # paragraphs x features
    proba: np.ndarray  # paragraphs x codes
    decided: np.ndarray  # paragraphs x codes, bool
    hits: list[dict[str, list[str]]]  # per paragraph, lexicon hits per code
    tokens: Tokens | None  # the paragraphs' words, for the explainer


class Scorer:
    """sigmoid(X @ coef.T + intercept) per code, decided against each code's threshold: the
    same numbers ParagraphClassifier.predict_proba gives."""

    def __init__(self, featurizer: Featurizer, codes: list[str], coef: np.ndarray, intercept: np.ndarray,
                 thresholds: np.ndarray):
        self.featurizer = featurizer
        self.codes = list(codes)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        if self.coef.shape != (len(self.codes), featurizer.size):
            raise ValueError(f"weights of shape {self.coef.shape} do not fit {len(self.codes)} codes "
                             f"and {featurizer.size} features")

    @classmethod
    def from_state(cls, codes: list[str], meta: dict, arrays: dict[str, np.ndarray]) -> "Scorer":
        return cls(Featurizer.from_state(meta, arrays), codes, arrays["coef"], arrays["intercept"],
                   arrays["thresholds"])

    @cached_property
    def explainer(self) -> Explainer:
        return Explainer(self.featurizer, self.coef)

    def score(self, lemma_texts: list[str]) -> Scores:
        X, hits, tokens = self.featurizer.transform(lemma_texts)
        proba = expit(np.asarray(X @ self.coef.T) + self.intercept)
        return Scores(X, proba, proba >= self.thresholds, hits, tokens)
