"""README and commands stay in step."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_with_help(command):
    assert f"hnw-classifier {command}" in README, f"README lacks a section for {command}"
    assert cli.get_command(None, command).help, f"{command} has no help text"


def test_the_lazy_command_table_lists_every_command_its_modules_define():
    import importlib
    import pkgutil

    import classifier.cli as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"classifier.cli.{module.name}")
    assert set(cli.commands) == set(COMMANDS)
    for name, command in cli.commands.items():
        assert command.callback.__module__ == f"classifier.cli.{COMMANDS[name].module}", name
        # --help lists the static short help without importing the command: it must not drift.
        assert command.help.split("\n\n")[0].strip() == COMMANDS[name].short_help, name


def test_help_imports_no_command_module():
    code = ("import sys; from click.testing import CliRunner; from classifier.cli import cli; "
            "CliRunner().invoke(cli, ['--help']); "
            "print(sorted(m for m in sys.modules if m.startswith('classifier.') and m != 'classifier.cli' "
            "and m.split('.')[1] not in ('cli', 'config', 'errors', 'shipped')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_annotate_starts_without_scikit_learn():
    code = ("import sys; from classifier.cli import cli; cli.get_command(None, 'annotate'); "
            "from classifier.inference.persistence import load_model; load_model('default').scorer; "
            "print(sorted(m for m in ('sklearn', 'matplotlib', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
