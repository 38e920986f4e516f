"""A batch of lemma texts split into words once, for every feature block to share."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np


@dataclass
class Words:
    """The words of a batch of texts: each distinct word once, and where each occurs."""

    words: list[str]  # the distinct words
    rows: np.ndarray  # per occurrence: its text
    which: np.ndarray  # per occurrence: its index in `words`


def split_words(texts: list[str]) -> Words:
    lists = [text.split() for text in texts]
    rows = np.repeat(np.arange(len(texts)), np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)))
    flat = list(chain.from_iterable(lists))
    words = list(dict.fromkeys(flat))
    position = dict(zip(words, range(len(words))))
    which = np.fromiter(map(position.__getitem__, flat), dtype=np.int64, count=len(flat))
    return Words(words, rows, which)
