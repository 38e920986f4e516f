"""Evaluation of a saved model on labelled data."""

from __future__ import annotations

from pathlib import Path

from classifier.corpus import label_matrix, load_corpus
from classifier.metrics import score
from classifier.persistence import LoadedModel
from classifier.preprocess import lemmatise


def evaluate(model: LoadedModel, data: list[str | Path], nlp, *, split: str = "test") -> dict:
    """Per-code precision, recall, F1, kappa, support and Brier score; micro and macro F1.

    `split` applies to corpus directories with a splits.json (default: the test split).
    """
    codes = model.classifier.codes
    records = load_corpus(data, codes=codes, split=split)
    lemmas = lemmatise([r.text for r in records], nlp)
    proba = model.classifier.predict_proba(lemmas)
    result = score(label_matrix(records, codes), model.classifier.predict(proba), codes, proba=proba)
    result["model"] = model.model_id
    result["transcripts"] = len({r.transcript for r in records})
    return result
