"""Annotating whole collections: one output file per transcript, a manifest, resumable runs,
parallel workers on one machine or a Dask cluster.

One job runs in this process; local workers are forked from it once it has loaded model and
pipeline (Linux) or started by joblib; a cluster runs through joblib's Dask backend. All of
them execute the same task function, `annotate_task`. Every output file is written
atomically and recorded in a journal as soon as it is complete, so a run killed at any
moment resumes where it stopped.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice, repeat
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from tqdm import tqdm

from classifier.data.records import Paragraph
from classifier.errors import HnwError, InputError, PipelineMismatch, PipelineNotice
from classifier.extras import require
from classifier.fileio import atomic_writer, sha256_file
from classifier.inference.persistence import LoadedModel, load_model
from classifier.readers import BATCH_MANIFEST, STDIN, Found, read_transcript
from classifier.render.context import OutputContext
from classifier.render.output import FORMATS, write_records
from classifier.shipped import model_dir as shipped_model_dir

# spaCy is imported only by the functions that annotate: a parent whose workers load their own
# pipeline (joblib's loky, a Dask cluster) never loads it.

MANIFEST = BATCH_MANIFEST
JOURNAL = ".manifest.journal.jsonl"
# Work is handed out in tasks of about this much input: small transcripts together (the model
# is faster on larger batches), a transcript larger than this in parts, so that it does not
# keep one worker busy while the others wait.
CHUNK_BYTES = 256_000
MAX_PARTS = 8
MIN_SLICE = 200  # paragraphs: fewer are not worth sending to a worker


@dataclass
class BatchSummary:
    files: int = 0
    paragraphs: int = 0
    failed: int = 0
    unchanged: int = 0  # done by an earlier run, for the same input and model
    skipped: int = 0  # files in a folder that no reader takes
    removed: int = 0  # outputs of inputs no longer in the batch
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.paragraphs / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"files {self.files}, paragraphs {self.paragraphs}, failed {self.failed}, "
                f"unchanged {self.unchanged}, skipped {self.skipped} (unsupported), removed {self.removed} (stale), "
                f"seconds {self.seconds:.1f}, paragraphs/s {self.per_second:.1f}")


@dataclass
class Job:
    input: str
    output: str  # file name inside the output directory
    sha256: str | None
    parts: int
    size: int  # bytes


class Written(NamedTuple):
    """What a worker reports of an output file it wrote itself."""
    paragraphs: int
    sha256: str


# Other thresholds than the model's own, as workers receive them: (preset, ((code, value), ...)).
Thresholds = tuple[str, tuple[tuple[str, float], ...]] | None


def with_thresholds(model: LoadedModel, thresholds: Thresholds) -> LoadedModel:
    """The model deciding with `thresholds` (None: its own)."""
    if thresholds is None:
        return model
    preset, overrides = thresholds
    return model.with_thresholds(preset=preset, overrides=dict(overrides))


_LOADED: dict[tuple, tuple] = {}
_OWN_PROCESS = False  # this process does nothing but batch work: a command-line run, or our worker
_WATCHING = False  # this worker watches for its parent's end
# Local workers are forked from a process that has loaded everything, where that is safe (Linux);
# elsewhere joblib starts fresh ones, which load model and pipeline themselves.
_FORK = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _worker_state(model_dir: str, spacy_model: str | None, model: LoadedModel | None = None,
                  thresholds: Thresholds = None) -> tuple:
    """(model, pipeline, notices): loaded once per worker process and kept for every later task.
    A process that has loaded the model already hands it in, so it is not read twice."""
    key = (model_dir, spacy_model, thresholds)
    if key in _LOADED and model is not None and _LOADED[key][0] is not model:
        _LOADED[key] = (model, *_LOADED[key][1:])
    if key not in _LOADED:
        from classifier.text.preprocess import load_pipeline

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model, nlp = model or with_thresholds(load_model(model_dir), thresholds), load_pipeline(spacy_model)
        if len(_LOADED) >= 2:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = model, nlp, [str(w.message) for w in caught if issubclass(w.category, PipelineNotice)]
        if _OWN_PROCESS:
            # Model and pipeline live as long as the process: leave them out of later garbage
            # collections, which would walk them again and again (about 4% of a command-line run).
            gc.freeze()
    return _LOADED[key]


def _die_with_parent() -> bool:
    """Ask Linux to kill this process the moment its parent ends (prctl PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _become_worker() -> None:
    """In a local worker process: end as soon as the batch process that started it is gone
    (killed with -9, say) instead of finishing work nobody collects. On Linux the kernel kills
    the worker at once; elsewhere a thread checks every half second."""
    global _WATCHING, _OWN_PROCESS
    if _WATCHING:
        return
    _WATCHING = _OWN_PROCESS = True
    parent = os.getppid()
    if _die_with_parent():
        if os.getppid() != parent or parent == 1:  # the parent ended before the request took effect
            os._exit(1)
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def get_ready(model_dir: str, spacy_model: str | None, local_worker: bool = False,
              model: LoadedModel | None = None, thresholds: Thresholds = None) -> tuple[dict, list[str]]:
    """Load model and pipeline in this process; returns the pipeline's description and the
    notices loading gave, for the batch process to check and show once."""
    from classifier.text.preprocess import pipeline_info

    if local_worker:
        _become_worker()
    _, nlp, notices = _worker_state(model_dir, spacy_model, model, thresholds)
    return pipeline_info(nlp), notices


def annotate_task(items: list[tuple], model_dir: str, spacy_model: str | None,
                  local_worker: bool = False, thresholds: Thresholds = None) -> list[tuple]:
    """Annotate each item (path, part, parts, output) of one task: every `parts`-th paragraph
    of the transcript, starting at `part`, all in one pass of the model. Given an `output`
    (path, format, options), an item's records are written there and reported as Written."""
    from classifier.inference.annotate import annotate_paragraphs

    if local_worker:
        _become_worker()
    model, nlp, _ = _worker_state(model_dir, spacy_model, thresholds=thresholds)
    results, read = [], []
    for path, part, parts, output in items:
        try:
            read.append(((path, part, output), read_transcript(path)[part::parts]))
        except HnwError as exc:
            results.append((path, part, None, str(exc)))
    records = annotate_paragraphs([p for _, paragraphs in read for p in paragraphs], model, nlp)
    start = 0
    for (path, part, output), paragraphs in read:
        mine, start = records[start:start + len(paragraphs)], start + len(paragraphs)
        if output is None:
            results.append((path, part, mine, None))
            continue
        out, fmt, options = output
        # No fsync: a resumed run checks each output's sha256 against the journal before trusting it.
        write_records(mine, out, fmt, codes=model.codes, context=OutputContext.from_model(model), durable=False,
                      **options)
        results.append((path, part, Written(len(mine), sha256_file(out)), None))
    return results


def _tasks(todo: list[Job], output_dir: Path, fmt: str, options: dict, chunk_bytes: int,
           write_here: bool, workers: int) -> list[list[tuple]]:
    """Group the jobs' parts into tasks of up to chunk_bytes each, in input order. Tasks get
    smaller towards the end, so that the workers finish at about the same time."""
    remaining = sum(job.size for job in todo)
    tasks, current, size = [], [], 0.0
    for job in todo:
        output = (str(output_dir / job.output), fmt, options) if job.parts == 1 and write_here else None
        for part in range(job.parts):
            target = min(chunk_bytes, remaining / (4 * workers))
            if current and size + job.size / job.parts > target:
                tasks.append(current)
                remaining -= size
                current, size = [], 0.0
            current.append((job.input, part, job.parts, output))
            size += job.size / job.parts
    return tasks + [current] if current else tasks


def output_name(found: Found, suffix: str) -> str:
    """An input's output file: its name relative to the argument it came from (a directory's
    files keep their subfolders), extension and all, plus the format's suffix. It depends on
    nothing but the input's own path, so adding files beside it renames nothing."""
    return found.name + suffix


def read_manifest(output_dir: Path) -> dict[str, dict]:
    """Latest entry per input from the manifest and the journal of an interrupted run.
    A line cut short by a kill is ignored."""
    entries: dict[str, dict] = {}
    for name in (MANIFEST, JOURNAL):
        path = output_dir / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                entries[entry["input"]] = entry
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return entries


def _is_done(entry: dict | None, job: Job, model: LoadedModel, output_dir: Path) -> bool:
    if not entry or entry.get("status") != "ok" or entry.get("sha256") != job.sha256:
        return False
    if entry.get("thresholds") != model.custom_thresholds:
        return False
    model_id = model.model_id
    out = output_dir / job.output
    return (entry.get("model") == model_id and entry.get("output") == job.output and out.is_file()
            and sha256_file(out) == entry.get("output_sha256"))


def run_batch(inputs: list[str | Found], *, model_dir: str | Path, output_dir: str | Path, fmt: str = "jsonl",
              jobs: int = 1, scheduler: str | None = None, force: bool = False, thresholds: Thresholds = None,
              spacy_model: str | None = None, chunk_bytes: int = CHUNK_BYTES, progress: bool = False,
              log: Callable[[str], None] | None = None, format_options: dict | None = None,
              own_process: bool = False) -> tuple[BatchSummary, list[dict]]:
    """Annotate every input into output_dir; returns the summary and the manifest entries.

    Inputs are paths, or what find_inputs found (with each file's name relative to its
    argument, and files no reader takes, which are recorded as skipped). `format_options` go
    to the output format's writer (review: delimiter). own_process=True says this process does
    nothing else (the command line): what it loads may stay put."""
    global _OWN_PROCESS
    _OWN_PROCESS = _OWN_PROCESS or own_process
    started = time.perf_counter()
    found = [item if isinstance(item, Found) else Found(str(item), Path(item).name) for item in inputs]
    if any(f.path == STDIN for f in found):
        raise InputError("standard input ('-') cannot be used with --output-dir; give files")
    model_dir = str(shipped_model_dir(model_dir).resolve())
    model = with_thresholds(load_model(model_dir), thresholds)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    for stale in output_dir.glob(".*.tmp"):
        stale.unlink()
    summary = BatchSummary(files=len(found))
    options = format_options or {}
    results: dict[str, dict[int, tuple]] = defaultdict(dict)
    previous = read_manifest(output_dir)
    entries, todo = _plan(found, model, output_dir, fmt, chunk_bytes, force, previous)
    summary.unchanged = sum(e["status"] == "ok" for e in entries.values())
    pending = {job.input: job for job in todo}
    with ExitStack() as stack:
        journal = stack.enter_context(open(output_dir / JOURNAL, "a", encoding="utf-8"))
        plan = partial(_tasks, todo, output_dir, fmt, options, chunk_bytes)
        # A rerun with nothing left to do loads no pipeline and starts no workers.
        stream = _results(stack, plan, model, model_dir, spacy_model, jobs=jobs, scheduler=scheduler,
                          thresholds=thresholds) if todo else ()
        with tqdm(total=len(todo), disable=not progress, unit="file", desc="annotate") as bar:
            for path, part, result, error in stream:
                results[path][part] = (result, error)
                job = pending[path]
                if len(results[path]) < job.parts:
                    continue
                entry = _finish(job, results.pop(path), model, output_dir, fmt, options)
                entries[path] = entry
                # Flushed, not fsynced: a kill -9 keeps what the kernel has; after a power cut, an
                # entry whose output did not survive fails the sha256 check and the file is redone.
                journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
                journal.flush()
                bar.update(1)
                if log:
                    log(f"{path}: {entry['status']}, {entry['paragraphs']} paragraphs" +
                        (f" ({entry['error']})" if entry["error"] else ""))

    ordered = [entries[f.path] for f in found]
    summary.removed = _remove_stale(previous, ordered, output_dir)
    with atomic_writer(output_dir / MANIFEST) as handle:
        for entry in ordered:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    (output_dir / JOURNAL).unlink(missing_ok=True)
    summary.failed = sum(e["status"] == "failed" for e in ordered)
    summary.skipped = sum(e["status"] == "skipped" for e in ordered)
    summary.paragraphs = sum(e["paragraphs"] for e in ordered if e["input"] in pending)
    summary.seconds = time.perf_counter() - started
    return summary, ordered


def _results(stack: ExitStack, plan: Callable[..., list[list[tuple]]], model: LoadedModel, model_dir: str,
             spacy_model: str | None, *, jobs: int, scheduler: str | None, thresholds: Thresholds) -> Iterator[tuple]:
    """(path, part, records or Written, error) for every item of the tasks that `plan(write_here,
    workers)` makes, as they finish: in this process, in local workers, or on a Dask cluster.
    Pools live as long as `stack`."""
    if jobs > 1 and not scheduler and _FORK:
        # Load here, then fork: the workers start at once with model and pipeline in place.
        _show_ready([get_ready(model_dir, spacy_model, model=model, thresholds=thresholds)], model)
        tasks = plan(write_here=True, workers=jobs)
        pool = stack.enter_context(ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                                       initializer=_become_worker))
        return (result for results in _as_finished(pool, tasks, (model_dir, spacy_model, False, thresholds),
                                                   in_flight=2 * jobs)
                for result in results)
    if scheduler or jobs > 1:
        from joblib import Parallel, delayed, effective_n_jobs  # one job needs no pool

        local_worker = not scheduler
        stack.enter_context(_backend(scheduler))
        parallel = stack.enter_context(Parallel(n_jobs=-1 if scheduler else jobs, return_as="generator_unordered"))
        # The workers load model and pipeline, and say how that went.
        _show_ready(list(parallel(delayed(get_ready)(model_dir, spacy_model, local_worker, None, thresholds)
                                  for _ in range(1 if scheduler else jobs))), model)
        # Local workers write each transcript's output themselves; parts of a large transcript,
        # and results from a cluster (whose disks may not be ours), come back here to be written.
        tasks = plan(write_here=not scheduler, workers=effective_n_jobs(-1 if scheduler else jobs))
        calls = (delayed(annotate_task)(task, model_dir, spacy_model, local_worker, thresholds) for task in tasks)
        return (result for results in parallel(calls) for result in results)
    _show_ready([get_ready(model_dir, spacy_model, model=model, thresholds=thresholds)], model)
    return (result for task in plan(write_here=True, workers=1)
            for result in annotate_task(task, model_dir, spacy_model, False, thresholds))


