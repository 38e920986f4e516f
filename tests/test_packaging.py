"""The package a user installs: a wheel that carries the default model and codebook and
annotates from any folder, with every subpackage listed in setup.cfg."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _listed_packages() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return {line.strip() for line in config["options"]["packages"].splitlines() if line.strip()}


def test_every_subpackage_is_listed_in_setup_cfg():
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "classifier").rglob("__init__.py")}
    assert on_disk | {"classifier.models", "classifier.corpus"} == _listed_packages()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(ROOT),
                    "-w", str(out)], check=True, cwd=ROOT)
    (found,) = out.glob("hnw_classifier-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_carries_code_templates_model_and_codebook_but_not_the_corpus(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "classifier").rglob("*.py")}
    assert modules <= names
    assert {f"classifier/models/default/{f}" for f in ("card.json", "features.json", "weights.npz")} <= names
    assert "classifier/corpus/codebook.yaml" in names
    assert {f"classifier/render/templates/{p.name}" for p in (ROOT / "classifier/render/templates").iterdir()} <= names
    assert not [n for n in names if "/interviews/" in n or "/written/" in n or n.endswith("splits.json")]


@pytest.mark.slow
def test_the_installed_wheel_annotates_from_any_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True)
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    (elsewhere / "gesprek.txt").write_text(
        "Interviewer: Hoe houd je contact met je team?\n\n"
        "Respondent: Elke maandag bellen we een half uur, en ik spreek iedereen om de week één op één.\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "classifier", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([sys.executable, "-c", "import classifier; print(classifier.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(site)), "the test must run the installed wheel, not the checkout"
    result = run("annotate", "gesprek.txt", "--model", "default")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["speaker"] for r in records] == ["Interviewer", "Respondent"]
    assert records[0]["model"].startswith("default@")
    assert "communicatie" in records[1]["codes"]
    no_corpus = run("train", "--out", "m")
    assert no_corpus.returncode == 2
    assert no_corpus.stderr.strip().startswith("Error: no corpus given") and len(no_corpus.stderr.splitlines()) == 1
