"""Figures for the README and for analysts: the learning curve and reliability diagrams.

matplotlib draws off-screen (Agg), so plotting works on servers without a display.
"""

from __future__ import annotations

from pathlib import Path

from classifier.extras import require

require("matplotlib", "plots").use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def plot_learning_curve(curve: dict, path: str | Path) -> Path:
    """Test macro F1 (mean and the range over repeats) and per-code kappa against the
    number of training transcripts, with the keyword baseline for reference."""
    points = [p for p in curve["points"] if p["runs"]]
    x = [p["transcripts"] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    left.plot(x, [p["macro_f1"] for p in points], marker="o", label="model (mean)")
    left.fill_between(x, [p["macro_f1_min"] for p in points], [p["macro_f1_max"] for p in points],
                      alpha=0.2, label="range over repeats")
    left.axhline(curve["keywords"]["macro_f1"], color="grey", linestyle="--", label="keyword autocoding")
    left.set(title="Macro F1 on the test split", xlabel="training transcripts", ylabel="macro F1", ylim=(0, 1))
    left.legend(loc="lower right")
    for code in curve["codes"]:
        right.plot(x, [p["kappa"][code] for p in points], marker="o", label=code)
    right.axhline(0.6, color="grey", linestyle=":", label="kappa 0.60")
    right.set(title="Cohen's kappa per code on the test split", xlabel="training transcripts",
              ylabel="kappa", ylim=(0, 1))
    right.legend(loc="lower right", fontsize="small")
    return _save(fig, path)


def plot_reliability(tables: dict[str, dict], path: str | Path) -> Path:
    """Per model, observed rate against mean score per bin, one line per code; the
    diagonal is a perfectly calibrated model."""
    fig, axes = plt.subplots(1, len(tables), figsize=(5 * len(tables), 5), squeeze=False)
    for ax, (name, table) in zip(axes[0], tables.items()):
        ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect")
        for code, rows in table.items():
            ax.plot([r["mean_score"] for r in rows], [r["observed"] for r in rows], marker="o", label=code)
        ax.set(title=f"Reliability on the test split\n{name}", xlabel="mean score", ylabel="observed rate",
               xlim=(0, 1), ylim=(0, 1))
        ax.legend(loc="upper left", fontsize="small")
    return _save(fig, path)


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_matrix(summary, path: str | Path) -> Path:
    """The code matrix as a heatmap for reports: share of each transcript's paragraphs per code,
    with the count and its 90% interval in each cell."""
    rows, codes = summary.rows, summary.codes
    shares = [[row.counts[c] / row.paragraphs if row.paragraphs else 0.0 for c in codes] for row in rows]
    fig, ax = plt.subplots(figsize=(1.6 * len(codes) + 3, 0.45 * len(rows) + 1.8))
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=max(0.01, max(max(r) for r in shares)), aspect="auto")
    ax.set_xticks(range(len(codes)), codes)
    ax.set_yticks(range(len(rows)), [row.label for row in rows])
    for i, row in enumerate(rows):
        for j, code in enumerate(codes):
            low, high = row.intervals[code]
            ax.text(j, i, f"{row.counts[code]} (~{row.expected[code]:.1f}: {low}-{high})", ha="center", va="center",
                    fontsize=7,
                    color="white" if shares[i][j] > 0.6 * image.norm.vmax else "black")
    ax.set_title("Paragraphs assigned each code (~expected: 90% interval, from the probabilities)")
    fig.colorbar(image, ax=ax, label="share of the transcript's paragraphs")
    return _save(fig, path)


def plot_adaptation(result: dict, path: str | Path) -> Path:
    """Macro F1 on the held-out registers against the number of labelled paragraphs: the mean
    over registers per strategy, with the range, beside the zero-shot and keyword levels."""
    summary = result["summary"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for strategy in result["strategies"]:
        points = [(0, summary["zero_shot"])] + [(int(n), s) for n, s in summary[strategy].items()]
        x = [n for n, _ in points]
        ax.plot(x, [s["mean"] for _, s in points], marker="o", label=f"{strategy} (mean)")
        ax.fill_between(x, [s["min"] for _, s in points], [s["max"] for _, s in points], alpha=0.15)
    ax.axhline(summary["keywords"]["mean"], color="grey", linestyle=":", label="keywords (mean)")
    ax.set(xlabel="labelled paragraphs of the held-out register (corrections)", ylabel="macro F1",
           title="Held-out registers: zero-shot, then with corrections")
    ax.legend(loc="lower right", fontsize="small")
    return _save(fig, path)
