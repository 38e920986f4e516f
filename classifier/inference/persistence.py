"""Saving and loading a model directory without pickle.

A model directory holds card.json (human-readable: codebook, thresholds, data hash,
metrics, versions, file hashes), features.json (vocabularies and settings) and
weights.npz (numbers only, read with allow_pickle=False). Loading checks every file's
sha256 against the card, so an altered or swapped file is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from classifier.data.codebook import Codebook, codebook_from_dict
from classifier.data.records import text_fingerprints
from classifier.errors import CodebookError, ModelError
from classifier.fileio import atomic_directory, sha256_file
from classifier.inference.scoring import Scorer
from classifier.shipped import model_dir as shipped_model_dir

if TYPE_CHECKING:
    from classifier.training.model import ParagraphClassifier

FORMAT = 2
PRESETS = ("default", "recall")
SEEN_MIN_WORDS = 6  # weights.npz: thresholds, thresholds_recall
CARD = "card.json"
FEATURES = "features.json"
WEIGHTS = "weights.npz"


@dataclass
class LoadedModel:
    """A verified model directory; its `scorer` computes features, probabilities, decisions
    and evidence (numpy and scipy only) for annotation and evaluation alike."""

    card: dict
    codebook: Codebook
    path: Path
    features: dict  # features.json
    arrays: dict[str, np.ndarray] = field(repr=False)  # weights.npz
    threshold_set: str = "default"  # "recall", or "custom" after --threshold; recorded in the output

    @property
    def codes(self) -> list[str]:
        return list(self.card["codes"])

    @property
    def thresholds(self) -> np.ndarray:
        return np.asarray(self.arrays["thresholds"], dtype=np.float64)

    def pipeline_mismatch(self, info: dict) -> str | None:
        """Why lemmas from the pipeline described by `info` (preprocess.pipeline_info) may differ
        from the ones this model was trained on; None when it is the same pipeline."""
        trained = self.card.get("spacy_pipeline", {})
        if (trained.get("name"), trained.get("version")) == (info["name"], info["version"]):
            return None
        return (f"model {self.path} was trained with spaCy pipeline {trained.get('name')} {trained.get('version')}, "
                f"annotating with {info['name']} {info['version']}: lemmas may differ and codes be less reliable")

    def with_thresholds(self, *, preset: str = "default", overrides: dict[str, float] | None = None) -> "LoadedModel":
        """This model deciding with other thresholds: a preset the training chose ("recall"
        favours recall: the F2-best thresholds on the same out-of-fold scores), then per-code
        values. The probabilities stay the same."""
        if preset not in PRESETS:
            raise ModelError(f"unknown threshold preset {preset!r}; choose from {', '.join(PRESETS)}")
        key = "thresholds" if preset == "default" else f"thresholds_{preset}"
        values = np.asarray(self.arrays[key], dtype=np.float64).copy()
        for code, value in (overrides or {}).items():
            if code not in self.codes:
                raise ModelError(f"--threshold {code}={value}: unknown code; the model has {', '.join(self.codes)}")
            if not 0.0 < value < 1.0:
                raise ModelError(f"--threshold {code}={value}: a threshold lies between 0 and 1")
            values[self.codes.index(code)] = value
        name = "custom" if overrides else preset
        return replace(self, arrays={**self.arrays, "thresholds": values}, threshold_set=name)

    def trained_on(self, texts: list[str]) -> np.ndarray:
        """Per text: was a paragraph with this text (normalised) in the training data? Short
        paragraphs ("Ja, dat klopt.") recur in any collection and are not counted."""
        seen = self.arrays.get("training_texts", np.zeros(0, dtype=np.uint64))
        long_enough = np.array([len(text.split()) >= SEEN_MIN_WORDS for text in texts], dtype=bool)
        return np.isin(text_fingerprints(texts), seen) & long_enough

    @property
    def custom_thresholds(self) -> dict[str, float] | None:
        """The thresholds when they are not the model's own, for the output to record."""
        if self.threshold_set == "default":
            return None
        return {c: round(float(t), 4) for c, t in zip(self.codes, self.thresholds)}

    @cached_property
    def scorer(self) -> Scorer:
        return Scorer.from_state(self.codes, self.features, self.arrays)

    @property
    def model_id(self) -> str:
        """Name plus a short hash of the weights: changes whenever the model does."""
        return f"{self.card.get('name', self.path.name)}@{self.card['files'][WEIGHTS][:12]}"


