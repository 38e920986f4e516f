"""The quality benchmark and the learning curve as text: aligned tables for the terminal,
markdown for the README, JSON for scripts."""

from __future__ import annotations

import json

from classifier.render.report import align, cell, markdown_table


def render_grid(header: list[str], body: list[list[str]], *, markdown: bool = False) -> str:
    table = [header, *body]
    return "\n".join(markdown_table(table) if markdown else align(table))

PARTS = {"cv": "train split, cross-validated by transcript", "test": "held-out test split"}
PER_CODE = {"f1": "F1", "kappa": "Cohen's kappa", "brier": "Brier score (lower is better)",
            "ece": "expected calibration error (lower is better)"}


def summary_rows(result: dict, part: str) -> tuple[list[str], list[list[str]]]:
    header = ["method", "micro F1", "macro F1", "min kappa", "mean Brier", "train s", "paragraphs/s"]
    body = []
    for m in result["methods"]:
        scores = m[part]["per_code"].values()
        kappas = [s["kappa"] for s in scores if s["kappa"] is not None]
        body.append([m["name"], cell(m[part]["micro_f1"]), cell(m[part]["macro_f1"]),
                     cell(min(kappas) if kappas else None),
                     cell(sum(s["brier"] for s in scores) / len(scores)),
                     "-" if m["train_seconds"] is None else f"{m['train_seconds']:.1f}",
                     str(m["predict_per_second"])])
    return header, body


def per_code_rows(result: dict, part: str, measure: str) -> tuple[list[str], list[list[str]]]:
    header = ["method", *result["codes"]]
    body = [[m["name"], *(cell(m[part]["per_code"][c][measure]) for c in result["codes"])]
            for m in result["methods"]]
    return header, body


def register_rows(result: dict, part: str) -> tuple[list[str], list[list[str]]]:
    """Macro F1 per register for the baselines and the default (the first of each family)."""
    shown = [m for m in result["methods"] if m["family"] != "ours" or m["name"].startswith("default:")]
    header = ["register (paragraphs)", *(m["name"].split(":")[0] for m in shown)]
    body = []
    for register, info in result["corpus"]["train" if part == "cv" else "test"]["registers"].items():
        body.append([f"{register} ({info})",
                     *(cell(m[part]["registers"][register]["macro_f1"]) for m in shown)])
    return header, body


def target_rows(result: dict) -> tuple[list[str], list[list[str]]]:
    header = ["target (test split, default model)", "value", "needed", "met"]
    body = [[t["target"], f"{t['value']:.3f}{t['unit']}", f"{t['needed']:g}{t['unit']}", "yes" if t["met"] else "no"]
            for t in result["targets"]]
    return header, body


def reliability_rows(table: dict) -> tuple[list[str], list[list[str]]]:
    """One row per code, one cell per score bin: 'mean score -> observed rate (n)'."""
    bins = sorted({(b["low"], b["high"]) for rows in table.values() for b in rows})
    header = ["code", *(f"{low:.1f}-{high:.1f}" for low, high in bins)]
    body = []
    for code, rows in table.items():
        by_bin = {(b["low"], b["high"]): b for b in rows}
        body.append([code, *(f"{by_bin[k]['mean_score']:.2f}→{by_bin[k]['observed']:.2f} ({by_bin[k]['count']})"
                             if k in by_bin else "-" for k in bins)])
    return header, body


def format_benchmark(result: dict, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False)
    markdown = fmt == "markdown"
    title = (lambda text: f"### {text}") if markdown else (lambda text: f"== {text}")
    corpus = result["corpus"]
    out = [f"Train split: {corpus['train']['paragraphs']} paragraphs from {corpus['train']['transcripts']} "
           f"transcripts; test split: {corpus['test']['paragraphs']} paragraphs from "
           f"{corpus['test']['transcripts']} transcripts. {result['settings']['cv_folds']}-fold cross-validation "
           f"grouped by transcript."]
    for part in ("test", "cv"):
        out += ["", title(f"Summary, {PARTS[part]}"), "", render_grid(*summary_rows(result, part), markdown=markdown)]
    for measure, label in PER_CODE.items():
        for part in ("test", "cv"):
            out += ["", title(f"{label} per code, {PARTS[part]}"), "",
                    render_grid(*per_code_rows(result, part, measure), markdown=markdown)]
    for part in ("test", "cv"):
        out += ["", title(f"Macro F1 per register, {PARTS[part]}"), "",
                render_grid(*register_rows(result, part), markdown=markdown)]
    for name, table in result["reliability"].items():
        out += ["", title(f"Reliability on the test split, {name}: mean score → observed rate (paragraphs)"), "",
                render_grid(*reliability_rows(table), markdown=markdown)]
    if result["targets"]:
        out += ["", title("Targets"), "", render_grid(*target_rows(result), markdown=markdown)]
    best = result["best_cv"]
    if best and best["name"].startswith("default:"):
        out += ["", "Best variant by cross-validated macro F1: the default."]
    elif best:
        out += ["", f"Best variant by cross-validated macro F1: {best['name']} ({best['gain']:+.3f} over the "
                    f"default; fold by fold {min(best['fold_gains']):+.3f} to {max(best['fold_gains']):+.3f})."]
    return "\n".join(out)


