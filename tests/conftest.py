"""Shared fixtures: test data paths, a small trained model, the CLI runner."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.evaluation.benchmark import BenchmarkSettings, run_benchmark
from classifier.inference.annotate import annotate_paragraphs
from classifier.inference.persistence import load_model
from classifier.loop.review_csv import sniff_delimiter
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


@pytest.fixture(scope="session")
def refi_schemas() -> dict:
    """The REFI-QDA project and codebook schemas (MIT, see tests/data/refi-qda/NOTICE.md)."""
    from lxml import etree
    return {kind: etree.XMLSchema(etree.parse(str(DATA / "refi-qda" / f"{kind}.xsd")))
            for kind in ("Project-mrt2019", "Codebook")}


# A project as another QDA tool writes it: two coders, a code tree, codings by phrase.
ANNA, BRAM = "1b4e28ba-2fa1-41d2-883f-0016d3cca427", "2c5f39cb-3fb2-42e3-994f-1127e4ddb538"
HUMAN_CODES = {  # name -> (guid, parent name)
    "Leiderschap": ("a0000000-0000-4000-8000-000000000001", None),
    "Sturen": ("a0000000-0000-4000-8000-000000000002", "Leiderschap"),
    "Vertrouwen": ("a0000000-0000-4000-8000-000000000003", "Leiderschap"),
    "Loslaten": ("a0000000-0000-4000-8000-000000000004", "Vertrouwen"),
    "Verbinding": ("a0000000-0000-4000-8000-000000000005", None),
    "Werkdruk": ("a0000000-0000-4000-8000-000000000006", None),
}
# (coder, code, first phrase, last phrase): the selection runs from the first to the end of the last.
HUMAN_CODINGS = [
    (ANNA, "Sturen", "Ik stuur nu echt op wat er af is.", None),
    (ANNA, "Loslaten", "Ik ga ervan uit dat mensen hun werk doen.", None),
    (ANNA, "Verbinding", "Wel merk ik", "Doen jullie"),  # clips the next paragraph's first words
    (ANNA, "Werkdruk", "de sfeer is beter", None),
    (BRAM, "Sturen", "We hebben nu elke dinsdag", "half jaar geleden."),
]


def _code_xml(name: str) -> str:
    guid, _ = HUMAN_CODES[name]
    children = "".join(_code_xml(child) for child, (_, parent) in HUMAN_CODES.items() if parent == name)
    codable = "false" if name == "Leiderschap" else "true"
    return f'<Code guid="{guid}" name="{name}" isCodable="{codable}">{children}</Code>'


def write_human_project(path: Path, *, folder: str = "sources", bom: bool = False, crlf: bool = False,
                        origin: str = "MAXQDA 2022", past_end: bool = False) -> Path:
    """Zip a hand-made project around tests/data/qdpx_interview.txt. With crlf the text has
    CRLF line ends and positions count them as two, unless origin names ATLAS.ti (one)."""
    text = (DATA / "qdpx_interview.txt").read_text(encoding="utf-8")
    counts_two = crlf and "atlas" not in origin.lower()

    def position(lf_index: int) -> int:
        return lf_index + (text.count("\n", 0, lf_index) if counts_two else 0)

    selections = []
    for n, (coder, code, first, last) in enumerate(HUMAN_CODINGS):
        start = text.index(first)
        end = text.index(last or first, start) + len(last or first)
        selections.append((n, coder, code, position(start), position(end)))
    if past_end:
        size = position(len(text))
        selections += [(8, ANNA, "Werkdruk", size - 6, size + 30), (9, ANNA, "Sturen", size + 10, size + 40)]
    body = "".join(
        f'<PlainTextSelection guid="b0000000-0000-4000-8000-00000000000{n}" startPosition="{start}" '
        f'endPosition="{end}" creatingUser="{coder}"><Coding guid="c0000000-0000-4000-8000-00000000000{n}" '
        f'creatingUser="{coder}"><CodeRef targetGUID="{HUMAN_CODES[code][0]}"/></Coding></PlainTextSelection>'
        for n, coder, code, start, end in selections)
    whole = ('<Coding guid="d0000000-0000-4000-8000-000000000001" creatingUser="' + ANNA
             + '"><CodeRef targetGUID="' + HUMAN_CODES["Werkdruk"][0] + '"/></Coding>')
    source_guid = "e0000000-0000-4000-8000-000000000001"
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Hybride werken" '
           f'origin="{origin}"><Users><User guid="{ANNA}" name="Anna"/><User guid="{BRAM}" name="Bram"/></Users>'
           f'<CodeBook><Codes>{_code_xml("Leiderschap")}{_code_xml("Verbinding")}{_code_xml("Werkdruk")}'
           f'</Codes></CodeBook><Sources><TextSource guid="{source_guid}" name="Interview teamleider.docx" '
           f'plainTextPath="internal://{source_guid}.txt">{body}{whole}</TextSource></Sources></Project>')
    data = text.replace("\n", "\r\n") if crlf else text
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"{folder}/{source_guid}.txt", (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


@pytest.fixture()
def human_qdpx(tmp_path):
    """A factory: human_qdpx(bom=True, ...) -> path of a hand-made .qdpx."""
    def make(**options) -> Path:
        return write_human_project(tmp_path / f"human-{len(list(tmp_path.glob('human-*')))}.qdpx", **options)
    return make
