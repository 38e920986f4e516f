"""The analyst's loop through the command line, end to end, as an analyst would run it."""

import csv
import io
import json

import pytest
from helpers.records import CODES

from classifier.cli import cli
from classifier.loop.corrections import load_store
from classifier.loop.review_csv import header


def edit_as_analyst(review, gold, *, flips):
    """What an analyst does in a spreadsheet: set the codes of the first `flips` rows where the
    model's codes are wrong to the right ones, mistype one code cell, type into one text cell by
    accident, and save with ',' and CRLF (as Excel's 'CSV UTF-8' does outside the Dutch locale).
    Returns the flipped ids and the row numbers of the typo and of the edited text."""
    text = review.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    head = rows[0]
    flipped = []
    for row in rows[1:]:
        shown = [c for c in CODES if row[head.index(c)] == "1"]
        if sorted(shown) != sorted(gold[row[0]]) and len(flipped) < flips:
            for code in CODES:
                row[head.index(code)] = str(int(code in gold[row[0]]))
            flipped.append(row[0])
    typo_row, text_row = [n for n, row in enumerate(rows[1:], start=2) if row[0] not in flipped][:2]
    rows[typo_row - 1][head.index("groei")] = "l"
    rows[text_row - 1][head.index("text")] += " Klopt."
    out = io.StringIO()
    csv.writer(out, delimiter=",", lineterminator="\r\n").writerows(rows)
    review.write_bytes(out.getvalue().encode("utf-8-sig"))
    return flipped, typo_row, text_row


@pytest.mark.slow
def test_review_correct_retrain_compare(runner, tmp_path, small_corpus):
    train_on, review_on = small_corpus[:6], small_corpus[6]
    v1, v2, review, into = tmp_path / "v1", tmp_path / "v2", tmp_path / "review.csv", tmp_path / "ronde-1"
    result = runner.invoke(cli, ["train", *map(str, train_on), "--out", str(v1)])
    assert result.exit_code == 0, result.output

    result = runner.invoke(cli, ["annotate", str(review_on), "--model", str(v1), "--format", "review",
                                 "-o", str(review)])
    assert result.exit_code == 0, result.output
    assert review.read_bytes().startswith(b"\xef\xbb\xbf" + ";".join(header(CODES)).encode())

    gold = {json.loads(line)["id"]: json.loads(line)["labels"] for line in review_on.read_text(encoding="utf-8").splitlines()}
    flipped, typo_row, text_row = edit_as_analyst(review, gold, flips=10)
    assert len(flipped) == 10

    result = runner.invoke(cli, ["import-corrections", str(review), "--into", str(into), "--annotator", "anna"])
    assert result.exit_code == 1  # the two bad rows are refused, the rest is imported
    assert result.stderr.splitlines() == [
        f"Error: {review}: row {typo_row}: column groei: expected 0, 1 or empty, found 'l'",
        f"Error: {review}: row {text_row}: the text does not match the exported paragraph (text_hash differs): "
        "the text was edited, or a sort moved it away from its row; export the paragraph again"]
    assert "Traceback" not in result.output
    rows = len(gold) - 2
    assert f"{rows} rows from 1 file(s): {rows} added, 0 replaced, 0 unchanged" in result.stdout
    store = load_store(into)
    assert all(store[i]["labels"] == sorted(gold[i]) for i in flipped)
    assert [key for key, r in store.items() if r["changed"]["added"] or r["changed"]["removed"]] == flipped

    again = runner.invoke(cli, ["import-corrections", str(review), "--into", str(into), "--annotator", "anna"])
    assert f"0 added, 0 replaced, {rows} unchanged" in again.stdout

    result = runner.invoke(cli, ["train", *map(str, train_on), "--corrections", str(into), "--out", str(v2)])
    assert result.exit_code == 0, result.output
    assert (f"with {rows} corrected paragraphs ({len(flipped)} with changed codes, each weighing 3) from 1 correction set(s)"
            in result.output)
    card = json.loads((v2 / "card.json").read_text(encoding="utf-8"))
    assert card["training_data"]["corrections"]["sets"] == [str(into)]
    assert card["training_data"]["corrections"]["with_changed_codes"] == len(flipped)

    result = runner.invoke(cli, ["compare", "--model", str(v1), "--model", str(v2), str(into), "--format", "json"])
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    changed = {c["key"]: c for c in comparison["changed"]}
    # v1 got every flipped paragraph wrong (that is why it was flipped); v2 moved towards the corrections.
    assert sum(i in changed for i in flipped) >= len(flipped) * 0.6

    def wrong(model: str) -> int:  # code decisions that differ from the corrections, over the flipped paragraphs
        return sum(len(set(changed[i][model]) ^ set(gold[i])) for i in flipped if i in changed)

    assert wrong("b") <= wrong("a") / 2
    assert comparison["macro_f1"]["b"] > comparison["macro_f1"]["a"]
    table = runner.invoke(cli, ["compare", "--model", str(v1), "--model", str(v2), str(into)])
    assert "F1 A   F1 B" in table.output and f"of {rows} paragraphs changed codes" in table.output


def test_agreement_cli(runner, data_dir, tmp_path):
    model = tmp_path / "model.jsonl"
    model.write_text("".join(json.dumps({"id": f"ex-00{i}", "text": "x", "codes": codes, "scores": {}}) + "\n"
                             for i, codes in [(1, ["sturen"]), (2, []), (4, ["binding"])]), encoding="utf-8")
    result = runner.invoke(cli, ["agreement", str(data_dir / "review_excel_nl.csv"), str(model)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].split() == ["code", "agreement", "kappa", "alpha", "A", "has", "B", "has"]
    sturen = next(line for line in lines if line.startswith("sturen")).split()
    assert sturen[1] == "1.000"  # both coded ex-001 as sturen and nothing else as sturen
    assert "3 paragraphs matched (3 by id, 0 by text)" in result.output
    bad = runner.invoke(cli, ["agreement", str(data_dir / "corpus_bad.jsonl"), str(model)])
    assert bad.exit_code == 1 and bad.output.startswith("Error: ") and len(bad.output.splitlines()) == 1


def test_suggest_cli_writes_a_review_file_to_fill_in(runner, small_model_dir, data_dir, tmp_path):
    out = tmp_path / "volgende.csv"
    result = runner.invoke(cli, ["suggest", str(data_dir / "interview_labels.txt"), str(data_dir / "teams.vtt"),
                                 "--model", str(small_model_dir), "-n", "3", "-o", str(out), "--delimiter", ","])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == 3 and all(row[code] == "" for row in rows for code in CODES)
    assert result.stdout.splitlines()[0].split() == ["rank", "paragraph", "code", "p", "threshold", "text"]


@pytest.mark.slow
def test_audit_cli(runner, small_corpus, tmp_path):
    out = tmp_path / "herzien.csv"
    result = runner.invoke(cli, ["audit", *map(str, small_corpus[:6]), "--top", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "labelled paragraphs look mislabelled; the 5 most suspicious:" in result.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 5 and all(row["model"].startswith("audit") for row in rows)


def test_compare_needs_two_models(runner, small_model_dir, small_corpus):
    result = runner.invoke(cli, ["compare", "--model", str(small_model_dir), str(small_corpus[0])])
    assert result.exit_code == 2 and "give --model exactly twice (A and B), found 1" in result.output


def test_delimiter_only_for_review(runner, small_model_dir, data_dir):
    result = runner.invoke(cli, ["annotate", str(data_dir / "teams.vtt"), "--model", str(small_model_dir),
                                 "--delimiter", ","])
    assert result.exit_code == 2 and "--delimiter applies to --format review" in result.output
