"""Which of a QDA project's codes stand for which codebook code.

A code maps, in this order: by the --map file (its path "Parent/Child" or its name; a
null value ignores it on purpose); by its name being a codebook code's id or name (case
and surrounding spaces ignored); else as its nearest mapped parent code does, so that
subcodes of "Sturen" count as sturen. What is left is unmapped and reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from classifier.data.codebook import Codebook
from classifier.errors import InputError
from classifier.qdpx.project import ToolCode

IGNORED = None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def load_code_map(path: str | Path, codebook: Codebook) -> dict[str, str | None]:
    """A YAML or JSON mapping of tool code (name or path) to codebook code (id or name), or null."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path}: not a readable code map ({first})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping such as 'Resultaatgericht werken: sturen', "
                         f"found {type(data).__name__}")
    known = _codebook_keys(codebook)
    mapping: dict[str, str | None] = {}
    for source, target in data.items():
        if target is IGNORED:
            mapping[_key(str(source))] = IGNORED
            continue
        if not isinstance(target, str) or _key(target) not in known:
            raise InputError(f"{path}: {source!r} maps to {target!r}, which is not a code of the codebook; "
                             f"expected one of {', '.join(codebook.ids)} (or null to ignore the code)")
        mapping[_key(str(source))] = known[_key(target)]
    return mapping


def map_codes(codes: dict[str, ToolCode], codebook: Codebook,
              mapping: dict[str, str | None] | None = None) -> tuple[dict[str, str], set[str]]:
    """(tool code GUID -> codebook id, GUIDs ignored on purpose by the map)."""
    mapping = mapping or {}
    known = _codebook_keys(codebook)
    own: dict[str, str | None] = {}
    ignored: set[str] = set()
    for guid, code in codes.items():
        for key in (_key("/".join(code.path)), _key(code.name)):
            if key in mapping:
                own[guid] = mapping[key]
                if mapping[key] is IGNORED:
                    ignored.add(guid)
                break
        else:
            if _key(code.name) in known:
                own[guid] = known[_key(code.name)]
    mapped: dict[str, str] = {}
    for guid, code in codes.items():
        current: ToolCode | None = code
        seen = set()  # a file that repeats a GUID could make the tree a loop
        while current is not None and current.guid not in own and current.guid not in seen:
            seen.add(current.guid)
            current = codes.get(current.parent) if current.parent else None
        current = current if current is not None and current.guid in own else None
        if current is not None and own[current.guid] is not IGNORED:
            mapped[guid] = own[current.guid]
        elif current is not None:
            ignored.add(guid)
    return mapped, ignored


def _codebook_keys(codebook: Codebook) -> dict[str, str]:
    keys = {_key(code.name): code.id for code in codebook.codes}
    keys.update({_key(code.id): code.id for code in codebook.codes})
    return keys
