import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.errors import InputError
from classifier.inference.annotate import annotate_paragraphs
from classifier.qdpx.codemap import load_code_map
from classifier.qdpx.export import AnnotatedTranscript, export_qdpx
from classifier.qdpx.importing import import_qdpx
from classifier.qdpx.project import read_project
from classifier.readers import read_transcript

MAP = {"verbinding": "binding"}


def labels(paragraphs):
    return [p.labels for p in paragraphs]


def test_human_coding_becomes_paragraph_labels(human_qdpx, codebook):
    paragraphs, report = import_qdpx(human_qdpx(), codebook, code_map=MAP)
    assert [p.speaker for p in paragraphs] == ["Interviewer", "Respondent", "Interviewer", "Respondent",
                                               "Respondent", "Interviewer", "Respondent"]
    # a sentence codes its paragraph; a subcode (Loslaten) counts as its parent (Vertrouwen);
    # a selection that clips the next paragraph's first words codes only the one it covers
    assert labels(paragraphs) == [[], ["sturen"], [], ["vertrouwen"], ["binding"], [], ["sturen"]]
    assert paragraphs[0].transcript == "Interview teamleider" and paragraphs[1].id == "Interview teamleider-002"
    assert report.used == {"Anna": 3, "Bram": 1} and report.unmapped == {"Werkdruk": 1}
    assert any("1 coding(s) of the whole document ignored" in p for p in report.problems)


def test_one_coder_only(human_qdpx, codebook):
    paragraphs, report = import_qdpx(human_qdpx(), codebook, coders=["anna"], code_map=MAP)
    assert labels(paragraphs)[6] == [] and report.skipped == {"Bram": 1}
    with pytest.raises(InputError, match=r"no coder named 'Carla'; the project's coders are: Anna, Bram"):
        import_qdpx(human_qdpx(), codebook, coders=["Carla"])


@pytest.mark.parametrize("options", [
    {"folder": "Sources"},
    {"bom": True},
    {"crlf": True},  # CRLF counted as two positions, as MAXQDA and NVivo do
    {"crlf": True, "origin": "ATLAS.ti 23.2"},  # ... and as one, as ATLAS.ti does
    {"crlf": True, "bom": True, "folder": "Sources"},
])
def test_tool_variants_give_the_same_labels(human_qdpx, options, codebook):
    paragraphs, _ = import_qdpx(human_qdpx(**options), codebook, code_map=MAP)
    assert labels(paragraphs) == [[], ["sturen"], [], ["vertrouwen"], ["binding"], [], ["sturen"]]
    assert "\r" not in "".join(p.text for p in paragraphs)


@pytest.mark.parametrize("crlf", [False, True])
def test_selections_past_the_end_are_reported_not_fatal(human_qdpx, codebook, data_dir, crlf):
    paragraphs, report = import_qdpx(human_qdpx(past_end=True, crlf=crlf), codebook, code_map=MAP)
    assert len(paragraphs) == 7
    text = (data_dir / "qdpx_interview.txt").read_text(encoding="utf-8")
    size = len(text) + (text.count("\n") if crlf else 0)  # the positions as the tool counts them
    assert any(f"(positions {size - 6}-{size + 30}) runs past the end of the text ({size} positions); cut at the end"
               in p for p in report.problems)
    assert any(f"(positions {size + 10}-{size + 40}) starts past the end of the text ({size} positions); skipped"
               in p for p in report.problems)


def test_code_map_file(tmp_path, human_qdpx, codebook):
    (tmp_path / "map.yaml").write_text("Verbinding: Binding\nWerkdruk: null\nLeiderschap/Sturen: groei\n")
    paragraphs, report = import_qdpx(human_qdpx(), codebook, code_map=load_code_map(tmp_path / "map.yaml", codebook))
    assert labels(paragraphs) == [[], ["groei"], [], ["vertrouwen"], ["binding"], [], ["groei"]]
    assert not report.unmapped  # Werkdruk was ignored on purpose
    (tmp_path / "bad.yaml").write_text("Verbinding: leiderschap\n")
    with pytest.raises(InputError, match=r"bad.yaml: 'Verbinding' maps to 'leiderschap', which is not a code"):
        load_code_map(tmp_path / "bad.yaml", codebook)


