import os
import stat

import pytest

from classifier.fileio import atomic_writer


def test_atomic_writer_gives_the_permissions_of_a_plain_open(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_writer(tmp_path / "a.bin", binary=True) as handle:
            handle.write(b"\x00\x01")
        (tmp_path / "plain.txt").write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    mode = stat.S_IMODE((tmp_path / "a.bin").stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode) == 0o644


def test_atomic_writer_leaves_nothing_behind_on_failure(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_writer(tmp_path / "a.txt") as handle:
            handle.write("half")
            raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
