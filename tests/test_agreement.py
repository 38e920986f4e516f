import json

import numpy as np
import pytest
from helpers.records import CODES
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.errors import InputError
from classifier.evaluation.agreement import (
    Coded,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    match_codings,
    percent_agreement,
)

# Ten paragraphs, one code, two coders who disagree on paragraphs 2 and 9.
A = np.array([1, 1, 0, 0, 1, 0, 1, 1, 0, 0])
B = np.array([1, 0, 0, 0, 1, 0, 1, 1, 1, 0])


def test_hand_computed_balanced_case():
    # Agreement 8/10. Each coder says 1 five times, so chance agreement is .5*.5 + .5*.5 = .5
    # and kappa = (.8 - .5) / (1 - .5) = .6.
    assert percent_agreement(A, B) == pytest.approx(0.8)
    assert cohen_kappa(A, B) == pytest.approx(0.6)
    # Alpha pools the 20 values: ten 1s and ten 0s. Observed disagreement: each disagreeing
    # paragraph adds one (0,1) and one (1,0) pair, so D_o = 4/20 = .2. Expected: D_e =
    # 2 * 10 * 10 / (20 * 19) = 10/19. alpha = 1 - .2 / (10/19) = 1 - 3.8/10 = .62.
    assert krippendorff_alpha(A, B) == pytest.approx(0.62)


def test_hand_computed_skewed_case():
    a, b = np.array([1, 1, 1, 0]), np.array([1, 1, 1, 1])
    # Agreement 3/4, but B always says 1: chance agreement .75 * 1 + .25 * 0 = .75, kappa 0.
    assert percent_agreement(a, b) == pytest.approx(0.75)
    assert cohen_kappa(a, b) == pytest.approx(0.0)
    # Pooled: seven 1s, one 0. D_o = 2/8; D_e = 2 * 7 * 1 / (8 * 7) = 2/8; alpha = 0.
    assert krippendorff_alpha(a, b) == pytest.approx(0.0)


def test_alpha_differs_from_kappa_when_coders_differ_in_how_often_they_code():
    a, b = np.array([1, 1, 1, 1, 0, 0, 0, 0]), np.array([1, 1, 1, 1, 1, 1, 0, 0])
    # kappa: po = 6/8, pe = .5*.75 + .5*.25 = .5, kappa = .5.
    # alpha: ten 1s, six 0s of 16; D_o = 4/16; D_e = 2*10*6/(16*15) = .5; alpha = 1 - .25/.5 = .5.
    assert (cohen_kappa(a, b), krippendorff_alpha(a, b)) == pytest.approx((0.5, 0.5))
    # Further apart in how often they code, alpha's pooled expectation sets it below kappa:
    c = np.array([1, 1, 1, 1, 1, 1, 1, 0])
    # a vs c: po = 5/8, pe = .5*.875 + .5*.125 = .5, kappa = .25;
    # alpha: eleven 1s, five 0s; D_o = 6/16; D_e = 2*11*5/(16*15) = 110/240; alpha = 1 - (6/16)/(110/240) = 2/11.
    assert cohen_kappa(a, c) == pytest.approx(0.25)
    assert krippendorff_alpha(a, c) == pytest.approx(2 / 11)


def test_undefined_when_nobody_ever_codes():
    zeros = np.zeros(5, dtype=int)
    assert percent_agreement(zeros, zeros) == 1.0
    assert cohen_kappa(zeros, zeros) is None and krippendorff_alpha(zeros, zeros) is None


