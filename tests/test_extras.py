"""A side command whose extra is missing says, in one line, what to install."""

import sys

import pytest

from classifier.errors import MissingExtra
from classifier.extras import require


def test_a_missing_extra_names_the_pip_command(monkeypatch):
    # A None entry in sys.modules makes importing that module fail, as if it were not installed.
    for name in ("cleanlab", "cleanlab.multilabel_classification", "cleanlab.multilabel_classification.filter"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingExtra) as caught:
        require("cleanlab.multilabel_classification.filter", "audit")
    assert str(caught.value) == ("audit needs the optional package 'cleanlab': pip install 'hnw-classifier[audit]'")


def test_the_audit_command_turns_it_into_one_line(runner, monkeypatch, small_corpus):
    import classifier.extras as extras
    from classifier.cli import cli

    def missing(module, extra):
        raise MissingExtra(f"{extras.EXTRAS[extra]} needs the optional package 'cleanlab': "
                           f"pip install 'hnw-classifier[{extra}]'")

    monkeypatch.setattr("classifier.loop.audit.require", missing)
    result = runner.invoke(cli, ["audit", str(small_corpus[0])])
    assert result.exit_code == 2
    assert result.output.strip() == "Error: audit needs the optional package 'cleanlab': pip install 'hnw-classifier[audit]'"
