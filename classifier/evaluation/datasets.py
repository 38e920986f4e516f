"""The fixed train and test split of a corpus, lemmatised once, for experiments that
compare models on it (the quality benchmark, the learning curve)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifier.data.codebook import Codebook
from classifier.data.corpus import SPLITS_FILE, label_matrix, load_corpus, load_splits
from classifier.data.records import Paragraph
from classifier.errors import CorpusError
from classifier.text.preprocess import lemmatise, stop_words
from classifier.training.train import check_label_counts, lemmatise_lexicons


@dataclass
class Dataset:
    """Paragraphs with their text, lemmas, label matrix and transcript of origin."""

    records: list[Paragraph]
    lemmas: list[str]
    Y: np.ndarray
    lemmatise_seconds: float

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.records]

    @property
    def groups(self) -> list[str]:
        return [r.transcript for r in self.records]

    @property
    def registers(self) -> list[str]:
        return [r.register or "interview" for r in self.records]

    def subset(self, index) -> "Dataset":
        index = np.asarray(index, dtype=int)
        return Dataset([self.records[i] for i in index], [self.lemmas[i] for i in index], self.Y[index],
                       self.lemmatise_seconds * len(index) / max(len(self.records), 1))


@dataclass
class SplitData:
    train: Dataset
    test: Dataset
    codes: list[str]
    lexicons: dict[str, list[str]]
    stop: list[str]


def make_dataset(records: list[Paragraph], codes: list[str], nlp) -> Dataset:
    started = time.perf_counter()
    lemmas = lemmatise([r.text for r in records], nlp)
    return Dataset(records, lemmas, label_matrix(records, codes), time.perf_counter() - started)


def load_split_data(corpus_dir: str | Path, codebook: Codebook, nlp) -> SplitData:
    """Train and test paragraphs of a corpus directory with splits.json, lemmatised."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir() or load_splits(corpus_dir) is None:
        raise CorpusError(f"{corpus_dir}: expected a corpus directory with {SPLITS_FILE} (a fixed test "
                          f"split); found none. Write one with scripts/make_splits.py")
    codes = codebook.ids
    train = make_dataset(load_corpus([corpus_dir], codes=codes, split="train"), codes, nlp)
    test = make_dataset(load_corpus([corpus_dir], codes=codes, split="test"), codes, nlp)
    check_label_counts(train.Y, codes)
    return SplitData(train, test, codes, lemmatise_lexicons(codebook, nlp), stop_words(nlp))
