"""Annotation throughput on a synthetic collection, measured in one run.

Builds N transcripts (default 500, about 40 paragraphs each) from corpus paragraphs,
then times, each as a fresh process:
  (a) spaCy preprocessing alone: read every file and lemmatise it (the floor of our cost)
  (b) annotate --output-dir with --jobs 1
  (c) annotate --output-dir with --jobs 2
  (d) annotate through a Dask LocalCluster with 2 worker processes
  (e) startup: annotate one small file
and prints paragraphs/s, words/s, peak RSS of the largest single process, and the
ratios a/b (annotate's throughput against preprocessing's) and b/c (what two jobs gain).
Each run is repeated (--repeat, default 3, in turns: a b c d a b c d ...) and its median
time is reported, since one run on a busy machine can be off by 10%; the ratios are given
both from the medians and round by round.

    python scripts/bench_annotate.py [--transcripts 500] [--repeat 3] [--model models/default]
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import load_corpus

PREPROCESS_ONLY = """
import sys, warnings
warnings.simplefilter("ignore")
from classifier.text.preprocess import lemmatise, load_pipeline
from classifier.readers import read_transcript
nlp = load_pipeline()
texts = [p.text for f in sys.argv[1:] for p in read_transcript(f)]
lemmatise(texts, nlp)
"""

CLUSTER = """
import sys
from dask.distributed import LocalCluster
from classifier.inference.batch import run_batch
model, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
    run_batch(files, model_dir=model, output_dir=out, scheduler=cluster.scheduler_address)
"""


def build_collection(folder: Path, n: int, per: int, seed: int) -> tuple[list[str], int, int]:
    codes = load_codebook(DEFAULTS.codebook).ids
    records = load_corpus([DEFAULTS.corpus_dir], codes=codes)
    rng = random.Random(seed)
    files, paragraphs, words = [], 0, 0
    for i in range(n):
        chosen = rng.sample(records, per)
        lines = [f"{'I' if k % 2 == 0 else 'R'}: {r.text}" for k, r in enumerate(chosen)]
        path = folder / f"transcript-{i:04d}.txt"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        files.append(str(path))
        paragraphs += per
        words += sum(len(r.text.split()) for r in chosen)
    return files, paragraphs, words


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of a fresh child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def _per_round(times: dict[str, list[float]], first: int, second: int) -> str:
    """The ratio run by run, as well: the runs of one round follow each other, so this holds
    when the machine's speed drifts between rounds, which the ratio of medians does not."""
    series = list(times.values())
    ratios = [x / y for x, y in zip(series[first], series[second])]
    if len(ratios) < 2:
        return ""
    return f"; round by round: median {statistics.median(ratios):.2f}, range {min(ratios):.2f}-{max(ratios):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=500)
    parser.add_argument("--paragraphs", type=int, default=40, help="per transcript")
    parser.add_argument("--model", default="default")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the median is reported")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        files, paragraphs, words = build_collection(tmp / "in", args.transcripts, args.paragraphs, args.seed)
        annotate = [py, "-m", "classifier", "annotate", "--model", args.model, "-q", *files]
        runs = {
            "a preprocess only": [py, "-c", PREPROCESS_ONLY, *files],
            "b annotate --jobs 1": annotate + ["--output-dir", str(tmp / "b")],
            "c annotate --jobs 2": annotate + ["--output-dir", str(tmp / "c"), "--jobs", "2"],
            "d Dask LocalCluster (2 workers)": [py, "-c", CLUSTER, args.model, str(tmp / "d"), *files],
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        peaks: dict[str, float] = {}
        print(f"collection: {len(files)} transcripts, {paragraphs} paragraphs, {words} words; "
              f"median of {args.repeat} runs each")
        for _ in range(args.repeat):
            for name, command in runs.items():
                for out in ("b", "c", "d"):
                    shutil.rmtree(tmp / out, ignore_errors=True)  # each run annotates everything
                seconds, rss = timed(command)
                times[name].append(seconds)
                peaks.setdefault(name, rss)  # first round: in the order of the rows
        print("| run | seconds | paragraphs/s | words/s | peak RSS MB (largest process) |")
        print("|---|---|---|---|---|")
        results = {name: statistics.median(values) for name, values in times.items()}
        for name, seconds in results.items():
            print(f"| {name} | {seconds:.1f} | {paragraphs / seconds:.0f} | {words / seconds:.0f} | {peaks[name]:.0f} |")
        startups = [timed([py, "-m", "classifier", "annotate", "--model", args.model, "-q", files[0],
                           "-o", str(tmp / "one.jsonl")]) for _ in range(args.repeat)]
        startup = statistics.median(seconds for seconds, _ in startups)
        print(f"| e startup, one small file ({args.paragraphs} paragraphs) | {startup:.1f} | | | "
              f"{max(rss for _, rss in startups):.0f} |")
        a, b, c = (results[k] for k in list(runs)[:3])
        print(f"\nannotate throughput / preprocessing throughput (a/b): {a / b:.2f}{_per_round(times, 0, 1)}")
        print(f"two jobs / one job speed-up (b/c): {b / c:.2f}{_per_round(times, 1, 2)}")
        print("(peak RSS is the largest single process seen so far in this run, cumulative over rows)")


if __name__ == "__main__":
    main()