def test_matching_by_id_then_by_text():
    a = [Coded("p1", "Eerste.", []), Coded(None, "Ja.", ["groei"]), Coded(None, "Ja.", []), Coded(None, "Los.", [])]
    b = [Coded(None, "Ja.", ["groei"]), Coded("p1", "Eerste, anders gespeld.", ["sturen"]), Coded(None, " Ja. ", []),
         Coded(None, "Extra.", [])]
    pairs, info = match_codings(a, b)
    assert [(x.text, y.text) for x, y in pairs] == [("Eerste.", "Eerste, anders gespeld."), ("Ja.", "Ja."),
                                                    ("Ja.", " Ja. ")]
    assert info == {"matched_by_id": 1, "matched_by_text": 2, "unmatched_a": 1, "unmatched_b": 1}


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_agreement_between_a_coder_and_the_models_output(tmp_path):
    texts = [f"Alinea {i} over het werk." for i in range(10)]
    coder = [{"id": f"x-{i}", "text": t, "labels": ["sturen"] if A[i] else []} for i, t in enumerate(texts)]
    model = [{"transcript": "x", "index": i, "text": t, "codes": ["sturen"] if B[i] else [], "scores": {}}
             for i, t in enumerate(texts)]  # annotate's output of the plain transcript: no ids, matched by text
    write_jsonl(tmp_path / "coder.jsonl", coder)
    write_jsonl(tmp_path / "model.jsonl", model)
    result = agreement(tmp_path / "coder.jsonl", tmp_path / "model.jsonl", codes=CODES)
    assert result["paragraphs"] == 10 and result["matched_by_text"] == 10
    sturen = result["per_code"]["sturen"]
    assert (sturen["percent_agreement"], sturen["kappa"], sturen["alpha"]) == pytest.approx((0.8, 0.6, 0.62))
    assert result["per_code"]["groei"]["kappa"] is None  # neither coded groei
    assert result["pooled"]["percent_agreement"] == pytest.approx(48 / 50)


def test_record_with_labels_and_codes_needs_a_field(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "Tekst.", "labels": ["groei"]}])
    write_jsonl(tmp_path / "b.jsonl", [{"id": "1", "text": "Tekst.", "labels": ["groei"], "codes": []}])
    with pytest.raises(InputError, match=r"b.jsonl: line 1: the record has both 'labels'"):
        agreement(tmp_path / "a.jsonl", tmp_path / "b.jsonl", codes=CODES)
    result = agreement(tmp_path / "a.jsonl", tmp_path / "b.jsonl", codes=CODES, field_b="codes")
    assert result["per_code"]["groei"]["percent_agreement"] == 0.0


def test_a_corpus_directory_against_a_second_pass_of_ids_and_labels(tmp_path):
    corpus = tmp_path / "corpus" / "interviews"
    corpus.mkdir(parents=True)
    write_jsonl(corpus / "x.jsonl", [{"id": f"x-{i}", "text": f"Alinea {i}.", "labels": ["groei"] if A[i] else []}
                                     for i in range(10)])
    write_jsonl(tmp_path / "second.jsonl", [{"id": f"x-{i}", "labels": ["groei"] if B[i] else []} for i in range(5)])
    result = agreement(tmp_path / "corpus", tmp_path / "second.jsonl", codes=CODES)
    assert (result["paragraphs"], result["matched_by_id"], result["unmatched_a"]) == (5, 5, 5)
    assert result["per_code"]["groei"]["percent_agreement"] == pytest.approx(np.mean(A[:5] == B[:5]))


def test_codings_that_share_nothing(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"text": "Een.", "labels": []}])
    write_jsonl(tmp_path / "b.jsonl", [{"text": "Twee.", "labels": []}])
    with pytest.raises(InputError, match="share no paragraph"):
        agreement(tmp_path / "a.jsonl", tmp_path / "b.jsonl", codes=CODES)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=40))
def test_alpha_equals_the_krippendorff_package(pairs):
    import krippendorff

    a, b = (np.array(side) for side in zip(*pairs))
    ours = krippendorff_alpha(a, b)
    if len(set(a) | set(b)) < 2:
        assert ours is None
        return
    expected = krippendorff.alpha(reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal")
    assert ours == pytest.approx(expected, abs=1e-12)
