"""Run the quality benchmark and the learning curve on corpus/ and write the README's material.

Prints the benchmark tables and writes, under scripts/results/: quality.md (all tables as
markdown), quality.json and learning_curve.json (the numbers), learning_curve.png and
reliability.png (one panel for the default, one with its calibration toggled). Needs corpus/splits.json (scripts/make_splits.py writes it).
Under 10 minutes on 2 cores with --jobs 2.

    PYTHONPATH=$PWD python scripts/bench_quality.py [--jobs 2] [--no-curve] [--no-spacy]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.errors import HnwError
from classifier.evaluation.baselines.spacy_textcat import ARCHITECTURES
from classifier.evaluation.benchmark import BenchmarkSettings, run_benchmark
from classifier.evaluation.learning_curve import learning_curve
from classifier.render.plots import plot_learning_curve, plot_reliability
from classifier.render.quality_report import format_benchmark, format_curve
from classifier.text.preprocess import PipelineNotice, load_pipeline

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel cross-validation folds (default 2)")
    parser.add_argument("--no-curve", action="store_true", help="skip the learning curve")
    parser.add_argument("--no-spacy", action="store_true", help="skip the spaCy baselines")
    parser.add_argument("--out", type=Path, default=RESULTS, help="output folder (default scripts/results)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", PipelineNotice)
    started = time.perf_counter()
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    codebook, nlp = load_codebook(DEFAULTS.codebook), load_pipeline()
    settings = BenchmarkSettings(spacy=() if args.no_spacy else ARCHITECTURES, n_jobs=args.jobs)
    try:
        result = run_benchmark(DEFAULTS.corpus_dir, codebook, nlp, settings=settings, log=log)
        curve = None if args.no_curve else learning_curve(DEFAULTS.corpus_dir, codebook, nlp, n_jobs=args.jobs, log=log)
    except HnwError as exc:
        sys.exit(f"Error: {exc}")
    elapsed = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "quality.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    markdown = [format_benchmark(result, "markdown")]
    if result["reliability"]:
        plot_reliability(result["reliability"], args.out / "reliability.png")
        markdown += ["", "![reliability](reliability.png)"]
    if curve is not None:
        (args.out / "learning_curve.json").write_text(json.dumps(curve, indent=1) + "\n", encoding="utf-8")
        plot_learning_curve(curve, args.out / "learning_curve.png")
        markdown += ["", "### Learning curve", "", format_curve(curve, "markdown"), "",
                     "![learning curve](learning_curve.png)"]
    markdown += ["", f"Ran in {elapsed:.0f} s on {os.cpu_count()} cores (Python {platform.python_version()}, "
                     f"--jobs {args.jobs})."]
    (args.out / "quality.md").write_text("\n".join(markdown) + "\n", encoding="utf-8")
    print(format_benchmark(result))
    if curve is not None:
        print("\n" + format_curve(curve))
    print(f"\nRan in {elapsed:.0f} s; wrote {args.out}/quality.md", file=sys.stderr)


if __name__ == "__main__":
    main()
