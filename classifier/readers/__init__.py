"""Read transcripts in every supported format into Paragraphs.

`read_transcript` picks the reader by extension; `expand_inputs` turns the
command line's files, directories, globs and '-' into a list of paths.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Callable

from classifier.data.records import Paragraph
from classifier.errors import InputError
from classifier.readers.jsonl import read_jsonl_file
from classifier.readers.plaintext import read_text, read_text_file
from classifier.readers.subtitles import read_subtitle_file
from classifier.readers.wordfile import read_docx_file

READERS: dict[str, Callable[[Path], list[Paragraph]]] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".md": read_text_file,
    ".docx": read_docx_file,
    ".vtt": read_subtitle_file,
    ".srt": read_subtitle_file,
    ".jsonl": lambda path: read_jsonl_file(path, require_labels=False),
}
SUFFIXES = tuple(READERS)
STDIN = "-"

__all__ = ["READERS", "SUFFIXES", "STDIN", "read_transcript", "read_stdin", "expand_inputs",
           "expand_each", "read_jsonl_file", "read_text"]


def read_transcript(path: str | Path) -> list[Paragraph]:
    """Paragraphs of one transcript file; InputError names the file and the problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{path}: old Word .doc files are not supported; save it as .docx")
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(f"{path}: unknown extension {suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    paragraphs = reader(path)
    if not paragraphs:
        raise InputError(f"{path}: no text found")
    return paragraphs


def read_stdin(data: bytes, *, name: str = "stdin") -> list[Paragraph]:
    """Standard input is read as a plain-text transcript."""
    if not data.strip():
        raise InputError(f"{name}: no input on standard input")
    paragraphs = read_text(data, source=name, transcript=name)
    if not paragraphs:
        raise InputError(f"{name}: no text found")
    return paragraphs


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given, directories to their supported files (recursively), globs expanded.

    Order is stable: the inputs in order, each directory's files sorted.
    """
    paths: list[str] = []
    for item in inputs:
        if item == STDIN:
            paths.append(STDIN)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(f"{path}: directory holds no transcript files ({', '.join(SUFFIXES)})")
            paths.extend(str(p) for p in found)
        elif any(ch in item for ch in "*?[") and not path.exists():
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no files match this pattern")
            paths.extend(m for m in matches if Path(m).is_file())
        else:
            paths.append(item)
    return list(dict.fromkeys(paths))


def expand_each(inputs: list[str]) -> tuple[list[str], list[str]]:
    """Like expand_inputs, but an input that expands to nothing is reported, not fatal:
    (paths, error messages), so a batch goes on past one bad argument."""
    paths: list[str] = []
    failed: list[str] = []
    for item in inputs:
        try:
            paths.extend(expand_inputs([item]))
        except InputError as exc:
            failed.append(str(exc))
    return list(dict.fromkeys(paths)), failed
