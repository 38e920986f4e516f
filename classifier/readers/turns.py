"""Speaker turns, timestamps and paragraphs from the lines of any transcript format.

Every reader reduces its format to a list of `Line`s; this module decides what is a
speaker label, where a turn ends and how a turn splits into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from classifier.data.records import Paragraph

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_LONG_TIME = r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?"
# Unbracketed, only h:mm:ss counts: "17:30 begon de vergadering" keeps its clock time.
_LEADING_TIME = re.compile(
    rf"^\s*(?:\[(?P<b>{_TIME})\]|\((?P<p>{_TIME})\)|(?P<time>{_LONG_TIME})(?=\s|$))\s*(?:[-–]\s+)?"
)
_BRACKETED_TIME = re.compile(rf"\s*\[{_TIME}\]\s*")
_PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|la|le|du|da|von|'t)"
_NAME = rf"[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+(?:{_PARTICLES}|[A-Z0-9][\w.'’-]*)){{0,4}}"
_LABEL = re.compile(rf"^(?P<label>{_NAME}(?:\s*\([^()\n]{{1,40}}\))?)\s*:(?:\s+|$)(?P<rest>.*)$")
_HEADER = re.compile(rf"^(?P<label>{_NAME})\s+[\[(]?(?P<time>{_TIME})[\])]?\s*$")
_ROLE = re.compile(
    r"^(?:i|r|int|resp|interviewer|interviewster|respondent|interviewee|geïnterviewde|moderator|"
    r"gespreksleider|(?:speaker|spreker|deelnemer|participant)\s*\d+)(?:\s*\(.*\))?$",
    re.IGNORECASE,
)


_INTERVIEWER = re.compile(r"^(?:i|int|interviewer|interviewster|moderator|gespreksleider)(?:\s*\(.*\))?$",
                          re.IGNORECASE)


def is_interviewer(speaker: str | None) -> bool:
    """Is this speaker label one of the interviewer's roles (I:, Int:, Interviewer (Jan):, Moderator:)?"""
    return bool(speaker) and bool(_INTERVIEWER.match(speaker.strip()))


@dataclass
class Line:
    """One line of a text file, one Word paragraph, or one subtitle cue."""

    text: str
    start: str | None = None
    speaker: str | None = None  # set by formats that carry the speaker (WebVTT voice tags)


def normalise_time(value: str | None) -> str | None:
    """'3:12' or '00:03:12.500' -> '00:03:12'."""
    if not value:
        return None
    parts = re.split(r"[.,]", value)[0].split(":")
    parts = ["0"] * (3 - len(parts)) + parts
    hours, minutes, seconds = (int(p) for p in parts)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _strip_time(text: str) -> tuple[str, str | None]:
    match = _LEADING_TIME.match(text)
    if match:
        return text[match.end():], match.group("b") or match.group("p") or match.group("time")
    return text, None


@dataclass
class _Label:
    label: str
    rest: str
    time: str | None


def _candidate(text: str) -> _Label | None:
    """The speaker label a line opens with, if it has the shape of one."""
    header = _HEADER.match(text)
    if header:
        return _Label(header.group("label"), "", header.group("time"))
    match = _LABEL.match(text)
    if not match:
        return None
    rest, time = _strip_time(match.group("rest"))
    return _Label(match.group("label"), rest, time)


def parse_lines(lines: list[Line], *, transcript: str, mode: str = "text") -> list[Paragraph]:
    """Group lines into speaker turns and paragraphs.

    A label ("Name:", or a line holding only a name and a time) counts only at the
    start of a line, and only when it is a known role (I:, Interviewer:, SPEAKER 1:
    ...) or a name that opens a line at least twice in the file: so "Let op: ..."
    once is text, not a speaker. Modes: "text" - a blank line ends a paragraph, and
    where the file has no blank lines at all every line is one (Word's plain-text
    export); "paragraphs" - every line is a paragraph (Word documents); "cues" -
    subtitle cues, where consecutive cues of one speaker form one paragraph.
    """
    prepared = []
    for line in lines:
        text, time = _strip_time(line.text.strip())
        prepared.append((text.strip(), time or line.start, line.speaker, _candidate(text.strip())))

    counts = Counter(c.label.casefold() for _, _, _, c in prepared if c)

    def accepted(cand: _Label | None) -> bool:
        return cand is not None and (
            bool(_ROLE.match(cand.label)) or counts[cand.label.casefold()] >= 2
        )

    merge_same_speaker = mode == "cues"
    has_blank = len(prepared) > 2 and any(not text for text, _, _, _ in prepared[1:-1])
    every_line_new = mode == "paragraphs" or (mode == "text" and not has_blank)

    paragraphs: list[Paragraph] = []
    speaker: str | None = None
    buffer: list[str] = []
    start: str | None = None

    def flush() -> None:
        nonlocal buffer, start
        if not buffer:
            return
        text = _BRACKETED_TIME.sub(" ", " ".join(buffer))
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            paragraphs.append(Paragraph(text=text, transcript=transcript, index=len(paragraphs),
                                        speaker=speaker, start=normalise_time(start)))
        buffer, start = [], None

    for text, time, voice, cand in prepared:
        new_speaker = voice
        if new_speaker is None and accepted(cand):
            new_speaker, text, time = cand.label, cand.rest, cand.time or time
        if new_speaker is not None:
            same = new_speaker == speaker
            if not (same and merge_same_speaker):
                flush()
            speaker = new_speaker
        elif not text:
            flush()
            continue
        elif every_line_new:
            flush()
        if start is None:
            start = time
        if text:
            buffer.append(text)
    flush()
    return paragraphs
