"""Write pre-coded transcripts as a REFI-QDA project (.qdpx) and the codebook as a .qdc.

A project holds one TextSource per transcript (its plain text under sources/), the
codebook's codes under a folder that cannot be coded, the speakers as codes under a
second folder, and one PlainTextSelection per paragraph.
Each assigned code is a Coding by the model's own User; the probabilities of every
code go in the selection's Description, the only portable place REFI-QDA has for them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from classifier import __version__
from classifier.data.codebook import Codebook
from classifier.errors import InputError
from classifier.fileio import atomic_writer
from classifier.inference.annotate import annotate_inputs
from classifier.inference.persistence import LoadedModel
from classifier.qdpx.layout import Block, lay_out, one_line
from classifier.qdpx.schema import (
    CODEBOOK_NS,
    ORIGIN,
    PROJECT_NS,
    SPEAKER_FOLDER,
    TOOL_PREFIX,
    Builder,
    reader_user_guid,
    stable_guid,
)


@dataclass
class AnnotatedTranscript:
    """Annotation records (see classifier.annotation) of one transcript, in order."""

    name: str
    records: list[dict]


@dataclass
class ExportSummary:
    path: Path
    sources: int = 0
    paragraphs: int = 0
    selections: int = 0
    codings: Counter = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)

    def line(self) -> str:
        codings = ", ".join(f"{code} {n}" for code, n in self.codings.most_common()) or "none"
        return (f"Exported {self.sources} transcript(s), {self.paragraphs} paragraphs, {self.selections} "
                f"selections to {self.path}; codings by the model: {codings}.")


def model_user_name(model_label: str) -> str:
    return f"{TOOL_PREFIX} {__version__} model {model_label}"


def export_transcripts(inputs: list[str], model: LoadedModel, nlp, path: str | Path, *,
                       codebook: Codebook | None = None, project_name: str | None = None,
                       stdin_bytes: bytes | None = None) -> ExportSummary:
    """Read and annotate each input, then write them all as one project.

    A bad input is listed in `failed` and the others are still exported; InputError
    when none is left to export.
    """
    transcripts, failed = [], []
    for _, records, error in annotate_inputs(inputs, model, nlp, stdin_bytes=stdin_bytes):
        if error:
            failed.append(error)
        else:
            transcripts.append(AnnotatedTranscript(name=records[0]["transcript"], records=records))
    if not transcripts:
        raise InputError("nothing to export: " + ("; ".join(failed) if failed else "no inputs"))
    summary = export_qdpx(transcripts, codebook or model.codebook, path, model_label=model.model_id,
                          project_name=project_name)
    summary.failed = failed
    return summary


def export_qdpx(transcripts: list[AnnotatedTranscript], codebook: Codebook, path: str | Path, *,
                model_label: str, project_name: str | None = None,
                created: datetime | None = None) -> ExportSummary:
    """Write the project atomically; records' codes must be ids in `codebook`."""
    path = Path(path)
    summary = ExportSummary(path=path)
    project, sources = build_project(transcripts, codebook, model_label=model_label,
                                     project_name=project_name or path.stem, created=created, summary=summary)
    with atomic_writer(path, binary=True) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for name, text in sources.items():
            archive.writestr(name, text.encode("utf-8"))
    return summary


def build_project(transcripts: list[AnnotatedTranscript], codebook: Codebook, *, model_label: str,
                  project_name: str, created: datetime | None = None,
                  summary: ExportSummary | None = None) -> tuple[bytes, dict[str, str]]:
    """project.qde and the plain texts by their path in the archive."""
    writer = _ProjectWriter(codebook, model_label, created or datetime.now(timezone.utc),
                            summary if summary is not None else ExportSummary(path=Path(project_name)))
    root = writer.x.element("Project", name=project_name, origin=ORIGIN, creatingUserGUID=writer.model_user,
                            creationDateTime=writer.when)
    writer.add_users(root)
    writer.add_codes(root, transcripts)
    sources = writer.x.element("Sources", root)
    for transcript, name in zip(transcripts, _unique([t.name for t in transcripts])):
        writer.add_source(sources, transcript, name)
    writer.x.element("Description", root, text=(
        f"Pre-coded by {ORIGIN} with model {model_label}. Codes by the user '{model_user_name(model_label)}' "
        "are the model's suggestions; each selection's description gives the probability of every code."))
    return writer.x.serialise(root), writer.files


