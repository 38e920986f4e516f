"""train, evaluate, annotate: the core commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from classifier.annotation import annotate_inputs, check_pipeline
from classifier.cli import cli, delimiter_option, friendly_errors, model_option, spacy_option
from classifier.codebook import load_codebook
from classifier.config import DEFAULTS
from classifier.corpus import SPLITS
from classifier.evaluation import evaluate
from classifier.evaluation_page import write_evaluation_page
from classifier.batch import run_batch
from classifier.output import FORMATS, OutputContext, write_records
from classifier.persistence import load_model
from classifier.preprocess import load_pipeline
from classifier.readers import STDIN, expand_each
from classifier.report import format_metrics, format_table
from classifier.training import TrainSettings, train


@cli.command("train")
@click.argument("corpus", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DEFAULTS.codebook, show_default="corpus/codebook.yaml", help="Codebook (YAML or JSON).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Model directory to write, e.g. models/mine.")
@click.option("--split", type=click.Choice(SPLITS), default="train", show_default=True,
              help="Which part of a corpus directory with splits.json to train on.")
@click.option("--corrections", "correction_sets", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="A correction set from import-corrections (repeatable): its records replace or add to the corpus.")
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Parallel cross-validation folds.")
@spacy_option
@friendly_errors
def train_cmd(corpus, codebook, out_dir, split, correction_sets, jobs, spacy_model):
    """Train a model on labelled JSON Lines and print its cross-validated scores.

    CORPUS is .jsonl files or corpus directories (default: corpus/).

    Example: hnw-classifier train corpus --out models/mine
    """
    card = train(list(corpus) or [DEFAULTS.corpus_dir], codebook=load_codebook(codebook), out_dir=out_dir,
                 spacy_model=spacy_model, split=split, settings=TrainSettings(), n_jobs=jobs,
                 extra_sets=list(correction_sets))
    data = card["training_data"]
    click.echo(f"Trained on {data['paragraphs']} paragraphs from {data['transcripts']} transcripts "
               f"(split {split}){_corrections_note(data['corrections'])}; cross-validated by transcript:")
    click.echo(format_table(card["cross_validation"], columns=("precision", "recall", "f1", "kappa", "support")))
    click.echo(f"Model written to {out_dir}")


def _corrections_note(corrections: dict | None) -> str:
    if not corrections:
        return ""
    return (f", with {corrections['paragraphs']} corrected paragraphs ({corrections['with_changed_codes']} with "
            f"changed codes) from {len(corrections['sets'])} correction set(s)")


@cli.command("evaluate")
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@model_option
@click.option("--split", type=click.Choice(SPLITS), default="test", show_default=True,
              help="Which part of a corpus directory with splits.json to evaluate on.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML report: bars, confusion counts, confident errors, model card.")
@spacy_option
@friendly_errors
def evaluate_cmd(data, model_dir, split, fmt, html_path, spacy_model):
    """Score a model on labelled data: per-code precision, recall, F1, kappa, support.

    DATA is .jsonl files or corpus directories (default: corpus/, test split).

    Example: hnw-classifier evaluate corpus --format markdown --html report.html
    """
    model = load_model(model_dir)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    metrics = evaluate(model, list(data) or [DEFAULTS.corpus_dir], nlp, split=split,
                       errors=DEFAULTS.report_errors if html_path else 0)
    click.echo(format_metrics(metrics, fmt))
    if html_path:
        click.echo(f"Report written to {write_evaluation_page(metrics, model, html_path)}", err=True)


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
              help="Parallel worker processes (batch mode).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run the batch on a Dask cluster, e.g. tcp://10.0.0.5:8786.")
@click.option("--force", is_flag=True, help="Redo inputs that a previous batch run already annotated.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary line.")
@click.option("--verbose", "-v", is_flag=True, help="Log every file as it finishes.")
@spacy_option
@friendly_errors
def annotate_cmd(inputs, model_dir, output, output_dir, fmt, delimiter, jobs, scheduler, force, quiet, verbose,
                 spacy_model):
    """Code each paragraph of transcripts with the model's codes, probabilities and evidence.

    INPUTS are files (.txt .md .docx .vtt .srt .jsonl), directories, globs, or - for stdin.
    Exit code 1 when some inputs failed; the others are still annotated.

    --format review writes the spreadsheet to check and correct (see import-corrections);
    --format html a review page per transcript.

    Example: hnw-classifier annotate corpus/examples/agt-02.txt
    """
    if output and output_dir:
        raise click.UsageError("give --output or --output-dir, not both")
    if delimiter and fmt != "review":
        raise click.UsageError("--delimiter applies to --format review")
    options = {"delimiter": delimiter} if delimiter else {}
    items, failed = expand_each(list(inputs))
    if output_dir is not None:
        summary, entries = run_batch(items, model_dir=model_dir, output_dir=output_dir, fmt=fmt, jobs=jobs,
                               scheduler=scheduler, force=force, spacy_model=spacy_model,
                               progress=not quiet and sys.stderr.isatty(),
                               log=(lambda line: click.echo(line, err=True)) if verbose else None,
                               format_options=options)
        failed += [entry["error"] for entry in entries if entry["error"]]
        _report(failed, None if quiet else summary.line())
    else:
        records, done = annotate_to(items, model_dir, output, fmt, spacy_model, failed, options)
        _report(failed, None if quiet else f"Annotated {len(records)} paragraphs from {done} input(s); "
                                            f"{len(failed)} failed.")
    if failed:
        sys.exit(1)


def _report(failed, summary_line):
    for message in failed:
        click.echo(f"Error: {message}", err=True)
    if summary_line:
        click.echo(summary_line, err=True)


def annotate_to(items, model_dir, output, fmt, spacy_model, failed, options):
    """All records in one file or on standard output."""
    model = load_model(model_dir)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    stdin_bytes = click.get_binary_stream("stdin").read() if STDIN in items else None
    records, done = [], 0
    for item, result, error in annotate_inputs(items, model, nlp, stdin_bytes=stdin_bytes):
        if error:
            failed.append(error)
        else:
            records.extend(result)
            done += 1
    codes, context = model.classifier.codes, OutputContext.from_model(model)
    if output is None:
        FORMATS[fmt].write(records, click.get_text_stream("stdout"), codes=codes, context=context, **options)
    else:
        write_records(records, output, fmt, codes=codes, context=context, **options)
    return records, done
