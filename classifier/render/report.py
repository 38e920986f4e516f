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


def align(table: list[list[str]], *, right: set[int] | None = None) -> list[str]:
    """Rows of cells as lines; the columns in `right` (default: all but the first) right-aligned."""
    right = set(range(1, len(table[0]))) if right is None else right
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    return ["  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
            for r in table]


def format_table(metrics: dict, columns=COLUMNS) -> str:
    out = align([["code", *columns], *rows(metrics, columns)])
    out.append(f"micro F1 {metrics['micro_f1']:.3f}   macro F1 {metrics['macro_f1']:.3f}   "
               f"paragraphs {metrics['paragraphs']}")
    return "\n".join(out)


def markdown_table(table: list[list[str]]) -> list[str]:
    """Rows of cells, the first being the header, as the lines of a markdown table."""
    return ["| " + " | ".join(table[0]) + " |", "|---" * len(table[0]) + "|",
            *("| " + " | ".join(r) + " |" for r in table[1:])]


def format_markdown(metrics: dict, columns=COLUMNS) -> str:
    out = markdown_table([["code", *columns], *rows(metrics, columns)])
    out.append(f"\nmicro F1 {metrics['micro_f1']:.3f}, macro F1 {metrics['macro_f1']:.3f}, "
               f"{metrics['paragraphs']} paragraphs")
    return "\n".join(out)


def format_metrics(metrics: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(metrics, indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return format_markdown(metrics)
    return format_table(metrics)


def snippet(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.3f}"


def _codes(codes: list[str] | None) -> str:
    return ", ".join(codes) if codes else "(none)"


# Below these, a table of scores rests on too little to tell much apart: say so beside it.
SMALL_PARAGRAPHS = 300
SMALL_TRANSCRIPTS = 10


def format_comparison(result: dict, *, show: int = 20) -> str:
    """Per-code F1 and kappa of models A and B side by side with B - A, then the changed paragraphs."""
    table = [["code", "F1 A", "F1 B", "diff", "kappa A", "kappa B", "diff", "support"]]
    for code, m in result["per_code"].items():
        table.append([code, cell(m["f1_a"]), cell(m["f1_b"]), _signed(m["f1_diff"]), cell(m["kappa_a"]),
                      cell(m["kappa_b"]), _signed(m["kappa_diff"]), cell(m["support"])])
    out = [f"A: {result['a']}", f"B: {result['b']}", *align(table)]
    for name in ("micro_f1", "macro_f1"):
        m = result[name]
        out.append(f"{name.replace('_f1', ' F1')}: {m['a']:.3f} -> {m['b']:.3f} ({_signed(m['diff'])})")
    low, high = result["macro_f1_diff_interval"]
    unit = (f"the {result['transcripts']} transcripts" if result["interval_resamples"] == "transcripts"
            else f"the {result['paragraphs']} paragraphs (too few transcripts to resample those)")
    out.append(f"macro F1 difference, 90% interval from resampling {unit}: {_signed(low)} to {_signed(high)}")
    if result["paragraphs"] < SMALL_PARAGRAPHS or result["transcripts"] < SMALL_TRANSCRIPTS:
        out.append(f"Note: only {result['paragraphs']} paragraphs from {result['transcripts']} transcript(s); "
                   "differences inside the interval above are chance, not the models")
    changed = result["changed"]
    out.append(f"{len(changed)} of {result['paragraphs']} paragraphs changed codes"
               + (":" if changed and show else ""))
    if show:
        rows_ = [["paragraph", "A", "B", "labelled", "text"]]
        rows_ += [[c["key"], _codes(c["a"]), _codes(c["b"]), _codes(c["labels"]), snippet(c["text"], 50)]
                  for c in changed[:show]]
        out += ["  " + line for line in align(rows_, right=set())] if changed else []
        if len(changed) > show:
            out.append(f"  ... and {len(changed) - show} more (--show or --format json for all)")
    return "\n".join(out)


def format_agreement(result: dict) -> str:
    table = [["code", "agreement", "kappa", "alpha", "A has", "B has"]]
    entries = [*result["per_code"].items(), ("all codes", result["pooled"])]
    for code, m in entries:
        table.append([code, cell(m["percent_agreement"]), cell(m["kappa"]), cell(m["alpha"]),
                      cell(m["a_positives"]), cell(m["b_positives"])])
    return "\n".join([f"A: {result['a']}", f"B: {result['b']}", *align(table),
                      f"{result['paragraphs']} paragraphs matched ({result['matched_by_id']} by id, "
                      f"{result['matched_by_text']} by text); unmatched: {result['unmatched_a']} in A, "
                      f"{result['unmatched_b']} in B"])


def seen_warning(seen: int, total: int, model: str) -> str | None:
    """One line when more than 1% of the scored paragraphs were part of a model's training data
    (a few recurring interviewer questions are not)."""
    if seen <= 0.01 * total:
        return None
    return (f"Warning: {seen} of {total} paragraphs scored here were in the training data of {model}; "
            "scores on them overstate how it codes text it has not seen")


def format_suspects(suspects: list, *, paragraphs: int, flagged: int, transcripts: int | None = None) -> str:
    table = [["rank", "paragraph", "quality", "doubted codes (given, cross-validated p)", "text"]]
    for rank, s in enumerate(suspects, start=1):
        doubts = "; ".join(f"{code} {given} p={p:.2f}" for code, given, p in s.doubts)
        table.append([str(rank), s.paragraph.key, f"{s.quality:.3f}", doubts, snippet(s.paragraph.text, 50)])
    head = f"{flagged} of {paragraphs} labelled paragraphs look mislabelled"
    if transcripts is not None and (paragraphs < SMALL_PARAGRAPHS or transcripts < SMALL_TRANSCRIPTS):
        head = (f"Note: the cross-validated predictions rest on only {paragraphs} paragraphs from {transcripts} "
                "transcript(s), so these suspects are rough; audit them with the corpus beside them "
                "(--corrections) for a firmer list\n" + head)
    if suspects:
        head += f"; the {len(suspects)} most suspicious:" if len(suspects) < flagged else ", most suspicious first:"
    return "\n".join([head, *(align(table, right={0, 2}) if suspects else [])])


def format_suggestions(suggestions: list) -> str:
    table = [["rank", "paragraph", "code", "p", "threshold", "text"]]
    for rank, s in enumerate(suggestions, start=1):
        r = s.record
        table.append([str(rank), r.get("id") or f"{r['transcript']}#{r['index']}", s.code, f"{s.probability:.3f}",
                      f"{s.threshold:.3f}", snippet(r["text"], 50)])
    return "\n".join(align(table, right={0, 3, 4}))
