"""Read transcripts in every supported format into Paragraphs.

`read_transcript` picks the reader by extension; `expand_inputs` turns the
command line's files, directories, globs and '-' into a list of paths.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass
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
BATCH_MANIFEST = "manifest.jsonl"  # what a batch run writes beside its outputs: such a folder is never input
OUTPUT_MARK = ".hnw-classifier-output"  # what review-page and summarize leave in their folders, likewise
# A long interview transcript is well under a megabyte; a bigger file is read whole into memory
# (and, in a batch, once per part), so past this it is refused in one line instead.
MAX_FILE_BYTES = 64 * 2**20  # what a batch run writes beside its outputs: such a folder is never input

__all__ = ["READERS", "SUFFIXES", "STDIN", "Found", "read_transcript", "read_stdin", "find_inputs",
           "expand_inputs", "expand_each", "read_jsonl_file", "read_text"]


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
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size / 2**20:.0f} MB is more than one transcript holds (the limit is "
                         f"{MAX_FILE_BYTES // 2**20} MB); split it into smaller files")
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


UNSUPPORTED_HINTS = {
    ".doc": "old Word format; open it in Word or LibreOffice and save it as .docx",
    ".pdf": "PDF; export the text (pdftotext, or Save as .docx from Word) and annotate that",
    ".odt": "OpenDocument; save it as .docx from LibreOffice",
    ".rtf": "Rich Text; save it as .docx or .txt",
    ".pages": "Apple Pages; export it as .docx",
}


@dataclass(frozen=True)
class Found:
    """A file an input argument stands for: its path, its name relative to the argument (a
    directory's files keep their subfolders), and why it cannot be read, if it cannot."""

    path: str
    name: str
    unsupported: str | None = None


def unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    hint = UNSUPPORTED_HINTS.get(suffix, f"expected one of {', '.join(SUFFIXES)}")
    return f"{path}: unsupported format {suffix or '(no extension)'}: {hint}"


def own_output(path: Path) -> str | None:
    """Why a .jsonl file in a folder is not a transcript: its first record is one that annotate
    wrote (it has the model's scores). None for anything else."""
    if path.suffix.lower() != ".jsonl":
        return None
    try:
        with open(path, "rb") as handle:
            first = next((line for line in handle if line.strip()), b"")
        record = json.loads(first.decode("utf-8-sig"))
    except (OSError, ValueError):
        return None  # not readable as JSON Lines: the reader will say so
    if isinstance(record, dict) and "scores" in record and "model" in record:
        return f"{path}: annotate's own output (it holds the model's scores), not a transcript"
    return None


def find_inputs(inputs: list[str], *, exclude: list[str | Path] = ()) -> tuple[list[Found], list[str]]:
    """What the command line's files, directories, globs and '-' stand for, in a stable order
    (each directory's files sorted), and an error message per argument that stands for nothing.

    In directories, hidden files and folders are passed over, and so are the `exclude` paths
    and any folder holding a batch manifest: our own output is never an input. Files in a
    directory that no reader takes, and annotate's own JSON Lines output, are returned as
    unsupported, with the reason."""
    excluded = {Path(p).resolve() for p in exclude}
    found: list[Found] = []
    failed: list[str] = []
    for item in inputs:
        if item == STDIN:
            found.append(Found(STDIN, STDIN))
            continue
        path = Path(item)
        if path.is_dir():
            files = _walk(path, excluded)
            if not files:
                failed.append(f"{path}: directory holds no transcript files ({', '.join(SUFFIXES)})")
            for file in files:
                name = file.relative_to(path).as_posix()
                unsupported = unsupported_reason(file) if file.suffix.lower() not in SUFFIXES else own_output(file)
                found.append(Found(str(file), name, unsupported))
        elif any(ch in item for ch in "*?[") and not path.exists():
            matches = [Path(m) for m in sorted(glob.glob(item, recursive=True))]
            matches = [m for m in matches if m.is_file() and m.resolve() not in excluded]
            if not matches:
                failed.append(f"{item}: no files match this pattern")
            found += [Found(str(m), m.name) for m in matches]
        elif path.resolve() not in excluded:
            found.append(Found(item, path.name))
    unique: dict[str, Found] = {}
    for entry in found:
        unique.setdefault(entry.path, entry)
    return list(unique.values()), failed


def _walk(folder: Path, excluded: set[Path]) -> list[Path]:
    """A directory's files, sorted, without hidden ones, excluded paths and batch output folders."""
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        if here.resolve() in excluded or (here != folder and (BATCH_MANIFEST in names or OUTPUT_MARK in names)):
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in excluded)
        files += [here / n for n in names if not n.startswith(".") and (here / n).resolve() not in excluded
                  and not (here == folder and n == BATCH_MANIFEST)]
    return sorted(files)


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given, directories to their supported files (recursively), globs expanded;
    InputError for an argument that stands for nothing."""
    found, failed = find_inputs(inputs)
    if failed:
        raise InputError(failed[0])
    return [f.path for f in found if f.unsupported is None]


def expand_each(inputs: list[str], *, exclude: list[str | Path] = ()) -> tuple[list[str], list[str]]:
    """Like expand_inputs, but an input that expands to nothing is reported, not fatal:
    (paths, error messages), so a batch goes on past one bad argument."""
    found, failed = find_inputs(inputs, exclude=exclude)
    return [f.path for f in found if f.unsupported is None], failed
