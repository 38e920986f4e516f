"""Where our paragraphs lie in a source's text, and which coded selections they take codes from.

The overlap rule: a paragraph takes a code when a selection with that code overlaps it
by at least `min_overlap` (default half) of the shorter of the two. So a sentence coded
inside a long paragraph codes the paragraph; a selection over several paragraphs codes
each one it covers; a selection that only clips the first words of the next paragraph
does not code that one.
"""

from __future__ import annotations

from typing import Iterable

MIN_OVERLAP = 0.5


def paragraph_spans(text: str, paragraphs: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in `text`, in order.

    Our readers drop speaker labels and times and join a paragraph's lines with single
    spaces, so a paragraph is not a substring of the text; its words are, in order.
    Each word is searched from where the previous one ended.
    """
    spans = []
    cursor = 0
    for paragraph in paragraphs:
        start = end = None
        for word in paragraph.split():
            at = text.find(word, cursor)
            if at == -1:  # pragma: no cover - the reader only ever removes text
                continue
            start = at if start is None else start
            end = cursor = at + len(word)
        spans.append((cursor, cursor) if start is None else (start, end))
    return spans


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
