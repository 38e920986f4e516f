import warnings
from types import SimpleNamespace

import pytest
import spacy

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import load_corpus
from classifier.errors import PipelineError
from classifier.text import preprocess
from classifier.text.preprocess import (
    NUMBER,
    PipelineNotice,
    lemmatise,
    load_pipeline,
    pipeline_info,
)


@pytest.fixture()
def tiny_pipeline_dir(tmp_path):
    """A tiny installed-style spaCy pipeline, built here: Dutch tokenizer plus lookup lemmatizer."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "tiny_test"
    nlp.meta["version"] = "9.9.9"
    path = tmp_path / "nl_tiny_test"
    nlp.to_disk(path)
    return path


def test_fallback_to_blank_dutch_with_notice(monkeypatch):
    load_pipeline.cache_clear()
    monkeypatch.setattr(preprocess, "_installed", lambda name: False)
    with pytest.warns(PipelineNotice, match="nl_core_news_sm is not installed"):
        nlp = load_pipeline()
    assert pipeline_info(nlp)["name"] == "nl_blank_lookup"
    assert "lemmatizer" in nlp.pipe_names
    load_pipeline.cache_clear()


@pytest.mark.slow
def test_installed_default_pipeline_is_used_without_notice(monkeypatch, tiny_pipeline_dir):
    load_pipeline.cache_clear()
    monkeypatch.setattr(preprocess, "_installed", lambda name: name == "nl_core_news_sm")
    real_load = spacy.load
    monkeypatch.setattr(preprocess.spacy, "load", lambda name, **kw: real_load(tiny_pipeline_dir, **kw))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PipelineNotice)
        nlp = load_pipeline()
    assert pipeline_info(nlp) == {"name": "nl_tiny_test", "version": "9.9.9", "spacy": spacy.__version__}
    load_pipeline.cache_clear()


@pytest.mark.slow
def test_pipeline_by_path(tiny_pipeline_dir):
    nlp = load_pipeline(str(tiny_pipeline_dir))
    assert pipeline_info(nlp)["name"] == "nl_tiny_test"
    assert lemmatise(["De medewerkers werkten thuis."], nlp) == ["de medewerker werken thuis"]


def test_missing_pipeline_is_a_clear_error():
    with pytest.raises(PipelineError, match="'nl_does_not_exist' is not installed"):
        load_pipeline("nl_does_not_exist")


def test_lemmas_lowercase_no_punctuation_numbers_normalised(nlp):
    [out] = lemmatise(["Twee Medewerkers, 3 keer per week: thuiswerken!"], nlp)
    tokens = out.split()
    assert "," not in tokens and "!" not in tokens and ":" not in tokens
    assert NUMBER in tokens and "medewerker" in tokens
    assert out == out.lower().replace(NUMBER.lower(), NUMBER)


@pytest.mark.slow
def test_fallback_lemmas_equal_spacys_own_lookup_tables():
    """The fallback loads the lookup table as a plain dict; spaCy's loader builds a hashed
    Table. Both must give every word the same lemma."""
    nlp = load_pipeline(preprocess.FALLBACK_NAME)
    reference = spacy.blank("nl")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    assert isinstance(table, dict) and len(table) > 100_000
    words = list(table)[::20]
    texts = [r.text for r in load_corpus([DEFAULTS.corpus_dir], codes=load_codebook(DEFAULTS.codebook).ids)[:600]]
    texts += [" ".join(words[i:i + 100]) for i in range(0, len(words), 100)]
    texts += [" ".join(w.capitalize() + "s" for w in words[i:i + 100]) for i in range(0, 3000, 100)]
    assert lemmatise(texts, nlp) == lemmatise(texts, reference)


def test_missing_lookups_data_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(preprocess.spacy.util, "registry", SimpleNamespace(lookups={}))
    with pytest.raises(PipelineError, match="needs spacy-lookups-data, which is not installed"):
        preprocess._lemma_lookup()


def test_a_paragraph_longer_than_spacy_takes_is_lemmatised_in_pieces(nlp, monkeypatch):
    from classifier.text import preprocess

    text = "Wij vertrouwen onze collega's. " * 60
    whole = preprocess.lemmatise([text], nlp)[0]
    monkeypatch.setattr(preprocess, "PIECE_CHARS", 50)
    assert preprocess.lemmatise([text, "kort"], nlp) == [whole, "kort"]
    assert preprocess.split_long("a" * 120, 50) == ["a" * 50, "a" * 50, "a" * 20]  # no whitespace: cut anyway


@pytest.mark.slow
def test_a_two_megabyte_paragraph_is_annotated_not_a_traceback(runner, small_model_dir, tmp_path):
    from classifier.cli import cli

    path = tmp_path / "lang.txt"
    path.write_text("Interviewer: Vertel?\n\nRespondent: " + "We bellen elke maandag met het team. " * 60_000,
                    encoding="utf-8")
    assert path.stat().st_size > 2_000_000
    result = runner.invoke(cli, ["annotate", str(path), "--model", str(small_model_dir), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()) == 2
