"""The codebook as data: codes with id, name, description, colour and indicator lexicon."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from classifier.errors import CodebookError

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Code:
    id: str
    name: str
    description: str
    colour: str | None = None
    lexicon: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    name: str
    codes: tuple[Code, ...]
    description: str = ""
    source: str | None = field(default=None, compare=False)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def __getitem__(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "codes": [
                {
                    "id": c.id,
                    "name": c.name,
                    "description": c.description,
                    "colour": c.colour,
                    "lexicon": list(c.lexicon),
                }
                for c in self.codes
            ],
        }

    def fingerprint(self) -> str:
        """sha256 of the codes' ids, in order: what a model's outputs depend on."""
        return hashlib.sha256(json.dumps(self.ids).encode()).hexdigest()


def codebook_from_dict(data: object, *, source: str = "<codebook>") -> Codebook:
    """Validate a parsed codebook document and build a Codebook."""
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise CodebookError(f"{source}: expected a mapping with a list under 'codes'")
    if not data["codes"]:
        raise CodebookError(f"{source}: 'codes' is empty; a codebook needs at least one code")
    codes = []
    seen: set[str] = set()
    for n, raw in enumerate(data["codes"], start=1):
        where = f"{source}: code #{n}"
        if not isinstance(raw, dict):
            raise CodebookError(f"{where}: expected a mapping, found {type(raw).__name__}")
        code_id = raw.get("id")
        if not isinstance(code_id, str) or not _ID.match(code_id):
            raise CodebookError(
                f"{where}: 'id' must be a lowercase identifier such as 'sturen', found {code_id!r}"
            )
        if code_id in seen:
            raise CodebookError(f"{where}: duplicate id {code_id!r}")
        seen.add(code_id)
        colour = raw.get("colour", raw.get("color"))
        if colour is not None and (not isinstance(colour, str) or not _COLOUR.match(colour)):
            raise CodebookError(f"{where} ({code_id}): colour must look like '#1f77b4', found {colour!r}")
        lexicon = raw.get("lexicon") or []
        if not isinstance(lexicon, list) or not all(isinstance(t, str) and t.strip() for t in lexicon):
            raise CodebookError(f"{where} ({code_id}): 'lexicon' must be a list of non-empty strings")
        bare = [t for t in lexicon if any(not w.strip("*") for w in t.split())]
        if bare:
            raise CodebookError(f"{where} ({code_id}): lexicon term {bare[0]!r} has a word that is only '*'; "
                                "a wildcard needs letters beside it, as in 'ontwikkel*'")
        codes.append(
            Code(
                id=code_id,
                name=str(raw.get("name") or code_id),
                description=str(raw.get("description") or "").strip(),
                colour=colour,
                lexicon=tuple(dict.fromkeys(t.strip().lower() for t in lexicon)),
            )
        )
    return Codebook(
        name=str(data.get("name") or "codebook"),
        description=str(data.get("description") or "").strip(),
        codes=tuple(codes),
        source=source,
    )


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook from YAML or JSON."""
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"{path}: codebook file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CodebookError(f"{path}: not a valid codebook file ({first})") from None
    return codebook_from_dict(data, source=str(path))
