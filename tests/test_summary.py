"""The overview across a collection: counts, expected counts, intervals and co-occurrence
recomputed here from the JSON Lines, speakers, case attributes, the page, and bad input."""

import csv
import io
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from helpers.records import CODES, annotation_record

from classifier.analysis import counts as counts_module
from classifier.analysis.counts import count_interval, poisson_binomial
from classifier.analysis.summary import Speakers, summarise
from classifier.cli import cli
from classifier.render.output import write_records


def test_poisson_binomial_equals_every_outcome_counted():
    p = np.array([0.1, 0.5, 0.8, 0.3])
    expected = np.zeros(5)
    for outcome in itertools.product([0, 1], repeat=4):
        expected[sum(outcome)] += np.prod([q if o else 1 - q for q, o in zip(p, outcome)])
    assert np.allclose(poisson_binomial(p), expected)
    assert count_interval(np.zeros(10)) == (0, 0) and count_interval(np.ones(7)) == (7, 7)
    assert count_interval(np.full(100, 0.5)) == (42, 58)  # binomial(100, 0.5): 5% and 95% quantiles


def test_the_normal_approximation_for_long_transcripts_is_close_to_exact(monkeypatch):
    p = np.random.default_rng(1).uniform(0, 0.6, 3000)
    exact = count_interval(p)
    monkeypatch.setattr(counts_module, "EXACT_UP_TO", 100)
    low, high = count_interval(p)
    assert abs(low - exact[0]) <= 1 and abs(high - exact[1]) <= 1


def _collection(folder: Path) -> Path:
    """Two annotated transcripts, as annotate would write them, with an interviewer in each."""
    folder.mkdir()
    a = [annotation_record("Wat doe je als iemand niet levert?", 0, ["sturen"], transcript="a"),
         annotation_record("Dan spreken we af wat er vrijdag af is.", 1, ["sturen", "communicatie"], transcript="a"),
         annotation_record("Ik bel ze niet elke dag.", 2, ["vertrouwen", "communicatie"], transcript="a")]
    a[0]["speaker"] = "Interviewer"
    b = [annotation_record("I: En de koffie?", 0, [], transcript="b"),
         annotation_record("We missen de lunch samen.", 1, ["binding"], transcript="b"),
         annotation_record("De cursus was goed, we leerden veel samen.", 2, ["groei", "binding"], transcript="b")]
    b[0]["speaker"] = "I"
    for name, records in (("a", a), ("b", b)):
        write_records(records, folder / f"{name}.txt.jsonl", "jsonl", codes=CODES)
    return folder


def test_counts_expected_and_cooccurrence_equal_a_recount_of_the_json_lines(tmp_path):
    folder = _collection(tmp_path / "out")
    summary = summarise([folder])
    records = [json.loads(line) for p in sorted(folder.glob("*.jsonl")) for line in p.read_text().splitlines()]
    kept = [r for r in records if r["speaker"] not in ("Interviewer", "I")]
    for row in summary.rows:
        mine = [r for r in kept if r["transcript"] == row.label]
        assert row.paragraphs == len(mine)
        for code in CODES:
            assert row.counts[code] == sum(code in r["codes"] for r in mine)
            assert row.expected[code] == pytest.approx(sum(r["scores"][code] for r in mine), abs=0.01)
            low, high = row.intervals[code]
            assert low <= row.expected[code] <= high
    both = {(x, y): sum(x in r["codes"] and y in r["codes"] for r in kept) for x in CODES for y in CODES}
    assert {(x, y): int(summary.cooccurrence[i, j]) for i, x in enumerate(CODES) for j, y in enumerate(CODES)} == both


def test_speakers_interviewers_left_out_all_kept_or_chosen(tmp_path):
    folder = _collection(tmp_path / "out")
    assert sum(r.paragraphs for r in summarise([folder]).rows) == 4
    assert sum(r.paragraphs for r in summarise([folder], speakers=Speakers(all=True)).rows) == 6
    assert sum(r.paragraphs for r in summarise([folder], speakers=Speakers(only=("Interviewer",))).rows) == 1


def test_cli_writes_every_file_grouped_by_attribute(runner, tmp_path):
    folder = _collection(tmp_path / "out")
    cases = tmp_path / "cases.csv"
    cases.write_text("transcript;organisatie\na;ministerie\nb;gemeente\n", encoding="utf-8-sig")
    result = runner.invoke(cli, ["summarize", str(folder), "--output-dir", str(tmp_path / "sum"),
                                 "--attributes", str(cases)])
    assert result.exit_code == 0, result.output
    assert "Summarised 4 paragraphs from 2 transcript(s)" in result.stdout
    names = {p.name for p in (tmp_path / "sum").iterdir()}
    assert names == {"matrix.csv", "cooccurrence.csv", "matrix_by_organisatie.csv", "summary.html", "matrix.png",
                     ".hnw-classifier-output"}  # the mark that keeps the folder out of later inputs
    text = (tmp_path / "sum" / "matrix.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufefftranscript;organisatie;transcripts;paragraphs;sturen")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0]["transcript"] == "a" and rows[0]["organisatie"] == "ministerie" and rows[0]["sturen"] == "1"
    assert "," in rows[0]["expected_sturen"]  # decimal comma, as Dutch Excel reads it
    co = list(csv.reader(io.StringIO((tmp_path / "sum" / "cooccurrence.csv").read_text(encoding="utf-8-sig")),
                         delimiter=";"))
    assert co[0] == ["code", *CODES] and co[1][0] == "sturen"


@pytest.mark.parametrize("make, message", [
    (lambda d: d.joinpath("x.jsonl").write_text('{"text": "los"}\n'),
     "line 1: missing transcript, index, codes, scores; expected a record as annotate writes it"),
    (lambda d: d.joinpath("c.jsonl").write_text(json.dumps(dict(annotation_record("t", 0, []), model="ander@1")) + "\n"),
     "annotated by model ander@1"),
])
def test_bad_input_is_one_line(runner, tmp_path, make, message):
    folder = _collection(tmp_path / "out")
    make(folder)
    result = runner.invoke(cli, ["summarize", str(folder), "--output-dir", str(tmp_path / "sum")])
    assert result.exit_code == 1 and message in result.output and len(result.output.strip().splitlines()) == 1


def test_attributes_naming_an_unknown_transcript_are_refused(runner, tmp_path):
    folder = _collection(tmp_path / "out")
    cases = tmp_path / "cases.csv"
    cases.write_text("transcript,rol\na,teamleider\nzz,directeur\n", encoding="utf-8")
    result = runner.invoke(cli, ["summarize", str(folder), "--output-dir", str(tmp_path / "sum"),
                                 "--attributes", str(cases)])
    assert result.exit_code == 1
    assert f"Error: {cases}: row 3: transcript 'zz' is not among the summarised transcripts" in result.output


def test_summary_page_in_chromium(browser, tmp_path, runner, screenshots):
    folder = _collection(tmp_path / "out")
    runner.invoke(cli, ["summarize", str(folder), "--output-dir", str(tmp_path / "sum")])
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "sum" / "summary.html").as_uri())
    assert page.locator("table.matrix tbody tr").count() == 2
    cell = page.locator('table.matrix tbody tr:first-child td.heat[data-code="sturen"]')
    assert "90% interval" in cell.get_attribute("title")
    assert page.locator("ol.quotes li").count() >= 4
    page.screenshot(path=str(screenshots / "summary.png"), full_page=True)
    print(f"screenshot: {screenshots / 'summary.png'}")
    assert errors == []
