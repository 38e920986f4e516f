"""The README's overview example: annotate the test-split interviews, summarise them by
organisation type and attitude (from corpus/meta), and screenshot summary.html.

    python scripts/readme_figures.py [--out scripts/results]

Writes summary.png (the page, in Debian's Chromium) and matrix.png into --out, and prints
the commands it ran with their output.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from classifier.config import DEFAULTS
from classifier.data.corpus import load_splits

CHROMIUM = "/usr/bin/chromium"


def run(*args: str, cwd: Path) -> None:
    print("$ hnw-classifier " + " ".join(args))
    done = subprocess.run([sys.executable, "-m", "classifier", *args], cwd=cwd, capture_output=True, text=True)
    print("\n".join(line for line in (done.stderr + done.stdout).splitlines() if not line.startswith("Notice:")))
    done.check_returncode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    corpus = DEFAULTS.corpus_dir
    test = [t for t in load_splits(corpus)["test"] if (corpus / "interviews" / f"{t}.jsonl").is_file()]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "interviews").mkdir()
        for name in test:
            shutil.copy(corpus / "interviews" / f"{name}.jsonl", work / "interviews" / f"{name}.jsonl")
        with open(work / "cases.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["transcript", "organisatietype", "houding"])
            for name in test:
                meta = json.loads((corpus / "meta" / f"{name}.json").read_text(encoding="utf-8"))
                writer.writerow([name, meta["organisation_type"], meta["attitude"]])
        run("annotate", "interviews", "--output-dir", "out", "--jobs", "2", cwd=work)
        run("review-page", "out", "--output-dir", "out", cwd=work)
        run("summarize", "out", "--attributes", "cases.csv", "--output-dir", "overzicht", cwd=work)
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "overzicht" / "matrix.png", args.out / "matrix.png")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={work / 'chromium'}", f"--screenshot={args.out / 'summary.png'}",
                        "--window-size=1280,1600", (work / "overzicht" / "summary.html").as_uri()],
                       check=True, capture_output=True)
    print(f"Wrote {args.out / 'summary.png'} and {args.out / 'matrix.png'}")


if __name__ == "__main__":
    main()
