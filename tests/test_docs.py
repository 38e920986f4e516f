"""README and commands stay in step."""

import re
import subprocess
from pathlib import Path

import pytest

from classifier.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented_with_help(command):
    assert f"hnw-classifier {command}" in README, f"README lacks a section for {command}"
    assert cli.commands[command].help, f"{command} has no help text"


def test_ci_runs_the_readme_test_command():
    block = re.search(r"<!-- test-command -->\n```bash\n(.+?)\n```\n<!-- /test-command -->", README, re.S)
    assert block, "README needs the test command between <!-- test-command --> markers"
    assert "pytest" in block.group(1) and "[test]" in block.group(1)
    extracted = subprocess.run(
        ["bash", "-c", "sed -n '/<!-- test-command -->/,/<!-- \\/test-command -->/p' README.md "
                       "| grep -v '^<!--' | grep -v '^```' | sed '/^\\s*$/d'"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert extracted == block.group(1).strip()
    assert "sed -n '/<!-- test-command -->/" in (ROOT / ".ci" / "run").read_text()


def test_quickstart_example_exists():
    match = re.search(r"hnw-classifier annotate (corpus/examples/\S+)", README)
    assert match and (ROOT / match.group(1)).is_file()
