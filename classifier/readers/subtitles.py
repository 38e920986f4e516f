"""WebVTT (MS Teams, Zoom) and SRT transcripts: one cue is one line with its start time."""

from __future__ import annotations

import io
import re
from pathlib import Path

import webvtt
from webvtt.errors import MalformedFileError

from classifier.data.records import Paragraph
from classifier.errors import InputError
from classifier.readers.decoding import decode_text
from classifier.readers.turns import Line, parse_lines

_STAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}"
_TIMING = re.compile(rf"^\s*{_STAMP}\s+-->\s+{_STAMP}(?:\s.*)?$")
# What a timing line looks like to a person, even when it is broken.
_TIMING_ATTEMPT = re.compile(r"^\s*[\d:.,]+\s*-+>|-->")


def check_cue_timings(text: str, *, source: str) -> None:
    """webvtt-py skips or swallows a cue with a broken timing line; we refuse the file."""
    for number, line in enumerate(text.split("\n"), start=1):
        if _TIMING_ATTEMPT.search(line) and not _TIMING.match(line):
            raise InputError(f"{source}: line {number}: malformed cue timing {line.strip()!r}; "
                             "expected 'HH:MM:SS.mmm --> HH:MM:SS.mmm'")


def read_subtitle_file(path: Path) -> list[Paragraph]:
    text = decode_text(path.read_bytes(), source=str(path))
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
    check_cue_timings(text, source=str(path))
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
    except MalformedFileError as exc:
        raise InputError(f"{path}: malformed {fmt.upper()} file ({_first_line(exc)})") from None
    except (ValueError, IndexError) as exc:
        raise InputError(f"{path}: malformed cue timing in {fmt.upper()} file ({_first_line(exc)})") from None
    lines = [
        Line(text=" ".join(caption.text.split("\n")), start=caption.start, speaker=caption.voice)
        for caption in captions
    ]
    if not lines:
        raise InputError(f"{path}: no cues found in the {fmt.upper()} file")
    return parse_lines(lines, transcript=path.stem, mode="cues")


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
