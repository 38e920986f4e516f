"""train, evaluate, annotate: the core commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from classifier.annotation import annotate_inputs, check_pipeline
from classifier.cli import cli, friendly_errors, model_option, spacy_option
from classifier.codebook import load_codebook
from classifier.config import DEFAULTS
from classifier.corpus import SPLITS
from classifier.errors import InputError
from classifier.evaluation import evaluate
from classifier.output import FORMATS, atomic_writer, write_csv, write_jsonl
from classifier.persistence import load_model
from classifier.preprocess import load_pipeline
from classifier.readers import STDIN, expand_inputs
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
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Parallel cross-validation folds.")
@spacy_option
@friendly_errors
def train_cmd(corpus, codebook, out_dir, split, jobs, spacy_model):
    """Train a model on labelled JSON Lines and print its cross-validated scores.

    CORPUS is .jsonl files or corpus directories (default: corpus/).

    Example: hnw-classifier train corpus --out models/mine
    """
    card = train(list(corpus) or [DEFAULTS.corpus_dir], codebook=load_codebook(codebook), out_dir=out_dir,
                 spacy_model=spacy_model, split=split, settings=TrainSettings(), n_jobs=jobs)
    data = card["training_data"]
    click.echo(f"Trained on {data['paragraphs']} paragraphs from {data['transcripts']} transcripts "
               f"(split {split}); cross-validated by transcript:")
    click.echo(format_table(card["cross_validation"], columns=("precision", "recall", "f1", "kappa", "support")))
    click.echo(f"Model written to {out_dir}")


@cli.command("evaluate")
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@model_option
@click.option("--split", type=click.Choice(SPLITS), default="test", show_default=True,
              help="Which part of a corpus directory with splits.json to evaluate on.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@spacy_option
@friendly_errors
def evaluate_cmd(data, model_dir, split, fmt, spacy_model):
    """Score a model on labelled data: per-code precision, recall, F1, kappa, support.

    DATA is .jsonl files or corpus directories (default: corpus/, test split).

    Example: hnw-classifier evaluate corpus --format markdown
    """
    model = load_model(model_dir)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    metrics = evaluate(model, list(data) or [DEFAULTS.corpus_dir], nlp, split=split)
    click.echo(format_metrics(metrics, fmt))


@cli.command("annotate")
@click.argument("inputs", nargs=-1, required=True)
@model_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output). Written atomically.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@spacy_option
@friendly_errors
def annotate_cmd(inputs, model_dir, output, fmt, spacy_model):
    """Code each paragraph of transcripts with the model's codes, probabilities and evidence.

    INPUTS are files (.txt .md .docx .vtt .srt .jsonl), directories, globs, or - for stdin.
    Exit code 1 when some inputs failed; the others are still annotated.

    Example: hnw-classifier annotate corpus/examples/interview-teamleider.txt
    """
    model = load_model(model_dir)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    failed, items = [], []
    for item in inputs:
        try:
            items.extend(expand_inputs([item]))
        except InputError as exc:
            failed.append(str(exc))
    stdin_bytes = click.get_binary_stream("stdin").read() if STDIN in items else None
    records, done = [], 0
    for item, result, error in annotate_inputs(items, model, nlp, stdin_bytes=stdin_bytes):
        if error:
            failed.append(error)
        else:
            records.extend(result)
            done += 1
    for message in failed:
        click.echo(f"Error: {message}", err=True)
    _write_records(records, output, fmt, model.classifier.codes)
    click.echo(f"Annotated {len(records)} paragraphs from {done} "
               f"input(s); {len(failed)} failed.", err=True)
    if failed:
        sys.exit(1)


def _write_records(records, output, fmt, codes):
    if output is None:
        handle = click.get_text_stream("stdout")
        _write(records, handle, fmt, codes)
        return
    with atomic_writer(output, newline="" if fmt == "csv" else None) as handle:
        _write(records, handle, fmt, codes)


def _write(records, handle, fmt, codes):
    if fmt == "csv":
        write_csv(records, handle, codes=codes)
    else:
        write_jsonl(records, handle)
