"""Two models on the same labelled data: per-code F1 and kappa side by side, and the paragraphs
whose codes changed, so an analyst sees whether retraining helped and where."""

from __future__ import annotations

from pathlib import Path

from classifier.data.corpus import label_matrix, load_corpus
from classifier.errors import ModelError
from classifier.evaluation.metrics import MIN_GROUPS, macro_f1_difference_interval, score
from classifier.inference.persistence import LoadedModel
from classifier.text.preprocess import lemmatise

MEASURES = ("f1", "kappa")


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 4)


def compare(model_a: LoadedModel, model_b: LoadedModel, data: list[str | Path], nlp, *,
            split: str = "test") -> dict:
    """Scores of A and B and their difference (B - A) per code, and every paragraph whose codes differ."""
    codes = model_a.codes
    if model_b.codes != codes:
        raise ModelError(f"{model_a.path} has codes {', '.join(codes)} but {model_b.path} has "
                         f"{', '.join(model_b.codes)}; compare models of one codebook")
    records = load_corpus(data, codes=codes, split=split)
    lemmas = lemmatise([r.text for r in records], nlp)
    Y = label_matrix(records, codes)
    decided = [m.scorer.score(lemmas).decided.astype(int) for m in (model_a, model_b)]
    scores = [score(Y, d, codes) for d in decided]
    per_code = {}
    for code in codes:
        a, b = scores[0]["per_code"][code], scores[1]["per_code"][code]
        per_code[code] = {f"{m}_{side}": v for m in MEASURES for side, v in (("a", a[m]), ("b", b[m]))}
        per_code[code].update({f"{m}_diff": _difference(a[m], b[m]) for m in MEASURES})
        per_code[code]["support"] = a["support"]
    changed = []
    for i, record in enumerate(records):
        before = [c for j, c in enumerate(codes) if decided[0][i, j]]
        after = [c for j, c in enumerate(codes) if decided[1][i, j]]
        if before != after:
            changed.append({"key": record.key, "transcript": record.transcript, "index": record.index,
                            "text": record.text, "a": before, "b": after,
                            "labels": [c for c in codes if c in (record.labels or [])]})
    texts = [r.text for r in records]
    return {"a": model_a.model_id, "b": model_b.model_id, "paragraphs": len(records),
            "transcripts": len({r.transcript for r in records}),
            "macro_f1_diff_interval": macro_f1_difference_interval(Y, decided[0], decided[1],
                                                                   [r.transcript for r in records]),
            "interval_resamples": "transcripts" if len({r.transcript for r in records}) >= MIN_GROUPS else "paragraphs",
            "seen_in_training": {"a": int(model_a.trained_on(texts).sum()), "b": int(model_b.trained_on(texts).sum())},
            "micro_f1": {"a": scores[0]["micro_f1"], "b": scores[1]["micro_f1"],
                         "diff": _difference(scores[0]["micro_f1"], scores[1]["micro_f1"])},
            "macro_f1": {"a": scores[0]["macro_f1"], "b": scores[1]["macro_f1"],
                         "diff": _difference(scores[0]["macro_f1"], scores[1]["macro_f1"])},
            "per_code": per_code, "changed": changed}
