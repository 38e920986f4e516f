"""JSON Lines records: the corpus and evaluation format, one paragraph per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from classifier.data.records import Paragraph
from classifier.errors import CorpusError
from classifier.readers.decoding import decode_text

_KNOWN = {"text", "labels", "id", "transcript", "index", "speaker", "start", "source", "register"}
_MAX_LISTED = 5


def checked_lines(text: str, check: Callable[[object], str | None]) -> tuple[list[dict], list[str]]:
    """The objects of the lines that parse and pass `check` (which returns a problem or None),
    and "line N: problem" for each line that does not. Blank lines are skipped."""
    objects, problems = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: invalid JSON ({exc.msg})")
            continue
        problem = check(raw)
        if problem:
            problems.append(f"line {number}: {problem}")
        else:
            objects.append(raw)
    return objects, problems


def problem_list(source: str, problems: list[str]) -> str:
    """One message for a file's problems: the first few, and how many more there are."""
    more = f" (and {len(problems) - _MAX_LISTED} more)" if len(problems) > _MAX_LISTED else ""
    return f"{source}: {'; '.join(problems[:_MAX_LISTED])}{more}"


def parse_jsonl(text: str, *, source: str, codes: list[str] | None = None,
                require_labels: bool = True) -> list[Paragraph]:
    """Parse records; every problem in the file is collected and reported at once."""
    transcript_default = Path(source).stem
    records: list[Paragraph] = []
    known_codes = set(codes) if codes is not None else None
    objects, problems = checked_lines(text, lambda raw: _check(raw, require_labels=require_labels,
                                                               known_codes=known_codes))
    for raw in objects:
        labels = raw.get("labels")
        records.append(Paragraph(
            text=raw["text"],
            transcript=str(raw.get("transcript") or transcript_default),
            index=int(raw["index"]) if isinstance(raw.get("index"), int) else len(records),
            speaker=raw.get("speaker"),
            start=raw.get("start"),
            id=str(raw["id"]) if raw.get("id") is not None else None,
            labels=sorted(set(labels)) if labels is not None else None,
            register=raw.get("register"),
            source=raw.get("source"),
            extra={k: v for k, v in raw.items() if k not in _KNOWN},
        ))
    if problems:
        raise CorpusError(problem_list(source, problems))
    if not records:
        raise CorpusError(f"{source}: no records found")
    return records


def _check(raw: object, *, require_labels: bool, known_codes: set[str] | None) -> str | None:
    if not isinstance(raw, dict):
        return f"expected a JSON object, found {type(raw).__name__}"
    if not isinstance(raw.get("text"), str) or not raw["text"].strip():
        return "missing or empty 'text'"
    if "labels" not in raw:
        return "missing 'labels' (a list of codes, [] for none)" if require_labels else None
    labels = raw["labels"]
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        return f"'labels' must be a list of code strings, found {labels!r}"
    if known_codes is not None:
        unknown = sorted(set(labels) - known_codes)
        if unknown:
            return f"unknown code(s) {', '.join(unknown)}; the codebook has {', '.join(sorted(known_codes))}"
    return None


def read_jsonl_file(path: Path, *, codes: list[str] | None = None,
                    require_labels: bool = True) -> list[Paragraph]:
    text = decode_text(path.read_bytes(), source=str(path))
    return parse_jsonl(text, source=str(path), codes=codes, require_labels=require_labels)
