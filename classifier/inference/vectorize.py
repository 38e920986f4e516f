"""The model's feature matrix from lemma text, computed without scikit-learn.

Training fits scikit-learn's TfidfVectorizer; after that, a paragraph's features need only
the fitted vocabulary and idf weights. Computing them here is what makes annotation fast:
each feature is a sum over the paragraph's words, so every distinct word is analysed once
per process and cached rather than once per paragraph. The result equals scikit-learn's
transform (tests/test_vectorize.py compares the two on the whole corpus). Annotating also
never imports scikit-learn, which saves 0.7 s at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp

from classifier.text.lexicon import LexiconMatcher
from classifier.text.splitting import Words, split_words

CACHE_WORDS = 200_000  # distinct words whose n-gram columns stay cached (a few hundred bytes each)


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf times idf, rows scaled to unit length: what TfidfVectorizer(sublinear_tf=True)
    does to its counts, in the same order of operations."""
    X = sp.csr_matrix(counts, dtype=np.float64)
    X.sum_duplicates()
    X.sort_indices()
    np.log(X.data, out=X.data)
    X.data += 1.0
    X.data *= idf[X.indices]
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    norms = np.sqrt(np.bincount(rows, weights=X.data * X.data, minlength=X.shape[0]))
    norms[norms == 0.0] = 1.0
    X.data /= norms[rows]
    return X


def _count_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """Occurrences (row, column) counted into a matrix."""
    return sp.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=shape)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start, start+1, ... of each (start, length), one range after another."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    begin = np.cumsum(lengths) - lengths
    return np.repeat(starts - begin, lengths) + np.arange(total)


