import numpy as np
import pytest

from classifier.evaluation.baselines.spacy_textcat import SpacyTextcat

# Invented sentences: one theme about courses, one about trust, some both, some neither.
TEXTS = ["Ik volg een cursus over projectleiding.", "Zij leert veel van haar opleiding.",
         "Mijn team mag zelf beslissen, ik vertrouw ze.", "Ik kijk niet over hun schouder mee.",
         "Die training gaf haar vertrouwen om het zelf te doen.", "We dronken koffie in de kantine.",
         "De opleiding was duur maar leerzaam.", "Ik geef ze de ruimte en vertrouw op hun oordeel.",
         "Het regende de hele dag.", "Een nieuwe cursus start in maart."] * 2
Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [0, 0], [1, 0], [0, 1], [0, 0], [1, 0]] * 2)


def test_bow_learns_and_reports_every_epoch():
    model = SpacyTextcat(["groei", "vertrouwen"], architecture="bow", epochs=15, batch_words=20, seed=1)
    history = model.fit_watching(TEXTS, Y, TEXTS[:4])
    assert len(history) == 15 and all(h.shape == (4, 2) for h in history)
    proba = model.predict_proba(TEXTS)
    assert proba.shape == (20, 2) and ((0 <= proba) & (proba <= 1)).all()
    for j in range(2):
        assert proba[Y[:, j] == 1, j].mean() > proba[Y[:, j] == 0, j].mean() + 0.2


def test_training_is_repeatable_with_a_seed():
    first = SpacyTextcat(["groei", "vertrouwen"], architecture="bow", epochs=2, seed=3).fit(TEXTS, Y)
    second = SpacyTextcat(["groei", "vertrouwen"], architecture="bow", epochs=2, seed=3).fit(TEXTS, Y)
    assert np.allclose(first.predict_proba(TEXTS), second.predict_proba(TEXTS))


def test_unknown_architecture_is_refused():
    with pytest.raises(ValueError, match="unknown architecture 'cnn'"):
        SpacyTextcat(["groei"], architecture="cnn")
