"""check-corpus: is a labelled corpus sound and big enough?"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from classifier.cli import cli, corpus_or_default, friendly_errors
from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus_check import Minimums, check_corpus, format_report


@cli.command("check-corpus")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DEFAULTS.codebook, show_default="corpus/codebook.yaml")
@click.option("--no-minimums", is_flag=True, help="Check schema, duplicates and splits only, not the sizes.")
@friendly_errors
def check_corpus_cmd(root, codebook, no_minimums):
    """Check a corpus: schema, codes, duplicates, splits, counts.

    Schema, unknown codes, duplicates, splits and counts; prints the label distribution.

    Exit code 1 when a check fails.

    Example: hnw-classifier check-corpus corpus
    """
    minimums = Minimums(0, 0, 0, 0, 0.0, 0, 0.0) if no_minimums else Minimums()
    report = check_corpus(corpus_or_default([root] if root else [])[0], load_codebook(codebook), minimums=minimums)
    click.echo(format_report(report))
    if not report.ok:
        sys.exit(1)
