"""train and evaluate."""

from __future__ import annotations

from pathlib import Path

import click

from classifier.cli import (
    cli,
    corpus_or_default,
    friendly_errors,
    model_option,
    spacy_option,
)
from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import SPLITS
from classifier.evaluation.evaluate import evaluate
from classifier.inference.annotate import check_pipeline
from classifier.inference.persistence import load_model
from classifier.render.evaluation_page import write_evaluation_page
from classifier.render.report import format_metrics, format_table, seen_warning
from classifier.text.preprocess import load_pipeline
from classifier.training.train import TrainSettings, train


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
@click.option("--correction-weight", type=click.FloatRange(min=0, min_open=True),
              default=TrainSettings().correction_weight, show_default=True,
              help="How much one corrected paragraph weighs against one corpus paragraph.")
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Parallel cross-validation folds.")
@spacy_option
@friendly_errors
def train_cmd(corpus, codebook, out_dir, split, correction_sets, correction_weight, jobs, spacy_model):
    """Train a model on labelled JSON Lines and print its cross-validated scores.

    CORPUS is .jsonl files or corpus directories (default: corpus/).

    Example: hnw-classifier train corpus --out models/mine
    """
    card = train(corpus_or_default(corpus), codebook=load_codebook(codebook), out_dir=out_dir,
                 spacy_model=spacy_model, split=split, settings=TrainSettings(correction_weight=correction_weight),
                 n_jobs=jobs,
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
            f"changed codes, each weighing {corrections['weight']:g}) from {len(corrections['sets'])} correction set(s)")


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
    """Score a model on labelled data: per-code precision, recall, F1, kappa.

    DATA is .jsonl files or corpus directories (default: corpus/, test split).

    Example: hnw-classifier evaluate corpus --format markdown --html report.html
    """
    model = load_model(model_dir)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    metrics = evaluate(model, corpus_or_default(data), nlp, split=split,
                       errors=DEFAULTS.report_errors if html_path else 0)
    click.echo(format_metrics(metrics, fmt))
    warning = seen_warning(metrics["seen_in_training"], metrics["paragraphs"], model.model_id)
    if warning:
        click.echo(warning, err=True)
    if html_path:
        click.echo(f"Report written to {write_evaluation_page(metrics, model, html_path)}", err=True)
