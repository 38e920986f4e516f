"""The evaluation report as one self-contained HTML page: per-code measures as bars,
confusion counts, the most confident errors with their text, and the model card."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from classifier.fileio import atomic_writer
from classifier.inference.persistence import LoadedModel
from classifier.render.html_pages import code_styles, render

MEASURES = ("precision", "recall", "f1", "kappa")
LABELS = {"precision": "precision", "recall": "recall", "f1": "F1", "kappa": "kappa"}


def evaluation_page(metrics: dict, model: LoadedModel) -> str:
    """The HTML of the report for `metrics` as `evaluate(..., errors=N)` returns them."""
    card = model.card
    styles = code_styles(model.codebook, card.get("thresholds", {}))
    per_code = metrics["per_code"]
    codes = [dict(s, measures=_bars(per_code[s["id"]]), confusion=metrics.get("confusion", {}).get(s["id"]),
                  errors=metrics.get("errors", {}).get(s["id"]), **per_code[s["id"]])
             for s in styles if s["id"] in per_code]
    return render("report.html.j2", css=["page.css", "report.css"],
                  title=f"Evaluation of {card.get('name', model.path.name)}", metrics=metrics, codes=codes,
                  card=model_card_summary(card), model_id=model.model_id, labels=LABELS,
                  created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_evaluation_page(metrics: dict, model: LoadedModel, path: str | Path) -> Path:
    """Write the report atomically; returns its path."""
    with atomic_writer(path) as handle:
        handle.write(evaluation_page(metrics, model))
    return Path(path)


def _bars(measures: dict) -> list[dict]:
    """One bar per measure; kappa below zero draws no bar but keeps its number."""
    bars = []
    for name in MEASURES:
        value = measures.get(name)
        bars.append({"name": name, "label": LABELS[name], "value": value,
                     "width": 0.0 if value is None else round(max(0.0, min(1.0, value)) * 100, 1)})
    return bars


def model_card_summary(card: dict) -> list[tuple[str, str]]:
    """The model card's main facts as (label, value) rows, for people rather than programs."""
    data = card.get("training_data", {})
    cv = card.get("cross_validation", {})
    pipeline = card.get("spacy_pipeline", {})
    versions = card.get("versions", {})
    rows = [
        ("name", str(card.get("name", ""))),
        ("created", str(card.get("created", ""))),
        ("tool version", str(card.get("tool_version", ""))),
        ("codebook", f"{card.get('codebook', {}).get('name', '')}: {', '.join(card.get('codes', []))}"),
        ("training data", f"{data.get('paragraphs', '?')} paragraphs from {data.get('transcripts', '?')} transcripts "
                          f"(split {data.get('split', '?')}; {', '.join(data.get('sources', []))})"),
        ("training data sha256", str(data.get("sha256", ""))[:16]),
        ("positives in training", ", ".join(f"{c} {n}" for c, n in data.get("positives", {}).items())),
        ("thresholds", ", ".join(f"{c} {t:.2f}" for c, t in card.get("thresholds", {}).items())),
        ("threshold method", str(card.get("threshold_method", ""))),
    ]
    if cv:
        rows.append(("cross-validated", f"micro F1 {cv.get('micro_f1', 0):.3f}, macro F1 {cv.get('macro_f1', 0):.3f}"))
    rows.append(("spaCy pipeline", f"{pipeline.get('name', '?')} {pipeline.get('version', '')} (spaCy {pipeline.get('spacy', '?')})"))
    rows.append(("versions", ", ".join(f"{k} {v}" for k, v in versions.items())))
    return rows
