"""Where our paragraphs lie in a source's text, and which coded selections they take codes from.

The overlap rule: a paragraph takes a code when a selection with that code overlaps it
by at least `min_overlap` (default half) of the shorter of the two. So a sentence coded
inside a long paragraph codes the paragraph; a selection over several paragraphs codes
each one it covers; a selection that only clips the first words of the next paragraph
does not code that one.
"""

from __future__ import annotations

import re
from typing import Iterable

MIN_OVERLAP = 0.5


# Between two words of a paragraph the text may hold line breaks and times our readers drop.
_GAP = re.compile(r"(?:\s|\[[\d:.,]+\]|\([\d:.,]+\))*")


def paragraph_spans(text: str, paragraphs: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in `text`, in order.

    Our readers drop speaker labels and times and join a paragraph's lines with single
    spaces, so a paragraph is not a substring of the text; its words are, in order. The
    paragraph is found where its first word starts a token (after a space, a label's
    colon or a time's bracket) and the other words follow with only such gaps between,
    searching from where the previous paragraph ended; should the text hold something
    else between two words, each word is searched on its own instead.
    """
    spans = []
    cursor = 0
    for paragraph in paragraphs:
        words = paragraph.split()
        span = _as_sequence(text, words, cursor) or _word_by_word(text, words, cursor)
        spans.append(span)
        cursor = span[1]
    return spans


def _as_sequence(text: str, words: list[str], cursor: int) -> tuple[int, int] | None:
    if not words:
        return None
    start = text.find(words[0], cursor)
    while start != -1:
        if start == 0 or text[start - 1].isspace() or text[start - 1] in "]):":
            end = start + len(words[0])
            for word in words[1:]:
                at = _GAP.match(text, end).end()
                if at == end or not text.startswith(word, at):  # the reader split words only at a gap
                    break
                end = at + len(word)
            else:
                return start, end
        start = text.find(words[0], start + 1)
    return None


def _word_by_word(text: str, words: list[str], cursor: int) -> tuple[int, int]:
    start = None
    for word in words:
        at = text.find(word, cursor)
        if at == -1:  # pragma: no cover - the reader only ever removes text
            continue
        start = at if start is None else start
        cursor = at + len(word)
    return (cursor, cursor) if start is None else (start, cursor)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def codes_per_paragraph(spans: list[tuple[int, int]], coded: Iterable[tuple[int, int, str]], *,
                        min_overlap: float = MIN_OVERLAP) -> list[set[str]]:
    """For each paragraph span, the codes of the (start, end, code) selections it takes by the rule above."""
    coded = list(coded)
    out = []
    for span in spans:
        codes = set()
        for start, end, code in coded:
            shared = overlap(span, (start, end))
            if shared and shared >= min_overlap * min(span[1] - span[0], end - start):
                codes.add(code)
        out.append(codes)
    return out
