"""Write corpus/splits.json: a fixed train/test split by transcript, never by paragraph.

About 20% of the transcripts go to test, drawn per group (the id prefix: min, uvo,
agt, insp, prov, gem, mdw, div, survey, focus, summary, reflection) so that every
kind of organisation, respondent and register is in both splits. Deterministic.
The written registers (corpus/written/) all go to train: they are scored by the
register protocol instead (hnw-classifier adaptation-curve), one register held out at a time.

    python scripts/make_splits.py [--share 0.2] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from classifier.config import DEFAULTS
from classifier.data.corpus import corpus_files


def make_splits(root: Path, *, share: float, seed: int) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    written = []
    for file in corpus_files(root):
        if "written" in file.relative_to(root).parts:
            written.append(file.stem)
        else:
            groups[file.stem.rsplit("-", 1)[0]].append(file.stem)
    rng = random.Random(seed)
    test = []
    for prefix in sorted(groups):
        names = sorted(groups[prefix])
        k = max(1, round(len(names) * share)) if len(names) >= 3 else 0
        test += rng.sample(names, k)
    every = sorted([n for names in groups.values() for n in names] + written)
    return {"test": sorted(test), "train": [n for n in every if n not in set(test)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    root = DEFAULTS.corpus_dir
    splits = make_splits(root, share=args.share, seed=args.seed)
    (root / "splits.json").write_text(json.dumps(splits, indent=1) + "\n", encoding="utf-8")
    print(f"{len(splits['train'])} train, {len(splits['test'])} test transcripts: {', '.join(splits['test'])}")


if __name__ == "__main__":
    main()