def annotate_chunk(paragraphs: list[Paragraph], model_dir: str, spacy_model: str | None, thresholds: Thresholds = None,
                   local_worker: bool = False) -> list[dict]:
    """Annotate paragraphs that were read elsewhere: single-output annotation sends its workers
    slices of what it read once."""
    from classifier.inference.annotate import annotate_paragraphs

    if local_worker:
        _become_worker()
    model, nlp, _ = _worker_state(model_dir, spacy_model, thresholds=thresholds)
    return annotate_paragraphs(paragraphs, model, nlp)


def annotate_collected(inputs: list[str], model: LoadedModel, *, jobs: int, spacy_model: str | None = None,
                       thresholds: Thresholds = None) -> Iterator[tuple[str, list[dict] | None, str | None]]:
    """(input, records, None) or (input, None, error) per input, in input order, with the
    paragraphs spread over `jobs` local workers in slices: a large transcript is read once
    here and its slices annotated side by side. `model` is loaded already, deciding with
    `thresholds` (which workers started afresh apply too). What single-output annotation uses
    for --jobs."""
    model_dir = str(model.path.resolve())
    read: list[tuple[str, list[Paragraph] | None, str | None]] = []
    for item in inputs:
        try:
            read.append((item, read_transcript(item), None))
        except HnwError as exc:
            read.append((item, None, str(exc)))
    total = sum(len(paragraphs) for _, paragraphs, _ in read if paragraphs)
    size = max(MIN_SLICE, -(-total // (4 * jobs)))  # four slices a worker: they finish together
    slices = [(k, paragraphs[start:start + size]) for k, (_, paragraphs, _) in enumerate(read) if paragraphs
              for start in range(0, len(paragraphs), size)]
    with ExitStack() as stack:
        if _FORK:
            _show_ready([get_ready(model_dir, spacy_model, model=model, thresholds=thresholds)], model)
            pool = stack.enter_context(ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                                           initializer=_become_worker))
            annotated = pool.map(annotate_chunk, [chunk for _, chunk in slices], repeat(model_dir),
                                 repeat(spacy_model), repeat(thresholds))
        else:
            from joblib import Parallel, delayed

            parallel = stack.enter_context(Parallel(n_jobs=jobs))
            _show_ready(list(parallel(delayed(get_ready)(model_dir, spacy_model, True, None, thresholds)
                                      for _ in range(jobs))), model)
            annotated = parallel(delayed(annotate_chunk)(chunk, model_dir, spacy_model, thresholds, True)
                                 for _, chunk in slices)
        records: list[list[dict]] = [[] for _ in read]
        for (k, _), found in zip(slices, annotated):
            records[k].extend(found)
    for k, (item, paragraphs, error) in enumerate(read):
        yield (item, None, error) if error else (item, records[k], None)


def _interleave(parts: dict[int, tuple]) -> list[dict]:
    """The records of a transcript annotated in parts (part k took paragraphs k, k + n, ...),
    back in the transcript's order."""
    n = len(parts)
    lists = [parts[k][0] for k in range(n)]
    return [lists[i % n][i // n] for i in range(sum(map(len, lists)))]


def _finish(job: Job, parts: dict[int, tuple], model, output_dir: Path, fmt: str, options: dict) -> dict:
    errors = [error for _, error in parts.values() if error]
    out = output_dir / job.output
    entry = _entry(job.input, model, status="failed", sha=job.sha256, output=job.output)
    if errors:
        out.unlink(missing_ok=True)
        entry["error"] = errors[0]
        return entry
    written = [result for result, _ in parts.values() if isinstance(result, Written)]
    if written:
        entry.update(paragraphs=written[0].paragraphs, status="ok", output_sha256=written[0].sha256)
        return entry
    records = _interleave(parts)
    write_records(records, out, fmt, codes=model.codes, context=OutputContext.from_model(model), durable=False,
                  **options)
    entry.update(paragraphs=len(records), status="ok", output_sha256=sha256_file(out))
    return entry


def _entry(job_input: str, model: LoadedModel, *, status: str, error: str | None = None, sha: str | None = None,
           output: str | None = None) -> dict:
    entry = {"input": job_input, "sha256": sha, "model": model.model_id, "output": output, "paragraphs": 0,
             "status": status, "error": error, "output_sha256": None}
    if model.custom_thresholds is not None:
        entry["thresholds"] = model.custom_thresholds
    return entry


def _plan(found: list[Found], model: LoadedModel, output_dir: Path, fmt: str, chunk_bytes: int, force: bool,
          previous: dict[str, dict]) -> tuple[dict[str, dict], list[Job]]:
    """(manifest entries settled without running the model: done by an earlier run, skipped as
    unsupported, or failed for an output name taken by another input; jobs still to do)."""
    settled: dict[str, dict] = {}
    todo: list[Job] = []
    owners: dict[str, str] = {}
    for item in found:
        if item.unsupported:
            settled[item.path] = _entry(item.path, model, status="skipped", error=item.unsupported)
            continue
        name = output_name(item, FORMATS[fmt].suffix)
        if name in owners:
            settled[item.path] = _entry(item.path, model, status="failed", output=name, error=(
                f"{item.path}: its output {name} would overwrite that of {owners[name]}; "
                "annotate the two folders into separate output folders"))
            continue
        owners[name] = item.path
        path = Path(item.path)
        sha = sha256_file(path) if path.is_file() else None
        size = path.stat().st_size if path.is_file() else 0
        # Each part reads the whole file again: a few parts spread a large transcript over the
        # workers, more would only repeat the reading.
        job = Job(item.path, name, sha, min(MAX_PARTS, max(1, -(-size // chunk_bytes))), size)
        if not force and _is_done(previous.get(item.path), job, model, output_dir):
            settled[item.path] = previous[item.path]
        else:
            todo.append(job)
    return settled, todo


def _remove_stale(previous: dict[str, dict], current: list[dict], output_dir: Path) -> int:
    """Delete the outputs an earlier run wrote for inputs this run no longer has (or now names
    differently), where they are still as written; returns how many were removed."""
    kept = {entry["output"] for entry in current if entry.get("output")}
    removed = 0
    for entry in previous.values():
        name = entry.get("output")
        if not name or name in kept or not entry.get("output_sha256"):
            continue
        out = output_dir / name
        if out.is_file() and sha256_file(out) == entry["output_sha256"]:
            out.unlink()
            removed += 1
    return removed


def _show_ready(ready: list[tuple[dict, list[str]]], model) -> None:
    """Show once what loading told the workers: the fallback notice, a pipeline that differs
    from the model's."""
    info, notices = ready[0]
    for notice in notices:
        warnings.warn(notice, PipelineNotice, stacklevel=3)
    problem = model.pipeline_mismatch(info)
    if problem:
        warnings.warn(problem, PipelineMismatch, stacklevel=3)


def _as_finished(pool: ProcessPoolExecutor, tasks: list[list[tuple]], setup: tuple, *,
                 in_flight: int) -> Iterator[list[tuple]]:
    """Keep `in_flight` tasks submitted; yield each one's results as it finishes. `setup` is
    annotate_task's arguments after the task."""
    queue = iter(tasks)
    running = {pool.submit(annotate_task, task, *setup) for task in islice(queue, in_flight)}
    while running:
        finished, running = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            yield future.result()
            running.update(pool.submit(annotate_task, task, *setup) for task in islice(queue, 1))


@contextmanager
def _backend(scheduler: str | None) -> Iterator[None]:
    """joblib's Dask backend on an existing cluster, or joblib's own process pool."""
    if not scheduler:
        yield
        return
    Client = require("dask.distributed", "cluster").Client  # only cluster runs need it
    from joblib import parallel_config

    with Client(scheduler), parallel_config(backend="dask"):
        yield
