import numpy as np

from classifier.evaluation.baselines.keywords import KeywordCoder
from classifier.text.preprocess import lemmatise
from classifier.training.train import lemmatise_lexicons


def test_a_keyword_hit_codes_the_paragraph():
    coder = KeywordCoder(["groei", "sturen", "binding"], {"groei": ["cursus", "ontwikkel*"],
                                                          "sturen": ["afspraak maken"]}).fit()
    proba = coder.predict_proba(["ik volg een cursus", "wij afspraak maken over het ontwikkelplan", "koffie"])
    assert proba.tolist() == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]


def test_keywords_match_on_lemmas_from_the_codebook(codebook, nlp):
    coder = KeywordCoder(codebook.ids, lemmatise_lexicons(codebook, nlp)).fit()
    texts = ["Mijn medewerkers krijgen veel ruimte; ik vertrouw ze gewoon.",
             "We hadden het over het weer en de trein."]
    proba = coder.predict_proba(lemmatise(texts, nlp))
    assert proba[0, codebook.ids.index("vertrouwen")] == 1.0
    assert not proba[1].any()
    assert set(np.unique(proba)) <= {0.0, 1.0}
