"""Metrics as text: a plain table for the terminal, markdown for READMEs, JSON for scripts."""

from __future__ import annotations

import json

COLUMNS = ("precision", "recall", "f1", "kappa", "support")


def cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def rows(metrics: dict, columns=COLUMNS) -> list[list[str]]:
    return [[code] + [cell(m.get(col)) for col in columns] for code, m in metrics["per_code"].items()]


def render_grid(header: list[str], body: list[list[str]], *, markdown: bool = False) -> str:
    """A table of strings: aligned columns for the terminal, or a markdown table."""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join(line(r) for r in [header, *body])


def format_table(metrics: dict, columns=COLUMNS) -> str:
    return (render_grid(["code", *columns], rows(metrics, columns)) + "\n"
            f"micro F1 {metrics['micro_f1']:.3f}   macro F1 {metrics['macro_f1']:.3f}   "
            f"paragraphs {metrics['paragraphs']}")


def format_markdown(metrics: dict, columns=COLUMNS) -> str:
    return (render_grid(["code", *columns], rows(metrics, columns), markdown=True) + "\n\n"
            f"micro F1 {metrics['micro_f1']:.3f}, macro F1 {metrics['macro_f1']:.3f}, "
            f"{metrics['paragraphs']} paragraphs")


def format_metrics(metrics: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(metrics, indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return format_markdown(metrics)
    return format_table(metrics)
