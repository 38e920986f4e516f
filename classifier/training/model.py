"""The multi-label classifier: feature blocks feeding one linear model per code (logistic
regression, or a linear SVM with Platt scaling), with one decision threshold per code.

Either way each code ends as weights and an intercept read through a sigmoid, so every
variant is saved, explained and scored the same way: by the Scorer that annotation uses."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from classifier.config import DEFAULTS
from classifier.inference.scoring import Scorer
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

    def fit(self, lemma_texts: list[str], Y: np.ndarray, *, groups: list[str] | None = None,
            sample_weight: np.ndarray | None = None) -> "ParagraphClassifier":
        """`groups` names each paragraph's transcript (for FeatureSettings.common_word_share);
        `sample_weight` weighs paragraphs (an analyst's corrections more than the corpus)."""
        Y = np.asarray(Y, dtype=int)
        self.features_ = FeatureSet(self.features, stop_words=self.stop_words, lexicons=self.lexicons)
        X = self.features_.fit_transform(lemma_texts, groups)
        weights = []
        for j, code in enumerate(self.codes):
            if len(np.unique(Y[:, j])) < 2:
                raise ValueError(f"code {code!r} needs both positive and negative examples to train")
            weights.append(self._fit_code(X, Y[:, j], sample_weight))
        self.coef_ = np.vstack([coef for coef, _ in weights])
        self.intercept_ = np.array([intercept for _, intercept in weights], dtype=np.float64)
        self.thresholds_ = np.full(len(self.codes), 0.5)
        return self

    def _fit_code(self, X: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray | None) -> tuple[np.ndarray, float]:
        """(weights, intercept) of one code."""
        if self.estimator == "logreg":
            # More features than paragraphs: liblinear's dual solver reaches the same weights
            # about ten times faster than the primal one.
            fitted = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                        dual=True, random_state=self.seed, max_iter=1000).fit(X, y, sample_weight)
            return fitted.coef_[0], float(fitted.intercept_[0])
        # SVM margins are no probabilities: Platt scaling fitted on 3-fold cross-validated
        # margins turns them into some, and sigmoid(a * margin + b) is again a linear model.
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.seed, max_iter=5000)
        folds = StratifiedKFold(3, shuffle=True, random_state=self.seed)
        margins = cross_val_predict(svm, X, y, cv=folds, method="decision_function",
                                    params={"sample_weight": sample_weight} if sample_weight is not None else None)
        a, b = fit_platt_scores(y, margins)
        svm.fit(X, y, sample_weight)
        return a * svm.coef_[0], float(a * svm.intercept_[0] + b)

    def calibrate(self, params: np.ndarray) -> "ParagraphClassifier":
        """Fold per-code Platt maps (rows of a, b applied to the logit) into the weights."""
        params = np.asarray(params, dtype=np.float64).reshape(-1, 2)
        self.coef_ = self.coef_ * params[:, :1]
        self.intercept_ = self.intercept_ * params[:, 0] + params[:, 1]
        return self

    @property
    def scorer(self) -> Scorer:
        """The fitted model as annotation scores it: features, probabilities, decisions, evidence."""
        return Scorer(self.features_.featurizer_, self.codes, self.coef_, self.intercept_, self.thresholds_)

    def predict_proba(self, lemma_texts: list[str]) -> np.ndarray:
        return self.scorer.score(lemma_texts).proba

    def predict(self, proba: np.ndarray) -> np.ndarray:
        return (proba >= self.thresholds_).astype(int)
