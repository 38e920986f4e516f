"""export-qdpx, import-qdpx: exchange with ATLAS.ti, MAXQDA, NVivo and QualCoder (REFI-QDA)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from classifier.cli import cli, friendly_errors, model_option, spacy_option
from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.inference.annotate import check_pipeline
from classifier.inference.persistence import load_model
from classifier.qdpx.codemap import load_code_map
from classifier.qdpx.export import export_transcripts, write_qdc
from classifier.qdpx.importing import import_qdpx, write_corpus
from classifier.qdpx.project import CRLF_RULES
from classifier.qdpx.spans import MIN_OVERLAP
from classifier.readers import STDIN, expand_each
from classifier.text.preprocess import load_pipeline

_codebook_path = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.command("export-qdpx")
@click.argument("inputs", nargs=-1)
@model_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .qdpx project (or .qdc codebook) to write. Written atomically.")
@click.option("--codebook", type=_codebook_path, default=None,
              help="Codebook for code names, descriptions and colours (default: the model's; "
                   "with --codebook-only: corpus/codebook.yaml).")
@click.option("--codebook-only", is_flag=True, help="Write only the codebook, as a REFI-QDA .qdc file.")
@click.option("--name", "project_name", default=None, help="Project name shown in the QDA tool (default: file name).")
@spacy_option
@friendly_errors
def export_qdpx_cmd(inputs, model_dir, output, codebook, codebook_only, project_name, spacy_model):
    """Pre-code transcripts as a REFI-QDA project for QDA tools.

    For ATLAS.ti, MAXQDA, NVivo or QualCoder.

    INPUTS are transcript files, directories, globs or - (as for annotate). Exit code 1
    when some inputs failed; the others are still exported.

    Example: hnw-classifier export-qdpx interviews/ --output project.qdpx
    """
    if codebook_only:
        book = load_codebook(codebook or DEFAULTS.codebook)
        click.echo(f"Codebook '{book.name}' with {len(book.codes)} codes written to {write_qdc(book, output)}")
        return
    if not inputs:
        raise click.UsageError("give transcripts to export, or --codebook-only")
    model = load_model(model_dir, codebook=load_codebook(codebook) if codebook else None)
    nlp = load_pipeline(spacy_model)
    check_pipeline(model, nlp)
    items, failed = expand_each(list(inputs))
    for message in failed:
        click.echo(f"Error: {message}", err=True)
    stdin_bytes = click.get_binary_stream("stdin").read() if STDIN in items else None
    summary = export_transcripts(items, model, nlp, output, codebook=model.codebook, project_name=project_name,
                                 stdin_bytes=stdin_bytes)
    for message in summary.failed:
        click.echo(f"Error: {message}", err=True)
    click.echo(summary.line())
    if failed or summary.failed:
        sys.exit(1)


@cli.command("import-qdpx")
@click.argument("project", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The JSON Lines corpus file to write.")
@click.option("--coder", "coders", multiple=True, metavar="NAME",
              help="Take only this coder's codings (repeatable; default: every human coder).")
@click.option("--include-model", is_flag=True, help="Also take the codings our model made in an exported project.")
@click.option("--map", "map_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="YAML or JSON mapping of the project's code names to codebook codes (null ignores a code).")
@click.option("--codebook", type=_codebook_path, default=DEFAULTS.codebook, show_default="corpus/codebook.yaml")
@click.option("--min-overlap", type=click.FloatRange(0.01, 1.0), default=MIN_OVERLAP, show_default=True,
              help="Share of the shorter of paragraph and selection that must overlap for the code to count.")
@click.option("--crlf", type=click.Choice(CRLF_RULES), default="auto", show_default=True,
              help="How the exporting tool counted CRLF line ends: auto is one for ATLAS.ti, else two.")
@friendly_errors
def import_qdpx_cmd(project, out, coders, include_model, map_file, codebook, min_overlap, crlf):
    """Turn the coding in a REFI-QDA project into a labelled corpus.

    A corpus that train reads.

    Each source is split into paragraphs by our readers; a paragraph takes a code when a
    selection with it covers at least half of the shorter of the two (see --min-overlap).

    Example: hnw-classifier import-qdpx project.qdpx --out coded.jsonl --coder Anna
    """
    book = load_codebook(codebook)
    paragraphs, report = import_qdpx(project, book, coders=list(coders) or None, include_model=include_model,
                                     code_map=load_code_map(map_file, book) if map_file else None,
                                     min_overlap=min_overlap, crlf=crlf)
    write_corpus(paragraphs, out)
    for line in report.lines():
        click.echo(line)
    click.echo(f"Corpus written to {out}")
