"""The multi-label classifier: feature blocks feeding one linear model per code (logistic
regression, or a linear SVM with Platt scaling), with one decision threshold per code.

Either way each code ends as weights and an intercept read through a sigmoid, so every
variant is saved, explained and loaded the same way."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from classifier.config import DEFAULTS
from classifier.training.calibration import fit_platt_scores
from classifier.training.features import FeatureSet, FeatureSettings

ESTIMATORS = ("logreg", "svm")


class ParagraphClassifier:
    """Scikit-learn style: __init__ stores settings, fit returns self, learned state ends in _."""

    def __init__(self, codes: list[str], *, features: FeatureSettings = FeatureSettings(),
                 C: float = DEFAULTS.regularisation, class_weight: str | None = "balanced",
                 stop_words: list[str] | None = None, lexicons: dict[str, list[str]] | None = None,
                 estimator: str = "logreg", seed: int = DEFAULTS.seed):
        if estimator not in ESTIMATORS:
            raise ValueError(f"unknown estimator {estimator!r}; choose from {ESTIMATORS}")
        self.codes = list(codes)
        self.features = features
        self.C = C
        self.class_weight = class_weight
        self.stop_words = stop_words
        self.lexicons = lexicons
        self.estimator = estimator
        self.seed = seed

    def fit(self, lemma_texts: list[str], Y: np.ndarray) -> "ParagraphClassifier":
        Y = np.asarray(Y, dtype=int)
        self.features_ = FeatureSet(self.features, stop_words=self.stop_words, lexicons=self.lexicons)
        X = self.features_.fit_transform(lemma_texts)
        self.estimators_ = []
        for j, code in enumerate(self.codes):
            if len(np.unique(Y[:, j])) < 2:
                raise ValueError(f"code {code!r} needs both positive and negative examples to train")
            self.estimators_.append(self._fit_code(X, Y[:, j]))
        self.thresholds_ = np.full(len(self.codes), 0.5)
        return self

    def _fit_code(self, X: sp.csr_matrix, y: np.ndarray) -> LogisticRegression:
        if self.estimator == "logreg":
            # More features than paragraphs: liblinear's dual solver reaches the same weights
            # about ten times faster than the primal one.
            return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                      dual=True, random_state=self.seed, max_iter=1000).fit(X, y)
        # SVM margins are no probabilities: Platt scaling fitted on 3-fold cross-validated
        # margins turns them into some, and sigmoid(a * margin + b) is again a linear model.
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.seed, max_iter=5000)
        folds = StratifiedKFold(3, shuffle=True, random_state=self.seed)
        margins = cross_val_predict(svm, X, y, cv=folds, method="decision_function")
        a, b = fit_platt_scores(y, margins)
        svm.fit(X, y)
        return linear_estimator(a * svm.coef_, a * svm.intercept_ + b)

    def calibrate(self, params: np.ndarray) -> "ParagraphClassifier":
        """Fold per-code Platt maps (rows of a, b applied to the logit) into the weights."""
        self.estimators_ = [linear_estimator(a * e.coef_, a * e.intercept_ + b)
                            for e, (a, b) in zip(self.estimators_, params)]
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
        model.estimators_ = [linear_estimator(coef[j:j + 1], intercept[j:j + 1]) for j in range(len(codes))]
        model.thresholds_ = np.asarray(thresholds, dtype=np.float64)
        return model


def linear_estimator(coef: np.ndarray, intercept: np.ndarray) -> LogisticRegression:
    """A fitted-looking LogisticRegression with the given weights: predict_proba is
    sigmoid(X @ coef.T + intercept)."""
    estimator = LogisticRegression()
    estimator.classes_ = np.array([0, 1])
    estimator.coef_ = np.asarray(coef, dtype=np.float64).reshape(1, -1)
    estimator.intercept_ = np.asarray(intercept, dtype=np.float64).reshape(1)
    estimator.n_features_in_ = estimator.coef_.shape[1]
    return estimator
