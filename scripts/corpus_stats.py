"""Print the corpus's counts as markdown tables, for corpus/README.md (the data card).

    python scripts/corpus_stats.py
"""

from __future__ import annotations

import json
from collections import Counter

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import load_corpus, load_splits


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    codes = load_codebook(DEFAULTS.codebook).ids
    test = set(load_splits(DEFAULTS.corpus_dir)["test"])
    records = load_corpus([DEFAULTS.corpus_dir], codes=codes)
    rows = []
    for register in sorted({r.register for r in records}):
        mine = [r for r in records if r.register == register]
        # The written registers have no test split: the register protocol holds each out in turn.
        splits = ("train", "test") if any(r.transcript in test for r in mine) else ("protocol",)
        for split in splits:
            part = [r for r in mine if split == "protocol" or (r.transcript in test) == (split == "test")]
            counts = Counter(label for r in part for label in r.labels)
            rows.append([register, split, len({r.transcript for r in part}), len(part)]
                        + [counts[c] for c in codes]
                        + [sum(not r.labels for r in part), sum(len(r.labels) > 1 for r in part)])
    print(table(["register", "split", "documents", "paragraphs", *codes, "no code", "2+ codes"], rows))
    print()
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((DEFAULTS.corpus_dir / "meta").glob("*.json"))]
    interviews = [m for m in metas if m.get("register") == "interview"]
    for key in ("organisation_type", "role", "attitude"):
        counts = Counter(m.get(key, "?") for m in interviews)
        print(f"**{key.replace('_', ' ')}**: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
        print()
    years = Counter(m.get("period", "")[:4] for m in interviews)
    print("**year of the interview**: " + ", ".join(f"{k} {v}" for k, v in sorted(years.items())))
    words = [len(r.text.split()) for r in records if r.register == "interview"]
    print(f"\n**paragraph length (interviews)**: {min(words)} to {max(words)} words, median {sorted(words)[len(words) // 2]}")
    written = [m for m in metas if m.get("genre")]
    print(f"\n**written documents**: {len(written)}; country: "
          + ", ".join(f"{k} {v}" for k, v in Counter(m["country"] for m in written).most_common()))
    decades = Counter(f"{m['year'] // 5 * 5}-{m['year'] // 5 * 5 + 4}" for m in written)
    print("\n**year of the written documents**: " + ", ".join(f"{k} {v}" for k, v in sorted(decades.items())))
    kinds = {r.register for r in records} - {m.get("register") for m in interviews}
    for register in sorted(kinds & {m["register"] for m in written}):
        words = sorted(len(r.text.split()) for r in records if r.register == register)
        genres = Counter(m["genre"] for m in written if m["register"] == register)
        print(f"\n**{register}**: paragraphs of {words[0]} to {words[-1]} words, median {words[len(words) // 2]}; "
              f"{len(genres)} genres, e.g. " + "; ".join(g for g, _ in genres.most_common(4)))


if __name__ == "__main__":
    main()
