"""Shared fixtures: test data paths, a small trained model, the CLI runner. The builders they
use live in tests/helpers/."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from helpers.browser import CHROMIUM, CHROMIUM_ARGS
from helpers.qdpx_projects import write_human_project
from helpers.records import annotation_record

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.evaluation.benchmark import BenchmarkSettings, run_benchmark
from classifier.inference.annotate import annotate_paragraphs
from classifier.inference.persistence import load_model
from classifier.readers import read_transcript
from classifier.text.preprocess import PipelineNotice, load_pipeline
from classifier.training.train import TrainSettings, train

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


@pytest.fixture(scope="session")
def markup_records(small_model, nlp, data_dir) -> list[dict]:
    """Annotation records of a transcript whose text holds <script>, tags, quotes and '&'."""
    return annotate_paragraphs(read_transcript(data_dir / "review_markup.txt"), small_model, nlp)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium. Skipped only where it is missing outside CI; in CI a missing browser fails."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright, problem = None, "the playwright package is not installed (pip install -e '.[test]')"
    else:
        problem = None if CHROMIUM.exists() else f"{CHROMIUM} not found (apt-get install -y chromium chromium-driver)"
    if problem:
        if _in_ci():
            pytest.fail(f"browser tests must run in CI, but {problem}")
        pytest.skip(f"browser tests need Chromium: {problem}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where browser tests leave their screenshots (printed, so a CI log names them)."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture()
def review_records() -> list[dict]:
    """Annotation records whose texts trouble spreadsheets: separators, quotes, newlines, a leading '='."""
    return [
        annotation_record("We spreken af wat er vrijdag af moet zijn.", 0, ["sturen"], id="g-001"),
        annotation_record("Ik vertrouw erop; ze weten \"heus\" wat ze doen.", 1, ["vertrouwen"], id="g-002"),
        annotation_record("Eerst een regel.\nDan nog een regel, met een komma.", 2, ["communicatie", "binding"]),
        annotation_record("=SOM(A1) zei hij, als grap over de begroting.", 3, []),
        annotation_record("Na de cursus durfde ik het gesprek zelf te leiden.", 4, ["groei"], id="g-005"),
    ]


@pytest.fixture(scope="session")
def refi_schemas() -> dict:
    """The REFI-QDA project and codebook schemas (MIT, see tests/data/refi-qda/NOTICE.md)."""
    from lxml import etree
    return {kind: etree.XMLSchema(etree.parse(str(DATA / "refi-qda" / f"{kind}.xsd")))
            for kind in ("Project-mrt2019", "Codebook")}


@pytest.fixture()
def human_qdpx(tmp_path):
    """A factory: human_qdpx(bom=True, ...) -> path of a hand-made .qdpx."""
    def make(**options) -> Path:
        return write_human_project(tmp_path / f"human-{len(list(tmp_path.glob('human-*')))}.qdpx", **options)
    return make


def pytest_collection_modifyitems(items):
    """Every test that drives the browser is marked so (and slow): `pytest -m "not slow"` is the fast loop."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
