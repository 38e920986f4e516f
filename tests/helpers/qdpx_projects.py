"""A REFI-QDA project as another QDA tool writes it, built by hand for the import tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# A project as another QDA tool writes it: two coders, a code tree, codings by phrase.
ANNA, BRAM = "1b4e28ba-2fa1-41d2-883f-0016d3cca427", "2c5f39cb-3fb2-42e3-994f-1127e4ddb538"
HUMAN_CODES = {  # name -> (guid, parent name)
    "Leiderschap": ("a0000000-0000-4000-8000-000000000001", None),
    "Sturen": ("a0000000-0000-4000-8000-000000000002", "Leiderschap"),
    "Vertrouwen": ("a0000000-0000-4000-8000-000000000003", "Leiderschap"),
    "Loslaten": ("a0000000-0000-4000-8000-000000000004", "Vertrouwen"),
    "Verbinding": ("a0000000-0000-4000-8000-000000000005", None),
    "Werkdruk": ("a0000000-0000-4000-8000-000000000006", None),
}
# (coder, code, first phrase, last phrase): the selection runs from the first to the end of the last.
HUMAN_CODINGS = [
    (ANNA, "Sturen", "Ik stuur nu echt op wat er af is.", None),
    (ANNA, "Loslaten", "Ik ga ervan uit dat mensen hun werk doen.", None),
    (ANNA, "Verbinding", "Wel merk ik", "Doen jullie"),  # clips the next paragraph's first words
    (ANNA, "Werkdruk", "de sfeer is beter", None),
    (BRAM, "Sturen", "We hebben nu elke dinsdag", "half jaar geleden."),
]


def _code_xml(name: str) -> str:
    guid, _ = HUMAN_CODES[name]
    children = "".join(_code_xml(child) for child, (_, parent) in HUMAN_CODES.items() if parent == name)
    codable = "false" if name == "Leiderschap" else "true"
    return f'<Code guid="{guid}" name="{name}" isCodable="{codable}">{children}</Code>'


def write_human_project(path: Path, *, folder: str = "sources", bom: bool = False, crlf: bool = False,
                        origin: str = "MAXQDA 2022", past_end: bool = False) -> Path:
    """Zip a hand-made project around tests/data/qdpx_interview.txt. With crlf the text has
    CRLF line ends and positions count them as two, unless origin names ATLAS.ti (one)."""
    text = (DATA / "qdpx_interview.txt").read_text(encoding="utf-8")
    counts_two = crlf and "atlas" not in origin.lower()

    def position(lf_index: int) -> int:
        return lf_index + (text.count("\n", 0, lf_index) if counts_two else 0)

    selections = []
    for n, (coder, code, first, last) in enumerate(HUMAN_CODINGS):
        start = text.index(first)
        end = text.index(last or first, start) + len(last or first)
        selections.append((n, coder, code, position(start), position(end)))
    if past_end:
        size = position(len(text))
        selections += [(8, ANNA, "Werkdruk", size - 6, size + 30), (9, ANNA, "Sturen", size + 10, size + 40)]
    body = "".join(
        f'<PlainTextSelection guid="b0000000-0000-4000-8000-00000000000{n}" startPosition="{start}" '
        f'endPosition="{end}" creatingUser="{coder}"><Coding guid="c0000000-0000-4000-8000-00000000000{n}" '
        f'creatingUser="{coder}"><CodeRef targetGUID="{HUMAN_CODES[code][0]}"/></Coding></PlainTextSelection>'
        for n, coder, code, start, end in selections)
    whole = ('<Coding guid="d0000000-0000-4000-8000-000000000001" creatingUser="' + ANNA
             + '"><CodeRef targetGUID="' + HUMAN_CODES["Werkdruk"][0] + '"/></Coding>')
    source_guid = "e0000000-0000-4000-8000-000000000001"
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Hybride werken" '
           f'origin="{origin}"><Users><User guid="{ANNA}" name="Anna"/><User guid="{BRAM}" name="Bram"/></Users>'
           f'<CodeBook><Codes>{_code_xml("Leiderschap")}{_code_xml("Verbinding")}{_code_xml("Werkdruk")}'
           f'</Codes></CodeBook><Sources><TextSource guid="{source_guid}" name="Interview teamleider.docx" '
           f'plainTextPath="internal://{source_guid}.txt">{body}{whole}</TextSource></Sources></Project>')
    data = text.replace("\n", "\r\n") if crlf else text
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"{folder}/{source_guid}.txt", (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path
