"""The multi-label classifier: feature blocks feeding one logistic regression per code,
with one decision threshold per code."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifier.config import DEFAULTS
from classifier.features import FeatureSet, FeatureSettings


class ParagraphClassifier:
    """Scikit-learn style: __init__ stores settings, fit returns self, learned state ends in _."""

    def __init__(self, codes: list[str], *, features: FeatureSettings = FeatureSettings(),
                 C: float = DEFAULTS.regularisation, class_weight: str | None = "balanced",
                 stop_words: list[str] | None = None, lexicons: dict[str, list[str]] | None = None,
                 seed: int = DEFAULTS.seed):
        self.codes = list(codes)
        self.features = features
        self.C = C
        self.class_weight = class_weight
        self.stop_words = stop_words
        self.lexicons = lexicons
        self.seed = seed

    def fit(self, lemma_texts: list[str], Y: np.ndarray) -> "ParagraphClassifier":
        Y = np.asarray(Y, dtype=int)
        self.features_ = FeatureSet(self.features, stop_words=self.stop_words, lexicons=self.lexicons)
        X = self.features_.fit_transform(lemma_texts)
        self.estimators_ = []
        for j, code in enumerate(self.codes):
            if len(np.unique(Y[:, j])) < 2:
                raise ValueError(f"code {code!r} needs both positive and negative examples to train")
            estimator = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                           random_state=self.seed, max_iter=1000)
            self.estimators_.append(estimator.fit(X, Y[:, j]))
        self.thresholds_ = np.full(len(self.codes), 0.5)
        return self

    def transform(self, lemma_texts: list[str]) -> sp.csr_matrix:
        return self.features_.transform(lemma_texts)

    def predict_proba(self, lemma_texts: list[str], X: sp.csr_matrix | None = None) -> np.ndarray:
        X = self.transform(lemma_texts) if X is None else X
        return np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators_])

    def predict(self, proba: np.ndarray) -> np.ndarray:
        return (proba >= self.thresholds_).astype(int)

    @property
    def coef_(self) -> np.ndarray:
        return np.vstack([e.coef_[0] for e in self.estimators_])

    @property
    def intercept_(self) -> np.ndarray:
        return np.array([e.intercept_[0] for e in self.estimators_])

    @classmethod
    def from_arrays(cls, codes: list[str], features: FeatureSet, coef: np.ndarray,
                    intercept: np.ndarray, thresholds: np.ndarray) -> "ParagraphClassifier":
        """Rebuild a fitted classifier from saved arrays (no pickle involved)."""
        model = cls(codes, features=features.settings)
        model.features_ = features
        model.estimators_ = []
        for j in range(len(codes)):
            estimator = LogisticRegression()
            estimator.classes_ = np.array([0, 1])
            estimator.coef_ = coef[j:j + 1].astype(np.float64)
            estimator.intercept_ = intercept[j:j + 1].astype(np.float64)
            estimator.n_features_in_ = coef.shape[1]
            model.estimators_.append(estimator)
        model.thresholds_ = np.asarray(thresholds, dtype=np.float64)
        return model
