"""The spaCy pipeline: loading it (with the blank-Dutch fallback) and turning text into lemmas.

This is the only module that imports spaCy. It knows nothing of codes or models.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.lookups import Lookups

from classifier.config import DEFAULTS
from classifier.errors import PipelineError, PipelineNotice  # noqa: F401  (PipelineNotice: imported from here too)

NUMBER = "<num>"
FALLBACK_NAME = "nl_blank_lookup"
_NOT_NEEDED = ["parser", "ner", "senter"]


def _installed(name: str) -> bool:
    return Path(name).exists() or spacy.util.is_package(name)


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load `name` (a package or a path). With no name, use nl_core_news_sm when installed,
    else spaCy's blank Dutch pipeline with the lookup lemmatizer (with a notice).

    Cached: a process loads each pipeline once.
    """
    if name and name != DEFAULTS.spacy_model:
        if name == FALLBACK_NAME:
            return _blank_dutch()
        if not _installed(name):
            raise PipelineError(f"spaCy pipeline {name!r} is not installed (pip install it, or give a path)")
        return _load(name)
    if _installed(DEFAULTS.spacy_model):
        return _load(DEFAULTS.spacy_model)
    warnings.warn(
        f"{DEFAULTS.spacy_model} is not installed; using spaCy's blank Dutch pipeline "
        "with the lookup lemmatizer (spacy-lookups-data)",
        PipelineNotice,
        stacklevel=2,
    )
    return _blank_dutch()


def _load(name: str) -> Language:
    try:
        return spacy.load(name, exclude=_NOT_NEEDED)
    except (OSError, ValueError) as exc:
        raise PipelineError(f"spaCy pipeline {name!r} cannot be loaded: {str(exc).splitlines()[0]}") from None


def _blank_dutch() -> Language:
    nlp = spacy.blank("nl")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = Lookups()
    lookups.set_table("lemma_lookup", _lemma_lookup())
    lemmatizer.initialize(lookups=lookups)
    nlp.meta["name"] = "blank_lookup"
    return nlp


def _lemma_lookup() -> dict[str, str]:
    """spacy-lookups-data's Dutch lemma table as a plain dict, keyed by the lowercased word.

    spaCy's own loader puts the 213,000 entries one by one into a hashed Table with a Bloom
    filter, which takes about 0.3 s; a dict takes none of that, and the Dutch lookup lemmatizer only
    ever calls table.get(word, word) on it, which means the same for both.
    """
    tables = spacy.util.registry.lookups.get("nl") if "nl" in spacy.util.registry.lookups else None
    if not tables or "lemma_lookup" not in tables:
        raise PipelineError("spaCy's blank Dutch pipeline needs spacy-lookups-data, which is not installed "
                            "(pip install spacy-lookups-data)")
    return dict(spacy.util.load_language_data(tables["lemma_lookup"]))


def pipeline_info(nlp: Language) -> dict:
    """What the model card records about the pipeline, so a mismatch can be detected later."""
    meta = nlp.meta
    name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
    if name == "nl_blank_lookup":
        version = metadata.version("spacy-lookups-data")
    else:
        version = meta.get("version", "0.0.0")
    return {"name": name, "version": version, "spacy": spacy.__version__}


# spaCy refuses texts over nlp.max_length (a million characters) and a tagger's memory grows
# with the text: a longer paragraph is lemmatised in pieces of at most this many characters,
# cut at whitespace, and the pieces' lemmas joined again.
PIECE_CHARS = 100_000


def lemmatise(texts: Iterable[str], nlp: Language, *, batch_size: int = DEFAULTS.batch_size) -> list[str]:
    """Each text as lowercased lemmas joined by spaces: punctuation and whitespace dropped,
    numbers replaced by a placeholder. Stop words stay; the vectorizers decide about them.
    A text of any length is taken (see PIECE_CHARS).
    """
    texts = list(texts)
    if all(len(text) <= PIECE_CHARS for text in texts):
        return [lemma_string(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
    owners, pieces = [], []
    for i, text in enumerate(texts):
        for piece in split_long(text, PIECE_CHARS):
            owners.append(i)
            pieces.append(piece)
    parts: list[list[str]] = [[] for _ in texts]
    for owner, doc in zip(owners, nlp.pipe(pieces, batch_size=batch_size)):
        lemmas = lemma_string(doc)
        if lemmas:
            parts[owner].append(lemmas)
    return [" ".join(found) for found in parts]


def split_long(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at the last whitespace before the
    limit (mid-word only where a piece has no whitespace at all)."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces + [text]


def lemma_string(doc) -> str:
    tokens = []
    for token in doc:
        if token.is_punct or token.is_space or not token.text.strip():
            continue
        if token.like_num:
            tokens.append(NUMBER)
            continue
        # Abbreviation rules keep a final period on some words ("kon."): drop it.
        lemma = (token.lemma_ or token.text).lower().strip().rstrip(".")
        tokens.append(lemma.replace(" ", "_") or token.lower_)
    return " ".join(tokens)


def stop_words(nlp: Language) -> list[str]:
    return sorted(nlp.Defaults.stop_words)
