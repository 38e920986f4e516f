"""annotate: code transcripts one by one, or a whole collection in batch mode.

Kept apart from train and evaluate so that annotating never imports scikit-learn; a batch whose
workers load their own pipeline (loky, Dask) does not import spaCy in this process either.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from classifier.cli import (
    cli,
    delimiter_option,
    friendly_errors,
    model_option,
    spacy_option,
    thresholds_options,
)
from classifier.inference.batch import annotate_collected, run_batch, with_thresholds
from classifier.inference.persistence import load_model
from classifier.readers import STDIN, find_inputs
from classifier.render.context import OutputContext
from classifier.render.output import FORMATS, write_records


@cli.command("annotate")
@click.argument("inputs", nargs=-1, required=True)
@model_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One file for all records (default: standard output). Written atomically.")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Batch mode: one output file per transcript plus manifest.jsonl; resumable.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="jsonl", show_default=True)
@delimiter_option
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="Parallel worker processes; a large transcript is split between them.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run the batch on a Dask cluster, e.g. tcp://10.0.0.5:8786.")
@click.option("--force", is_flag=True, help="Redo inputs that a previous batch run already annotated.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary line.")
@click.option("--verbose", "-v", is_flag=True, help="Log every file as it finishes.")
@thresholds_options
@spacy_option
@friendly_errors
def annotate_cmd(inputs, model_dir, output, output_dir, fmt, delimiter, jobs, scheduler, force, quiet, verbose,
                 spacy_model, thresholds):
    """Code each paragraph of transcripts with codes, probabilities and evidence.

    INPUTS are files (.txt .md .docx .vtt .srt .jsonl), directories, globs, or - for stdin.
    Exit code 1 when some inputs failed; the others are still annotated.

    --format review writes the spreadsheet to check and correct (see import-corrections);
    --format html a review page per transcript. --thresholds recall or --threshold CODE=P
    decide with other thresholds; the output records which.

    Example: hnw-classifier annotate corpus/examples/agt-02.txt
    """
    if output and output_dir:
        raise click.UsageError("give --output or --output-dir, not both")
    if delimiter and fmt != "review":
        raise click.UsageError("--delimiter applies to --format review")
    options = {"delimiter": delimiter} if delimiter else {}
    # Our own output is never an input: not the output folder, not the output file.
    found, failed = find_inputs(list(inputs), exclude=[p for p in (output, output_dir) if p is not None])
    if output_dir is not None:
        summary, entries = run_batch(found, model_dir=model_dir, output_dir=output_dir, fmt=fmt, jobs=jobs,
                               scheduler=scheduler, force=force, spacy_model=spacy_model,
                               progress=not quiet and sys.stderr.isatty(),
                               log=(lambda line: click.echo(line, err=True)) if verbose else None,
                               format_options=options, own_process=True, thresholds=thresholds)
        failed += [entry["error"] for entry in entries if entry["status"] == "failed"]
        skipped = [entry["error"] for entry in entries if entry["status"] == "skipped"]
        _report(failed, None if quiet else summary.line(), skipped)
    else:
        items = [f.path for f in found if not f.unsupported]
        failed += [f.unsupported for f in found if f.unsupported]
        records, done = annotate_to(items, model_dir, output, fmt, spacy_model, failed, options, jobs, thresholds)
        _report(failed, None if quiet else f"Annotated {len(records)} paragraphs from {done} input(s); "
                                            f"{len(failed)} failed.")
    if failed:
        sys.exit(1)


def _report(failed, summary_line, skipped=()):
    for message in skipped:
        click.echo(f"Skipped: {message}", err=True)
    for message in failed:
        click.echo(f"Error: {message}", err=True)
    if summary_line:
        click.echo(summary_line, err=True)


def annotate_to(items, model_dir, output, fmt, spacy_model, failed, options, jobs=1, thresholds=None):
    """All records in one file or on standard output, in input order."""
    from classifier.inference.annotate import annotate_inputs, check_pipeline  # imports spaCy: only when needed
    from classifier.text.preprocess import load_pipeline

    model = with_thresholds(load_model(model_dir), thresholds)
    if jobs > 1 and STDIN not in items:
        results = annotate_collected(items, model, jobs=jobs, spacy_model=spacy_model, thresholds=thresholds)
    else:
        nlp = load_pipeline(spacy_model)
        check_pipeline(model, nlp)
        stdin_bytes = click.get_binary_stream("stdin").read() if STDIN in items else None
        results = annotate_inputs(items, model, nlp, stdin_bytes=stdin_bytes)
    records, done = [], 0
    for item, result, error in results:
        if error:
            failed.append(error)
        else:
            records.extend(result)
            done += 1
    codes, context = model.codes, OutputContext.from_model(model)
    if output is None:
        FORMATS[fmt].write(records, click.get_text_stream("stdout"), codes=codes, context=context, **options)
    elif done:  # every input failed: leave no empty file behind
        write_records(records, output, fmt, codes=codes, context=context, **options)
    return records, done
