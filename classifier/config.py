"""Defaults in one place. Commands and library functions take overrides as arguments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Defaults:
    """Settings shared by training, evaluation and annotation."""

    spacy_model: str = "nl_core_news_sm"
    model_dir: Path = PACKAGE_ROOT / "models" / "default"
    corpus_dir: Path = PACKAGE_ROOT / "corpus"
    codebook: Path = PACKAGE_ROOT / "corpus" / "codebook.yaml"
    batch_size: int = 256
    cv_folds: int = 5
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    min_df: int = 2
    regularisation: float = 4.0
    evidence_terms: int = 5
    uncertain_margin: float = 0.1  # review pages: a probability this close to its threshold is uncertain
    report_errors: int = 5  # evaluation report: most confident errors shown per code and kind
    seed: int = 13


DEFAULTS = Defaults()
