"""Shared fixtures: test data paths, a small trained model, the CLI runner."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from classifier.benchmark import BenchmarkSettings, run_benchmark
from classifier.codebook import load_codebook
from classifier.config import DEFAULTS
from classifier.persistence import load_model
from classifier.preprocess import PipelineNotice, load_pipeline
from classifier.training import TrainSettings, train

DATA = Path(__file__).parent / "data"
CORPUS = DEFAULTS.corpus_dir
# A few shipped interviews: enough for every code, small enough to train in seconds.
SMALL_CORPUS = sorted((CORPUS / "interviews").glob("*.jsonl"))[:8]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def small_corpus() -> list[Path]:
    return SMALL_CORPUS


@pytest.fixture(scope="session")
def split_corpus_dir(tmp_path_factory) -> Path:
    """A small corpus directory with a splits.json: six interviews and a survey to train on,
    two interviews and a focus group to test on."""
    root = tmp_path_factory.mktemp("split_corpus")
    (root / "interviews").mkdir()
    (root / "registers").mkdir()
    registers = sorted((CORPUS / "registers").glob("*.jsonl"))
    survey = next(p for p in registers if p.name.startswith("survey"))
    focus = next(p for p in registers if p.name.startswith("focus"))
    for path in SMALL_CORPUS:
        shutil.copy(path, root / "interviews" / path.name)
    for path in (survey, focus):
        shutil.copy(path, root / "registers" / path.name)
    test = [SMALL_CORPUS[0].stem, SMALL_CORPUS[4].stem, focus.stem]
    (root / "splits.json").write_text(json.dumps({"test": test}), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def quick_benchmark(split_corpus_dir, codebook, nlp) -> dict:
    """The benchmark on the small split corpus: keywords, spaCy bow for two epochs, the default."""
    settings = BenchmarkSettings(cv_folds=3, spacy=("bow",), bow_epochs=2, variants=False)
    return run_benchmark(split_corpus_dir, codebook, nlp, settings=settings)


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(DEFAULTS.codebook)


@pytest.fixture(scope="session")
def nlp():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PipelineNotice)
        return load_pipeline()


@pytest.fixture(scope="session")
def small_model_dir(tmp_path_factory, codebook, nlp) -> Path:
    out = tmp_path_factory.mktemp("models") / "small"
    train(SMALL_CORPUS, codebook=codebook, out_dir=out, settings=TrainSettings(cv_folds=3))
    return out


@pytest.fixture(scope="session")
def small_model(small_model_dir):
    return load_model(small_model_dir)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def docx_file(tmp_path) -> Path:
    """A Word transcript written with python-docx, as Word would save it."""
    document = docx.Document()
    document.add_paragraph("Interviewer: Hoe vaak spreek je je medewerkers?")
    document.add_paragraph("Respondent: Elke week een half uur, één op één.")
    document.add_paragraph("Dat gesprek gaat vooral over hoe het met ze gaat.")
    document.add_paragraph("")
    document.add_paragraph("Interviewer: En als iemand iets fout doet?")
    document.add_paragraph("Respondent: Dan bespreken we wat we ervan leren.")
    path = tmp_path / "gesprek.docx"
    document.save(path)
    return path
