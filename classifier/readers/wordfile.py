"""Word (.docx) transcripts: each Word paragraph is a line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from classifier.data.records import Paragraph
from classifier.errors import InputError
from classifier.readers.turns import Line, parse_lines


def read_docx_file(path: Path) -> list[Paragraph]:
    import docx  # imported when a .docx comes along: it costs every other run 30 ms of start-up
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(f"{path}: not a valid .docx file (is it an old .doc, or damaged?)") from None
    lines = []
    for para in document.paragraphs:
        # A soft line break (Shift+Enter) inside a Word paragraph is a line of its own.
        lines.extend(Line(text=part) for part in para.text.split("\n"))
    return parse_lines(lines, transcript=path.stem, mode="paragraphs")
