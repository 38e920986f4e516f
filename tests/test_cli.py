import json

import pytest

from classifier import __version__
from classifier.cli import cli


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", ["train", "evaluate", "annotate", "check-corpus", "import-corrections", "compare",
                                     "agreement", "suggest", "audit", "review-page", "export-qdpx", "import-qdpx",
                                     "benchmark", "learning-curve"])
def test_every_command_has_help_with_example(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: hnw-classifier {command}" in result.output


def test_train_cli(runner, tmp_path, small_corpus):
    out = tmp_path / "m"
    result = runner.invoke(cli, ["train", *map(str, small_corpus[:6]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "cross-validated by transcript" in result.output
    for code in ("sturen", "vertrouwen", "communicatie", "groei", "binding"):
        assert code in result.output
    assert (out / "card.json").is_file()


def test_evaluate_cli_formats(runner, small_model_dir, small_corpus):
    data = str(small_corpus[-1])
    result = runner.invoke(cli, ["evaluate", "--model", str(small_model_dir), data, "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert {"micro_f1", "macro_f1", "per_code"} <= set(metrics)
    assert set(metrics["per_code"]["groei"]) >= {"precision", "recall", "f1", "kappa", "support"}
    table = runner.invoke(cli, ["evaluate", "--model", str(small_model_dir), data])
    assert "macro F1" in table.output and "kappa" in table.output
    markdown = runner.invoke(cli, ["evaluate", "--model", str(small_model_dir), data, "--format", "markdown"])
    assert markdown.output.startswith("| code | precision")


def test_annotate_jsonl_to_stdout(runner, small_model_dir, data_dir):
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), str(data_dir / "teams.vtt")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4
    first = records[0]
    assert set(first) >= {"transcript", "index", "speaker", "start", "text", "codes", "scores", "evidence"}
    assert first["speaker"] == "Sanne Bakker" and first["start"] == "00:00:01"
    assert set(first["scores"]) == {"sturen", "vertrouwen", "communicatie", "groei", "binding"}
    for record in records:
        assert set(record["evidence"]) == set(record["codes"])
    assert "Annotated 4 paragraphs from 1 input(s); 0 failed." in result.stderr


def test_annotate_keeps_jsonl_ids_and_writes_csv(runner, small_model_dir, data_dir, tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), str(data_dir / "corpus_good.jsonl"),
                                 "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("transcript,index,speaker,start,text,codes,p_sturen")
    assert len(lines) == 4
    jsonl = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), str(data_dir / "corpus_good.jsonl")])
    assert [json.loads(line).get("id") for line in jsonl.stdout.splitlines()] == ["t-001", "t-002", None]


def test_annotate_stdin(runner, small_model_dir):
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), "-"],
                           input="I: Hoe gaat het?\nR: Goed, we bellen elke ochtend even.\n")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["speaker"] for line in result.stdout.splitlines()] == ["I", "R"]


def test_annotate_goes_on_past_a_bad_file(runner, small_model_dir, data_dir, tmp_path):
    empty = tmp_path / "leeg.txt"
    empty.write_text("")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), str(empty),
                                 str(data_dir / "bad_timing.vtt"), str(data_dir / "zoom.vtt"), "-o", str(out)])
    assert result.exit_code == 1
    assert f"Error: {empty}: the file is empty" in result.stderr
    assert "bad_timing.vtt: line 6: malformed cue timing" in result.stderr
    assert "Traceback" not in result.output
    assert len(out.read_text().splitlines()) == 4  # zoom.vtt was still annotated


def test_annotate_bad_model_is_usage_error(runner, tmp_path, data_dir):
    result = runner.invoke(cli, ["annotate", "--model", str(tmp_path / "nope"), str(data_dir / "zoom.vtt")])
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: {tmp_path / 'nope'}: model directory not found, "
                                     "and no shipped model has that name (shipped: default)")


def test_train_bad_corpus_one_line_error(runner, tmp_path, data_dir):
    result = runner.invoke(cli, ["train", str(data_dir / "corpus_bad.jsonl"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "corpus_bad.jsonl: line 2: unknown code(s) leiderschap" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_input_file_is_reported(runner, small_model_dir, tmp_path):
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), str(tmp_path / "weg.txt")])
    assert result.exit_code == 1 and "weg.txt: file not found" in result.stderr


@pytest.mark.slow
def test_benchmark_cli_prints_tables_and_writes_markdown(runner, split_corpus_dir, tmp_path):
    out = tmp_path / "quality.md"
    result = runner.invoke(cli, ["benchmark", str(split_corpus_dir), "--no-spacy", "--no-variants", "--folds", "2",
                                 "--format", "markdown", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "### Summary, held-out test split" in result.stdout
    assert "| keywords (codebook lexicon) |" in result.stdout and "spaCy" not in result.stdout
    assert "keywords (codebook lexicon): test macro F1" in result.stderr
    assert out.read_text(encoding="utf-8") == result.stdout


def test_benchmark_without_splits_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(cli, ["benchmark", str(tmp_path), "--no-spacy"])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {tmp_path}: expected a corpus directory with splits.json (a fixed "
                                     "test split); found none. Write one with scripts/make_splits.py")


@pytest.mark.slow
def test_learning_curve_cli_saves_a_plot(runner, split_corpus_dir, tmp_path):
    plot = tmp_path / "curve.png"
    result = runner.invoke(cli, ["learning-curve", str(split_corpus_dir), "--fractions", "0.5,1", "--repeats", "1",
                                 "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "| 100%" not in result.stdout and "100%" in result.stdout and "keywords" in result.stdout
    assert plot.read_bytes()[:4] == b"\x89PNG" and f"Plot written to {plot}" in result.stderr


@pytest.mark.parametrize("fractions, message", [("0.5,x", "expected numbers separated by commas"),
                                                ("0,1", "each share must lie above 0 and at most 1")])
def test_learning_curve_rejects_bad_fractions(runner, fractions, message):
    result = runner.invoke(cli, ["learning-curve", "--fractions", fractions])
    assert result.exit_code == 2 and message in result.output
