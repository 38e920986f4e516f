import warnings

import pytest
import spacy

from classifier.data.records import Paragraph
from classifier.inference.annotate import (
    PipelineMismatch,
    annotate_paragraphs,
    check_pipeline,
)
from classifier.text.preprocess import lemmatise, load_pipeline


def test_records_have_codes_scores_and_evidence_from_the_paragraph(small_model, nlp):
    text = ("Ik kijk niet meer of ze online staan. We spreken af wat er vrijdag af moet zijn, "
            "en dan laat ik ze hun gang gaan. Op maandag bellen we even kort via Teams.")
    [record] = annotate_paragraphs([Paragraph(text=text, transcript="t", index=3, speaker="R")], small_model, nlp)
    assert record["index"] == 3 and record["speaker"] == "R"
    assert set(record["scores"]) == set(small_model.codes)
    assert all(0.0 <= p <= 1.0 for p in record["scores"].values())
    thresholds = small_model.card["thresholds"]
    assert record["codes"] == [c for c in small_model.codes if record["scores"][c] >= thresholds[c]]
    assert record["codes"], "a paragraph this explicit should get at least one code"
    lemmas = set(lemmatise([text], nlp)[0].split())
    for code, terms in record["evidence"].items():
        assert terms and len(terms) <= 5
        for term in terms:
            assert set(term.split()) <= lemmas


def test_stop_words_score_but_are_no_evidence(small_model, nlp):
    from classifier.text.preprocess import stop_words
    stop = set(stop_words(nlp))
    featurizer = small_model.scorer.featurizer
    assert not small_model.features["remove_stop_words"] and "niet" in featurizer.words.names
    texts = ["Ik vertrouw ze niet blind, maar ik kijk ook niet de hele dag mee.",
             "We zien elkaar niet vaak, dus we bellen elke ochtend even met het hele team."]
    records = annotate_paragraphs([Paragraph(text=t, transcript="t", index=i) for i, t in enumerate(texts)],
                                  small_model, nlp)
    evidence = [term for r in records for terms in r["evidence"].values() for term in terms]
    assert evidence
    assert not [term for term in evidence if all(t in stop for t in term.split())]


def test_empty_input_gives_no_records(small_model, nlp):
    assert annotate_paragraphs([], small_model, nlp) == []


def test_pipeline_mismatch_warns(small_model, tmp_path):
    other = spacy.blank("nl")
    other.meta["name"] = "other"
    other.to_disk(tmp_path / "nl_other")
    with pytest.warns(PipelineMismatch, match="trained with spaCy pipeline nl_blank_lookup"):
        check_pipeline(small_model, load_pipeline(str(tmp_path / "nl_other")))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PipelineMismatch)
        check_pipeline(small_model, load_pipeline())
