from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.qdpx.layout import Block, lay_out, one_line


def test_blocks_carry_time_and_speaker_and_offsets_point_at_the_text():
    text, spans = lay_out([Block("Hoe gaat het? 🙂", "Interviewer", "00:00:04"), Block("Prima, één keer per week.")])
    assert text == "[00:00:04] Interviewer: Hoe gaat het? 🙂\n\nPrima, één keer per week.\n"
    assert [text[s:e] for s, e in spans] == ["Hoe gaat het? 🙂", "Prima, één keer per week."]


def test_line_breaks_inside_a_paragraph_become_spaces():
    text, spans = lay_out([Block("Eerste regel\r\ntweede\rregel\n derde", "R")])
    assert "\r" not in text
    assert text[spans[0][0]:spans[0][1]] == "Eerste regel tweede regel derde"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1),
                          st.none() | st.text(min_size=1, max_size=20)), max_size=6))
def test_offsets_are_code_points_into_the_text(blocks):
    text, spans = lay_out(Block(t, s) for t, s in blocks)
    assert [text[s:e] for s, e in spans] == [one_line(t) for t, _ in blocks]
    assert "\r" not in text and not text.startswith("\ufeff")
