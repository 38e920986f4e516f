"""The command line: thin wrappers that parse options, call one library function, and print.

Commands live in the modules of this package by topic; each registers itself on `cli`.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from pathlib import Path

import click

from classifier import __version__
from classifier.config import DEFAULTS
from classifier.errors import CodebookError, HnwError, ModelError, PipelineError

CONFIG_ERRORS = (ModelError, CodebookError, PipelineError)


class UserFacingError(click.ClickException):
    """'Error: <message>' on one line, with exit code 1 (bad input) or 2 (bad setup)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def friendly_errors(func):
    """Turn the project's exceptions into one-line messages; never a traceback for a user mistake."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except HnwError as exc:
            raise UserFacingError(str(exc), 2 if isinstance(exc, CONFIG_ERRORS) else 1) from None
    return wrapper


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    label = "Notice" if category.__name__ == "PipelineNotice" else "Warning"
    click.echo(f"{label}: {message}", err=True)


# Which module of this package defines each command. A command's module is imported only
# when that command runs (or --help lists them all), so `annotate` starts without loading
# scikit-learn or matplotlib.
COMMANDS = {
    "train": "core", "evaluate": "core", "annotate": "annotate", "check-corpus": "corpus",
    "import-corrections": "loop", "compare": "loop", "agreement": "loop", "suggest": "loop", "audit": "loop",
    "review-page": "html", "export-qdpx": "qdpx", "import-qdpx": "qdpx",
    "benchmark": "quality", "learning-curve": "quality",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name in COMMANDS:
            importlib.import_module(f"classifier.cli.{COMMANDS[name]}")
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hnw-classifier")
def cli() -> None:
    """Pre-code Dutch interview transcripts with leadership factors of Het Nieuwe Werken."""
    warnings.showwarning = _one_line_warning


def spacy_option(func):
    return click.option("--spacy-model", metavar="NAME_OR_PATH", default=None,
                        help=f"spaCy pipeline (default: {DEFAULTS.spacy_model} if installed, else blank Dutch).")(func)


def model_option(func):
    return click.option("--model", "model_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=DEFAULTS.model_dir, show_default="models/default",
                        help="Model directory.")(func)


def delimiter_option(func):
    return click.option("--delimiter", type=click.Choice([";", ",", "tab"]), default=None,
                        callback=lambda ctx, param, value: "\t" if value == "tab" else value,
                        help="Field separator of a review file (default ';', for Dutch Excel; "
                             "',' also switches decimals to a point).")(func)


def main() -> None:
    cli(prog_name="hnw-classifier")
