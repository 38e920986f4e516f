"""Metrics as text: a plain table for the terminal, markdown for READMEs, JSON for scripts."""

from __future__ import annotations

import json

COLUMNS = ("precision", "recall", "f1", "kappa", "support")


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def rows(metrics: dict, columns=COLUMNS) -> list[list[str]]:
    return [[code] + [_cell(m.get(col)) for col in columns] for code, m in metrics["per_code"].items()]


def format_table(metrics: dict, columns=COLUMNS) -> str:
    header = ["code", *columns]
    body = rows(metrics, columns)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    out = [line(header), *(line(r) for r in body)]
    out.append(f"micro F1 {metrics['micro_f1']:.3f}   macro F1 {metrics['macro_f1']:.3f}   "
               f"paragraphs {metrics['paragraphs']}")
    return "\n".join(out)


def format_markdown(metrics: dict, columns=COLUMNS) -> str:
    out = ["| code | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows(metrics, columns)]
    out.append(f"\nmicro F1 {metrics['micro_f1']:.3f}, macro F1 {metrics['macro_f1']:.3f}, "
               f"{metrics['paragraphs']} paragraphs")
    return "\n".join(out)


def format_metrics(metrics: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(metrics, indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return format_markdown(metrics)
    return format_table(metrics)
