"""Shared fixtures: test data paths, a small trained model, the CLI runner."""

from __future__ import annotations

import csv
import io
import os
import warnings
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from classifier.annotation import annotate_paragraphs
from classifier.codebook import load_codebook
from classifier.config import DEFAULTS
from classifier.persistence import load_model
from classifier.preprocess import PipelineNotice, load_pipeline
from classifier.readers import read_transcript
from classifier.review import sniff_delimiter
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


# Debian's chromium, driven by Playwright without its own browser download.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


CODES = ["sturen", "vertrouwen", "communicatie", "groei", "binding"]


def annotation_record(text: str, index: int, codes: list[str], *, transcript: str = "gesprek",
                      id: str | None = None) -> dict:
    """A record as annotate writes it, with made-up probabilities that agree with `codes`."""
    scores = {c: (0.8 if c in codes else 0.1) + index / 1000 for c in CODES}
    record = {"transcript": transcript, "index": index, "speaker": "Respondent", "start": None, "text": text,
              "codes": codes, "scores": scores, "evidence": {}, "lexicon_hits": {}, "model": "proef@000000000000"}
    return {"id": id, **record} if id else record


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


def edit(path, change, *, delimiter=None, encoding="utf-8-sig", line_end="\r\n"):
    """Read a review CSV, let `change` edit its rows (lists of cells, header first), save it again."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n")[0])))
    change(rows)
    out = io.StringIO()
    delimiter = delimiter or sniff_delimiter(text.split("\n")[0])
    csv.writer(out, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    path.write_text(out.getvalue(), encoding=encoding, newline="")
