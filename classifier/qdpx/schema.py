"""What every REFI-QDA file we write shares: namespaces, stable GUIDs, code elements, serialisation."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET

from classifier import __version__
from classifier.data.codebook import Code, Codebook

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# QualCoder refuses a project without `origin`; the schema calls it optional.
ORIGIN = f"hnw-classifier {__version__}"
TOOL_PREFIX = "hnw-classifier"
SPEAKER_FOLDER = "Sprekers"
# Fixed, so that the same codebook and transcripts give the same GUIDs in every export:
# a .qdc and a .qdpx then agree on their codes, and exports can be compared file by file.
_GUID_SPACE = uuid.UUID("6f1c0d1e-5b7a-4c52-9a53-0c1d2a6e4b10")
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def stable_guid(*parts: str) -> str:
    return str(uuid.uuid5(_GUID_SPACE, "\x1f".join(parts)))


def xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)


def reader_user_guid() -> str:
    """The User that codes speakers: they come from the transcript, not from the model."""
    return stable_guid("user", "transcript-reader")


class Builder:
    """Elements in one default namespace, attributes in the order given.

    Tags stay unqualified and the root carries xmlns: ElementTree's own default_namespace
    refuses the unqualified attribute names that REFI-QDA uses."""

    def __init__(self, namespace: str):
        self.namespace = namespace

    def element(self, tag: str, parent: ET.Element | None = None, text: str | None = None,
                **attributes: str | int | bool | None) -> ET.Element:
        attrs = {key: _attribute(value) for key, value in attributes.items() if value is not None}
        if parent is None:
            node = ET.Element(tag, {"xmlns": self.namespace, **attrs})
        else:
            node = ET.SubElement(parent, tag, attrs)
        if text is not None:
            node.text = xml_safe(text)
        return node

    def code(self, parent: ET.Element, *, guid: str, name: str, codable: bool,
             colour: str | None = None, description: str = "") -> ET.Element:
        node = self.element("Code", parent, guid=guid, name=name, isCodable=codable, color=colour)
        if description:
            self.element("Description", node, text=description)
        return node

    def codebook_folder(self, parent: ET.Element, codebook: Codebook, *,
                        names: dict[str, str] | None = None) -> dict[str, str]:
        """The codebook's codes under a folder that cannot be coded; returns code id -> GUID."""
        folder = self.code(parent, guid=codebook_folder_guid(codebook), name=codebook.name, codable=False,
                           description=codebook.description)
        guids = {}
        for code in codebook.codes:
            guids[code.id] = code_guid(codebook, code)
            self.code(folder, guid=guids[code.id], name=(names or {}).get(code.id, code.name), codable=True,
                      colour=code.colour, description=code.description)
        return guids

    def serialise(self, root: ET.Element) -> bytes:
        ET.indent(root)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def codebook_folder_guid(codebook: Codebook) -> str:
    return stable_guid("folder", codebook.name)


def code_guid(codebook: Codebook, code: Code) -> str:
    return stable_guid("code", codebook.name, code.id)


def _attribute(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_safe(str(value))
