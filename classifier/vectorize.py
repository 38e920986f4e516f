"""The model's feature matrix from lemma text, computed without scikit-learn.

Training fits scikit-learn's TfidfVectorizer; after that, a paragraph's features need only
the fitted vocabulary and idf weights. Computing them here is what makes annotation fast:
each feature is a sum over the paragraph's words, so every distinct word is analysed once
per process and cached rather than once per paragraph. The result equals scikit-learn's
transform (tests/test_vectorize.py compares the two on the whole corpus). Annotating also
never imports scikit-learn, which saves 0.7 s at start-up.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import scipy.sparse as sp

from classifier.lexicon import LexiconMatcher

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


def _count_matrix(columns: list[int], lengths: list[int], shape: tuple[int, int]) -> sp.csr_matrix:
    rows = np.repeat(np.arange(shape[0]), lengths)
    data = np.ones(len(columns), dtype=np.float64)
    return sp.csr_matrix((data, (rows, np.asarray(columns, dtype=np.int64))), shape=shape)


class WordNgrams:
    """Word n-grams of whitespace-separated lemmas (scikit-learn's token_pattern=r"\\S+",
    lowercase=False), optionally without stop words."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int],
                 stop_words: list[str] | None = None):
        self.names = list(vocabulary)
        self.index = {term: i for i, term in enumerate(self.names)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.ngram_range = tuple(ngram_range)
        self.stop_words = frozenset(stop_words) if stop_words else None

    def __len__(self) -> int:
        return len(self.names)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        get = self.index.get
        low, high = self.ngram_range
        columns: list[int] = []
        lengths = []
        for text in texts:
            tokens = text.split()
            if self.stop_words:
                tokens = [t for t in tokens if t not in self.stop_words]
            grams = chain.from_iterable(
                tokens if n == 1 else map(" ".join, zip(*(tokens[k:] for k in range(n))))
                for n in range(low, high + 1))
            found = [c for c in map(get, grams) if c is not None]
            columns += found
            lengths.append(len(found))
        return tfidf(_count_matrix(columns, lengths, (len(texts), len(self))), self.idf)


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


class CharNgrams:
    """Character n-grams inside word boundaries (scikit-learn's analyzer="char_wb").

    A paragraph's n-gram counts are the sum of its words' counts, so they are computed as
    (paragraph x word counts) @ (word x n-gram counts), with each word's row cached.
    """

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int]):
        self.names = list(vocabulary)
        self.index = {term: i for i, term in enumerate(self.names)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.ngram_range = tuple(ngram_range)
        self._words: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.names)

    def word_columns(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted columns, counts) of one word's n-grams that are in the vocabulary."""
        cached = self._words.get(word)
        if cached is None:
            if len(self._words) >= CACHE_WORDS:
                self._words.clear()
            get = self.index.get
            found = [c for c in map(get, char_wb_ngrams(word, self.ngram_range)) if c is not None]
            columns, counts = np.unique(np.asarray(found, dtype=np.int64), return_counts=True)
            cached = self._words[word] = (columns, counts.astype(np.float64))
        return cached

    def word_matrix(self, words: list[str]) -> sp.csr_matrix:
        """Words x n-gram counts."""
        rows = [self.word_columns(word) for word in words]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(columns) for columns, _ in rows], out=indptr[1:])
        indices = np.concatenate([columns for columns, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
        data = np.concatenate([counts for _, counts in rows]) if rows else np.zeros(0)
        return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(self)))

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        ids: dict[str, int] = {}
        columns: list[int] = []
        lengths = []
        for text in texts:
            tokens = text.split()
            columns += [ids.setdefault(token, len(ids)) for token in tokens]
            lengths.append(len(tokens))
        per_word = _count_matrix(columns, lengths, (len(texts), len(ids)))
        return tfidf(per_word @ self.word_matrix(list(ids)), self.idf)


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
            chars = CharNgrams(meta["char_vocabulary"], arrays["char_idf"], meta["char_ngrams"])
        lexicons = {code: terms for code, terms in meta.get("lexicons", [])}
        if "lexicon" in blocks and any(lexicons.values()):
            lexicon = LexiconMatcher(lexicons)
        return cls(words, chars, lexicon, stop)

    def transform(self, texts: list[str]) -> tuple[sp.csr_matrix, list[dict[str, list[str]]]]:
        """(feature matrix, per paragraph the lexicon hits per code)."""
        hits = [self.lexicon.hits(text) for text in texts] if self.lexicon else [{} for _ in texts]
        parts = [block.transform(texts) for block in (self.words, self.chars) if block is not None]
        if self.lexicon:
            parts.append(self.lexicon.matrix(hits))
        if not parts:
            return sp.csr_matrix((len(texts), 0)), hits
        X = sp.hstack(parts, format="csr")
        X.sort_indices()
        return X, hits
