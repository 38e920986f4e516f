"""Render corpus interviews as raw transcripts in every supported format, for demos and tests.

Writes corpus/examples/<id>.txt, .docx, .vtt (Teams voice tags) and .srt (Zoom-style
"Name:" cues) for the given transcripts (default: the first test-split interviews).
Start times are synthetic: speech at about 150 words a minute.

    python scripts/render_examples.py [ID ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx

from classifier.config import DEFAULTS
from classifier.data.corpus import load_splits
from classifier.readers.jsonl import read_jsonl_file

OUT = DEFAULTS.corpus_dir / "examples"
WORDS_PER_SECOND = 2.5
WORDS_PER_CUE = 14


def _stamp(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _timed(records):
    """(record, start seconds, end seconds, is first paragraph of its turn)."""
    clock, previous = 4.0, None
    for r in records:
        duration = max(1.5, len(r.text.split()) / WORDS_PER_SECOND)
        yield r, clock, clock + duration, r.speaker != previous
        clock += duration + 0.8
        previous = r.speaker


def render_txt(records) -> str:
    blocks = []
    for r, start, _, first in _timed(records):
        stamp = f"[{_stamp(start)[:8]}] "
        blocks.append(f"{stamp}{r.speaker}: {r.text}" if first else r.text)
    return "\n\n".join(blocks) + "\n"


def render_docx(records, path: Path) -> None:
    document = docx.Document()
    for r, _, _, first in _timed(records):
        document.add_paragraph(f"{r.speaker}: {r.text}" if first else r.text)
    document.save(path)


def _cues(records):
    for r, start, end, first in _timed(records):
        words = r.text.split()
        chunks = [words[i:i + WORDS_PER_CUE] for i in range(0, len(words), WORDS_PER_CUE)]
        step = (end - start) / len(chunks)
        for k, chunk in enumerate(chunks):
            yield r, start + k * step, start + (k + 1) * step, first and k == 0, " ".join(chunk)


def render_vtt(records) -> str:
    out = ["WEBVTT", ""]
    for n, (r, start, end, _, text) in enumerate(_cues(records), start=1):
        out += [f"cue-{n}", f"{_stamp(start)} --> {_stamp(end)}", f"<v {r.speaker}>{text}</v>", ""]
    return "\n".join(out)


def render_srt(records) -> str:
    out = []
    for n, (r, start, end, first, text) in enumerate(_cues(records), start=1):
        out += [str(n), f"{_stamp(start, ',')} --> {_stamp(end, ',')}", f"{r.speaker}: {text}" if first else text, ""]
    return "\n".join(out)


def render(transcript: str) -> list[Path]:
    source = DEFAULTS.corpus_dir / "interviews" / f"{transcript}.jsonl"
    records = read_jsonl_file(source)
    OUT.mkdir(exist_ok=True)
    paths = [OUT / f"{transcript}{suffix}" for suffix in (".txt", ".docx", ".vtt", ".srt")]
    paths[0].write_text(render_txt(records), encoding="utf-8")
    render_docx(records, paths[1])
    paths[2].write_text(render_vtt(records), encoding="utf-8")
    paths[3].write_text(render_srt(records), encoding="utf-8")
    return paths


def main() -> None:
    ids = sys.argv[1:]
    if not ids:
        test = load_splits(DEFAULTS.corpus_dir)["test"]
        ids = [t for t in test if (DEFAULTS.corpus_dir / "interviews" / f"{t}.jsonl").exists()][:2]
    for transcript in ids:
        print(" ".join(str(p.relative_to(DEFAULTS.corpus_dir.parent)) for p in render(transcript)))


if __name__ == "__main__":
    main()
