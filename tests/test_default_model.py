"""The shipped model must match the shipped corpus and codebook: never stale."""

from classifier.config import DEFAULTS
from classifier.data.codebook import load_codebook
from classifier.data.corpus import data_hash, load_corpus
from classifier.inference.persistence import load_model


def test_default_model_loads_and_matches_corpus_and_codebook():
    model = load_model("default")
    card = model.card
    codebook = load_codebook(DEFAULTS.codebook)
    assert card["codebook"] == codebook.to_dict(), "codebook changed: retrain models/default (see README)"
    records = load_corpus([DEFAULTS.corpus_dir], codes=codebook.ids, split=card["training_data"]["split"])
    assert data_hash(records) == card["training_data"]["sha256"], "corpus changed: retrain models/default (see README)"
    assert card["training_data"]["paragraphs"] == len(records)
