"""Annotate paragraphs with a trained model: codes, probabilities and evidence."""

from __future__ import annotations

import warnings
import weakref
from pathlib import Path
from typing import Iterator

from classifier.config import DEFAULTS
from classifier.errors import HnwError
from classifier.explain import Explainer
from classifier.persistence import LoadedModel
from classifier.preprocess import lemmatise, pipeline_info
from classifier.readers import STDIN, read_stdin, read_transcript
from classifier.records import Paragraph


_EXPLAINERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def explainer_for(classifier) -> Explainer:
    """One Explainer per loaded model, built on first use."""
    if classifier not in _EXPLAINERS:
        _EXPLAINERS[classifier] = Explainer(classifier)
    return _EXPLAINERS[classifier]


class PipelineMismatch(UserWarning):
    """The spaCy pipeline differs from the one the model was trained with."""


def check_pipeline(model: LoadedModel, nlp) -> None:
    trained, now = model.card.get("spacy_pipeline", {}), pipeline_info(nlp)
    if (trained.get("name"), trained.get("version")) != (now["name"], now["version"]):
        warnings.warn(
            f"model {model.path} was trained with spaCy pipeline {trained.get('name')} {trained.get('version')}, "
            f"annotating with {now['name']} {now['version']}: lemmas may differ and codes be less reliable",
            PipelineMismatch, stacklevel=2)


def annotate_paragraphs(paragraphs: list[Paragraph], model: LoadedModel, nlp, *,
                        evidence_terms: int = DEFAULTS.evidence_terms) -> list[dict]:
    """One output record per paragraph, in input order."""
    if not paragraphs:
        return []
    classifier = model.classifier
    codes = classifier.codes
    lemmas = lemmatise([p.text for p in paragraphs], nlp)
    X = classifier.transform(lemmas)
    X.sort_indices()
    proba = classifier.predict_proba(lemmas, X=X)
    decided = classifier.predict(proba)
    explainer = explainer_for(classifier)
    lexicon = classifier.features_.lexicon
    out = []
    for i, paragraph in enumerate(paragraphs):
        assigned_idx = [j for j in range(len(codes)) if decided[i, j]]
        assigned = [codes[j] for j in assigned_idx]
        row = slice(X.indptr[i], X.indptr[i + 1])
        evidence = explainer.explain(lemmas[i], X.indices[row], X.data[row], assigned_idx, top=evidence_terms)
        hits = lexicon.hits(lemmas[i]) if lexicon is not None else {}
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
            "scores": {c: round(float(proba[i, j]), 4) for j, c in enumerate(codes)},
            "evidence": {codes[j]: evidence[j] for j in assigned_idx},
            "lexicon_hits": {c: sorted(set(hits[c])) for c in assigned if hits.get(c)},
            "model": model.model_id,
        })
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
