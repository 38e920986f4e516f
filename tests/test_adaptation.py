"""The register protocol: whole documents held out, rounds of corrections, the table and plot."""

import json
import shutil

import pytest

from classifier.cli import cli
from classifier.data.records import Paragraph
from classifier.evaluation.adaptation import held_out_registers, split_documents
from classifier.shipped import repository_corpus


def _records(spec):
    return [Paragraph(text=f"{doc} {i}", transcript=doc, index=i, register=register)
            for doc, register, n in spec for i in range(n)]


def test_evaluation_takes_whole_documents_and_leaves_a_pool():
    records = _records([("a", "news", 10), ("b", "news", 10), ("c", "news", 10), ("d", "news", 10)])
    pool, evaluation = split_documents(records, 1 / 3, seed=3)
    assert sorted(pool + evaluation) == list(range(40))
    scored = {records[i].transcript for i in evaluation}
    assert not scored & {records[i].transcript for i in pool}, "no document is on both sides"
    assert 40 / 3 <= len(evaluation) <= 20
    assert split_documents(records, 1 / 3, seed=3) == (pool, evaluation)
    one = _records([("a", "news", 5)])
    assert split_documents(one, 0.5, seed=1)[0], "the last document stays in the pool"


def test_only_registers_without_test_documents_are_held_out():
    records = _records([("i1", "interview", 3), ("i2", "interview", 3), ("f1", "forum", 3), ("p1", "policy", 2)])
    assert held_out_registers(records, test={"i2"}) == ["forum", "policy"]


@pytest.mark.slow
def test_the_curve_on_a_small_corpus(runner, tmp_path, small_corpus):
    corpus = tmp_path / "corpus"
    (corpus / "interviews").mkdir(parents=True)
    for path in small_corpus[:6]:
        shutil.copy(path, corpus / "interviews" / path.name)
    for register in ("forum", "policy"):
        (corpus / "written" / register).mkdir(parents=True)
        for path in sorted((repository_corpus() / "written" / register).glob("*.jsonl"))[:4]:
            shutil.copy(path, corpus / "written" / register / path.name)
    (corpus / "splits.json").write_text(json.dumps({"test": [small_corpus[0].stem]}), encoding="utf-8")
    result = runner.invoke(cli, ["adaptation-curve", str(corpus), "--sizes", "10,20", "--format", "json",
                                 "--plot", str(tmp_path / "curve.png")])
    assert result.exit_code == 0, result.output
    curve = json.loads(result.stdout)
    assert curve["registers"] == ["forum", "policy"] and curve["sizes"] == [10, 20]
    for row in curve["rows"]:
        assert 0 < row["zero_shot"] <= 1 and set(row["after"]) == {"suggest", "random"}
        assert set(row["after"]["random"]) == {"10", "20"}
    summary = curve["summary"]
    assert summary["suggest"]["20"]["n"] == 2 and 0 <= summary["evidence_frequent_share"] <= 1
    gain = summary["random"]["10"]["gain"]["mean"]
    assert gain == pytest.approx(sum(r["after"]["random"]["10"] - r["zero_shot"] for r in curve["rows"]) / 2, abs=1e-3)
    assert (tmp_path / "curve.png").stat().st_size > 10_000


def test_a_register_that_cannot_be_held_out_is_one_line(runner, split_corpus_dir):
    result = runner.invoke(cli, ["adaptation-curve", str(split_corpus_dir), "--register", "interview"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: register(s) interview cannot be held out; the corpus has")
