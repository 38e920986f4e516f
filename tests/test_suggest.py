import numpy as np
import pytest

from classifier.errors import InputError
from classifier.loop.review_csv import normalise_text
from classifier.loop.suggest import pick, suggest, uncertainty
from classifier.readers import expand_inputs

TRANSCRIPTS = ["interview_labels.txt", "teams.vtt", "zoom.vtt", "interview.srt", "notes.md", "word_export.txt"]


def test_uncertainty_is_one_at_the_threshold_and_zero_at_the_ends():
    proba = np.array([[0.4, 0.0, 1.0, 0.2, 0.7]])
    thresholds = np.full(5, 0.4)
    assert uncertainty(proba, thresholds)[0] == pytest.approx([1.0, 0.0, 0.0, 0.5, 0.5])


def test_pick_takes_codes_in_turn_and_spreads_transcripts():
    scores = np.array([[0.99, 0.0], [0.98, 0.0], [0.6, 0.0], [0.1, 0.5], [0.0, 0.4], [0.5, 0.3]])
    transcripts = ["a", "a", "b", "a", "b", "c"]
    # Code 0 takes its best, 0 (a). Code 1's best is 3 (a), but 4 (b, 0.4 >= half of 0.5) comes
    # from a transcript with fewer picks. Code 0 again: 1 (a), 2 (b) and 5 (c) are all at least
    # half as uncertain as 1, and c has no pick yet.
    assert pick(scores, transcripts, 3) == [(0, 0), (4, 1), (5, 0)]
    # Code 1 again: only 3 is in its band (the rest score 0), so a gets a second pick.
    assert pick(scores, transcripts, 4)[3] == (3, 1)


def test_pick_does_not_take_a_sure_paragraph_just_to_spread():
    scores = np.array([[0.9], [0.8], [0.7], [0.1]])
    # d's paragraph is far less uncertain than a's: a gets every pick.
    assert pick(scores, ["a", "a", "a", "d"], 3) == [(0, 0), (1, 0), (2, 0)]
    assert pick(scores, ["a", "a", "a", "d"], 9) == [(0, 0), (1, 0), (2, 0), (3, 0)]  # never more than there are


def test_pick_passes_over_near_duplicates():
    scores = np.array([[0.9], [0.8], [0.7]])
    twins = {frozenset({0, 1})}
    chosen = pick(scores, ["a", "b", "c"], 2, too_similar=lambda i, done: any(frozenset({i, j}) in twins for j in done))
    assert chosen == [(0, 0), (2, 0)]


def test_suggest_picks_unlabelled_distinct_paragraphs(small_model, nlp, data_dir):
    inputs = expand_inputs([str(data_dir / name) for name in TRANSCRIPTS] + [str(data_dir / "corpus_good.jsonl")])
    found, failed = suggest(inputs, small_model, nlp, n=6)
    assert failed == [] and len(found) == 6
    texts = [normalise_text(s.record["text"]) for s in found]
    assert len(set(texts)) == 6
    labelled = {"We spreken af wat er vrijdag klaar moet zijn.", "Ik kijk niet of ze online zijn."}
    assert not labelled & set(texts)  # corpus_good.jsonl's records carry labels: already known
    assert len({s.record["transcript"] for s in found}) >= 3
    for s in found:
        assert s.record["scores"][s.code] == pytest.approx(s.probability, abs=1e-4)
    # Most uncertain first, for the first code it picked.
    first = [s for s in found if s.code == found[0].code]
    gaps = [abs(s.probability - s.threshold) / (s.threshold if s.probability < s.threshold else 1 - s.threshold)
            for s in first]
    assert gaps == sorted(gaps)


def test_suggest_skips_excluded_and_reports_bad_inputs(small_model, nlp, data_dir, tmp_path):
    exclude = tmp_path / "known.jsonl"
    found, _ = suggest([str(data_dir / "teams.vtt")], small_model, nlp, n=2)
    exclude.write_text("".join(f'{{"text": "{s.record["text"]}", "labels": []}}\n' for s in found), encoding="utf-8")
    again, failed = suggest([str(data_dir / "teams.vtt"), str(data_dir / "bad_timing.vtt")], small_model, nlp, n=4,
                            exclude=[exclude])
    assert not {s.record["text"] for s in found} & {s.record["text"] for s in again}
    assert len(failed) == 1 and "bad_timing.vtt: line 6: malformed cue timing" in failed[0]


def test_nothing_to_suggest(small_model, nlp, data_dir):
    with pytest.raises(InputError, match="no unlabelled paragraphs"):
        suggest([str(data_dir / "corpus_good.jsonl")], small_model, nlp, n=3)
