import pytest

from classifier.errors import InputError
from classifier.qdpx.codemap import load_code_map, map_codes
from classifier.qdpx.project import ToolCode


def tree(*codes):
    """(guid, name, parent guid) -> the code tree read_project builds."""
    by_guid = {}
    for guid, name, parent in codes:
        path = (by_guid[parent].path if parent else ()) + (name,)
        by_guid[guid] = ToolCode(guid=guid, name=name, path=path, codable=True, parent=parent)
    return by_guid


def test_names_ids_parents_and_the_map(codebook):
    codes = tree(("f", "Factoren", None), ("s", "  STUREN ", "f"), ("k", "Kaders", "s"),
                 ("c", "communicatie", "f"), ("v", "Verbinding", None), ("x", "Overig", None), ("t", "Thuis", "x"))
    mapped, ignored = map_codes(codes, codebook, {"verbinding": "binding", "overig": None})
    assert mapped == {"s": "sturen", "k": "sturen", "c": "communicatie", "v": "binding"}
    assert ignored == {"x", "t"}  # a null in the map also silences the subcodes


def test_a_path_in_the_map_wins_over_the_name(codebook):
    codes = tree(("a", "Groei", None), ("b", "Groei", "a"))
    mapped, _ = map_codes(codes, codebook, {"groei/groei": "binding"})
    assert mapped == {"a": "groei", "b": "binding"}


def test_a_repeated_guid_cannot_loop(codebook):
    codes = {"a": ToolCode(guid="a", name="Een", path=("Een",), codable=True, parent="a")}
    assert map_codes(codes, codebook) == ({}, set())


def test_map_file_must_be_a_mapping_to_codebook_codes(tmp_path, codebook):
    (tmp_path / "m.json").write_text('{"Kaders stellen": "Sturen", "Overig": null}', encoding="utf-8")
    assert load_code_map(tmp_path / "m.json", codebook) == {"kaders stellen": "sturen", "overig": None}
    (tmp_path / "list.yaml").write_text("- sturen\n")
    with pytest.raises(InputError, match=r"list.yaml: expected a mapping such as .*, found list"):
        load_code_map(tmp_path / "list.yaml", codebook)
    (tmp_path / "kapot.yaml").write_text("a: [b\n")
    with pytest.raises(InputError, match=r"kapot.yaml: not a readable code map"):
        load_code_map(tmp_path / "kapot.yaml", codebook)
