"""Read a .qdpx as plain data: users, the code tree, and each text source with its selections.

Lenient where tools differ: `sources/` or `Sources/`, a BOM before the text, CRLF line
ends counted as one or two positions, elements with or without the namespace. What
cannot be used (a missing text, a selection past the end) is reported, not fatal.
Selection positions come back in the coordinates of the text with LF line ends, which
is the text our readers see.
"""

from __future__ import annotations

import bisect
import codecs
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from classifier.errors import InputError

CRLF_RULES = ("auto", "one", "two")


@dataclass(frozen=True)
class ToolCode:
    guid: str
    name: str
    path: tuple[str, ...]  # names from the top folder down to this code
    codable: bool
    parent: str | None = None


@dataclass(frozen=True)
class Coding:
    code: str  # code GUID
    user: str | None  # user GUID, None when the file does not say


@dataclass
class Selection:
    guid: str
    start: int
    end: int
    codings: list[Coding]
    user: str | None = None  # who made the selection


@dataclass
class TextSource:
    guid: str
    name: str
    text: str  # LF line ends, no BOM
    selections: list[Selection] = field(default_factory=list)
    source_codings: int = 0  # codings of the whole document, which say nothing about paragraphs


@dataclass
class QdaProject:
    name: str
    origin: str
    users: dict[str, str]  # GUID -> name
    codes: dict[str, ToolCode]
    sources: list[TextSource]
    problems: list[str]


def norm_guid(value: str | None) -> str | None:
    return value.strip().strip("{}").lower() if value else None


def read_project(path: str | Path, *, crlf: str = "auto") -> QdaProject:
    """Parse the archive. `crlf`: how the exporting tool counted a CRLF line end: "one" or
    "two" positions, or "auto": one when `origin` names ATLAS.ti, else two (as QualCoder
    assumes)."""
    path = Path(path)
    if crlf not in CRLF_RULES:
        raise InputError(f"unknown CRLF rule {crlf!r}; expected one of {', '.join(CRLF_RULES)}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: not a REFI-QDA project (.qdpx is a zip file): {exc}") from None
    with archive:
        members = {info.filename.replace("\\", "/").lower(): info.filename for info in archive.infolist()}
        qde = [name for key, name in members.items() if key.endswith(".qde") and "/" not in key]
        if not qde:
            raise InputError(f"{path}: no project.qde at the top of the archive; expected a REFI-QDA project")
        root = _parse_xml(archive.read(qde[0]), where=f"{path}: {qde[0]}")
        if _local(root.tag) != "Project":
            raise InputError(f"{path}: {qde[0]}: expected root element Project, found {_local(root.tag)}")
        origin = root.get("origin") or ""
        counts_two = crlf == "two" or (crlf == "auto" and "atlas" not in origin.lower())
        problems: list[str] = []
        sources = []
        for node in _children(root, "Sources", "TextSource"):
            source = _text_source(node, archive, members, counts_two=counts_two, problems=problems, where=str(path))
            if source is not None:
                sources.append(source)
        skipped = [_local(n.tag) for s in _children(root, "Sources") for n in s if _local(n.tag) != "TextSource"]
        if skipped:
            problems.append(f"{path}: {len(skipped)} non-text source(s) skipped ({', '.join(sorted(set(skipped)))})")
    return QdaProject(name=root.get("name") or path.stem, origin=origin, users=_users(root),
                      codes=_codes(root), sources=sources, problems=problems)


def position_mapper(raw: str, *, crlf_counts_two: bool):
    """Maps a position in the tool's text to one in the text with LF line ends."""
    if not crlf_counts_two:
        return lambda position: position
    ends, at = [], raw.find("\r\n")
    while at != -1:
        ends.append(at + 2)
        at = raw.find("\r\n", at + 2)
    return lambda position: position - bisect.bisect_right(ends, position)


