"""Labelled corpora: loading JSON Lines records, the fixed train/test split, and data hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from classifier.data.records import Paragraph
from classifier.errors import CorpusError
from classifier.readers.jsonl import read_jsonl_file

SPLITS_FILE = "splits.json"
SPLITS = ("train", "test", "all")
DATA_DIRS = ("interviews", "registers", "written")


def corpus_files(path: Path) -> list[Path]:
    """A .jsonl file as given; a directory's .jsonl files, sorted (a corpus root: its data folders)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CorpusError(f"{path}: no such file or directory")
    roots = [path / d for d in DATA_DIRS if (path / d).is_dir()] or [path]
    files = sorted(f for root in roots for f in root.rglob("*.jsonl"))
    if not files:
        raise CorpusError(f"{path}: no .jsonl files found")
    return files


def load_splits(corpus_root: Path) -> dict[str, list[str]] | None:
    path = corpus_root / SPLITS_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        splits = {"test": list(data["test"])}
        if "train" in data:
            splits["train"] = list(data["train"])
        return splits
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: expected {{\"test\": [transcript ids]}} ({exc})") from None


def load_corpus(paths: list[str | Path], *, codes: list[str], split: str = "all") -> list[Paragraph]:
    """Labelled paragraphs from files and corpus directories.

    `split` applies to a directory holding splits.json: "train" leaves out the test
    transcripts, "test" keeps only them. Files given one by one are taken whole.
    """
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    records: list[Paragraph] = []
    for raw in paths:
        path = Path(raw)
        splits = load_splits(path) if path.is_dir() else None
        test = set(splits["test"]) if splits else None
        for file in corpus_files(path):
            for record in read_jsonl_file(file, codes=codes, require_labels=True):
                if test is not None and split != "all" and (record.transcript in test) != (split == "test"):
                    continue
                records.append(record)
    if not records:
        raise CorpusError(f"no labelled records in {', '.join(map(str, paths))} (split {split!r})")
    return records


def label_matrix(records: list[Paragraph], codes: list[str]) -> np.ndarray:
    index = {code: j for j, code in enumerate(codes)}
    Y = np.zeros((len(records), len(codes)), dtype=int)
    for i, record in enumerate(records):
        for label in record.labels or []:
            Y[i, index[label]] = 1
    return Y


def data_hash(records: list[Paragraph]) -> str:
    """sha256 over the text and labels of every record, in order: what a model was trained on."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps([record.transcript, record.text, sorted(record.labels or [])],
                                 ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
