from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.errors import CorpusError, InputError
from classifier.readers import expand_inputs, read_stdin, read_transcript
from classifier.readers.decoding import decode_text
from classifier.readers.jsonl import read_jsonl_file
from classifier.readers.turns import Line, normalise_time, parse_lines


def texts(paragraphs):
    return [p.text for p in paragraphs]


def test_labelled_text_with_timestamps_and_multi_paragraph_turn(data_dir):
    paras = read_transcript(data_dir / "interview_labels.txt")
    # The two header lines before the first label have no speaker and stay separate paragraphs.
    assert [p.speaker for p in paras] == [None, "Interviewer", "Respondent", "Interviewer", "Respondent",
                                          "Respondent", "Interviewer", "Respondent"]
    assert paras[0].text == "Interview teamleider, afdeling Vergunningen Datum: 14 maart 2023"
    assert paras[1].start == "00:00:04"
    assert paras[2].text.startswith("Ja hoor") and "Let op: om 17:30 moet ik" in paras[2].text
    assert paras[4].text == ("Maandag doen we een korte start, online, iedereen zegt wat hij die week wil "
                             "afronden. Dat schrijf ik niet eens op, eerlijk gezegd.")
    assert paras[5].text.startswith("Wat ik wel doe") and paras[5].start is None
    assert paras[7].text == "Die zie ik op maandag in beeld. Dat is genoeg."
    assert paras[7].start == "00:01:45"
    assert [p.index for p in paras] == list(range(8))
    assert all(p.transcript == "interview_labels" for p in paras)
    assert not any("[00:" in t for t in texts(paras))


def test_utf8_bom_and_crlf(data_dir):
    paras = read_transcript(data_dir / "interview_bom_crlf.txt")
    assert [p.speaker for p in paras] == ["I", "R", "I", "R"]
    assert paras[1].text == "Sinds 2009, bij de directie Financiën."
    assert paras[3].text.endswith("café-achtig: je zoekt een plek.")
    assert not paras[0].text.startswith("\ufeff")


def test_cp1252_is_detected(data_dir):
    paras = read_transcript(data_dir / "interview_cp1252.txt")
    assert paras[1].speaker == "Geïnterviewde"
    assert "‘eigen’" in paras[1].text and "€40" in paras[1].text and "–" in paras[1].text
    assert "één keer per maand" in paras[3].text


def test_latin1_without_labels_splits_on_blank_lines(data_dir):
    paras = read_transcript(data_dir / "interview_latin1.txt")
    assert [p.speaker for p in paras] == [None, None]
    assert paras[1].text == "De coördinator zegt: één keer per week overleg is genoeg."


def test_word_export_one_paragraph_per_line(data_dir):
    paras = read_transcript(data_dir / "word_export.txt")
    assert len(paras) == 3 and paras[2].text.startswith("Een collega vroeg")


def test_markdown_bold_labels(data_dir):
    paras = read_transcript(data_dir / "notes.md")
    assert paras[0].text == "Gespreksverslag afdelingshoofd"
    assert [p.speaker for p in paras[1:]] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]
    assert paras[4].text == "Elke donderdag is er een teamdag. Geen agenda, gewoon samen lunchen."


def test_docx(docx_file):
    paras = read_transcript(docx_file)
    assert [p.speaker for p in paras] == ["Interviewer", "Respondent", "Respondent", "Interviewer", "Respondent"]
    assert paras[1].text == "Elke week een half uur, één op één."


def test_teams_vtt_voice_tags_merge_consecutive_cues(data_dir):
    paras = read_transcript(data_dir / "teams.vtt")
    assert [p.speaker for p in paras] == ["Sanne Bakker", "Pieter van Dam", "Sanne Bakker", "Pieter van Dam"]
    assert paras[1].text == "Ja, prima. Ik zit vandaag thuis, dus als de hond blaft dan weet je waarom."
    assert paras[1].start == "00:00:05" and paras[3].start == "00:00:19"


def test_zoom_vtt_name_colon_and_unlabelled_cue_continues(data_dir):
    paras = read_transcript(data_dir / "zoom.vtt")
    assert [p.speaker for p in paras] == ["Interviewer", "Marco Jansen", "Interviewer", "Marco Jansen"]
    assert paras[1].text == "Ik ben programmamanager, sinds vorig jaar. Ik heb twaalf mensen, verspreid over drie locaties."
    assert paras[2].start == "00:01:02"


def test_srt_speaker_numbers(data_dir):
    paras = read_transcript(data_dir / "interview.srt")
    assert [p.speaker for p in paras] == ["SPEAKER 1", "SPEAKER 2", "SPEAKER 1"]
    assert paras[1].text.endswith("Ik werk hier nu zes jaar.")
    assert paras[2].start == "00:00:14"


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\x00\x01\x02binary\x00data", "binary data"),
    (b"\n\n   \n", "no text found"),
])
def test_bad_text_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_transcript(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_malformed_cue_timing_names_file_and_line(data_dir):
    with pytest.raises(InputError, match=r"bad_timing.vtt: line 6: malformed cue timing"):
        read_transcript(data_dir / "bad_timing.vtt")


def test_unknown_extension_and_old_word(tmp_path):
    pdf, doc = tmp_path / "x.pdf", tmp_path / "x.doc"
    pdf.write_bytes(b"%PDF-1.4")
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"unknown extension '.pdf'"):
        read_transcript(pdf)
    with pytest.raises(InputError, match=r"save it as .docx"):
        read_transcript(doc)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a valid .docx"):
        read_transcript(path)


