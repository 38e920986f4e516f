"""Training: lemmatise the corpus, cross-validate by transcript, tune thresholds, fit, save."""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable

import numpy as np
from joblib import Parallel, delayed
from spacy.language import Language

from classifier import __version__
from classifier.config import DEFAULTS
from classifier.data.codebook import Codebook
from classifier.data.corpus import data_hash, label_matrix, load_corpus, load_splits
from classifier.data.records import Paragraph, text_fingerprints
from classifier.errors import CorpusError
from classifier.evaluation.metrics import score
from classifier.inference.persistence import save_model
from classifier.loop.corrections import merge_corrections
from classifier.text.preprocess import (
    lemma_string,
    lemmatise,
    load_pipeline,
    pipeline_info,
    stop_words,
)
from classifier.training.calibration import cross_fitted_platt, fit_platt_per_code
from classifier.training.features import FeatureSettings
from classifier.training.folds import grouped_folds
from classifier.training.model import ParagraphClassifier
from classifier.training.thresholds import tune_thresholds

MIN_POSITIVES = 3
CALIBRATIONS = (None, "platt")


@dataclass(frozen=True)
class TrainSettings:
    features: FeatureSettings = field(default_factory=FeatureSettings)
    C: float = DEFAULTS.regularisation
    class_weight: str | None = "balanced"
    estimator: str = "logreg"
    # Balanced class weights help F1 but push scores up (a paragraph scored 0.7 carried the
    # code about half the time); Platt scaling on out-of-fold scores repairs that at no cost
    # in F1 (scripts/results/quality.md: mean calibration error 0.064 -> 0.017 cross-validated).
    calibration: str | None = "platt"
    cv_folds: int = DEFAULTS.cv_folds
    seed: int = DEFAULTS.seed
    # How much one of an analyst's corrected paragraphs weighs against one corpus paragraph
    # (chosen with the register protocol: hnw-classifier adaptation-curve).
    correction_weight: float = 3.0

    def __post_init__(self):
        if self.calibration not in CALIBRATIONS:
            raise ValueError(f"unknown calibration {self.calibration!r}; choose from {CALIBRATIONS}")


def lemmatise_lexicons(codebook: Codebook, nlp) -> dict[str, list[str]]:
    """Run the codebook's indicator terms through the same pipeline as the text.
    Terms with a '*' wildcard are kept as written."""
    lexicons = {}
    for code in codebook.codes:
        terms = []
        for term in code.lexicon:
            terms.append(term if "*" in term else lemma_string(nlp(term)))
        lexicons[code.id] = [t for t in dict.fromkeys(terms) if t]
    return lexicons


def make_classifier(codes: list[str], settings: TrainSettings, *, stop: list[str] | None,
                    lexicons: dict[str, list[str]]) -> ParagraphClassifier:
    return ParagraphClassifier(codes, features=settings.features, C=settings.C,
                               class_weight=settings.class_weight, stop_words=stop,
                               lexicons=lexicons, estimator=settings.estimator, seed=settings.seed)


@dataclass
class CrossValidation:
    """Out-of-fold probabilities (calibrated when asked), the thresholds tuned on them,
    and the calibration map for the final model (None without calibration)."""

    proba: np.ndarray
    thresholds: np.ndarray
    calibration: np.ndarray | None
    folds: list
    thresholds_recall: np.ndarray | None = None  # F2-best: the preset for pre-coding that favours recall


def cross_validate(lemmas: list[str], Y: np.ndarray, groups: list[str], factory, *,
                   settings: TrainSettings, n_jobs: int = 1, weights: np.ndarray | None = None) -> CrossValidation:
    """Everything the final model takes from cross-validation by transcript: no paragraph's
    probability, threshold or calibration comes from a model that saw its transcript."""
    folds = grouped_folds(groups, Y, n_splits=settings.cv_folds, seed=settings.seed)
    proba = out_of_fold_proba(lemmas, Y, folds, factory, groups=groups, weights=weights, n_jobs=n_jobs)
    params = None
    if settings.calibration == "platt":
        params = fit_platt_per_code(Y, proba)
        proba = cross_fitted_platt(Y, proba, folds)
    return CrossValidation(proba, tune_thresholds(Y, proba), params, folds, tune_thresholds(Y, proba, beta=2.0))


def fit_final(lemmas: list[str], Y: np.ndarray, factory, cv: CrossValidation, *, groups: list[str],
              weights: np.ndarray | None = None) -> ParagraphClassifier:
    """The model on all paragraphs, with the cross-validated calibration and thresholds."""
    model = factory().fit(lemmas, Y, groups=groups, sample_weight=weights)
    if cv.calibration is not None:
        model.calibrate(cv.calibration)
    model.thresholds_ = cv.thresholds
    model.thresholds_recall_ = cv.thresholds if cv.thresholds_recall is None else cv.thresholds_recall
    return model