def _text_source(node: ET.Element, archive: zipfile.ZipFile, members: dict[str, str], *,
                 counts_two: bool, problems: list[str], where: str) -> TextSource | None:
    name = node.get("name") or node.get("guid") or "(unnamed)"
    label = f"{where}: source {name!r}"
    raw = _source_text(node, archive, members, label=label, problems=problems)
    if raw is None:
        return None
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    to_lf = position_mapper(raw, crlf_counts_two=counts_two)
    source = TextSource(guid=norm_guid(node.get("guid")) or name, name=name, text=text,
                        source_codings=len(_children(node, "Coding")))
    for selection in _children(node, "PlainTextSelection"):
        guid = selection.get("guid") or "?"
        try:
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        except (TypeError, ValueError):
            problems.append(f"{label}: selection {guid}: startPosition and endPosition must be whole numbers, "
                            f"found {selection.get('startPosition')!r} and {selection.get('endPosition')!r}; skipped")
            continue
        if start < 0 or end <= start:
            problems.append(f"{label}: selection {guid}: expected 0 <= start < end, found {start}-{end}; skipped")
            continue
        where = f"{label}: selection {guid} (positions {start}-{end})"
        size = len(raw) if counts_two else len(text)  # as the tool counts
        start, end = to_lf(start), to_lf(end)
        if end > len(text):
            if start >= len(text):
                problems.append(f"{where} starts past the end of the text ({size} positions); skipped")
                continue
            problems.append(f"{where} runs past the end of the text ({size} positions); cut at the end")
            end = len(text)
        user = norm_guid(selection.get("creatingUser"))
        codings = [Coding(code=norm_guid(ref.get("targetGUID")), user=norm_guid(coding.get("creatingUser")) or user)
                   for coding in _children(selection, "Coding") for ref in _children(coding, "CodeRef")]
        source.selections.append(Selection(guid=guid, start=start, end=end, codings=codings, user=user))
    return source


def _source_text(node: ET.Element, archive: zipfile.ZipFile, members: dict[str, str], *,
                 label: str, problems: list[str]) -> str | None:
    inline = _children(node, "PlainTextContent")
    if inline:
        return inline[0].text or ""
    reference = node.get("plainTextPath")
    if not reference:
        problems.append(f"{label}: no plain text (only a rich text file); skipped")
        return None
    if not reference.startswith("internal://"):
        problems.append(f"{label}: its text {reference} is outside the project file; skipped")
        return None
    member = members.get(f"sources/{reference[len('internal://'):]}".lower())
    if member is None:
        problems.append(f"{label}: {reference} is missing from the archive's sources/ folder; skipped")
        return None
    data = archive.read(member)
    # QualCoder writes a BOM that its positions do not count.
    data = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{label}: {member} is not UTF-8 as REFI-QDA requires (byte {exc.start}); skipped")
        return None


def _users(root: ET.Element) -> dict[str, str]:
    return {norm_guid(u.get("guid")): u.get("name") or u.get("id") or u.get("guid")
            for u in _children(root, "Users", "User") if u.get("guid")}


def _codes(root: ET.Element) -> dict[str, ToolCode]:
    codes: dict[str, ToolCode] = {}

    def walk(node: ET.Element, path: tuple[str, ...], parent: str | None) -> None:
        for child in _children(node, "Code"):
            guid = norm_guid(child.get("guid"))
            if not guid:
                continue
            name = (child.get("name") or "").strip()
            codes[guid] = ToolCode(guid=guid, name=name, path=path + (name,),
                                   codable=child.get("isCodable", "true").strip().lower() in ("true", "1"),
                                   parent=parent)
            walk(child, path + (name,), guid)

    for codes_node in _children(root, "CodeBook", "Codes"):
        walk(codes_node, (), None)
    return codes


def _parse_xml(data: bytes, *, where: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise InputError(f"{where}: line {line}, column {column}: expected well-formed XML, found {reason}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node: ET.Element, *path: str) -> list[ET.Element]:
    """Elements along a path of local names, whatever namespace the tool used."""
    found = [node]
    for name in path:
        found = [child for parent in found for child in parent if _local(child.tag) == name]
    return found