def test_clock_times_and_single_colon_phrases_are_not_speakers():
    lines = [Line("17:30 begint de borrel, zei ze."), Line("Let op: dit is geen spreker."),
             Line("Om half zes: iedereen naar huis.")]
    paras = parse_lines(lines, transcript="x")
    assert [p.speaker for p in paras] == [None, None, None]
    assert paras[0].text == "17:30 begint de borrel, zei ze."


def test_interviewer_with_name_and_repeated_names():
    text = "Interviewer (Jan): Eerste vraag?\nEls: Antwoord.\nInterviewer (Jan): Tweede vraag?\nEls: Nog een antwoord.\n"
    paras = parse_lines([Line(t) for t in text.split("\n")], transcript="x")
    assert [p.speaker for p in paras] == ["Interviewer (Jan)", "Els", "Interviewer (Jan)", "Els"]


def test_normalise_time():
    assert normalise_time("3:12") == "00:03:12"
    assert normalise_time("01:02:03.456") == "01:02:03"
    assert normalise_time(None) is None


def test_stdin():
    paras = read_stdin("I: Vraag?\nR: Antwoord.\n".encode())
    assert [p.speaker for p in paras] == ["I", "R"] and paras[0].transcript == "stdin"
    with pytest.raises(InputError, match="no input"):
        read_stdin(b"  ")


def test_jsonl_records_and_errors(data_dir):
    records = read_jsonl_file(data_dir / "corpus_good.jsonl", codes=["sturen", "vertrouwen"])
    assert [r.labels for r in records] == [["sturen"], ["vertrouwen"], []]
    assert records[0].id == "t-001" and records[2].transcript == "corpus_good"
    with pytest.raises(CorpusError) as info:
        read_jsonl_file(data_dir / "corpus_bad.jsonl", codes=["sturen"])
    message = str(info.value)
    assert "corpus_bad.jsonl" in message and "line 2: unknown code(s) leiderschap" in message
    assert "line 3: missing or empty 'text'" in message and "line 4: invalid JSON" in message


def test_expand_inputs(tmp_path, data_dir):
    found = expand_inputs([str(data_dir)])
    assert str(data_dir / "teams.vtt") in found and all(Path(p).suffix for p in found)
    assert expand_inputs([str(data_dir / "*.srt")]) == [str(data_dir / "interview.srt")]
    with pytest.raises(InputError, match="no files match"):
        expand_inputs([str(tmp_path / "*.vtt")])


TEXT = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=TEXT, min_size=1))
def test_decode_round_trip_utf8(text):
    expected = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    assert decode_text(text.encode("utf-8"), source="x") == expected


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # an image
    b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),  # a zip archive (.docx, .xlsx) read as text
    "Ik werk thuis.".encode("utf-16-le"),  # UTF-16 without a BOM: every other byte NUL
    bytes([7, 8, 11, 14, 27] * 40) + b"tekst",  # mostly control characters
], ids=["png", "zip", "utf16-no-bom", "controls"])
def test_binary_data_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        decode_text(data, source="x")


def test_a_few_stray_control_characters_are_still_text():
    text = "Goedemorgen,\x0bik ben er.\x1b " + "Dit is gewone tekst. " * 20
    assert decode_text(text.encode("utf-8"), source="x").startswith("Goedemorgen")


EXAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "examples"


def _turns(records):
    """Consecutive paragraphs of one speaker joined: what a subtitle file can carry."""
    turns = []
    for r in records:
        if turns and turns[-1][0] == r.speaker:
            turns[-1] = (r.speaker, turns[-1][1] + " " + r.text)
        else:
            turns.append((r.speaker, r.text))
    return turns


@pytest.mark.parametrize("stem", sorted(p.stem for p in EXAMPLES.glob("*.vtt")))  # the rendered ones
def test_rendered_examples_read_back_as_the_corpus_records(stem):
    source = read_jsonl_file(EXAMPLES.parent / "interviews" / f"{stem}.jsonl")
    expected = [(r.speaker, r.text) for r in source]
    for suffix in (".txt", ".docx"):
        got = read_transcript(EXAMPLES / f"{stem}{suffix}")
        assert [(p.speaker, p.text) for p in got] == expected, suffix
    assert read_transcript(EXAMPLES / f"{stem}.txt")[0].start == "00:00:04"
    for suffix in (".vtt", ".srt"):
        got = read_transcript(EXAMPLES / f"{stem}{suffix}")
        assert [(p.speaker, p.text) for p in got] == _turns(source), suffix


def test_a_file_too_large_for_a_transcript_is_one_line(tmp_path, monkeypatch):
    import classifier.readers as readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "groot.txt"
    path.write_text("Respondent: tekst.\n" * 200, encoding="utf-8")
    with pytest.raises(InputError, match=r"groot.txt: 0 MB is more than one transcript holds \(the limit is 0 MB\)"):
        read_transcript(path)
