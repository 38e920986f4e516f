import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.render.highlight import evidence_segments, is_form_of


@pytest.mark.parametrize("word, lemma", [
    ("afspraken", "afspraak"), ("Afspraak", "afspraak"), ("gesprekken", "gesprek"),
    ("thuiswerkdagen", "thuiswerkdag"), ("ontwikkelt", "ontwikkelen"), ("vertrouwde", "vertrouwen"),
    ("dagen", "dag"), ("ruimte", "ruimte"),
])
def test_inflected_forms_match_their_lemma(word, lemma):
    assert is_form_of(word, lemma)


@pytest.mark.parametrize("word, lemma", [
    ("teamleider", "team"),  # a compound is another word, not a form
    ("dagelijks", "dag"), ("ging", "gaan"), ("doel", "doelstelling"), ("de", "dag"),
])
def test_other_words_do_not_match(word, lemma):
    assert not is_form_of(word, lemma)


def test_segments_mark_evidence_words_with_their_codes():
    text = "We maakten afspraken over resultaten; het gesprek ging over de afspraak."
    segments = evidence_segments(text, {"sturen": ["afspraak", "resultaat maken"], "communicatie": ["gesprek", "afspraak"]})
    marked = [(piece, codes) for piece, codes in segments if codes]
    assert marked == [("afspraken", ("sturen", "communicatie")), ("resultaten", ("sturen",)),
                      ("gesprek", ("communicatie",)), ("afspraak", ("sturen", "communicatie"))]
    assert "".join(piece for piece, _ in segments) == text


def test_placeholders_and_short_lemmas_are_not_marked():
    segments = evidence_segments("Om 9 uur op de 2e dag", {"sturen": ["<num>", "op", "de"]})
    assert all(not codes for _, codes in segments)


words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)


@given(text=st.text(max_size=200), terms=st.dictionaries(st.sampled_from(["sturen", "groei"]),
                                                         st.lists(words, max_size=4), max_size=2))
def test_segments_always_join_back_to_the_text(text, terms):
    segments = evidence_segments(text, terms)
    assert "".join(piece for piece, _ in segments) == text
    for piece, codes in segments:
        if codes:
            assert any(is_form_of(piece, lemma) for c in codes for term in terms[c] for lemma in term.split())
