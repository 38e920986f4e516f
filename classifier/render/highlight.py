"""Finding a paragraph's evidence terms in its text, so a page can highlight them.

Evidence terms are lemmas ("afspraak", "thuiswerkdag"); the text holds inflected words
("afspraken", "thuiswerkdagen"). A word counts as a form of a lemma when the two share
a long enough beginning: Dutch inflection mostly changes the end of a word. This is a
display aid, not a lemmatiser: an irregular form ("ging" for "gaan") is not marked.
"""

from __future__ import annotations

import re
from os.path import commonprefix

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
MIN_TERM = 3  # shorter lemmas ("op", "je") are too common to be worth marking


def is_form_of(word: str, lemma: str) -> bool:
    """True when `word` looks like an inflected form of `lemma` (both compared lowercased)."""
    word, lemma = word.lower(), lemma.lower()
    if word == lemma:
        return True
    shared = len(commonprefix([word, lemma]))
    # Enough of the lemma kept (afspraak -> afspraken), and little added to it, so
    # "team" does not mark "teamleider".
    return shared >= min(len(lemma), 4) and shared >= len(lemma) - 2 and shared >= len(word) - 4


def evidence_segments(text: str, terms: dict[str, list[str]]) -> list[tuple[str, tuple[str, ...]]]:
    """`text` cut into (piece, codes) in order; `codes` names the codes whose evidence the
    piece is, empty for plain text. The pieces joined give `text` back unchanged."""
    lemmas: dict[str, list[str]] = {}
    for code, code_terms in terms.items():
        for term in code_terms:
            for lemma in term.split():
                if len(lemma) >= MIN_TERM and not lemma.startswith("<"):
                    lemmas.setdefault(lemma, [])
                    if code not in lemmas[lemma]:
                        lemmas[lemma].append(code)
    segments: list[tuple[str, tuple[str, ...]]] = []
    position = 0
    for match in WORD.finditer(text):
        codes = [c for lemma, owners in lemmas.items() if is_form_of(match.group(), lemma) for c in owners]
        if not codes:
            continue
        if match.start() > position:
            segments.append((text[position:match.start()], ()))
        segments.append((match.group(), tuple(dict.fromkeys(codes))))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], ()))
    return segments
