"""The command line: thin wrappers that parse options, call one library function, and print.

Commands live in the modules of this package by topic; each registers itself on `cli`.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from pathlib import Path
from typing import NamedTuple

import click

from classifier import __version__
from classifier.config import DEFAULTS
from classifier.errors import (
    CodebookError,
    HnwError,
    MissingExtra,
    ModelError,
    PipelineError,
)

CONFIG_ERRORS = (ModelError, CodebookError, PipelineError, MissingExtra)


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


class Command(NamedTuple):
    module: str  # the module of this package that defines it
    short_help: str  # the first line of its docstring (a test keeps them equal)


# A command's module is imported only when that command runs, so `annotate` starts without
# scikit-learn and `--help` lists every command from this table without importing any.
COMMANDS = {
    "annotate": Command("annotate", "Code each paragraph of transcripts with codes, probabilities and evidence."),
    "train": Command("core", "Train a model on labelled JSON Lines and print its cross-validated scores."),
    "evaluate": Command("core", "Score a model on labelled data: per-code precision, recall, F1, kappa."),
    "check-corpus": Command("corpus", "Check a corpus: schema, codes, duplicates, splits, counts."),
    "import-corrections": Command("loop", "Store corrected review files as a correction set for train."),
    "compare": Command("loop", "Score two models on the same labelled data, side by side."),
    "agreement": Command("loop", "Agreement between two codings: percent, Cohen's kappa, Krippendorff's alpha."),
    "suggest": Command("loop", "Pick the paragraphs whose labels would teach the model most."),
    "audit": Command("loop", "List labelled paragraphs whose codes look wrong."),
    "review-page": Command("html", "Render review pages from annotate's JSON Lines."),
    "summarize": Command("summary", "Code matrix, co-occurrence and quotes across annotated transcripts."),
    "export-qdpx": Command("qdpx", "Pre-code transcripts as a REFI-QDA project for QDA tools."),
    "import-qdpx": Command("qdpx", "Turn the coding in a REFI-QDA project into a labelled corpus."),
    "benchmark": Command("quality", "Compare the model with keyword autocoding and spaCy's textcat."),
    "learning-curve": Command("quality", "Train on growing shares of the training transcripts; score each."),
    "adaptation-curve": Command("quality", "Hold each register out, score it zero-shot, then after N corrections."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name in COMMANDS:
            importlib.import_module(f"classifier.cli.{COMMANDS[name].module}")
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name].short_help) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hnw-classifier")
def cli() -> None:
    """Pre-code Dutch interview transcripts with leadership factors of Het Nieuwe Werken."""
    warnings.showwarning = _one_line_warning


def spacy_option(func):
    return click.option("--spacy-model", metavar="NAME_OR_PATH", default=None,
                        help=f"spaCy pipeline (default: {DEFAULTS.spacy_model} if installed, else blank Dutch).")(func)


def model_option(func):
    return click.option("--model", "model_dir", metavar="NAME_OR_DIR", default=DEFAULTS.model, show_default=True,
                        help="A model directory, or the name of a shipped model.")(func)


def _threshold_pairs(ctx, param, values):
    pairs = []
    for value in values:
        code, sep, number = value.partition("=")
        try:
            pairs.append((code.strip(), float(number)))
        except ValueError:
            raise click.BadParameter(f"expected CODE=PROBABILITY, such as sturen=0.2; found {value!r}") from None
        if not sep:
            raise click.BadParameter(f"expected CODE=PROBABILITY, such as sturen=0.2; found {value!r}")
    return tuple(pairs)


def thresholds_options(func):
    """--thresholds PRESET and --threshold CODE=P, passed on as `thresholds`: None for the
    model's own, else (preset, ((code, value), ...))."""
    func = click.option("--threshold", "threshold_pairs", multiple=True, metavar="CODE=P", callback=_threshold_pairs,
                        help="Decide CODE at probability P instead (repeatable), e.g. --threshold sturen=0.2.")(func)
    func = click.option("--thresholds", "threshold_preset", type=click.Choice(["default", "recall"]),
                        default="default", show_default=True,
                        help="recall: the thresholds training chose to favour recall (F2), for pre-coding "
                             "where a wrong code is quicker to delete than a missing one is to find.")(func)

    @functools.wraps(func)
    def wrapper(*args, threshold_preset, threshold_pairs, **kwargs):
        chosen = None if threshold_preset == "default" and not threshold_pairs else (threshold_preset, threshold_pairs)
        return func(*args, thresholds=chosen, **kwargs)
    return wrapper


def corpus_or_default(paths) -> list[Path]:
    """The corpus paths given, else the repository's corpus/ (a wheel ships none)."""
    if paths:
        return list(paths)
    if not DEFAULTS.corpus_dir.is_dir():
        raise UserFacingError("no corpus given, and this installation has no corpus/ folder (it comes with the "
                              "repository, not the package): name a corpus directory or .jsonl files", 2)
    return [DEFAULTS.corpus_dir]


def delimiter_option(func):
    return click.option("--delimiter", type=click.Choice([";", ",", "tab"]), default=None,
                        callback=lambda ctx, param, value: "\t" if value == "tab" else value,
                        help="Field separator of a review file (default ';', for Dutch Excel; "
                             "',' also switches decimals to a point).")(func)


def main() -> None:
    cli(prog_name="hnw-classifier")
