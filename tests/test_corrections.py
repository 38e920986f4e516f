import json
from datetime import datetime, timezone

from helpers.records import CODES, edit

from classifier.data.corpus import load_corpus
from classifier.data.records import Paragraph
from classifier.loop.corrections import (
    HISTORY,
    STORE,
    import_corrections,
    load_store,
    merge_corrections,
)
from classifier.render.output import write_records

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
TUESDAY = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)


def set_codes(row_number: int, codes: list[str]):
    def change(rows):
        head = rows[0]
        for code in CODES:
            rows[row_number][head.index(code)] = str(int(code in codes))
    return change


def test_import_stores_labels_with_provenance(data_dir, tmp_path):
    into = tmp_path / "set"
    report = import_corrections([data_dir / "review_excel_nl.csv"], into=into, codes=CODES, annotator="anna",
                                now=MONDAY)
    assert (report.rows, report.added, report.not_reviewed, report.problems) == (4, 3, 1, [])
    store = load_store(into)
    assert sorted(store) == ["ex-001", "ex-002", "ex-004"]
    changed = store["ex-002"]
    assert changed["labels"] == ["vertrouwen"] and changed["annotator"] == "anna"
    assert changed["corrected_at"] == "2026-03-02T09:00:00+00:00" and changed["model"] == "klein@0123456789ab"
    assert changed["changed"] == {"added": ["vertrouwen"], "removed": ["communicatie"]}
    assert changed["origin"] == "review_excel_nl.csv row 3" and changed["note"] == "twijfel: ook sturen?"
    assert store["ex-001"]["changed"] == {"added": [], "removed": []}
    history = [json.loads(line) for line in (into / HISTORY).read_text(encoding="utf-8").splitlines()]
    assert [h["key"] for h in history] == ["ex-001", "ex-002", "ex-004"] and history[1]["before"] is None
    # The set is a corpus the trainer can read.
    assert {r.key for r in load_corpus([into], codes=CODES)} == {"ex-001", "ex-002", "ex-004"}


def test_importing_the_same_file_twice_adds_nothing(data_dir, tmp_path):
    into = tmp_path / "set"
    import_corrections([data_dir / "review_excel_nl.csv"], into=into, codes=CODES, annotator="anna", now=MONDAY)
    before = {name: (into / name).read_bytes() for name in (STORE, HISTORY)}
    report = import_corrections([data_dir / "review_excel_nl.csv"], into=into, codes=CODES, annotator="anna",
                                now=TUESDAY)
    assert (report.added, report.replaced, report.unchanged, report.conflicts) == (0, 0, 3, [])
    assert {name: (into / name).read_bytes() for name in (STORE, HISTORY)} == before


def test_later_correction_wins_and_the_conflict_is_reported(review_records, tmp_path):
    into = tmp_path / "set"
    first, second = tmp_path / "anna.csv", tmp_path / "bram.csv"
    for path in (first, second):
        write_records(review_records, path, "review", codes=CODES)
    edit(first, set_codes(2, ["vertrouwen", "binding"]))
    edit(second, set_codes(2, ["sturen"]), delimiter=",")
    import_corrections([first], into=into, codes=CODES, annotator="anna", now=MONDAY)
    report = import_corrections([second], into=into, codes=CODES, annotator="bram", now=TUESDAY)
    assert report.replaced == 1 and report.unchanged == len(review_records) - 1
    assert report.conflicts == ["g-002: anna.csv row 3 (anna) gave binding, vertrouwen, "
                                "bram.csv row 3 (bram) gives sturen; kept bram.csv row 3"]
    stored = load_store(into)["g-002"]
    assert stored["labels"] == ["sturen"] and stored["annotator"] == "bram"
    history = [json.loads(line) for line in (into / HISTORY).read_text(encoding="utf-8").splitlines()]
    assert history[-1]["before"] == ["binding", "vertrouwen"] and history[-1]["after"] == ["sturen"]


def test_two_files_in_one_import_apply_in_order(review_records, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path, codes in ((first, ["groei"]), (second, ["binding"])):
        write_records(review_records, path, "review", codes=CODES)
        edit(path, set_codes(5, codes))
    report = import_corrections([first, second], into=tmp_path / "set", codes=CODES, annotator="anna")
    assert len(report.conflicts) == 1 and report.conflicts[0].endswith("kept b.csv row 6")
    assert load_store(tmp_path / "set")["g-005"]["labels"] == ["binding"]


def test_a_bad_file_does_not_stop_the_others(review_records, tmp_path):
    good, bad, missing = tmp_path / "goed.csv", tmp_path / "kapot.csv", tmp_path / "weg.csv"
    write_records(review_records, good, "review", codes=CODES)
    bad.write_text("dit;is;geen;review\n1;2;3;4\n", encoding="utf-8")
    report = import_corrections([bad, missing, good], into=tmp_path / "set", codes=CODES, annotator="anna")
    assert report.added == len(review_records)
    assert report.problems[0].startswith(f"{bad}: row 1: unknown column(s) 'dit', 'is', 'geen', 'review'")
    assert report.problems[1] == f"{missing}: file not found"


def test_stored_paragraph_with_another_text_is_refused(review_records, tmp_path):
    into = tmp_path / "set"
    path = tmp_path / "r.csv"
    write_records(review_records, path, "review", codes=CODES)
    import_corrections([path], into=into, codes=CODES, annotator="anna")
    changed = [dict(r) for r in review_records]
    changed[0]["text"] = "Een heel andere tekst onder hetzelfde id."
    write_records(changed, path, "review", codes=CODES)
    report = import_corrections([path], into=into, codes=CODES, annotator="anna")
    assert report.problems == [f"{path}: row 2: paragraph g-001 has a different text than its stored correction "
                               "(from r.csv row 2); was the transcript changed?"]


def test_merge_replaces_by_key_adds_new_and_leaves_out_test_transcripts():
    corpus = [Paragraph("a", "t1", 0, id="t1-1", labels=["sturen"]), Paragraph("b", "t1", 1, labels=[])]
    corrections = [Paragraph("a", "t1", 0, id="t1-1", labels=["groei"],
                             extra={"changed": {"added": ["groei"], "removed": ["sturen"]}}),
                   Paragraph("c", "t2", 0, labels=["binding"], extra={"changed": {"added": [], "removed": []}}),
                   Paragraph("d", "toets", 0, labels=["binding"])]
    merged, info = merge_corrections(corpus, corrections, sets=["s"], skip_transcripts={"toets"})
    assert [(p.text, p.labels) for p in merged] == [("a", ["groei"]), ("b", []), ("c", ["binding"])]
    assert (info.paragraphs, info.replaced, info.added, info.with_changed_codes, info.left_out) == (2, 1, 1, 1, 1)
