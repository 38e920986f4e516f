"""review-page: review pages from annotations already written (annotate --format html
and evaluate --html make pages directly)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from classifier.cli import cli, friendly_errors, model_option
from classifier.inference.persistence import load_model
from classifier.render.annotation_files import annotation_inputs, pages_from_annotations
from classifier.render.context import OutputContext


@cli.command("review-page")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@model_option
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the pages: one .html per input file.")
@friendly_errors
def review_page_cmd(inputs, model_dir, output_dir):
    """Render review pages from annotate's JSON Lines.

    The model is not run again.

    INPUTS are .jsonl files or batch output directories. The model gives the codebook's
    colours and definitions and the thresholds. Exit code 1 when some files failed.

    Example: hnw-classifier review-page annotated/ --output-dir pages
    """
    model = load_model(model_dir)
    results = pages_from_annotations(annotation_inputs(inputs), codes=model.codes,
                                     context=OutputContext.from_model(model), output_dir=output_dir)
    for item, page, error in results:
        click.echo(f"Error: {error}" if error else f"{item}: {page}", err=bool(error))
    if any(error for _, _, error in results):
        sys.exit(1)
