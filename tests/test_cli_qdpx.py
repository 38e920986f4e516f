import json
import zipfile

from classifier.cli import cli
from classifier.qdpx.export import AnnotatedTranscript, export_qdpx
from classifier.readers.jsonl import read_jsonl_file


def test_export_goes_on_past_a_bad_file(runner, small_model_dir, data_dir, tmp_path):
    out = tmp_path / "project.qdpx"
    result = runner.invoke(cli, ["export-qdpx", "--model", str(small_model_dir), str(data_dir / "teams.vtt"),
                                 str(tmp_path / "weg.txt"), str(data_dir / "bad_timing.vtt"),
                                 str(data_dir / "interview_emoji_crlf.txt"), "-o", str(out)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'weg.txt'}: file not found" in result.stderr
    assert "bad_timing.vtt: line 6: malformed cue timing" in result.stderr and "Traceback" not in result.output
    assert result.stdout.startswith(f"Exported 2 transcript(s), 8 paragraphs, 8 selections to {out}")
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.startswith("sources/")]) == 2


def test_export_codebook_only(runner, tmp_path, codebook):
    out = tmp_path / "codes.qdc"
    result = runner.invoke(cli, ["export-qdpx", "--codebook-only", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Codebook '{codebook.name}' with 5 codes written to {out}"
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook')


def test_export_needs_inputs_or_codebook_only(runner, tmp_path):
    result = runner.invoke(cli, ["export-qdpx", "-o", str(tmp_path / "p.qdpx")])
    assert result.exit_code == 2 and "give transcripts to export, or --codebook-only" in result.output


def test_export_bad_model_is_a_setup_error(runner, tmp_path, data_dir):
    result = runner.invoke(cli, ["export-qdpx", "--model", str(tmp_path / "nope"), str(data_dir / "zoom.vtt"),
                                 "-o", str(tmp_path / "p.qdpx")])
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: {tmp_path / 'nope'}: model directory not found, "
                                     "and no shipped model has that name (shipped: default)")


def test_import_reports_and_writes_a_corpus(runner, human_qdpx, tmp_path):
    out = tmp_path / "coded.jsonl"
    result = runner.invoke(cli, ["import-qdpx", str(human_qdpx(crlf=True, past_end=True)), "--out", str(out),
                                 "--coder", "Anna"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Imported 7 paragraphs (2 with codes) from 1 source(s)."
    assert "Codings used, by coder: Anna (2)" in lines
    assert "Unmapped codes, not imported (map them with --map): Werkdruk (2), Verbinding (1)" in lines
    assert any(line.startswith("Notice: ") and "runs past the end of the text" in line for line in lines)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["labels"] for r in records] == [[], ["sturen"], [], ["vertrouwen"], [], [], []]


def test_import_errors_are_one_line(runner, human_qdpx, tmp_path):
    (tmp_path / "kapot.qdpx").write_text("geen zip")
    result = runner.invoke(cli, ["import-qdpx", str(tmp_path / "kapot.qdpx"), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and result.output.startswith(f"Error: {tmp_path / 'kapot.qdpx'}: not a REFI-QDA")
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(cli, ["import-qdpx", str(human_qdpx()), "--out", str(tmp_path / "o.jsonl"), "--coder", "Zoë"])
    assert result.exit_code == 1 and "no coder named 'Zoë'; the project's coders are: Anna, Bram" in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_imported_project_trains_a_model(runner, small_corpus, codebook, tmp_path):
    transcripts = []
    for path in small_corpus[:6]:
        records = [dict(p.to_record(), codes=p.labels, scores={}) for p in read_jsonl_file(path)]
        transcripts.append(AnnotatedTranscript(records[0]["transcript"], records))
    export_qdpx(transcripts, codebook, tmp_path / "coded.qdpx", model_label="handwerk")
    corpus = tmp_path / "coded.jsonl"
    result = runner.invoke(cli, ["import-qdpx", str(tmp_path / "coded.qdpx"), "--out", str(corpus), "--include-model"])
    assert result.exit_code == 0, result.output
    imported = read_jsonl_file(corpus, codes=codebook.ids)
    assert [p.labels for p in imported] == [sorted(r["codes"]) for t in transcripts for r in t.records]
    trained = runner.invoke(cli, ["train", str(corpus), "--out", str(tmp_path / "m")])
    assert trained.exit_code == 0, trained.output
    assert f"Trained on {len(imported)} paragraphs from 6 transcripts" in trained.output


def test_export_with_nothing_readable_writes_nothing(runner, small_model_dir, tmp_path):
    out = tmp_path / "p.qdpx"
    result = runner.invoke(cli, ["export-qdpx", "--model", str(small_model_dir), str(tmp_path / "leeg"),
                                 str(tmp_path / "*.vtt"), "-o", str(out)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / '*.vtt'}: no files match this pattern" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: nothing to export: ") and "leeg: unknown extension '(none)'" in last
    assert not out.exists()


def test_a_word_heading_is_a_paragraph_with_its_own_selection(runner, tmp_path, small_model_dir):
    import docx

    document = docx.Document()
    document.add_heading("Interview teamleider, 12 maart 2024", level=1)
    document.add_paragraph("Interviewer: Hoe houd je contact met je team?")
    document.add_paragraph("Respondent: Elke maandag bellen we met iedereen.")
    path = tmp_path / "kop.docx"
    document.save(path)
    result = runner.invoke(cli, ["export-qdpx", str(path), "--model", str(small_model_dir),
                                 "--output", str(tmp_path / "kop.qdpx")])
    assert result.exit_code == 0, result.output
    assert "1 transcript(s), 3 paragraphs, 3 selections" in result.stdout
    page = runner.invoke(cli, ["annotate", str(path), "--model", str(small_model_dir), "--format", "html", "-q"])
    assert "(no speaker)" not in page.stdout and "paragraph 1</span>" in page.stdout and "paragraph 0<" not in page.stdout
