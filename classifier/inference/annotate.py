"""Annotate paragraphs with a trained model: codes, probabilities and evidence."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator

from classifier.config import DEFAULTS
from classifier.data.records import Paragraph
from classifier.errors import HnwError, PipelineMismatch  # noqa: F401  (imported from here too)
from classifier.inference.persistence import LoadedModel
from classifier.readers import STDIN, read_stdin, read_transcript
from classifier.text.preprocess import lemmatise, pipeline_info


def check_pipeline(model: LoadedModel, nlp) -> None:
    """Warn when nlp is not the pipeline the model was trained with."""
    problem = model.pipeline_mismatch(pipeline_info(nlp))
    if problem:
        warnings.warn(problem, PipelineMismatch, stacklevel=2)


def annotate_paragraphs(paragraphs: list[Paragraph], model: LoadedModel, nlp, *,
                        evidence_terms: int = DEFAULTS.evidence_terms) -> list[dict]:
    """One output record per paragraph, in input order."""
    if not paragraphs:
        return []
    scorer = model.scorer
    codes = scorer.codes
    lemmas = lemmatise([p.text for p in paragraphs], nlp)
    scores = scorer.score(lemmas)
    assigned_idx = [[j for j, chosen in enumerate(row) if chosen] for row in scores.decided.tolist()]
    evidence = scorer.explainer.explain(lemmas, scores.X, assigned_idx, top=evidence_terms, tokens=scores.tokens)
    proba = scores.proba.tolist()
    custom = model.custom_thresholds
    out = []
    for i, paragraph in enumerate(paragraphs):
        assigned = [codes[j] for j in assigned_idx[i]]
        hits = scores.hits[i]
        record = {}
        if paragraph.id is not None:
            record["id"] = paragraph.id
        record.update({
            "transcript": paragraph.transcript,
            "index": paragraph.index,
            "speaker": paragraph.speaker,
            "start": paragraph.start,
            "text": paragraph.text,
            "codes": assigned,
            "scores": {c: round(p, 4) for c, p in zip(codes, proba[i])},
            "evidence": {codes[j]: evidence[i][j] for j in assigned_idx[i]},
            "lexicon_hits": {c: sorted(set(hits[c])) for c in assigned if hits.get(c)},
            "model": model.model_id,
        })
        if custom is not None:
            record["thresholds"] = custom
        if paragraph.labels is not None:
            record["labels"] = paragraph.labels
        out.append(record)
    return out


def read_input(item: str, *, stdin_bytes: bytes | None = None) -> list[Paragraph]:
    if item == STDIN:
        return read_stdin(stdin_bytes or b"")
    return read_transcript(Path(item))


def annotate_inputs(inputs: list[str], model: LoadedModel, nlp, *, stdin_bytes: bytes | None = None,
                    evidence_terms: int = DEFAULTS.evidence_terms) -> Iterator[tuple[str, list[dict] | None, str | None]]:
    """(input, records, None) for each readable input, (input, None, error) for each bad one."""
    for item in inputs:
        try:
            paragraphs = read_input(item, stdin_bytes=stdin_bytes)
        except HnwError as exc:
            yield item, None, str(exc)
            continue
        yield item, annotate_paragraphs(paragraphs, model, nlp, evidence_terms=evidence_terms), None
