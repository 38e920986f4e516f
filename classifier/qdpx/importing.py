"""Turn the human coding in a .qdpx into labelled paragraphs: a corpus `train` reads directly.

Each text source is split into paragraphs by our own readers, exactly as a transcript
file would be, and each paragraph takes the codes of the selections that overlap it
substantially (classifier.qdpx.spans). Codings by our model are left out unless asked
for, our speaker codings always, and so are sources in which the chosen coders made no
selection or coding: an uncoded paragraph there means "not looked at", not "no code".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from classifier.data.codebook import Codebook
from classifier.data.records import Paragraph
from classifier.errors import InputError
from classifier.fileio import atomic_writer
from classifier.qdpx.codemap import map_codes
from classifier.qdpx.project import QdaProject, TextSource, read_project
from classifier.qdpx.schema import TOOL_PREFIX, reader_user_guid
from classifier.qdpx.spans import MIN_OVERLAP, codes_per_paragraph, paragraph_spans
from classifier.readers.plaintext import lines_from_text
from classifier.readers.turns import parse_lines
from classifier.render.output import write_jsonl

UNKNOWN_CODER = "(no coder named)"
_SOURCE_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".pdf", ".odt", ".md", ".vtt", ".srt")


@dataclass
class ImportReport:
    path: Path
    sources: int = 0
    paragraphs: int = 0
    coded_paragraphs: int = 0
    used: Counter = field(default_factory=Counter)  # coder -> codings taken
    skipped: Counter = field(default_factory=Counter)  # coder -> codings left out
    unmapped: Counter = field(default_factory=Counter)  # code path -> codings
    skipped_sources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Imported {self.paragraphs} paragraphs ({self.coded_paragraphs} with codes) "
               f"from {self.sources} source(s)."]
        if self.used:
            out.append(f"Codings used, by coder: {_counts(self.used)}")
        if self.skipped:
            out.append(f"Codings left out (model's unless --include-model, or coder not chosen): {_counts(self.skipped)}")
        if self.unmapped:
            out.append(f"Unmapped codes, not imported (map them with --map): {_counts(self.unmapped)}")
        out.extend(f"Skipped source {message}" for message in self.skipped_sources)
        out.extend(f"Notice: {message}" for message in self.problems)
        return out


def import_qdpx(path: str | Path, codebook: Codebook, *, coders: list[str] | None = None,
                include_model: bool = False, code_map: dict[str, str | None] | None = None,
                min_overlap: float = MIN_OVERLAP, crlf: str = "auto") -> tuple[list[Paragraph], ImportReport]:
    """Labelled paragraphs of every source the chosen coders coded, and what was left out and why."""
    path = Path(path)
    project = read_project(path, crlf=crlf)
    report = ImportReport(path=path, problems=list(project.problems))
    allowed = _coder_filter(project, coders, include_model=include_model, where=str(path))
    mapped, ignored = map_codes(project.codes, codebook, code_map)
    speakers_by = reader_user_guid()
    paragraphs: list[Paragraph] = []
    for source, transcript in zip(project.sources, _transcript_names(project.sources)):
        coded, looked_at = [], False
        for selection in source.selections:
            looked_at = looked_at or allowed(selection.user)
            for coding in selection.codings:
                if coding.user == speakers_by:
                    continue
                coder = project.users.get(coding.user, coding.user or UNKNOWN_CODER)
                if not allowed(coding.user):
                    report.skipped[coder] += 1
                    continue
                looked_at = True
                if coding.code in mapped:
                    coded.append((selection.start, selection.end, mapped[coding.code]))
                    report.used[coder] += 1
                elif coding.code not in ignored:
                    code = project.codes.get(coding.code)
                    report.unmapped["/".join(code.path) if code else f"unknown code {coding.code}"] += 1
        if source.source_codings:
            report.problems.append(f"{path}: source {source.name!r}: {source.source_codings} coding(s) of the whole "
                                   "document ignored; only coded selections say which paragraph a code belongs to")
        if not looked_at:
            report.skipped_sources.append(f"{source.name!r}: no selections or codings by the chosen coders")
            continue
        found = _label(source, transcript, coded, min_overlap=min_overlap)
        paragraphs.extend(found)
        report.sources += 1
        report.paragraphs += len(found)
        report.coded_paragraphs += sum(1 for p in found if p.labels)
    if not paragraphs:
        left_out = f"; codings left out: {_counts(report.skipped)}" if report.skipped else ""
        model_hint = "; add --include-model to take our model's codings" if not include_model and any(
            name.startswith(TOOL_PREFIX) for name in report.skipped) else ""
        raise InputError(f"{path}: no source with selections or codings by the chosen coders{left_out}{model_hint}")
    return paragraphs, report


def write_corpus(paragraphs: list[Paragraph], path: str | Path) -> Path:
    with atomic_writer(path) as handle:
        write_jsonl([p.to_record() for p in paragraphs], handle, codes=[])
    return Path(path)


def _label(source: TextSource, transcript: str, coded: list[tuple[int, int, str]], *,
           min_overlap: float) -> list[Paragraph]:
    paragraphs = parse_lines(lines_from_text(source.text), transcript=transcript)
    spans = paragraph_spans(source.text, [p.text for p in paragraphs])
    for paragraph, codes in zip(paragraphs, codes_per_paragraph(spans, coded, min_overlap=min_overlap)):
        paragraph.labels = sorted(codes)
        paragraph.id = f"{transcript}-{paragraph.index + 1:03d}"
    return paragraphs


def _coder_filter(project: QdaProject, coders: list[str] | None, *, include_model: bool, where: str):
    reader = reader_user_guid()
    model_users = {guid for guid, name in project.users.items()
                   if guid != reader and (name or "").startswith(TOOL_PREFIX)}
    if coders:
        by_name = {(name or "").casefold(): guid for guid, name in project.users.items()}
        missing = [c for c in coders if c.casefold() not in by_name]
        if missing:
            known = ", ".join(sorted(n for g, n in project.users.items() if g != reader)) or "none"
            raise InputError(f"{where}: no coder named {', '.join(map(repr, missing))}; the project's coders are: {known}")
        chosen = {by_name[c.casefold()] for c in coders}
        return lambda user: user in chosen
    return lambda user: user != reader and (include_model or user not in model_users)


def _transcript_names(sources: list[TextSource]) -> list[str]:
    """A transcript id per source: its name without a file extension, made unique."""
    seen: Counter = Counter()
    names = []
    for source in sources:
        name = source.name.strip()
        if name.lower().endswith(_SOURCE_SUFFIXES):
            name = name.rsplit(".", 1)[0]
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return names


def _counts(counter: Counter) -> str:
    return ", ".join(f"{name} ({n})" for name, n in counter.most_common())