def save_model(classifier: "ParagraphClassifier", card: dict, out_dir: str | Path) -> Path:
    """Write the model directory atomically: a half-written model never replaces a good one."""
    with atomic_directory(out_dir) as tmp:
        meta, arrays = classifier.features_.state()
        (tmp / FEATURES).write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        recall = getattr(classifier, "thresholds_recall_", classifier.thresholds_)
        seen = getattr(classifier, "training_texts_", np.zeros(0, dtype=np.uint64))
        np.savez_compressed(tmp / WEIGHTS, coef=classifier.coef_, intercept=classifier.intercept_,
                            thresholds=classifier.thresholds_, thresholds_recall=recall, training_texts=seen,
                            **arrays)
        card = dict(card, format=FORMAT, codes=classifier.codes,
                    thresholds={c: float(t) for c, t in zip(classifier.codes, classifier.thresholds_)},
                    thresholds_recall={c: float(t) for c, t in zip(classifier.codes, recall)},
                    files={name: sha256_file(tmp / name) for name in (FEATURES, WEIGHTS)})
        card["integrity"] = card_digest(card)
        (tmp / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Path(out_dir)


def card_digest(card: dict) -> str:
    """sha256 of the card's content (all but this digest itself), as its JSON would be written."""
    body = {k: v for k, v in card.items() if k != "integrity"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def read_card(model_dir: str | Path) -> dict:
    model_dir = Path(model_dir)
    card_path = model_dir / CARD
    if not model_dir.is_dir():
        raise ModelError(f"{model_dir}: model directory not found")
    if not card_path.is_file():
        raise ModelError(f"{model_dir}: no {CARD}; not a model directory")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{card_path}: not valid JSON ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        found = card.get("format") if isinstance(card, dict) else None
        raise ModelError(f"{card_path}: model format {found!r}, this version reads format {FORMAT}; "
                         "retrain the model with this version")
    if card.get("integrity") != card_digest(card):
        raise ModelError(f"{card_path}: the card was edited after training, and a model is read only as trained; "
                         "for other thresholds use annotate --thresholds recall or --threshold CODE=P")
    for key in ("codes", "codebook", "files", "thresholds"):
        if key not in card:
            raise ModelError(f"{card_path}: the card lacks {key!r}")
    return card


def load_model(model_dir: str | Path, *, codebook: Codebook | None = None) -> LoadedModel:
    """Load and verify a model directory (or a shipped model, by name); ModelError says what is
    wrong, in one line."""
    model_dir = shipped_model_dir(model_dir)
    card = read_card(model_dir)
    for name in (FEATURES, WEIGHTS):
        path = model_dir / name
        if not path.is_file():
            raise ModelError(f"{path}: missing from the model directory")
        if sha256_file(path) != card["files"].get(name):
            raise ModelError(f"{path}: sha256 does not match the model card; the file was altered or replaced")
    try:
        stored = codebook_from_dict(card["codebook"], source=f"{model_dir / CARD} codebook")
    except CodebookError as exc:
        raise ModelError(str(exc)) from None
    if stored.ids != card["codes"]:
        raise ModelError(f"{model_dir / CARD}: codes {card['codes']} do not match its codebook {stored.ids}")
    if codebook is not None and codebook.ids != stored.ids:
        raise ModelError(f"{model_dir}: trained for codes {', '.join(stored.ids)}, "
                         f"but the codebook {codebook.source} has {', '.join(codebook.ids)}")
    try:
        meta = json.loads((model_dir / FEATURES).read_text(encoding="utf-8"))
        with np.load(model_dir / WEIGHTS, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        model = LoadedModel(card=card, codebook=codebook or stored, path=model_dir, features=meta, arrays=arrays)
        model.scorer  # checks that vocabularies, weights and codes fit together
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{model_dir}: model files are inconsistent ({exc})") from None
    return model
