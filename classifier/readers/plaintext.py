"""Plain-text and Markdown transcripts."""

from __future__ import annotations

import re
from pathlib import Path

from classifier.data.records import Paragraph
from classifier.readers.decoding import decode_text
from classifier.readers.turns import Line, parse_lines

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)")


def lines_from_text(text: str, *, markdown: bool = False) -> list[Line]:
    lines = text.split("\n")
    if markdown:
        lines = [_MD_EMPHASIS.sub("", _MD_HEADING.sub("", line)) for line in lines]
    return [Line(text=line) for line in lines]


def read_text(data: bytes, *, source: str, transcript: str, markdown: bool = False) -> list[Paragraph]:
    text = decode_text(data, source=source)
    return parse_lines(lines_from_text(text, markdown=markdown), transcript=transcript)


def read_text_file(path: Path) -> list[Paragraph]:
    return read_text(path.read_bytes(), source=str(path), transcript=path.stem,
                     markdown=path.suffix.lower() == ".md")
