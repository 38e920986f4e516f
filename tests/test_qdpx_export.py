import zipfile

import pyrefiqda
import pytest
from lxml import etree

from classifier import __version__
from classifier.errors import InputError
from classifier.inference.annotate import annotate_paragraphs
from classifier.qdpx.export import (
    AnnotatedTranscript,
    export_qdpx,
    export_transcripts,
    write_qdc,
)
from classifier.readers import read_transcript

NS = {"q": "urn:QDA-XML:project:1.0"}
INPUTS = ["interview_emoji_crlf.txt", "teams.vtt", "interview_cp1252.txt", "interview_labels.txt"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, small_model, nlp, data_dir):
    path = tmp_path_factory.mktemp("qdpx") / "project.qdpx"
    summary = export_transcripts([str(data_dir / name) for name in INPUTS], small_model, nlp, path)
    return path, summary


def open_project(path):
    """Read the archive the plain way a QDA tool does: project.qde, then sources/<guid>.txt."""
    archive = zipfile.ZipFile(path)
    root = etree.fromstring(archive.read("project.qde"))
    return archive, root


def test_every_selection_is_exactly_its_paragraph(exported, small_model, nlp, data_dir):
    path, _ = exported
    archive, root = open_project(path)
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == [name.rsplit(".", 1)[0] for name in INPUTS]
    for source, name in zip(sources, INPUTS):
        raw = archive.read(f"sources/{source.get('plainTextPath').removeprefix('internal://')}")
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        text = raw.decode("utf-8")
        records = annotate_paragraphs(read_transcript(data_dir / name), small_model, nlp)
        expected = [r["text"] for r in records]  # every paragraph, a heading too
        selected = [text[int(s.get("startPosition")):int(s.get("endPosition"))]
                    for s in source.findall("q:PlainTextSelection", NS)]
        assert selected == expected
    emoji = archive.read(f"sources/{sources[0].get('plainTextPath')[11:]}").decode("utf-8")
    assert "👍🏽" in emoji and "’s-Hertogenbosch" in emoji


def test_project_validates_against_the_refi_schema(exported, refi_schemas):
    path, _ = exported
    _, root = open_project(path)
    schema = refi_schemas["Project-mrt2019"]
    assert schema.validate(root), schema.error_log


def test_codebook_and_speakers_are_non_codable_folders_of_unique_codes(exported, codebook):
    path, _ = exported
    _, root = open_project(path)
    assert root.get("origin") == f"hnw-classifier {__version__}"
    folders = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [(f.get("name"), f.get("isCodable")) for f in folders] == [(codebook.name, "false"), ("Sprekers", "false")]
    codes = folders[0].findall("q:Code", NS)
    assert [(c.get("name"), c.get("color"), c.findtext("q:Description", namespaces=NS)) for c in codes] == [
        (c.name, c.colour, c.description) for c in codebook.codes]
    speakers = {c.get("name") for c in folders[1].findall("q:Code", NS)}
    assert {"Interviewer", "Respondent", "Sanne Bakker", "Pieter van Dam"} <= speakers
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")]
    assert len(names) == len(set(names))


def test_codings_are_the_models_and_descriptions_hold_probabilities(exported, small_model, codebook):
    path, summary = exported
    _, root = open_project(path)
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    code_ids = {c.get("guid"): code.id for c, code in zip(root.findall("q:CodeBook/q:Codes/q:Code/q:Code", NS),
                                                              codebook.codes)}
    model_codings = 0
    for selection in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"):
        description = selection.findtext("q:Description", namespaces=NS)
        assert all(code.name in description for code in codebook.codes)
        for coding in selection.findall("q:Coding", NS):
            target = coding.find("q:CodeRef", NS).get("targetGUID")
            if target in code_ids:
                model_codings += 1
                assert users[coding.get("creatingUser")] == f"hnw-classifier {__version__} model {small_model.model_id}"
                assert f"{codebook[code_ids[target]].name} " in description
    assert model_codings == sum(summary.codings.values()) > 0


def test_an_independent_parser_reads_the_project(exported, tmp_path):
    path, summary = exported
    project = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "x"))
    assert project.origin.startswith("hnw-classifier")
    assert len(project.sources.text_source) == summary.sources == len(INPUTS)
    guids = {c.guid for folder in project.code_book.codes.code for c in folder.code}
    selections = [s for source in project.sources.text_source for s in source.plain_text_selection]
    assert len(selections) == summary.selections
    assert all(c.code_ref.target_guid in guids for s in selections for c in s.coding)
    first = project.sources.text_source[0]
    text = pyrefiqda.RefiProject.resolve_source_path(first.plain_text_path, tmp_path / "x").read_text(encoding="utf-8")
    sel = first.plain_text_selection[0]
    assert text[sel.start_position:sel.end_position] == "Hoe gaat het met het thuiswerken? 🙂"


def test_qdc_validates_and_shares_the_projects_code_guids(exported, codebook, refi_schemas, tmp_path):
    path = write_qdc(codebook, tmp_path / "codes.qdc")
    root = etree.parse(str(path)).getroot()
    schema = refi_schemas["Codebook"]
    assert schema.validate(root), schema.error_log
    _, project = open_project(exported[0])
    in_project = {c.get("guid") for c in project.iter("{urn:QDA-XML:project:1.0}Code")}
    in_qdc = {c.get("guid") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert len(in_qdc) == len(codebook.codes) + 1 and in_qdc <= in_project
    assert [c.name for c in pyrefiqda.RefiCodebook.load(path).codes.code[0].code] == [c.name for c in codebook.codes]


def record(text, speaker, codes=(), index=0):
    return {"transcript": "t", "index": index, "speaker": speaker, "start": None, "text": text,
            "codes": list(codes), "scores": {"sturen": 0.9 if "sturen" in codes else 0.1}, "evidence": {}}


def test_speaker_named_like_a_code_gets_a_distinct_name_and_odd_characters_stay_valid(codebook, refi_schemas,
                                                                                          tmp_path):
    transcripts = [AnnotatedTranscript("t", [record("We sturen op resultaat.", "Sturen", ["sturen"]),
                                             record("Goed\x0b zo.", "Jan\x07", index=1)]),
                   AnnotatedTranscript("t", [record("Nog een keer.", None)])]
    summary = export_qdpx(transcripts, codebook, tmp_path / "p.qdpx", model_label="m@1")
    _, root = open_project(tmp_path / "p.qdpx")
    assert refi_schemas["Project-mrt2019"].validate(root), refi_schemas["Project-mrt2019"].error_log
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")]
    assert "Sturen (spreker)" in names and "Jan" in names and len(names) == len(set(names))
    assert [s.get("name") for s in root.findall("q:Sources/q:TextSource", NS)] == ["t", "t (2)"]
    assert summary.selections == 3 and summary.codings["sturen"] == 1


def test_a_code_outside_the_codebook_is_refused(codebook, tmp_path):
    transcripts = [AnnotatedTranscript("t", [record("Tekst.", "R", ["leiderschap"])])]
    with pytest.raises(InputError, match=r"transcript 't', paragraph 0: code 'leiderschap' is not in the codebook; "
                                         r"expected one of sturen, vertrouwen"):
        export_qdpx(transcripts, codebook, tmp_path / "p.qdpx", model_label="m")
    assert not (tmp_path / "p.qdpx").exists()
