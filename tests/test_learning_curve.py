import pytest

from classifier.evaluation.learning_curve import CurveSettings, learning_curve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def curve(split_corpus_dir, codebook, nlp):
    settings = CurveSettings(fractions=(0.3, 1.0), repeats=2)
    return learning_curve(split_corpus_dir, codebook, nlp, settings=settings)


def test_each_share_trains_on_whole_transcripts(curve):
    small, full = curve["points"]
    assert curve["train_transcripts"] == 7
    assert (small["transcripts"], full["transcripts"]) == (2, 7)
    assert (small["runs"], small["skipped"], full["runs"]) == (2, 0, 1)
    assert small["paragraphs"] < full["paragraphs"]
    assert small["macro_f1_min"] < small["macro_f1_max"]  # two different draws of transcripts
    assert set(full["kappa"]) == set(curve["codes"])
    assert 0 < full["macro_f1"] <= 1 and 0 <= curve["keywords"]["macro_f1"] <= 1


def test_shares_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError, match="fractions must lie in"):
        CurveSettings(fractions=(0.5, 1.5))

