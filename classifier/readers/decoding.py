"""Turn the bytes of a text file into str, whatever common encoding it was saved in."""

from __future__ import annotations

import codecs

from classifier.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters: not a text file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def decode_text(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252 or Latin-1.

    Line endings are normalised to LF. Raises InputError for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{source}: not valid {encoding} text despite its byte-order mark ({exc.reason})") from None
            return _normalise_newlines(text.lstrip("\ufeff"))
    if looks_binary(data):
        raise InputError(f"{source}: binary data, not a text transcript")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return _normalise_newlines(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise InputError(f"{source}: cannot decode the text")  # pragma: no cover - latin-1 decodes any bytes


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