def curve_rows(curve: dict) -> tuple[list[str], list[list[str]]]:
    header = ["share", "transcripts", "paragraphs", "runs", "macro F1", "range",
              *(f"kappa {c}" for c in curve["codes"])]
    body = []
    for p in curve["points"]:
        spread = "-" if not p["runs"] else f"{p['macro_f1_min']:.3f}-{p['macro_f1_max']:.3f}"
        body.append([f"{p['fraction']:.0%}", str(p["transcripts"]), str(p["paragraphs"]), str(p["runs"]),
                     cell(p["macro_f1"]), spread, *(cell(p["kappa"][c]) for c in curve["codes"])])
    keywords = curve["keywords"]
    body.append(["keywords", "-", "-", "-", cell(keywords["macro_f1"]), "-",
                 *(cell(keywords["kappa"][c]) for c in curve["codes"])])
    return header, body


def format_curve(curve: dict, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(curve, indent=2, ensure_ascii=False)
    return (f"Trained on shares of {curve['train_transcripts']} training transcripts "
            f"({curve['repeats']} draws below 100%); scored on {curve['test_paragraphs']} test paragraphs.\n\n"
            + render_grid(*curve_rows(curve), markdown=fmt == "markdown"))


def _spread(s: dict) -> str:
    return f"{s['mean']:.3f} ({s['min']:.3f}-{s['max']:.3f})"


def adaptation_rows(result: dict) -> tuple[list[str], list[list[str]]]:
    """One row per number of corrections and strategy: macro F1 over the held-out registers
    (mean, lowest and highest) and the gain over zero-shot."""
    summary = result["summary"]
    header = ["labelled", "strategy", "macro F1 mean (min-max)", "gain over zero-shot mean (min-max)"]
    body = [["0", "keywords (codebook lexicon)", _spread(summary["keywords"]), "-"],
            ["0", "zero-shot", _spread(summary["zero_shot"]), "-"]]
    for n in result["sizes"]:
        for strategy in result["strategies"]:
            s = summary[strategy].get(str(n))
            if s:
                gain = s["gain"]
                body.append([str(n), strategy, _spread(s),
                             f"{gain['mean']:+.3f} ({gain['min']:+.3f} to {gain['max']:+.3f})"])
    return header, body


def adaptation_register_rows(result: dict) -> tuple[list[str], list[list[str]]]:
    columns = [(s, n) for s in result["strategies"] for n in result["sizes"]]
    header = ["register", "scored (documents)", "keywords", "zero-shot", *(f"{s} {n}" for s, n in columns)]
    body = [[r["register"], f"{r['evaluated']} ({r['evaluated_documents']})", cell(r["keywords"]), cell(r["zero_shot"]),
             *(cell(r["after"][s].get(str(n))) for s, n in columns)] for r in result["rows"]]
    return header, body


def format_adaptation(result: dict, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False)
    markdown = fmt == "markdown"
    summary = result["summary"]
    lines = [f"Held out in turn: {', '.join(result['registers'])} ({result['repeats']} document split(s) each); "
             f"corrections weigh {result['correction_weight']:g} corpus paragraphs.", ""]
    lines.append(render_grid(*adaptation_rows(result), markdown=markdown))
    lines += ["", render_grid(*adaptation_register_rows(result), markdown=markdown), "",
              f"Evidence terms among the corpus's {result.get('frequent_words', 150)} most frequent words outside "
              f"the lexicon (zero-shot, scored paragraphs): {summary['evidence_frequent_share']:.1%}"]
    return "\n".join(lines)
