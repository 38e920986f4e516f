"""Double coding: draw a random share of the corpus for a blind second pass, then score agreement.

    python scripts/double_coding.py sample [--part spoken|written] [--share 0.1] [--seed 7]
        writes items.jsonl: id, register, speaker, text and the paragraph before it as
        context; no labels (the second coder must not see the first pass)
    python scripts/double_coding.py score [--part spoken|written]
        compares second_pass.jsonl (id, labels) with the corpus and prints Cohen's kappa,
        percent agreement and counts per code as markdown

The parts: spoken is interviews/ and registers/ (a 10% sample, corpus/double_coding/),
written is written/ (a 15% sample, corpus/double_coding/written/).
"""

from __future__ import annotations

import json
import random
import sys

import numpy as np

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import load_corpus
from classifier.evaluation.agreement import measures

PARTS = {"spoken": (["interviews", "registers"], DEFAULTS.corpus_dir / "double_coding"),
         "written": (["written"], DEFAULTS.corpus_dir / "double_coding" / "written")}


def _records(part: str):
    folders, _ = PARTS[part]
    codes = load_codebook(DEFAULTS.codebook).ids
    return codes, load_corpus([DEFAULTS.corpus_dir / f for f in folders], codes=codes)


def sample(part: str, share: float, seed: int) -> None:
    _, records = _records(part)
    folder = PARTS[part][1]
    previous = {r.key: records[i - 1].text if i and records[i - 1].transcript == r.transcript else None
                for i, r in enumerate(records)}
    chosen = sorted(random.Random(seed).sample(range(len(records)), round(len(records) * share)))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "items.jsonl", "w", encoding="utf-8") as handle:
        for i in chosen:
            r = records[i]
            item = {"id": r.id, "register": r.register, "speaker": r.speaker,
                    "context_before": previous[r.key], "text": r.text}
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} of {len(records)} paragraphs written to {folder / 'items.jsonl'}")


def score(part: str) -> None:
    codes, records = _records(part)
    first = {r.id: r.labels for r in records}
    second = {}
    for line in (PARTS[part][1] / "second_pass.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        second[item["id"]] = item["labels"]
    ids = sorted(second)
    A = np.array([[c in first[i] for c in codes] for i in ids], dtype=int)
    B = np.array([[c in second[i] for c in codes] for i in ids], dtype=int)
    print(f"{len(ids)} paragraphs coded twice\n")
    print("| code | kappa | agreement | first pass | second pass | both |")
    print("|---|---|---|---|---|---|")
    for j, c in enumerate(codes):
        m = measures(A[:, j], B[:, j])
        print(f"| {c} | {m['kappa']:.2f} | {m['percent_agreement']:.1%} | {m['a_positives']} | "
              f"{m['b_positives']} | {int((A[:, j] & B[:, j]).sum())} |")
    exact = np.mean((A == B).all(axis=1))
    print(f"\nidentical code sets: {exact:.1%} of paragraphs")


if __name__ == "__main__":
    args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    part = args.get("--part", "spoken")
    if part not in PARTS:
        sys.exit(__doc__)
    if sys.argv[1:2] == ["sample"]:
        sample(part, float(args.get("--share", 0.1)), int(args.get("--seed", 7)))
    elif sys.argv[1:2] == ["score"]:
        score(part)
    else:
        sys.exit(__doc__)
