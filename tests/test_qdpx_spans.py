from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.qdpx.layout import Block, lay_out
from classifier.qdpx.spans import codes_per_paragraph, overlap, paragraph_spans
from classifier.readers.plaintext import lines_from_text
from classifier.readers.turns import parse_lines


def test_spans_skip_labels_and_times():
    text = "[00:00:04] Interviewer: Hoe gaat het?\n\nRespondent: Goed,\necht goed.\n"
    paragraphs = parse_lines(lines_from_text(text), transcript="t")
    spans = paragraph_spans(text, [p.text for p in paragraphs])
    assert [text[s:e] for s, e in spans] == ["Hoe gaat het?", "Goed,\necht goed."]


def test_a_sentence_inside_a_paragraph_codes_it():
    spans = [(0, 100), (102, 300)]
    assert codes_per_paragraph(spans, [(120, 140, "sturen")]) == [set(), {"sturen"}]


def test_a_selection_over_several_paragraphs_codes_each_it_covers():
    spans = [(0, 100), (102, 200), (202, 300)]
    assert codes_per_paragraph(spans, [(0, 200, "groei")]) == [{"groei"}, {"groei"}, set()]


def test_clipping_the_next_paragraphs_first_words_does_not_code_it():
    spans = [(0, 100), (102, 300)]
    assert codes_per_paragraph(spans, [(10, 112, "binding")]) == [{"binding"}, set()]
    # ... unless the threshold is lowered far enough
    assert codes_per_paragraph(spans, [(10, 112, "binding")], min_overlap=0.05) == [{"binding"}, {"binding"}]


def test_overlap():
    assert overlap((0, 10), (5, 20)) == 5 and overlap((0, 10), (10, 20)) == 0


words = st.text(alphabet="abcdéëïöüßçñ🙂👍🏽☕’-.,?!", min_size=1, max_size=8)
paragraph = st.lists(words, min_size=1, max_size=12).map(" ".join)
speaker = st.sampled_from(["Interviewer", "Respondent", "I", "R"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(paragraph, speaker), min_size=1, max_size=8))
def test_laid_out_text_reads_back_into_the_same_paragraphs_at_the_same_offsets(blocks):
    text, spans = lay_out(Block(t, s) for t, s in blocks)
    paragraphs = parse_lines(lines_from_text(text), transcript="t")
    assert [(p.text, p.speaker) for p in paragraphs] == blocks
    assert paragraph_spans(text, [p.text for p in paragraphs]) == spans


def test_a_word_of_the_speaker_label_is_not_taken_for_the_paragraph():
    text = "Pieter van Dam: van harte.\n\nPieter van Dam: d\n\nRespondent: d\n"
    spans = paragraph_spans(text, ["van harte.", "d", "d"])
    assert [text[s:e] for s, e in spans] == ["van harte.", "d", "d"]
    assert spans[0][0] == text.index(": van") + 2


def test_times_inside_a_paragraph_are_stepped_over():
    text = "R: Eerst dit [00:01:02] en dan\n(00:01:05) dat.\n\nI: Oké.\n"
    paragraphs = parse_lines(lines_from_text(text), transcript="t")
    assert [p.text for p in paragraphs] == ["Eerst dit en dan dat.", "Oké."]
    (start, end), _ = paragraph_spans(text, [p.text for p in paragraphs])
    assert text[start:end] == "Eerst dit [00:01:02] en dan\n(00:01:05) dat."
