"""The benchmark scripts still run: a tiny collection through every row of bench_annotate."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_bench_annotate_runs_every_row_and_prints_both_ratios():
    done = subprocess.run([sys.executable, str(SCRIPTS / "bench_annotate.py"), "--transcripts", "3",
                           "--paragraphs", "4", "--repeat", "2"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "collection: 3 transcripts, 12 paragraphs" in out
    for row in ("a preprocess only", "b annotate --jobs 1", "c annotate --jobs 2", "d Dask LocalCluster",
                "e startup, one small file (4 paragraphs)"):
        assert re.search(rf"^\| {re.escape(row)}.* \| [\d.]+ \|", out, re.M), row
    assert re.search(r"\(a/b\): [\d.]+; round by round: median [\d.]+, range [\d.]+-[\d.]+", out)
    assert re.search(r"\(b/c\): [\d.]+; round by round: median [\d.]+, range [\d.]+-[\d.]+", out)
