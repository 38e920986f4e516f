"""Write pre-coded transcripts as a REFI-QDA project (.qdpx) and the codebook as a .qdc.

A project holds one TextSource per transcript (its plain text under sources/), the
codebook's codes under a folder that cannot be coded, the speakers as codes under a
second folder, and one PlainTextSelection per paragraph that has a code or a speaker.
Each assigned code is a Coding by the model's own User; the probabilities of every
code go in the selection's Description, the only portable place REFI-QDA has for them.
"""

from __future__ import annotations

import zipfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from classifier import __version__
from classifier.annotation import annotate_inputs
from classifier.codebook import Codebook
from classifier.errors import InputError
from classifier.output import atomic_writer
from classifier.persistence import LoadedModel
from classifier.qdpx.layout import Block, lay_out, one_line
from classifier.qdpx.schema import (CODEBOOK_NS, ORIGIN, PROJECT_NS, SPEAKER_FOLDER, TOOL_PREFIX, Builder,
                                    reader_user_guid, stable_guid)


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
    for item, records, error in annotate_inputs(inputs, model, nlp, stdin_bytes=stdin_bytes):
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
    summary = summary if summary is not None else ExportSummary(path=Path(project_name))
    when = (created or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    x = Builder(PROJECT_NS)
    model_user = stable_guid("user", "model", model_label)
    reader_user = reader_user_guid()
    root = x.element("Project", name=project_name, origin=ORIGIN, creatingUserGUID=model_user,
                     creationDateTime=when)
    users = x.element("Users", root)
    x.element("User", users, guid=model_user, name=model_user_name(model_label))
    x.element("User", users, guid=reader_user, name=f"{TOOL_PREFIX} {__version__} transcript reader")

    codes_node = x.element("Codes", x.element("CodeBook", root))
    code_guids = x.codebook_folder(codes_node, codebook)
    speakers = _speaker_codes(transcripts, taken={c.name.casefold() for c in codebook.codes}
                              | {codebook.name.casefold(), SPEAKER_FOLDER.casefold()})
    if speakers:
        folder = x.code(codes_node, guid=stable_guid("folder", SPEAKER_FOLDER), name=SPEAKER_FOLDER, codable=False,
                        description="Who speaks, as the transcript says: one code per speaker.")
        for speaker, (guid, name) in speakers.items():
            x.code(folder, guid=guid, name=name, codable=True)

    sources_node = x.element("Sources", root)
    files: dict[str, str] = {}
    names = _unique([t.name for t in transcripts])
    names_of = {c.id: c.name for c in codebook.codes}
    for transcript, name in zip(transcripts, names):
        text, spans = lay_out(Block(r["text"], r.get("speaker"), r.get("start")) for r in transcript.records)
        source_guid = stable_guid("source", name, text)
        files[f"sources/{source_guid}.txt"] = text
        source = x.element("TextSource", sources_node, guid=source_guid, name=name,
                           plainTextPath=f"internal://{source_guid}.txt", creatingUser=reader_user,
                           creationDateTime=when)
        for i, (record, (start, end)) in enumerate(zip(transcript.records, spans)):
            speaker = one_line(record.get("speaker") or "")
            if not record["codes"] and not speaker:
                continue
            selection_guid = stable_guid("selection", source_guid, str(i))
            selection = x.element("PlainTextSelection", source, guid=selection_guid, startPosition=start,
                                  endPosition=end, creatingUser=model_user,
                                  creationDateTime=when)
            x.element("Description", selection, text=describe(record, names_of, model_label))
            for code in record["codes"]:
                _coding(x, selection, stable_guid("coding", selection_guid, code), code_guids[code], model_user, when)
                summary.codings[code] += 1
            if speaker:
                _coding(x, selection, stable_guid("coding", selection_guid, "speaker"), speakers[speaker][0],
                        reader_user, when)
            summary.selections += 1
        summary.sources += 1
        summary.paragraphs += len(transcript.records)
    x.element("Description", root, text=(
        f"Pre-coded by {ORIGIN} with model {model_label}. Codes by the user '{model_user_name(model_label)}' "
        "are the model's suggestions; each selection's description gives the probability of every code."))
    return x.serialise(root), files


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


def _coding(x: Builder, parent: ET.Element, guid: str, code_guid: str, user: str, when: str) -> None:
    coding = x.element("Coding", parent, guid=guid, creatingUser=user, creationDateTime=when)
    x.element("CodeRef", coding, targetGUID=code_guid)


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