class _ProjectWriter:
    """The parts of a project, in the order the schema wants them: Users, CodeBook, Sources."""

    def __init__(self, codebook: Codebook, model_label: str, created: datetime, summary: ExportSummary):
        self.x = Builder(PROJECT_NS)
        self.codebook, self.model_label, self.summary = codebook, model_label, summary
        self.when = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.model_user = stable_guid("user", "model", model_label)
        self.reader_user = reader_user_guid()
        self.code_names = {c.id: c.name for c in codebook.codes}
        self.files: dict[str, str] = {}

    def add_users(self, root: ET.Element) -> None:
        users = self.x.element("Users", root)
        self.x.element("User", users, guid=self.model_user, name=model_user_name(self.model_label))
        self.x.element("User", users, guid=self.reader_user, name=f"{TOOL_PREFIX} {__version__} transcript reader")

    def add_codes(self, root: ET.Element, transcripts: list[AnnotatedTranscript]) -> None:
        codes = self.x.element("Codes", self.x.element("CodeBook", root))
        self.code_guids = self.x.codebook_folder(codes, self.codebook)
        taken = {c.name.casefold() for c in self.codebook.codes} | {self.codebook.name.casefold(),
                                                                     SPEAKER_FOLDER.casefold()}
        self.speakers = _speaker_codes(transcripts, taken=taken)
        if self.speakers:
            folder = self.x.code(codes, guid=stable_guid("folder", SPEAKER_FOLDER), name=SPEAKER_FOLDER,
                                 codable=False, description="Who speaks, as the transcript says: one code per speaker.")
            for guid, name in self.speakers.values():
                self.x.code(folder, guid=guid, name=name, codable=True)

    def add_source(self, parent: ET.Element, transcript: AnnotatedTranscript, name: str) -> None:
        text, spans = lay_out(Block(r["text"], r.get("speaker"), r.get("start")) for r in transcript.records)
        guid = stable_guid("source", name, text)
        self.files[f"sources/{guid}.txt"] = text
        source = self.x.element("TextSource", parent, guid=guid, name=name, plainTextPath=f"internal://{guid}.txt",
                                creatingUser=self.reader_user, creationDateTime=self.when)
        for i, (record, span) in enumerate(zip(transcript.records, spans)):
            self.add_selection(source, stable_guid("selection", guid, str(i)), record, span)
        self.summary.sources += 1
        self.summary.paragraphs += len(transcript.records)

    def add_selection(self, source: ET.Element, guid: str, record: dict, span: tuple[int, int]) -> None:
        """One selection per paragraph, made by the model, a heading or a line without a speaker
        included: its description carries the model's probabilities even where it assigned no code."""
        speaker = one_line(record.get("speaker") or "")
        selection = self.x.element("PlainTextSelection", source, guid=guid, startPosition=span[0],
                                   endPosition=span[1], creatingUser=self.model_user, creationDateTime=self.when)
        self.x.element("Description", selection, text=describe(record, self.code_names, self.model_label))
        for code in record["codes"]:
            if code not in self.code_guids:
                raise InputError(f"transcript {record.get('transcript')!r}, paragraph {record.get('index')}: "
                                 f"code {code!r} is not in the codebook; expected one of {', '.join(self.codebook.ids)}")
            self.add_coding(selection, stable_guid("coding", guid, code), self.code_guids[code], self.model_user)
            self.summary.codings[code] += 1
        if speaker:
            self.add_coding(selection, stable_guid("coding", guid, "speaker"), self.speakers[speaker][0],
                            self.reader_user)
        self.summary.selections += 1

    def add_coding(self, selection: ET.Element, guid: str, code_guid: str, user: str) -> None:
        coding = self.x.element("Coding", selection, guid=guid, creatingUser=user, creationDateTime=self.when)
        self.x.element("CodeRef", coding, targetGUID=code_guid)


def describe(record: dict, names: dict[str, str], model_label: str) -> str:
    """The selection's note: every code's probability, the assigned ones marked, and the evidence."""
    scores = ", ".join(f"{names.get(code, code)} {p:.2f}{' *' if code in record['codes'] else ''}"
                       for code, p in record.get("scores", {}).items())
    text = f"{TOOL_PREFIX} model {model_label}, probabilities (* assigned): {scores}."
    evidence = "; ".join(f"{names.get(code, code)}: {', '.join(terms)}"
                         for code, terms in record.get("evidence", {}).items() if terms)
    return f"{text} Evidence: {evidence}." if evidence else text


def write_qdc(codebook: Codebook, path: str | Path) -> Path:
    """The codebook alone, as a REFI-QDA codebook file; its code GUIDs match our projects'."""
    x = Builder(CODEBOOK_NS)
    root = x.element("CodeBook", origin=ORIGIN)
    x.codebook_folder(x.element("Codes", root), codebook)
    path = Path(path)
    with atomic_writer(path, binary=True) as handle:
        handle.write(x.serialise(root))
    return path


def _speaker_codes(transcripts: list[AnnotatedTranscript], *, taken: set[str]) -> dict[str, tuple[str, str]]:
    """Speaker -> (code GUID, code name). A name already used by a code gets ' (spreker)':
    QDA tools lose codings whose code name is not unique."""
    speakers = dict.fromkeys(one_line(r.get("speaker") or "") for t in transcripts for r in t.records)
    speakers.pop("", None)
    out = {}
    for speaker in speakers:
        name = speaker if speaker.casefold() not in taken else f"{speaker} (spreker)"
        out[speaker] = (stable_guid("speaker", speaker), name)
    return out


def _unique(names: list[str]) -> list[str]:
    """Source names as given, with ' (2)', ' (3)' ... for repeats."""
    seen: Counter = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