def out_of_fold_proba(lemmas: list[str], Y: np.ndarray, folds: list, factory, *, groups: list[str],
                      weights: np.ndarray | None = None, n_jobs: int = 1) -> np.ndarray:
    """Probabilities for every paragraph from a model that never saw its transcript."""
    def run(train_idx, test_idx):
        model = factory().fit([lemmas[i] for i in train_idx], Y[train_idx], groups=[groups[i] for i in train_idx],
                              sample_weight=None if weights is None else weights[train_idx])
        return test_idx, model.predict_proba([lemmas[i] for i in test_idx])

    proba = np.zeros(Y.shape, dtype=float)
    for test_idx, fold_proba in Parallel(n_jobs=n_jobs)(delayed(run)(tr, te) for tr, te in folds):
        proba[test_idx] = fold_proba
    return proba


def check_label_counts(Y: np.ndarray, codes: list[str]) -> None:
    for j, code in enumerate(codes):
        positives = int(Y[:, j].sum())
        if positives < MIN_POSITIVES or len(Y) - positives < MIN_POSITIVES:
            raise CorpusError(f"code {code!r} has {positives} positive and {len(Y) - positives} negative "
                              f"paragraphs; training needs at least {MIN_POSITIVES} of each")


@dataclass
class Prepared:
    """What cross-validation and fitting need: lemmas, label matrix, transcript groups, a model factory."""

    lemmas: list[str]
    Y: np.ndarray
    groups: list[str]
    factory: Callable[[], ParagraphClassifier]
    nlp: Language


def prepare(records: list[Paragraph], *, codebook: Codebook, spacy_model: str | None,
            settings: TrainSettings, lemma_cache: dict[str, str] | None = None) -> Prepared:
    """Lemmas, labels, groups and a model factory. `lemma_cache` (text -> lemmas) spares
    lemmatising the same texts again when one process trains many models."""
    codes = codebook.ids
    Y = label_matrix(records, codes)
    check_label_counts(Y, codes)
    nlp = load_pipeline(spacy_model)
    if lemma_cache is None:
        lemmas = lemmatise([r.text for r in records], nlp)
    else:
        new = [text for text in dict.fromkeys(r.text for r in records) if text not in lemma_cache]
        lemma_cache.update(zip(new, lemmatise(new, nlp)))
        lemmas = [lemma_cache[r.text] for r in records]
    lexicons = lemmatise_lexicons(codebook, nlp)
    stop = stop_words(nlp)

    def factory():
        return make_classifier(codes, settings, stop=stop, lexicons=lexicons)

    return Prepared(lemmas, Y, [r.transcript for r in records], factory, nlp)


def cross_validated(prepared: Prepared, settings: TrainSettings, *, n_jobs: int = 1) -> np.ndarray:
    """Out-of-fold probabilities without calibration, as the audit ranks them: on planted
    label errors (tests/test_audit.py) calibrated ones ranked them lower (median 31 of 81
    suspects against 14 of 91)."""
    return cross_validate(prepared.lemmas, prepared.Y, prepared.groups, prepared.factory,
                          settings=replace(settings, calibration=None), n_jobs=n_jobs).proba


def training_records(corpus: list[str | Path], *, codes: list[str], split: str,
                     correction_sets: list[str | Path] = ()) -> tuple[list[Paragraph], dict | None]:
    """The corpus with the correction sets applied; the second value describes the corrections
    (with "keys": the corrected paragraphs' keys)."""
    records = load_corpus(list(corpus), codes=codes, split=split)
    if not correction_sets:
        return records, None
    corrections = load_corpus(list(correction_sets), codes=codes, split="all")
    skip = held_out_transcripts(corpus) if split == "train" else set()
    merged, info = merge_corrections(records, corrections, sets=[str(p) for p in correction_sets],
                                     skip_transcripts=skip)
    return merged, {**info.as_dict(), "keys": info.keys}


def held_out_transcripts(corpus: list[str | Path]) -> set[str]:
    return {t for p in corpus if Path(p).is_dir() for t in (load_splits(Path(p)) or {}).get("test", [])}


@dataclass
class Fitted:
    """A trained model in memory, with what its card reports."""

    model: ParagraphClassifier
    cv: CrossValidation
    prepared: Prepared
    weights: np.ndarray | None  # per paragraph; None when all weigh the same


