"""Evaluation of a saved model on labelled data."""

from __future__ import annotations

from pathlib import Path

from classifier.data.corpus import label_matrix, load_corpus
from classifier.evaluation.metrics import confusion_counts, score
from classifier.evaluation.mistakes import confident_errors
from classifier.inference.persistence import LoadedModel
from classifier.text.preprocess import lemmatise


def evaluate(model: LoadedModel, data: list[str | Path], nlp, *, split: str = "test", errors: int = 0) -> dict:
    """Per-code precision, recall, F1, kappa, support and Brier score; micro and macro F1;
    confusion counts per code; with `errors`, that many most confident false positives
    and false negatives per code, with their text.

    `split` applies to corpus directories with a splits.json (default: the test split).
    """
    codes = model.codes
    records = load_corpus(data, codes=codes, split=split)
    scores = model.scorer.score(lemmatise([r.text for r in records], nlp))
    proba, Y, predicted = scores.proba, label_matrix(records, codes), scores.decided.astype(int)
    result = score(Y, predicted, codes, proba=proba)
    result["confusion"] = confusion_counts(Y, predicted, codes)
    if errors:
        result["errors"] = confident_errors(records, Y, proba, model.thresholds, codes, top=errors)
    result["model"] = model.model_id
    result["transcripts"] = len({r.transcript for r in records})
    result["seen_in_training"] = int(model.trained_on([r.text for r in records]).sum())
    result["split"] = split if any(Path(path).is_dir() for path in data) else None  # files are taken whole
    result["data"] = [str(path) for path in data]
    return result
