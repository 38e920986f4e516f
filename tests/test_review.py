import csv
import io
import json

import pytest
from helpers.records import CODES, annotation_record, edit
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.errors import InputError
from classifier.loop.review_csv import header, read_review_file, text_hash
from classifier.render.output import write_records


def test_review_csv_opens_in_dutch_excel(review_records, tmp_path):
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel would otherwise guess cp1252
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ";".join(header(CODES))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 1 + len(review_records)  # the newline inside a text stayed inside its cell
    assert rows[3][4] == review_records[2]["text"]
    assert rows[4][4].startswith("'=SOM")  # not run as a formula
    p_first = header(CODES).index("p_sturen")
    assert rows[1][p_first] == f"{review_records[0]['scores']['sturen']:.4f}".replace(".", ",")
    assert rows[1][5:10] == ["1", "0", "0", "0", "0"]
    assert rows[1][header(CODES).index("model_codes")] == "sturen"


def test_comma_delimiter_uses_decimal_points(review_records, tmp_path):
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES, delimiter=",")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[1][header(CODES).index("p_sturen")] == f"{review_records[0]['scores']['sturen']:.4f}"


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n;,\"'=-"),
                              min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=5),
       picks=st.lists(st.sets(st.sampled_from(CODES)), min_size=5, max_size=5),
       delimiter=st.sampled_from([";", ",", "\t"]))
def test_export_then_import_round_trip(tmp_path_factory, texts, picks, delimiter):
    records = [annotation_record(t, i, sorted(picks[i])) for i, t in enumerate(texts)]
    path = tmp_path_factory.mktemp("rt") / "review.csv"
    write_records(records, path, "review", codes=CODES, delimiter=delimiter)
    rows, problems = read_review_file(path, codes=CODES)
    assert problems == []
    assert [r.labels for r in rows] == [sorted(r["codes"]) for r in records]
    assert [text_hash(r.text) for r in rows] == [text_hash(r["text"]) for r in records]
    assert [r.model_codes for r in rows] == [[c for c in CODES if c in r["codes"]] for r in records]


def test_reads_a_file_saved_by_dutch_excel(data_dir):
    rows, problems = read_review_file(data_dir / "review_excel_nl.csv", codes=CODES)
    assert problems == []
    by_id = {r.id: r for r in rows}
    assert by_id["ex-001"].labels == ["sturen"]
    assert by_id["ex-002"].labels == ["vertrouwen"] and by_id["ex-002"].model_codes == ["communicatie"]
    assert by_id["ex-002"].note == "twijfel: ook sturen?"
    assert by_id["ex-003"].labels is None  # every code cell empty: not reviewed
    # Rows are counted as the spreadsheet shows them: the two-line text of ex-002 is one row.
    assert by_id["ex-004"].labels == [] and by_id["ex-004"].origin == "review_excel_nl.csv row 5"


def test_resaved_with_commas_and_crlf_still_reads(review_records, tmp_path):
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES)

    def flip(rows):
        rows[1][header(CODES).index("groei")] = "1"

    edit(path, flip, delimiter=",")
    rows, problems = read_review_file(path, codes=CODES)
    assert problems == [] and rows[0].labels == ["groei", "sturen"]


@pytest.mark.parametrize("value", ["l", "2", "ja", "1.0"])
def test_bad_code_value_names_file_row_column(review_records, tmp_path, value):
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES)
    edit(path, lambda rows: rows[2].__setitem__(header(CODES).index("binding"), value))
    rows, problems = read_review_file(path, codes=CODES)
    assert problems == [f"{path}: row 3: column binding: expected 0, 1 or empty, found {value!r}"]
    assert len(rows) == len(review_records) - 1  # the other rows are still read


def test_in_a_touched_row_an_empty_code_cell_means_not_that_code(review_records, tmp_path):
    """suggest writes every code cell empty; an analyst fills in 1 for the codes that apply."""
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES, blank=True)

    def mark(rows):
        rows[1][header(CODES).index("groei")] = "1"  # only groei marked, the rest left empty
        rows[2][header(CODES).index("sturen")] = "0"  # only one cell filled, with a 0: no code at all

    edit(path, mark)
    rows, problems = read_review_file(path, codes=CODES)
    assert problems == []
    assert [r.labels for r in rows[:3]] == [["groei"], [], None]


def test_edited_or_shifted_text_is_refused(review_records, tmp_path):
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES)

    def sort_text_column_only(rows):  # what sorting one column in a spreadsheet does
        texts = sorted(r[4] for r in rows[1:])
        for row, text in zip(rows[1:], texts):
            row[4] = text

    edit(path, sort_text_column_only)
    rows, problems = read_review_file(path, codes=CODES)
    assert problems and all("the text does not match the exported paragraph" in p for p in problems)
    assert len(rows) + len(problems) == len(review_records)


def test_unknown_and_missing_columns_refuse_the_file(review_records, tmp_path):
    path = tmp_path / "review.csv"
    write_records(review_records, path, "review", codes=CODES)
    edit(path, lambda rows: rows[0].__setitem__(header(CODES).index("groei"), "groie"))
    with pytest.raises(InputError) as err:
        read_review_file(path, codes=CODES)
    assert str(err.value).startswith(f"{path}: row 1: unknown column(s) 'groie': not a code of the codebook")
    edit(path, lambda rows: [r.pop(header(CODES).index("groei")) for r in rows])
    with pytest.raises(InputError, match=r"row 1: missing column\(s\) groei;"):
        read_review_file(path, codes=CODES)


def test_a_workbook_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "review.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=r"review.xlsx: a .xlsx workbook is not read; save it as CSV UTF-8"):
        read_review_file(path, codes=CODES)


def test_jsonl_corrections_are_annotate_records_with_labels(tmp_path):
    path = tmp_path / "review.jsonl"
    good = annotation_record("Ik geef ze de ruimte.", 0, ["sturen"])
    lines = [dict(good, labels=["vertrouwen"]), dict(good, index=1, labels=["leiderschap"]), dict(good, index=2)]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    rows, problems = read_review_file(path, codes=CODES)
    assert [(r.labels, r.model_codes, r.model) for r in rows] == [
        (["vertrouwen"], ["sturen"], "proef@000000000000"), (None, ["sturen"], "proef@000000000000")]
    assert problems == [f"{path}: line 2: unknown code(s) leiderschap; the codebook has {', '.join(CODES)}"]
