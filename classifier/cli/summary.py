"""summarize: the overview across a collection of annotated transcripts."""

from __future__ import annotations

from pathlib import Path

import click

from classifier.cli import cli, delimiter_option, friendly_errors
from classifier.config import DEFAULTS
from classifier.errors import MissingExtra


@cli.command("summarize")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for matrix.csv, cooccurrence.csv, summary.html and matrix.png.")
@click.option("--all-speakers", is_flag=True, help="Count the interviewer's paragraphs too.")
@click.option("--speaker", "speakers", multiple=True, metavar="NAME",
              help="Count only this speaker's paragraphs (repeatable).")
@click.option("--interviewer", "interviewers", multiple=True, metavar="NAME",
              help="A named speaker who is an interviewer, left out like I: and Interviewer: (repeatable).")
@click.option("--attributes", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV with a 'transcript' column and case attributes (organisation, role, year): "
                   "a matrix per attribute, a row per value.")
@click.option("--quotes", type=click.IntRange(0), default=5, show_default=True,
              help="Top quotes per code in summary.html.")
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Codebook for the codes' names and colours (default: the shipped one, where its codes match).")
@delimiter_option
@friendly_errors
def summarize_cmd(inputs, output_dir, all_speakers, speakers, interviewers, attributes, quotes, codebook, delimiter):
    """Code matrix, co-occurrence and quotes across annotated transcripts.

    INPUTS are annotate's JSON Lines files or batch output folders (read through their
    manifest). Counts come with a 90% interval from the model's probabilities; the
    interviewer's turns are left out unless --all-speakers. The model is not run again.

    Example: hnw-classifier summarize out/ --attributes cases.csv --output-dir overzicht
    """
    from classifier.analysis.summary import Speakers, summarise
    from classifier.data.codebook import load_codebook
    from classifier.render.context import OutputContext
    from classifier.render.summary_files import write_summary

    if all_speakers and speakers:
        raise click.UsageError("give --all-speakers or --speaker, not both")
    summary = summarise(list(inputs), speakers=Speakers(all=all_speakers, only=speakers, interviewers=interviewers),
                        attributes=attributes, quotes=quotes)
    book = load_codebook(codebook or DEFAULTS.codebook)
    context = OutputContext(codebook=book) if set(summary.codes) <= set(book.ids) else None
    try:
        written = write_summary(summary, output_dir, delimiter=delimiter or ";", context=context)
    except MissingExtra as exc:
        written = None
        click.echo(f"Notice: matrix.png was not drawn: {exc}", err=True)
    paragraphs = sum(row.paragraphs for row in summary.rows)
    click.echo(f"Summarised {paragraphs} paragraphs from {len(summary.documents)} transcript(s) "
               f"(model {summary.model}) into {output_dir}" + (f": {', '.join(p.name for p in written)}" if written else ""))
