import json

import numpy as np
from helpers.records import CODES

from classifier.loop.audit import audit, doubted_codes
from classifier.training.train import TrainSettings


def test_doubted_codes_are_those_on_the_wrong_side_of_the_threshold():
    given = np.array([1, 0, 0, 1, 0])
    proba = np.array([0.05, 0.9, 0.3, 0.8, 0.1])
    thresholds = np.full(5, 0.5)
    assert doubted_codes(given, proba, thresholds, CODES) == [("sturen", 1, 0.05), ("vertrouwen", 0, 0.9)]
    # Nothing crosses: the largest gap (|0 - 0.45| > |1 - 0.6|) is still named, so every suspect says why.
    assert doubted_codes(np.array([1, 0, 0, 0, 0]), np.array([0.6, 0.45, 0, 0, 0]), thresholds, CODES) == [
        ("vertrouwen", 0, 0.45)]


def test_planted_label_errors_are_found_near_the_top(small_corpus, codebook, tmp_path):
    planted = []
    for path in small_corpus:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        wrong = next(r for r in records if len(r["labels"]) >= 2)  # a rich paragraph coded as nothing
        wrong["labels"] = []
        planted.append(wrong["id"])
        (tmp_path / path.name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                          encoding="utf-8")
    suspects, paragraphs, _ = audit([tmp_path], codebook=codebook, settings=TrainSettings(cv_folds=3))
    rank = {s.paragraph.key: i for i, s in enumerate(suspects)}
    assert paragraphs > 300 and 0 < len(suspects) < paragraphs / 2
    assert set(planted) <= set(rank)
    assert np.median([rank[p] for p in planted]) < len(suspects) / 3
    assert [s.quality for s in suspects] == sorted(s.quality for s in suspects)  # most suspicious first
    first = suspects[rank[planted[0]]]
    assert all(given == 0 for _, given, _ in first.doubts)  # it was coded as nothing, so every doubt is a missing code
    assert first.review_record()["codes"] == [] and set(first.review_record()["scores"]) == set(CODES)
