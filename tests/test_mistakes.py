import numpy as np

from classifier.data.records import Paragraph
from classifier.evaluation.mistakes import confident_errors


def test_confident_errors_rank_false_positives_high_and_false_negatives_low():
    records = [Paragraph(text=f"alinea {i}", transcript="t", index=i, labels=labels)
               for i, labels in enumerate([["sturen"], [], [], ["sturen"], ["sturen"], []])]
    Y = np.array([[1], [0], [0], [1], [1], [0]])
    proba = np.array([[0.9], [0.8], [0.6], [0.1], [0.3], [0.2]])
    errors = confident_errors(records, Y, proba, np.array([0.5]), ["sturen"], top=5)["sturen"]
    assert [e["index"] for e in errors["false_positives"]] == [1, 2]
    assert [e["index"] for e in errors["false_negatives"]] == [3, 4]
    assert errors["false_positives"][0] == {"transcript": "t", "index": 1, "speaker": None, "text": "alinea 1",
                                            "labels": [], "p": 0.8}
    assert len(confident_errors(records, Y, proba, np.array([0.5]), ["sturen"], top=1)["sturen"]["false_positives"]) == 1


def test_equal_probabilities_keep_corpus_order():
    records = [Paragraph(text="x", transcript="t", index=i, labels=[]) for i in range(3)]
    errors = confident_errors(records, np.zeros((3, 1)), np.full((3, 1), 0.7), np.array([0.5]), ["groei"], top=3)
    assert [e["index"] for e in errors["groei"]["false_positives"]] == [0, 1, 2]
    assert errors["groei"]["false_negatives"] == []