class KeyIndex:
    """Where each of many int64 keys stands in a fixed array of distinct keys, or -1: an
    open-addressing hash table (linear probing, at most a quarter full) held in numpy arrays,
    so a whole batch is looked up in a few vector operations. Two to three times faster than
    binary search in the sorted keys, and the table fits in the processor's cache."""

    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key x this

    def __init__(self, keys: np.ndarray):
        self.keys = np.asarray(keys, dtype=np.int64)
        bits = max(4, int(np.ceil(np.log2(4 * max(len(self.keys), 1)))))
        self._shift, self._mask = np.uint64(64 - bits), (1 << bits) - 1
        self._slots = np.full(1 << bits, -1, dtype=np.int64)
        home = self._home(self.keys)
        todo, step = np.arange(len(self.keys)), 0
        while todo.size:  # each round, every key still without a slot tries the next one
            where = (home[todo] + step) & self._mask
            free = np.flatnonzero(self._slots[where] < 0)
            taken, first = np.unique(where[free], return_index=True)
            self._slots[taken] = todo[free[first]]
            placed = np.zeros(len(todo), dtype=bool)
            placed[free[first]] = True
            todo, step = todo[~placed], step + 1

    def __len__(self) -> int:
        return len(self.keys)

    def _home(self, keys: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((keys.astype(np.uint64) * self._MULTIPLIER) >> self._shift).astype(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        found = np.full(len(keys), -1, dtype=np.int64)
        home = self._home(keys)
        todo, step = np.arange(len(keys)), 0
        while todo.size:  # a key is absent once its probe reaches an empty slot
            slot = self._slots[(home[todo] + step) & self._mask]
            hit = slot >= 0
            hit[hit] = self.keys[slot[hit]] == keys[todo[hit]]
            found[todo[hit]] = slot[hit]
            todo, step = todo[(slot >= 0) & ~hit], step + 1
        return found


class WordNgrams:
    """Word n-grams of whitespace-separated lemmas (scikit-learn's token_pattern=r"\\S+",
    lowercase=False), optionally without stop words.

    An n-gram is looked up as a number: its words' ids in a table of the vocabulary's words,
    read as digits, found in a hash table of the vocabulary's n-grams.
    """

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int],
                 stop_words: list[str] | None = None):
        self.names = list(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.ngram_range = tuple(ngram_range)
        self.stop_words = frozenset(stop_words) if stop_words else frozenset()
        grams = [name.split(" ") for name in self.names]
        flat = list(chain.from_iterable(grams))
        self.table: dict[str, int] = dict(zip(dict.fromkeys(flat), range(len(flat))))  # in order of appearance
        self.base = len(self.table) + 1
        if self.base ** self.ngram_range[1] >= 2 ** 62:
            raise ValueError(f"word n-grams up to {self.ngram_range[1]} words are too long to look up")
        # Each n-gram's words as ids, one n-gram after another; `_starts` says where each begins.
        self._word_ids = np.fromiter(map(self.table.__getitem__, flat), dtype=np.int64, count=len(flat))
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        self._starts = np.cumsum(lengths) - lengths
        self._keys, self._columns = {}, {}
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            columns = np.flatnonzero(lengths == n)
            keys = np.zeros(len(columns), dtype=np.int64)
            for k in range(n):
                keys = keys * self.base + self._word_ids[self._starts[columns] + k]
            self._keys[n], self._columns[n] = KeyIndex(keys), columns

    def all_words_in(self, words: set[str] | frozenset[str]) -> np.ndarray:
        """Per n-gram of the vocabulary: are all its words in `words`?"""
        if not self.names:
            return np.zeros(0, dtype=bool)
        inside = np.fromiter((w in words for w in self.table), dtype=bool, count=len(self.table))
        return np.logical_and.reduceat(inside[self._word_ids], self._starts)

    def __len__(self) -> int:
        return len(self.names)

    def transform(self, texts: list[str], words: Words | None = None) -> sp.csr_matrix:
        words = words or split_words(texts)
        ids = np.fromiter(map(self.table.get, words.words, repeat(-1)), dtype=np.int64, count=len(words.words))
        rows, occurrences = words.rows, ids[words.which]
        if self.stop_words:  # removed before pairing, as scikit-learn does
            stop = np.fromiter((w in self.stop_words for w in words.words), dtype=bool, count=len(words.words))
            kept = ~stop[words.which]
            rows, occurrences = rows[kept], occurrences[kept]
        found_rows, found_columns = [], []
        for n, keys in self._keys.items():
            m = len(occurrences) - n + 1
            if m <= 0 or not len(keys):
                continue
            # The n-gram starting at each position, if its words are in the table and in one text.
            valid = rows[:m] == rows[n - 1:n - 1 + m]
            key = np.zeros(m, dtype=np.int64)
            for k in range(n):
                part = occurrences[k:k + m]
                valid &= part >= 0
                key = key * self.base + part
            key, at = key[valid], rows[:m][valid]
            position = keys.find(key)
            hit = position >= 0
            found_rows.append(at[hit])
            found_columns.append(self._columns[n][position[hit]])
        if not found_rows:
            return sp.csr_matrix((len(texts), len(self)))
        counts = _count_matrix(np.concatenate(found_rows), np.concatenate(found_columns), (len(texts), len(self)))
        return tfidf(counts, self.idf)


def char_wb_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """The character n-grams scikit-learn's analyzer="char_wb" makes of one lowercased word:
    padded with a space on both sides; a word shorter than n gives one n-gram, itself."""
    padded = f" {word.lower()} "
    grams = []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


@dataclass
class Tokens(Words):
    """Words, with each distinct word's row in the word store of CharNgrams."""

    ids: np.ndarray
    generation: int  # the word store's generation the ids belong to


class CharNgrams:
    """Character n-grams inside word boundaries (scikit-learn's analyzer="char_wb").

    A text's n-gram counts are the sum of its words' counts, so they are computed as
    (text x word counts) @ (word x n-gram counts). Each word's n-gram columns are found once
    and kept in a word store, a growing CSR matrix.
    """

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int],
                 skip: list[str] | None = None):
        self.names = list(vocabulary)
        self.skip = frozenset(skip or ())  # words that have no n-grams here (FeatureSettings.common_word_share)
        self.index = {term: i for i, term in enumerate(self.names)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.ngram_range = tuple(ngram_range)
        self.generation = 0
        self._clear()

    def __len__(self) -> int:
        return len(self.names)

    @property
    def stored(self) -> int:
        """How many words the store holds."""
        return self._words

    def _clear(self) -> None:
        self.generation += 1
        self._ids: dict[str, int] = {}
        self.indptr = np.zeros(1024 + 1, dtype=np.int64)
        self.indices = np.zeros(16384, dtype=np.int64)
        self.counts = np.zeros(16384, dtype=np.float64)
        self._words = self._entries = 0

    def _store(self, words: list[str]) -> None:
        """Add the n-gram columns and counts of new words to the store, all at once."""
        get, ngram_range = self.index.get, self.ngram_range
        skip = self.skip
        grams = [[] if word in skip else char_wb_ngrams(word, ngram_range) for word in words]
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        columns = np.fromiter(map(get, chain.from_iterable(grams), repeat(-1)), dtype=np.int64,
                              count=int(lengths.sum()))
        owner = np.repeat(np.arange(len(words)), lengths)
        known = columns >= 0
        # Each (word, column) once, with how often it occurs, in (word, column) order.
        width = max(len(self.names), 1)
        entries, counts = np.unique(owner[known] * width + columns[known], return_counts=True)
        per_word = np.bincount(entries // width, minlength=len(words))
        end = self._entries + len(entries)
        if self._words + len(words) + 1 > len(self.indptr):
            self.indptr = np.resize(self.indptr, max(2 * len(self.indptr), self._words + len(words) + 1))
        if end > len(self.indices):
            size = max(2 * len(self.indices), end)
            self.indices, self.counts = np.resize(self.indices, size), np.resize(self.counts, size)
        self.indices[self._entries:end] = entries % width
        self.counts[self._entries:end] = counts
        self.indptr[self._words + 1:self._words + len(words) + 1] = self._entries + np.cumsum(per_word)
        self._ids.update(zip(words, range(self._words, self._words + len(words))))
        self._words += len(words)
        self._entries = end

    def tokens(self, texts: list[str], words: Words | None = None) -> Tokens:
        found = words or split_words(texts)
        if len(self._ids) + len(found.words) > CACHE_WORDS:
            self._clear()
        known = self._ids
        new = [w for w in found.words if w not in known]
        if new:
            self._store(new)
        ids = np.fromiter(map(known.__getitem__, found.words), dtype=np.int64, count=len(found.words))
        return Tokens(found.words, found.rows, found.which, ids, self.generation)

    def word_matrix(self, ids: np.ndarray) -> sp.csr_matrix:
        """Stored words x n-gram counts."""
        starts, lengths = self.indptr[ids], self.indptr[ids + 1] - self.indptr[ids]
        entries = ranges(starts, lengths)
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        return sp.csr_matrix((self.counts[entries], self.indices[entries], indptr), shape=(len(ids), len(self)))

    def transform(self, texts: list[str], tokens: Tokens | None = None) -> sp.csr_matrix:
        tokens = tokens if tokens is not None and tokens.generation == self.generation else self.tokens(texts)
        word_per_text = _count_matrix(tokens.which, tokens.rows, (len(tokens.words), len(texts)))
        # Computed transposed, (n-gram x word) @ (word x text): a sparse product leaves each
        # row's columns unsorted, and turning the transpose (the counts in CSC) into CSR sorts
        # them in one linear pass.
        counts_t = self.word_matrix(tokens.ids).T.tocsr() @ word_per_text
        return tfidf(counts_t.T.tocsr(), self.idf)


class Featurizer:
    """The blocks side by side, in the column order the weights expect: words, chars, lexicon."""

    def __init__(self, words: WordNgrams | None, chars: CharNgrams | None, lexicon: LexiconMatcher | None,
                 stop_words: list[str] | None = None):
        self.words, self.chars, self.lexicon = words, chars, lexicon
        self.stop_words = list(stop_words or [])
        self.slices: dict[str, slice] = {}
        start = 0
        for name, size in (("words", len(words) if words else 0), ("chars", len(chars) if chars else 0),
                           ("lexicon", len(lexicon.codes) if lexicon else 0)):
            if size:
                self.slices[name] = slice(start, start + size)
                start += size
        self.size = start

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> "Featurizer":
        """From what FeatureSet.state() returns, i.e. what a model directory holds."""
        blocks = meta["blocks"]
        stop = meta.get("stop_words")
        words = chars = lexicon = None
        if "words" in blocks and meta.get("word_vocabulary"):
            words = WordNgrams(meta["word_vocabulary"], arrays["word_idf"], meta["word_ngrams"],
                               stop if meta.get("remove_stop_words") else None)
        if "chars" in blocks and meta.get("char_vocabulary"):
            chars = CharNgrams(meta["char_vocabulary"], arrays["char_idf"], meta["char_ngrams"],
                               meta.get("common_words"))
        lexicons = {code: terms for code, terms in meta.get("lexicons", [])}
        if "lexicon" in blocks and any(lexicons.values()):
            lexicon = LexiconMatcher(lexicons)
        return cls(words, chars, lexicon, stop)

    def transform(self, texts: list[str]) -> tuple[sp.csr_matrix, list[dict[str, list[str]]], Tokens | None]:
        """(feature matrix, per text the lexicon hits per code, the texts' words for the explainer)."""
        words = split_words(texts)
        hits = self.lexicon.hits_many(texts, words) if self.lexicon else [{} for _ in texts]
        tokens = self.chars.tokens(texts, words) if self.chars else None
        parts = [self.words.transform(texts, words)] if self.words else []
        if self.chars:
            parts.append(self.chars.transform(texts, tokens))
        if self.lexicon:
            parts.append(self.lexicon.matrix(hits))
        if not parts:
            return sp.csr_matrix((len(texts), 0)), hits, tokens
        X = sp.hstack(parts, format="csr")
        X.has_sorted_indices = True  # each block's columns are sorted, and the blocks are side by side
        return X, hits, tokens
