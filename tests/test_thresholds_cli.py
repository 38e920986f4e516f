"""Thresholds a researcher moves: presets and per-code values on the command line, recorded in
the output; a card edited by hand is refused rather than silently ignored."""

import json
import shutil

import numpy as np
import pytest

from classifier.cli import cli
from classifier.errors import ModelError
from classifier.inference.persistence import CARD, load_model


def _records(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_recall_preset_assigns_more_codes_and_is_recorded(runner, small_model_dir, data_dir):
    args = ["annotate", str(data_dir / "interview_labels.txt"), "--model", str(small_model_dir), "-q"]
    default, recall = _records(runner.invoke(cli, args)), _records(runner.invoke(cli, args + ["--thresholds", "recall"]))
    assert sum(len(r["codes"]) for r in recall) >= sum(len(r["codes"]) for r in default)
    assert "thresholds" not in default[0]
    model = load_model(small_model_dir)
    assert recall[0]["thresholds"] == {c: round(float(t), 4) for c, t in zip(model.codes, model.arrays["thresholds_recall"])}
    assert all(r["scores"] == d["scores"] for r, d in zip(recall, default)), "probabilities stay the same"


def test_one_code_moved(runner, small_model_dir, data_dir):
    args = ["annotate", str(data_dir / "interview_labels.txt"), "--model", str(small_model_dir), "-q"]
    records = _records(runner.invoke(cli, args + ["--threshold", "sturen=0.01"]))
    assert all("sturen" in r["codes"] for r in records)
    assert records[0]["thresholds"]["sturen"] == 0.01


@pytest.mark.parametrize("value, message", [
    ("sturen:0.2", "expected CODE=PROBABILITY, such as sturen=0.2"),
    ("stuur=0.2", "--threshold stuur=0.2: unknown code; the model has sturen"),
    ("sturen=1.5", "--threshold sturen=1.5: a threshold lies between 0 and 1"),
])
def test_bad_threshold_is_one_clear_error(runner, small_model_dir, data_dir, value, message):
    result = runner.invoke(cli, ["annotate", str(data_dir / "teams.vtt"), "--model", str(small_model_dir),
                                 "--threshold", value])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_a_batch_redoes_its_outputs_when_the_thresholds_change(runner, small_model_dir, data_dir, tmp_path):
    out = tmp_path / "out"
    base = ["annotate", str(data_dir / "teams.vtt"), "--model", str(small_model_dir), "--output-dir", str(out)]
    runner.invoke(cli, base)
    again = runner.invoke(cli, base + ["--thresholds", "recall"])
    assert "unchanged 0" in again.stderr
    entry = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert entry["thresholds"] == load_model(small_model_dir).with_thresholds(preset="recall").custom_thresholds


def test_a_card_edited_by_hand_is_refused(tmp_path, small_model_dir):
    model = tmp_path / "m"
    shutil.copytree(small_model_dir, model)
    card = json.loads((model / CARD).read_text(encoding="utf-8"))
    card["thresholds"]["sturen"] = 0.05
    (model / CARD).write_text(json.dumps(card, indent=2), encoding="utf-8")
    with pytest.raises(ModelError, match="edited after training.*--threshold CODE=P"):
        load_model(model)


def test_recall_thresholds_are_no_higher_than_the_f1_ones(small_model):
    assert np.all(small_model.arrays["thresholds_recall"] <= small_model.thresholds + 1e-9)
