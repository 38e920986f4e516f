"""The register protocol: how the model does on text unlike its training data, and how much an
analyst's corrections move it there.

For each held-out register (a kind of text: news, forum posts, policy notes, ...): train on
everything else in the train split, score a third of the register's documents zero-shot,
then label N paragraphs of its other documents (chosen by `suggest`'s uncertainty sampling,
or at random) in rounds, retrain with them as corrections, and score the same third again.
Documents, not paragraphs, are split, so that no scored paragraph shares a document with a
labelled one. The interview test split plays no part.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from classifier.data.codebook import Codebook
from classifier.data.corpus import label_matrix, load_corpus, load_splits
from classifier.data.records import Paragraph
from classifier.errors import CorpusError
from classifier.evaluation.baselines.keywords import KeywordCoder
from classifier.evaluation.metrics import score
from classifier.loop.suggest import choose
from classifier.text.lexicon import LexiconMatcher
from classifier.text.preprocess import lemmatise, load_pipeline
from classifier.training.train import TrainSettings, fit_model, lemmatise_lexicons

STRATEGIES = ("suggest", "random")


@dataclass(frozen=True)
class AdaptationSettings:
    sizes: tuple[int, ...] = (25, 50, 100, 200)
    strategies: tuple[str, ...] = STRATEGIES
    eval_share: float = 1 / 3  # of each register's paragraphs, taken as whole documents
    repeats: int = 1  # document splits per register, each with its own seed
    seed: int = 7
    train: TrainSettings = TrainSettings()
    frequent_words: int = 150  # evidence check: the corpus's most frequent words outside the lexicon


def held_out_registers(records: list[Paragraph], test: set[str]) -> list[str]:
    """Registers with no document in the test split: the ones the protocol holds out in turn."""
    with_test = {r.register for r in records if r.transcript in test}
    return sorted({r.register for r in records if r.register} - with_test)


def split_documents(records: list[Paragraph], share: float, seed: int) -> tuple[list[int], list[int]]:
    """(pool, evaluation) indices: whole documents, in a seeded order, go to evaluation until it
    holds `share` of the paragraphs."""
    documents = sorted({r.transcript for r in records})
    np.random.default_rng(seed).shuffle(documents)
    size = Counter(r.transcript for r in records)
    held, count = set(), 0
    for document in documents:
        if count >= share * len(records) or len(held) == len(documents) - 1:
            break
        held.add(document)
        count += size[document]
    evaluation = [i for i, r in enumerate(records) if r.transcript in held]
    pool = [i for i, r in enumerate(records) if r.transcript not in held]
    return pool, evaluation


def frequent_words(lemmas: list[str], lexicons: dict[str, list[str]], n: int) -> set[str]:
    """The n most frequent words of the texts (paragraph frequency), lexicon terms left out."""
    matcher = LexiconMatcher(lexicons)
    counts = Counter(w for text in lemmas for w in set(text.split()))
    return {w for w, _ in counts.most_common(n) if not w.startswith("<") and not any(matcher.hits(w).values())}


def generic_evidence(fitted, lemmas: list[str], frequent: set[str]) -> tuple[int, int]:
    """(evidence terms that are frequent words, all evidence terms) for the assigned codes."""
    scorer = fitted.model.scorer
    scores = scorer.score(lemmas)
    assigned = [list(np.flatnonzero(row)) for row in scores.decided]
    evidence = scorer.explainer.explain(lemmas, scores.X, assigned, top=5, tokens=scores.tokens)
    terms = [term for paragraph in evidence for found in paragraph.values() for term in found]
    return sum(term in frequent for term in terms), len(terms)


def adaptation_curve(corpus_dir: str | Path, codebook: Codebook, *, registers: list[str] | None = None,
                     settings: AdaptationSettings = AdaptationSettings(), spacy_model: str | None = None,
                     n_jobs: int = 1, log: Callable[[str], None] | None = None) -> dict:
    """Per held-out register and repeat: keyword and zero-shot scores, evidence made of frequent
    words, and the score after each number of corrections per strategy; plus the means over
    registers with their spread."""
    corpus_dir = Path(corpus_dir)
    splits = load_splits(corpus_dir)
    if splits is None:
        raise CorpusError(f"{corpus_dir}: the register protocol needs a corpus directory with splits.json")
    codes = codebook.ids
    test = set(splits["test"])
    available = held_out_registers(load_corpus([corpus_dir], codes=codes, split="all"), test)
    records = load_corpus([corpus_dir], codes=codes, split="train")
    registers = registers or available
    unknown = sorted(set(registers) - set(available))
    if unknown:
        raise CorpusError(f"register(s) {', '.join(unknown)} cannot be held out; the corpus has "
                          f"{', '.join(available) or 'none without test documents'}")
    cache: dict[str, str] = {}
    rows = []
    for register in registers:
        base = [r for r in records if r.register != register]
        mine = [r for r in records if r.register == register]
        for repeat in range(settings.repeats):
            seed = settings.seed + repeat
            row = _one_register(register, base, mine, codebook, settings, seed, cache, spacy_model, n_jobs)
            rows.append(row)
            if log:
                log(f"{register} (split {repeat + 1}): zero-shot {row['zero_shot']:.3f}, keywords {row['keywords']:.3f}, "
                    + ", ".join(f"{s} {n}: {row['after'][s][str(n)]:.3f}" for s in settings.strategies
                                for n in settings.sizes if str(n) in row["after"][s]))
    return {"registers": registers, "sizes": list(settings.sizes), "strategies": list(settings.strategies),
            "repeats": settings.repeats, "correction_weight": settings.train.correction_weight,
            "frequent_words": settings.frequent_words,
            "rows": rows, "summary": _summary(rows, settings)}


def _one_register(register: str, base: list[Paragraph], mine: list[Paragraph], codebook: Codebook,
                  settings: AdaptationSettings, seed: int, cache: dict[str, str], spacy_model: str | None,
                  n_jobs: int) -> dict:
    codes = codebook.ids
    new = [text for text in dict.fromkeys(r.text for r in mine) if text not in cache]
    cache.update(zip(new, lemmatise(new, load_pipeline(spacy_model))))
    pool, evaluation = split_documents(mine, settings.eval_share, seed)
    eval_records = [mine[i] for i in evaluation]
    Y_eval = label_matrix(eval_records, codes)

    def fit(labelled: list[int]) -> object:
        extra = [mine[i] for i in labelled]
        return fit_model(base + extra, codebook=codebook, spacy_model=spacy_model, settings=settings.train,
                         corrected={r.key for r in extra}, n_jobs=n_jobs, lemma_cache=cache)

    def macro(fitted) -> float:
        decided = fitted.model.scorer.score([cache[r.text] for r in eval_records]).decided
        return score(Y_eval, decided.astype(int), codes)["macro_f1"]

    zero = fit([])
    nlp_lexicons = lemmatise_lexicons(codebook, zero.prepared.nlp)
    keywords = KeywordCoder(codes, nlp_lexicons).fit()
    eval_lemmas = [cache[r.text] for r in eval_records]
    frequent = frequent_words(zero.prepared.lemmas, nlp_lexicons, settings.frequent_words)
    generic, terms = generic_evidence(zero, eval_lemmas, frequent)
    row = {"register": register, "seed": seed, "pool": len(pool), "evaluated": len(evaluation),
           "evaluated_documents": len({r.transcript for r in eval_records}),
           "keywords": score(Y_eval, keywords.predict_proba(eval_lemmas).astype(int), codes)["macro_f1"],
           "zero_shot": macro(zero), "evidence_terms": terms, "evidence_frequent": generic, "after": {}}
    for strategy in settings.strategies:
        rng = np.random.default_rng(seed + 1000)
        labelled: list[int] = []
        current = zero
        row["after"][strategy] = {}
        for n in settings.sizes:
            if n > len(pool):
                break
            taken = set(labelled)
            remaining = [i for i in pool if i not in taken]
            wanted = n - len(labelled)
            if strategy == "random":
                labelled += [remaining[k] for k in rng.choice(len(remaining), wanted, replace=False)]
            else:
                lemmas = [cache[mine[i].text] for i in remaining]
                scores = current.model.scorer.score(lemmas)
                picks = choose(scores.proba, current.model.thresholds_, scores.X,
                               [mine[i].transcript for i in remaining], wanted)
                labelled += [remaining[i] for i, _ in picks]
            current = fit(labelled)
            row["after"][strategy][str(n)] = macro(current)
    return row


def _summary(rows: list[dict], settings: AdaptationSettings) -> dict:
    """Means over registers (and repeats) with the spread (min and max), and gains over zero-shot."""
    def stats(values: list[float]) -> dict:
        return {"mean": round(float(np.mean(values)), 4), "min": round(float(np.min(values)), 4),
                "max": round(float(np.max(values)), 4), "n": len(values)}

    summary = {"keywords": stats([r["keywords"] for r in rows]), "zero_shot": stats([r["zero_shot"] for r in rows]),
               "evidence_frequent_share": round(sum(r["evidence_frequent"] for r in rows)
                                                / max(1, sum(r["evidence_terms"] for r in rows)), 4)}
    for strategy in settings.strategies:
        summary[strategy] = {}
        for n in settings.sizes:
            done = [r for r in rows if str(n) in r["after"][strategy]]
            if done:
                summary[strategy][str(n)] = {**stats([r["after"][strategy][str(n)] for r in done]),
                                             "gain": stats([r["after"][strategy][str(n)] - r["zero_shot"] for r in done])}
    return summary


def with_weight(settings: AdaptationSettings, weight: float) -> AdaptationSettings:
    return replace(settings, train=replace(settings.train, correction_weight=weight))
