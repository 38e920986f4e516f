"""The analyst's loop: import-corrections, compare, agreement, suggest, audit.

Review files come from `annotate --format review`; corrections go into a correction
set that `train --corrections` takes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from classifier.cli import (
    cli,
    corpus_or_default,
    delimiter_option,
    friendly_errors,
    model_option,
    spacy_option,
)
from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import SPLITS
from classifier.evaluation.agreement import FIELDS, agreement
from classifier.evaluation.compare import compare
from classifier.inference.annotate import check_pipeline
from classifier.inference.persistence import load_model
from classifier.loop.audit import audit
from classifier.loop.corrections import import_corrections
from classifier.loop.suggest import suggest
from classifier.readers import expand_inputs
from classifier.render.output import write_records
from classifier.render.report import (
    format_agreement,
    format_comparison,
    format_suggestions,
    format_suspects,
    seen_warning,
)
from classifier.text.preprocess import load_pipeline


def codebook_option(func):
    return click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        default=DEFAULTS.codebook, show_default="corpus/codebook.yaml",
                        help="Codebook (YAML or JSON).")(func)


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _errors(messages: list[str]) -> None:
    for message in messages:
        click.echo(f"Error: {message}", err=True)


@cli.command("import-corrections")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Correction set directory (made if missing), e.g. corrections/ronde-1.")
@click.option("--annotator", required=True, help="Who made the corrections; stored with every record.")
@codebook_option
@friendly_errors
def import_corrections_cmd(files, into, annotator, codebook):
    """Store corrected review files as a correction set for train.

    FILES are review CSVs (';' or ',') or JSON Lines; each row becomes a labelled record.

    Each record keeps who, when, which file and row, which model's codes were shown and
    which codes changed. Importing a file again adds nothing; where two corrections of a
    paragraph disagree, the later one (files in the order given) wins and is reported.
    A row with every code cell empty is skipped as not reviewed. Bad rows and files are
    reported (exit 1); the rest is imported.

    Example: hnw-classifier import-corrections review.csv --into corrections/ronde-1 --annotator anna
    """
    report = import_corrections(list(files), into=into, codes=load_codebook(codebook).ids, annotator=annotator)
    for conflict in report.conflicts:
        click.echo(f"Conflict: {conflict}", err=True)
    _errors(report.problems)
    click.echo(f"Imported into {into}: {report.line()}")
    sys.exit(1 if report.problems else 0)


@cli.command("compare")
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--model", "models", multiple=True, required=True, metavar="NAME_OR_DIR",
              help="Give twice: the model before (A) and after (B); a directory or a shipped model's name.")
@click.option("--split", type=click.Choice(SPLITS), default="test", show_default=True,
              help="Which part of a corpus directory with splits.json to compare on.")
@click.option("--show", type=click.IntRange(0), default=20, show_default=True,
              help="How many changed paragraphs to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@spacy_option
@friendly_errors
def compare_cmd(data, models, split, show, fmt, spacy_model):
    """Score two models on the same labelled data, side by side.

    Per-code F1 and kappa of A and B side by side with the difference (B - A), and the paragraphs
    whose codes changed.

    DATA is .jsonl files, corpus directories or correction sets (default: corpus/, test split).

    Example: hnw-classifier compare --model default --model models/retrained corpus
    """
    if len(models) != 2:
        raise click.UsageError(f"give --model exactly twice (A and B), found {len(models)}")
    model_a, model_b = (load_model(m) for m in models)
    nlp = load_pipeline(spacy_model)
    for model in (model_a, model_b):
        check_pipeline(model, nlp)
    result = compare(model_a, model_b, corpus_or_default(data), nlp, split=split)
    click.echo(_json(result) if fmt == "json" else format_comparison(result, show=show))
    for side, model in (("a", model_a), ("b", model_b)):
        warning = seen_warning(result["seen_in_training"][side], result["paragraphs"], f"{side.upper()} ({model.model_id})")
        if warning:
            click.echo(warning, err=True)


@cli.command("agreement")
@click.argument("coding_a", type=click.Path(exists=True, path_type=Path))
@click.argument("coding_b", type=click.Path(exists=True, path_type=Path))
@click.option("--field-a", type=click.Choice(FIELDS), default="auto", show_default=True,
              help="For JSON Lines A: compare 'labels' (a coder's) or 'codes' (the model's).")
@click.option("--field-b", type=click.Choice(FIELDS), default="auto", show_default=True,
              help="For JSON Lines B: compare 'labels' or 'codes'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@codebook_option
@friendly_errors
def agreement_cmd(coding_a, coding_b, field_a, field_b, fmt, codebook):
    """Agreement between two codings: percent, Cohen's kappa, Krippendorff's alpha.

    Per code, and pooled over all codes, for two codings of the same paragraphs.

    A coding is a review CSV, JSON Lines (corpus records, records with just id and labels,
    or annotate's output for the model's codes) or a corpus directory. Paragraphs are
    matched by id, else by text.

    Example: hnw-classifier agreement codering-anna.csv codering-bram.csv
    """
    result = agreement(coding_a, coding_b, codes=load_codebook(codebook).ids, field_a=field_a, field_b=field_b)
    click.echo(_json(result) if fmt == "json" else format_agreement(result))


@cli.command("suggest")
@click.argument("inputs", nargs=-1, required=True)
@model_option
@click.option("-n", "count", type=click.IntRange(1), default=20, show_default=True, help="How many paragraphs.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Review file to write, with the code cells left empty to fill in.")
@click.option("--exclude", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus or correction set whose paragraphs are labelled already (repeatable).")
@delimiter_option
@spacy_option
@friendly_errors
def suggest_cmd(inputs, model_dir, count, output, exclude, delimiter, spacy_model):
    """Pick the paragraphs whose labels would teach the model most.

    Uncertain near a code's threshold, spread over codes and transcripts, no near-duplicates.
    Written as a review file to fill in and import with import-corrections.

    Example: hnw-classifier suggest transcripten/ -n 25 -o volgende.csv
    """
    model = load_model(model_dir)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    found, failed = suggest(expand_inputs(list(inputs)), model, nlp, n=count, exclude=list(exclude))
    write_records([s.record for s in found], output, "review", codes=model.codes, blank=True,
                  delimiter=delimiter)
    click.echo(format_suggestions(found))
    _errors(failed)
    click.echo(f"Wrote {len(found)} paragraphs to {output}", err=True)
    sys.exit(1 if failed else 0)


@cli.command("audit")
@click.argument("corpus", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--corrections", "correction_sets", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Correction set applied to the corpus first (repeatable).")
@click.option("--split", type=click.Choice(SPLITS), default="all", show_default=True,
              help="Which part of a corpus directory with splits.json to audit.")
@click.option("--top", type=click.IntRange(1), default=None, help="Show only the N most suspicious.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the suspects as a review file (given labels filled in) to recheck and import.")
@delimiter_option
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Parallel cross-validation folds.")
@codebook_option
@spacy_option
@friendly_errors
def audit_cmd(corpus, correction_sets, split, top, output, delimiter, jobs, codebook, spacy_model):
    """List labelled paragraphs whose codes look wrong.

    Labelled paragraphs whose given codes are confidently contradicted by cross-validated
    predictions (cleanlab's confident learning), most suspicious first.

    CORPUS is .jsonl files or corpus directories (default: corpus/).

    Example: hnw-classifier audit corpus --top 20 -o herzien.csv
    """
    book = load_codebook(codebook)
    suspects, paragraphs, transcripts = audit(corpus_or_default(corpus), codebook=book, spacy_model=spacy_model,
                                              split=split, correction_sets=list(correction_sets), n_jobs=jobs)
    shown = suspects[:top] if top else suspects
    click.echo(format_suspects(shown, paragraphs=paragraphs, flagged=len(suspects), transcripts=transcripts))
    if output:
        write_records([s.review_record() for s in shown], output, "review", codes=book.ids, delimiter=delimiter)
        click.echo(f"Wrote {len(shown)} paragraphs to {output}", err=True)
