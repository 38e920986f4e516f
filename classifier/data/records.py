"""Plain data: one paragraph of a transcript, labelled or not."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass
class Paragraph:
    """A unit of coding. `labels` is None when the paragraph has not been coded."""

    text: str
    transcript: str
    index: int
    speaker: str | None = None
    start: str | None = None
    id: str | None = None
    labels: list[str] | None = None
    register: str | None = None
    source: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable identity: the record id if it has one, else transcript and position."""
        return self.id or f"{self.transcript}#{self.index}"

    def to_record(self) -> dict:
        """The JSON Lines form, without empty optional fields."""
        data = {k: v for k, v in asdict(self).items() if k != "extra"}
        data.update(self.extra)
        return {k: v for k, v in data.items() if v is not None or k in ("speaker", "start")}


def normalise_text(text: str) -> str:
    """The text as compared between an export and what comes back: NFC, whitespace runs as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def text_hash(text: str) -> str:
    """16 hex digits that tell one paragraph text from another (sha256 of the normalised text)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def text_fingerprints(texts: list[str]) -> np.ndarray:
    """text_hash of each text as an unsigned 64-bit number, as a model stores those it was trained on."""
    return np.array([int(text_hash(text), 16) for text in texts], dtype=np.uint64)