def test_unreadable_projects_are_one_line_errors(tmp_path, codebook):
    (tmp_path / "not.qdpx").write_text("geen zip")
    with pytest.raises(InputError, match=r"not.qdpx: not a REFI-QDA project \(.qdpx is a zip file\)"):
        import_qdpx(tmp_path / "not.qdpx", codebook)
    with zipfile.ZipFile(tmp_path / "broken.qdpx", "w") as archive:
        archive.writestr("project.qde", '<?xml version="1.0"?>\n<Project name="x">\n<Users></Project>')
    with pytest.raises(InputError, match=r"broken.qdpx: project.qde: line 3, column \d+: expected well-formed XML"):
        import_qdpx(tmp_path / "broken.qdpx", codebook)
    with zipfile.ZipFile(tmp_path / "empty.qdpx", "w") as archive:
        archive.writestr("sources/a.txt", "tekst")
    with pytest.raises(InputError, match=r"empty.qdpx: no project.qde"):
        import_qdpx(tmp_path / "empty.qdpx", codebook)


def test_a_missing_source_text_is_reported(human_qdpx, tmp_path, codebook):
    source = human_qdpx()
    target = tmp_path / "zonder-tekst.qdpx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        new.writestr("project.qde", old.read("project.qde"))
    assert any("is missing from the archive's sources/ folder" in p for p in read_project(target).problems)
    with pytest.raises(InputError, match="no source with selections or codings"):
        import_qdpx(target, codebook)


def test_round_trip_annotate_export_import(small_model, nlp, data_dir, tmp_path, codebook):
    transcripts = []
    for name in ("interview_emoji_crlf.txt", "teams.vtt", "interview_labels.txt", "interview.srt"):
        records = annotate_paragraphs(read_transcript(data_dir / name), small_model, nlp)
        transcripts.append(AnnotatedTranscript(records[0]["transcript"], records))
    export_qdpx(transcripts, codebook, tmp_path / "p.qdpx", model_label=small_model.model_id)
    paragraphs, report = import_qdpx(tmp_path / "p.qdpx", codebook, include_model=True)
    expected = [(r["transcript"], r["index"], r["speaker"], r["start"], r["text"], sorted(r["codes"]))
                for t in transcripts for r in t.records]
    assert [(p.transcript, p.index, p.speaker, p.start, p.text, p.labels) for p in paragraphs] == expected
    assert any(p.labels for p in paragraphs) and not report.unmapped
    with pytest.raises(InputError, match="add --include-model to take our model's codings"):
        import_qdpx(tmp_path / "p.qdpx", codebook)


words = st.text(alphabet="abcdéëïöü🙂👍🏽’-.,?!", min_size=1, max_size=8)
paragraph = st.lists(words, min_size=1, max_size=10).map(" ".join)
record = st.fixed_dictionaries({
    "text": paragraph,
    "speaker": st.sampled_from(["Interviewer", "Respondent"]),
    "start": st.none() | st.sampled_from(["00:00:05", "01:02:03"]),
    "codes": st.lists(st.sampled_from(["sturen", "vertrouwen", "communicatie", "groei", "binding"]), unique=True),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(record, min_size=1, max_size=6), min_size=1, max_size=3))
def test_export_then_import_keeps_paragraphs_and_codes(tmp_path, codebook, sources):
    transcripts = [AnnotatedTranscript(f"gesprek-{n}", [dict(r, transcript=f"gesprek-{n}", index=i, scores={})
                                                       for i, r in enumerate(records)])
                   for n, records in enumerate(sources)]
    export_qdpx(transcripts, codebook, tmp_path / "h.qdpx", model_label="m@0")
    paragraphs, _ = import_qdpx(tmp_path / "h.qdpx", codebook, include_model=True)
    assert [(p.transcript, p.speaker, p.start, p.text, p.labels) for p in paragraphs] == [
        (t.name, r["speaker"], r["start"], r["text"], sorted(r["codes"])) for t in transcripts for r in t.records]
