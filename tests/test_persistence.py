import json
import shutil

import numpy as np
import pytest

from classifier.data.codebook import codebook_from_dict
from classifier.data.corpus import label_matrix, load_corpus
from classifier.errors import ModelError
from classifier.inference.persistence import CARD, WEIGHTS, card_digest, load_model, save_model
from classifier.text.preprocess import lemmatise, stop_words
from classifier.training.train import TrainSettings, lemmatise_lexicons, make_classifier


@pytest.fixture()
def model_copy(tmp_path, small_model_dir):
    target = tmp_path / "copy"
    shutil.copytree(small_model_dir, target)
    return target


def test_saved_model_predicts_like_the_trained_one(tmp_path, codebook, nlp, small_corpus):
    records = load_corpus(small_corpus, codes=codebook.ids)
    lemmas = lemmatise([r.text for r in records], nlp)
    trained = make_classifier(codebook.ids, TrainSettings(), stop=stop_words(nlp),
                              lexicons=lemmatise_lexicons(codebook, nlp)).fit(lemmas, label_matrix(records, codebook.ids))
    trained.thresholds_ = np.linspace(0.3, 0.7, len(codebook.ids))
    save_model(trained, {"codebook": codebook.to_dict()}, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert np.allclose(loaded.scorer.score(lemmas).proba, trained.predict_proba(lemmas))
    assert np.array_equal(loaded.thresholds, trained.thresholds_)
    assert loaded.scorer.featurizer.lexicon.codes == codebook.ids


class Boom:
    def __reduce__(self):
        return (exec, ("open(__import__('os').environ['BOOM_FILE'], 'w').write('executed')",))


def test_no_module_can_unpickle():
    """Models are shared files: nothing in the package may read a pickle (pickle, joblib.load,
    or numpy with allow_pickle)."""
    import re
    from pathlib import Path

    offending = []
    for path in Path(__file__).resolve().parent.parent.joinpath("classifier").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from)\s+(pickle|cloudpickle|dill)\b", source, re.M) \
                or re.search(r"joblib\.load|\bload\(.*allow_pickle=True", source) \
                or re.search(r"np\.load\((?![^)]*allow_pickle=False)", source):
            offending.append(path.name)
    assert not offending


def test_pickle_inside_weights_is_refused(model_copy, tmp_path, monkeypatch):
    marker = tmp_path / "boom.txt"
    monkeypatch.setenv("BOOM_FILE", str(marker))
    arrays = dict(np.load(model_copy / WEIGHTS))
    arrays["coef"] = np.array([Boom()], dtype=object)
    np.savez(model_copy / WEIGHTS, **arrays)
    card = json.loads((model_copy / CARD).read_text())
    from classifier.fileio import sha256_file
    card["files"][WEIGHTS] = sha256_file(model_copy / WEIGHTS)  # an attacker can fix the hashes too
    card["integrity"] = card_digest(card)
    (model_copy / CARD).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="inconsistent"):
        load_model(model_copy)
    assert not marker.exists()


def test_altered_file_is_refused(model_copy):
    with open(model_copy / WEIGHTS, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelError, match=r"weights.npz: sha256 does not match"):
        load_model(model_copy)


def test_missing_file_and_missing_card(model_copy, tmp_path):
    (model_copy / "features.json").unlink()
    with pytest.raises(ModelError, match="features.json: missing"):
        load_model(model_copy)
    with pytest.raises(ModelError, match="no card.json"):
        load_model(tmp_path)
    with pytest.raises(ModelError, match="model directory not found"):
        load_model(tmp_path / "nowhere")


def test_incompatible_format(model_copy):
    card = json.loads((model_copy / CARD).read_text())
    card["format"] = 99
    (model_copy / CARD).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="model format 99, this version reads format 2"):
        load_model(model_copy)


def test_codebook_mismatch(model_copy):
    other = codebook_from_dict({"codes": [{"id": "tijd"}, {"id": "plaats"}]}, source="hnw-principes.yaml")
    with pytest.raises(ModelError, match="trained for codes sturen, .* but the codebook hnw-principes.yaml has tijd, plaats"):
        load_model(model_copy, codebook=other)