def fit_model(records: list[Paragraph], *, codebook: Codebook, spacy_model: str | None = None,
              settings: TrainSettings = TrainSettings(), corrected: set[str] = frozenset(), n_jobs: int = 1,
              lemma_cache: dict[str, str] | None = None) -> Fitted:
    """Cross-validate by transcript, then fit the final model. Paragraphs whose key is in
    `corrected` (an analyst's corrections) weigh settings.correction_weight times a corpus
    paragraph, in cross-validation and in the final fit alike."""
    prepared = prepare(records, codebook=codebook, spacy_model=spacy_model, settings=settings,
                       lemma_cache=lemma_cache)
    weights = None
    if corrected and settings.correction_weight != 1.0:
        weights = np.array([settings.correction_weight if r.key in corrected else 1.0 for r in records])
    cv = cross_validate(prepared.lemmas, prepared.Y, prepared.groups, prepared.factory, settings=settings,
                        n_jobs=n_jobs, weights=weights)
    model = fit_final(prepared.lemmas, prepared.Y, prepared.factory, cv, groups=prepared.groups, weights=weights)
    # So that evaluate and compare can say when they score paragraphs the model has seen.
    model.training_texts_ = np.unique(text_fingerprints([r.text for r in records]))
    return Fitted(model, cv, prepared, weights)


def train(corpus: list[str | Path], *, codebook: Codebook, out_dir: str | Path,
          spacy_model: str | None = None, split: str = "train", settings: TrainSettings = TrainSettings(),
          n_jobs: int = 1, extra_sets: list[str | Path] = (), records: list[Paragraph] | None = None) -> dict:
    """Train and save a model; returns its card (with cross-validated metrics).

    `extra_sets` are correction sets (written by import-corrections): a correction
    replaces the corpus record of the same paragraph, or is added to the corpus, and
    weighs settings.correction_weight times a corpus paragraph.
    """
    codes = codebook.ids
    corrections = None
    if records is None:
        records, corrections = training_records(corpus, codes=codes, split=split, correction_sets=extra_sets)
    corrected = set(corrections.pop("keys")) if corrections else set()
    if corrections:
        corrections["weight"] = settings.correction_weight
    fitted = fit_model(records, codebook=codebook, spacy_model=spacy_model, settings=settings, corrected=corrected,
                       n_jobs=n_jobs)
    model, cv, prepared = fitted.model, fitted.cv, fitted.prepared
    Y, groups, nlp = prepared.Y, prepared.groups, prepared.nlp
    cv_metrics = score(Y, (cv.proba >= cv.thresholds).astype(int), codes, proba=cv.proba)
    card = {
        "name": Path(out_dir).name,
        "tool_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "codebook": codebook.to_dict(),
        "spacy_pipeline": pipeline_info(nlp),
        "training_data": {
            "sources": sorted({str(p) for p in list(corpus) + list(extra_sets)}),
            "split": split,
            "sha256": data_hash(records),
            "paragraphs": len(records),
            "transcripts": len(set(groups)),
            "positives": {c: int(Y[:, j].sum()) for j, c in enumerate(codes)},
            "corrections": corrections,
        },
        "settings": _settings_dict(settings),
        "threshold_method": (f"per code, the F1-maximising value on a 0.05-0.95 grid over out-of-fold "
                             f"{'calibrated ' if settings.calibration else ''}probabilities from "
                             f"{settings.cv_folds}-fold cross-validation grouped by transcript; "
                             "never on held-out test data. The recall preset (annotate --thresholds recall) "
                             "maximises F2 on the same scores instead"),
        "calibration_method": _calibration_method(settings),
        "cross_validation": cv_metrics,
        "versions": _versions(),
    }
    save_model(model, card, out_dir)
    return card


def _calibration_method(settings: TrainSettings) -> str:
    if settings.estimator == "svm":
        return ("per code, Platt scaling of the SVM margins fitted on 3 inner cross-validation folds"
                + ("; then Platt scaling on the out-of-fold probabilities" if settings.calibration else ""))
    if settings.calibration == "platt":
        return ("per code, Platt scaling (a logistic map of the score) fitted on the out-of-fold "
                "probabilities and folded into the weights; the cross-validated scores use maps "
                "fitted on the other folds only")
    return "none: the scores are the logistic regression's own probabilities"


def _settings_dict(settings: TrainSettings) -> dict:
    data = asdict(settings)
    data["features"] = {k: list(v) if isinstance(v, tuple) else v for k, v in data["features"].items()}
    return data


def _versions() -> dict:
    packages = ("scikit-learn", "spacy", "numpy", "scipy", "spacy-lookups-data")
    return {"python": platform.python_version(), **{p: metadata.version(p) for p in packages}}
