"""Defaults in one place. Commands and library functions take overrides as arguments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classifier.shipped import DEFAULT_MODEL, repository_corpus, shipped


@dataclass(frozen=True)
class Defaults:
    """Settings shared by training, evaluation and annotation. Feature settings live in
    training.features.FeatureSettings, training settings in training.train.TrainSettings."""

    spacy_model: str = "nl_core_news_sm"
    model: str = DEFAULT_MODEL  # a shipped model's name, or a model directory
    corpus_dir: Path = repository_corpus()
    codebook: Path = shipped("corpus", "codebook.yaml")
    batch_size: int = 256
    cv_folds: int = 5
    regularisation: float = 4.0
    evidence_terms: int = 5
    uncertain_margin: float = 0.1  # review pages: a probability this close to its threshold is uncertain
    report_errors: int = 5  # evaluation report: most confident errors shown per code and kind
    seed: int = 13


DEFAULTS = Defaults()
