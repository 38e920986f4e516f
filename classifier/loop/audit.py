"""Labelled paragraphs whose given codes look wrong, most suspicious first.

Every paragraph gets probabilities from a model that never saw its transcript
(cross-validation grouped by transcript, as in training). cleanlab's multi-label
confident learning then flags the paragraphs whose given labels those probabilities
confidently contradict, using per-code confidence thresholds learnt from the data
itself rather than a fixed cut-off, and ranks them by label quality.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifier.data.codebook import Codebook
from classifier.data.records import Paragraph
from classifier.extras import require
from classifier.training.thresholds import tune_thresholds
from classifier.training.train import (
    TrainSettings,
    cross_validated,
    prepare,
    training_records,
)

AUDIT_SOURCE = "audit: given labels, cross-validated probabilities"


@dataclass
class Suspect:
    paragraph: Paragraph
    quality: float  # cleanlab's label quality score: 0 surely wrong, 1 surely right
    doubts: list[tuple[str, int, float]]  # (code, given 0/1, cross-validated probability)
    proba: dict[str, float]  # cross-validated probability per code

    def review_record(self) -> dict:
        """As a review file row: the given labels are the codes to check, so an import records what changed."""
        p = self.paragraph
        return {"id": p.id, "transcript": p.transcript, "index": p.index, "speaker": p.speaker, "text": p.text,
                "codes": list(p.labels or []), "scores": self.proba, "model": AUDIT_SOURCE}


def doubted_codes(given: np.ndarray, proba: np.ndarray, thresholds: np.ndarray, codes: list[str]
                  ) -> list[tuple[str, int, float]]:
    """Codes whose given value the probability contradicts (other side of the threshold),
    largest contradiction first; at least the single largest one."""
    gap = np.abs(given - proba)
    crossed = [j for j in np.argsort(-gap, kind="stable") if (proba[j] >= thresholds[j]) != bool(given[j])]
    chosen = crossed or [int(np.argmax(gap))]
    return [(codes[j], int(given[j]), round(float(proba[j]), 4)) for j in chosen]


def audit(corpus: list[str | Path], *, codebook: Codebook, spacy_model: str | None = None, split: str = "all",
          correction_sets: list[str | Path] = (), settings: TrainSettings = TrainSettings(),
          n_jobs: int = 1) -> tuple[list[Suspect], int, int]:
    """Suspects, most suspicious first, and the numbers of paragraphs and transcripts audited."""
    find_label_issues = require("cleanlab.multilabel_classification.filter", "audit").find_label_issues
    get_label_quality_scores = require("cleanlab.multilabel_classification.rank", "audit").get_label_quality_scores

    codes = codebook.ids
    records, _ = training_records(corpus, codes=codes, split=split, correction_sets=correction_sets)
    prepared = prepare(records, codebook=codebook, spacy_model=spacy_model, settings=settings)
    oof = cross_validated(prepared, settings, n_jobs=n_jobs)
    thresholds = tune_thresholds(prepared.Y, oof)
    labels = [list(np.flatnonzero(row)) for row in prepared.Y]
    flagged = find_label_issues(labels=labels, pred_probs=oof, return_indices_ranked_by="self_confidence")
    quality = get_label_quality_scores(labels, oof)
    suspects = [Suspect(records[i], round(float(quality[i]), 4),
                        doubted_codes(prepared.Y[i], oof[i], thresholds, codes),
                        {c: round(float(oof[i, j]), 4) for j, c in enumerate(codes)})
                for i in flagged]
    return suspects, len(records), len({r.transcript for r in records})
