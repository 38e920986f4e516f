import json

import pytest

from classifier.cli import cli
from classifier.errors import InputError
from classifier.inference.batch import MANIFEST
from classifier.render.annotation_files import (
    annotation_inputs,
    pages_from_annotations,
    read_annotations,
)
from classifier.render.context import OutputContext
from classifier.render.output import write_records


@pytest.fixture()
def annotated(tmp_path, markup_records, small_model):
    path = tmp_path / "annotated" / "review_markup.jsonl"
    write_records(markup_records, path, "jsonl", codes=small_model.codes)
    (path.parent / MANIFEST).write_text('{"input": "x", "status": "ok", "output": "review_markup.jsonl"}\n',
                                         encoding="utf-8")
    return path


def test_read_annotations_gives_back_what_annotate_wrote(annotated, markup_records, small_model):
    assert read_annotations(annotated, codes=small_model.codes) == markup_records


def test_bad_annotation_lines_are_named(tmp_path, markup_records, small_model):
    codes = small_model.codes
    good = json.dumps(markup_records[0])
    bad = tmp_path / "kapot.jsonl"
    bad.write_text("\n".join([good, "{niet json", json.dumps(dict(markup_records[1], codes=["leiderschap"])),
                              json.dumps({"text": "los"})]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_annotations(bad, codes=codes)
    message = str(caught.value)
    assert message.startswith(f"{bad}: line 2: invalid JSON")
    assert "line 3: unknown code(s) leiderschap; the model has sturen" in message
    assert "line 4: missing transcript, index, codes, scores" in message


def test_directories_give_their_annotation_files_but_not_the_manifest(annotated, tmp_path):
    assert annotation_inputs([annotated.parent]) == [(str(annotated), annotated.stem)]


def test_one_page_per_file_and_a_bad_file_does_not_stop_the_rest(annotated, tmp_path, small_model):
    bad = tmp_path / "leeg.jsonl"
    bad.write_text("\n", encoding="utf-8")
    results = pages_from_annotations([(str(bad), "leeg"), (str(annotated), annotated.stem)], codes=small_model.codes,
                                     context=OutputContext.from_model(small_model), output_dir=tmp_path / "pages")
    assert results[0] == (str(bad), None, f"{bad}: no annotation records; expected the JSON Lines that annotate writes")
    assert results[1][1] == tmp_path / "pages" / "review_markup.html" and results[1][1].is_file()


def test_review_page_cli(runner, annotated, small_model_dir, tmp_path, data_dir):
    out = tmp_path / "pages"
    result = runner.invoke(cli, ["review-page", str(annotated.parent), str(data_dir / "corpus_bad.jsonl"),
                                 "--model", str(small_model_dir), "--output-dir", str(out)])
    assert result.exit_code == 1
    assert f"{annotated}: {out / 'review_markup.html'}" in result.stdout
    assert result.stderr.startswith(f"Error: {data_dir / 'corpus_bad.jsonl'}: line 1: missing")
    assert "Traceback" not in result.output
    assert "&lt;script&gt;" in (out / "review_markup.html").read_text(encoding="utf-8")
