"""benchmark, learning-curve: how good the model is, against what, and what more data adds."""

from __future__ import annotations

from pathlib import Path

import click

from classifier.cli import cli, corpus_or_default, friendly_errors, spacy_option
from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.evaluation.adaptation import STRATEGIES, AdaptationSettings, adaptation_curve, with_weight
from classifier.evaluation.baselines.spacy_textcat import ARCHITECTURES
from classifier.evaluation.benchmark import BenchmarkSettings, run_benchmark
from classifier.evaluation.learning_curve import CurveSettings, learning_curve
from classifier.render.quality_report import format_adaptation, format_benchmark, format_curve
from classifier.text.preprocess import load_pipeline

corpus_argument = click.argument("corpus_dir", required=False,
                                 type=click.Path(exists=True, file_okay=False, path_type=Path))
codebook_option = click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                               default=DEFAULTS.codebook, show_default="corpus/codebook.yaml",
                               help="Codebook (YAML or JSON); its lexicons drive the keyword baseline.")
jobs_option = click.option("--jobs", type=click.IntRange(1), default=1, show_default=True,
                           help="Parallel cross-validation folds.")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]),
                             default="table", show_default=True)


def _log(line: str) -> None:
    click.echo(line, err=True)


def _fractions(ctx, param, value: str) -> tuple[float, ...]:
    try:
        fractions = tuple(float(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter(f"expected numbers separated by commas, such as 0.1,0.5,1; found {value!r}")
    if any(not 0 < f <= 1 for f in fractions):
        raise click.BadParameter(f"each share must lie above 0 and at most 1; found {value!r}")
    return fractions


@cli.command("benchmark")
@corpus_argument
@codebook_option
@click.option("--folds", type=click.IntRange(2), default=DEFAULTS.cv_folds, show_default=True,
              help="Cross-validation folds over the train split's transcripts.")
@click.option("--spacy/--no-spacy", "with_spacy", default=True, show_default=True,
              help="Train spaCy's textcat_multilabel baselines (bow and ensemble; the slow part).")
@click.option("--variants/--no-variants", default=True, show_default=True,
              help="Also score the default model's variants (feature blocks, weights, C, calibration, SVM).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report to this file.")
@jobs_option
@format_option
@spacy_option
@friendly_errors
def benchmark_cmd(corpus_dir, codebook, folds, with_spacy, variants, output, jobs, fmt, spacy_model):
    """Compare the model with keyword autocoding and spaCy's textcat.

    On a corpus's fixed split.

    CORPUS_DIR needs a splits.json (default: corpus/). Scores cross-validated on the train
    split and on the test split: micro and macro F1, per-code F1, kappa, Brier, calibration,
    per-register macro F1, training seconds and paragraphs per second.

    Example: hnw-classifier benchmark corpus --no-spacy --no-variants
    """
    settings = BenchmarkSettings(cv_folds=folds, spacy=ARCHITECTURES if with_spacy else (), variants=variants,
                                 n_jobs=jobs)
    corpus = corpus_or_default([corpus_dir] if corpus_dir else [])[0]
    result = run_benchmark(corpus, load_codebook(codebook), load_pipeline(spacy_model), settings=settings, log=_log)
    text = format_benchmark(result, fmt)
    click.echo(text)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")


@cli.command("learning-curve")
@corpus_argument
@codebook_option
@click.option("--fractions", default="0.1,0.25,0.5,1", show_default=True, callback=_fractions,
              help="Shares of the training transcripts to train on, separated by commas.")
@click.option("--repeats", type=click.IntRange(1), default=3, show_default=True,
              help="Draws of transcripts for each share below 100%.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Save the curve as a PNG image.")
@jobs_option
@format_option
@spacy_option
@friendly_errors
def learning_curve_cmd(corpus_dir, codebook, fractions, repeats, plot, jobs, fmt, spacy_model):
    """Train on growing shares of the training transcripts; score each.

    Each is scored on the test split.

    Shows how much more coded transcripts (or corrections) still add: test macro F1 and
    per-code kappa per share. CORPUS_DIR needs a splits.json (default: corpus/).

    Example: hnw-classifier learning-curve corpus --plot curve.png
    """
    corpus = corpus_or_default([corpus_dir] if corpus_dir else [])[0]
    curve = learning_curve(corpus, load_codebook(codebook), load_pipeline(spacy_model), n_jobs=jobs, log=_log,
                           settings=CurveSettings(fractions=fractions, repeats=repeats))
    click.echo(format_curve(curve, fmt))
    if plot is not None:
        from classifier.render.plots import (
            plot_learning_curve,  # matplotlib: imported only when a plot is asked for
        )

        click.echo(f"Plot written to {plot_learning_curve(curve, plot)}", err=True)


def _sizes(ctx, param, value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(part) for part in value.split(",")}))
    except ValueError:
        raise click.BadParameter(f"expected whole numbers separated by commas, such as 25,50,100; found {value!r}")
    if any(n <= 0 for n in sizes):
        raise click.BadParameter(f"each number of corrections must be positive; found {value!r}")
    return sizes


@cli.command("adaptation-curve")
@corpus_argument
@codebook_option
@click.option("--register", "registers", multiple=True, metavar="NAME",
              help="Hold out only this register (repeatable; default: every register without test documents).")
@click.option("--sizes", default="25,50,100,200", show_default=True, callback=_sizes,
              help="Numbers of labelled paragraphs of the held-out register, added in rounds.")
@click.option("--strategy", "strategies", multiple=True, type=click.Choice(STRATEGIES),
              help="How the paragraphs to label are chosen (repeatable; default: both).")
@click.option("--repeats", type=click.IntRange(1), default=1, show_default=True,
              help="Document splits per register, each with its own seed.")
@click.option("--correction-weight", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Weight of a corrected paragraph against a corpus one (default: what train uses).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also draw the curve as PNG.")
@jobs_option
@format_option
@spacy_option
@friendly_errors
def adaptation_curve_cmd(corpus_dir, codebook, registers, sizes, strategies, repeats, correction_weight, plot, jobs,
                         fmt, spacy_model):
    """Hold each register out, score it zero-shot, then after N corrections.

    The register protocol: train on everything else in the train split, score a third of the
    held-out register's documents, then label N paragraphs of its other documents (chosen
    by suggest, or at random), retrain with them as corrections and score again.

    Example: hnw-classifier adaptation-curve corpus --jobs 2 --plot adaptation.png
    """
    settings = AdaptationSettings(sizes=sizes, strategies=strategies or STRATEGIES, repeats=repeats)
    if correction_weight is not None:
        settings = with_weight(settings, correction_weight)
    corpus = corpus_or_default([corpus_dir] if corpus_dir else [])[0]
    result = adaptation_curve(corpus, load_codebook(codebook), registers=list(registers) or None, settings=settings,
                              spacy_model=spacy_model, n_jobs=jobs, log=_log)
    click.echo(format_adaptation(result, fmt))
    if plot is not None:
        from classifier.render.plots import plot_adaptation  # matplotlib: imported only when a plot is asked for

        click.echo(f"Plot written to {plot_adaptation(result, plot)}", err=True)
