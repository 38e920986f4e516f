"""The plain text of a transcript as a QDA tool shows it, with each paragraph's exact offsets.

One block per paragraph, blocks separated by a blank line, LF only, no BOM:

    [00:00:05] Interviewer: Hoe vaak spreek je je team?

    Respondent: Elke ochtend even kort.

The time and the speaker label are written the way our readers recognise them, so a
project exported here and imported again splits into the same paragraphs. Offsets are
code points (Python str indices, end exclusive), the unit REFI-QDA counts in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Block:
    """What the layout needs from a paragraph or an annotation record."""

    text: str
    speaker: str | None = None
    start: str | None = None


def one_line(text: str) -> str:
    """Whitespace runs, line breaks included, become one space: a paragraph is one line.
    A stray byte-order mark goes: it is invisible, and QualCoder would count it."""
    return " ".join(text.replace("\ufeff", "").split())


def lay_out(blocks: Iterable[Block]) -> tuple[str, list[tuple[int, int]]]:
    """The source text and, per block, the (start, end) of its text within it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for block in blocks:
        prefix = ""
        if block.start:
            prefix += f"[{block.start}] "
        if block.speaker and one_line(block.speaker):
            prefix += f"{one_line(block.speaker)}: "
        body = one_line(block.text)
        start = offset + len(prefix)
        spans.append((start, start + len(body)))
        chunk = prefix + body + "\n\n"
        parts.append(chunk)
        offset += len(chunk)
    text = "".join(parts)
    return (text[:-1] if text else text), spans
