import json

import pytest

from classifier.config import DEFAULTS
from classifier.data.corpus_check import (
    Minimums,
    check_corpus,
    find_duplicates,
    format_report,
)
from classifier.data.records import Paragraph

NONE = Minimums(0, 0, 0, 0, 0.0, 0, 0.0)


def write(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.mark.slow
def test_shipped_corpus_passes_every_check(codebook):
    report = check_corpus(DEFAULTS.corpus_dir, codebook)
    assert report.ok, format_report(report)
    assert report.stats["interviews"] >= 60


def test_problems_are_found(tmp_path, codebook):
    long = "We spreken elke maandag af wat er die week klaar moet zijn en vrijdag kijken we samen terug."
    write(tmp_path / "interviews" / "a.jsonl", [
        {"id": "a-1", "transcript": "a", "text": long, "labels": ["sturen"]},
        {"id": "a-2", "transcript": "a", "text": "Iets anders.", "labels": ["onzin"]},
    ])
    write(tmp_path / "interviews" / "b.jsonl", [
        {"id": "b-1", "transcript": "b", "text": long.replace("maandag", "maandag,"), "labels": ["sturen"]},
        {"id": "b-2", "transcript": "b", "speaker": "Interviewer",
         "text": "Kun je daar een voorbeeld van geven?", "labels": []},
    ])
    write(tmp_path / "interviews" / "c.jsonl", [
        {"id": "c-1", "transcript": "c", "speaker": "Interviewer",
         "text": "Kun je daar een voorbeeld van geven?", "labels": []},
    ])
    (tmp_path / "splits.json").write_text(json.dumps({"test": ["b"], "train": ["a", "b"]}))
    report = check_corpus(tmp_path, codebook, minimums=Minimums())
    text = "\n".join(report.problems)
    assert "a.jsonl: line 2: unknown code(s) onzin" in text
    assert "transcript 'b' is in both train and test" in text
    assert "transcript 'c' is in no split" in text
    assert "interviews, the minimum is 60" in text
    assert "Kun je daar" not in text  # a protocol question asked in two interviews is no duplicate


def test_near_duplicates_across_interviews():
    text = ("Ik hoef niet te zien dat ze achter hun bureau zitten, als het werk op vrijdag maar af is "
            "en de klant tevreden.")
    records = [Paragraph(text=text, transcript="a", index=0, id="a-1"),
               Paragraph(text=text.replace("vrijdag", "donderdag"), transcript="b", index=0, id="b-1"),
               Paragraph(text="Iets heel anders over de koffieautomaat op de derde verdieping van ons pand.",
                         transcript="c", index=0, id="c-1")]
    pairs = find_duplicates(records)
    assert [(a, b) for a, b, _ in pairs] == [("a-1", "b-1")]


def test_clean_small_corpus_passes_without_minimums(tmp_path, codebook):
    write(tmp_path / "interviews" / "a.jsonl", [{"id": "a-1", "transcript": "a", "text": "Zomaar een zin.", "labels": []}])
    (tmp_path / "splits.json").write_text(json.dumps({"test": ["a"]}))
    assert check_corpus(tmp_path, codebook, minimums=NONE).ok
