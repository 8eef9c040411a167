"""The worked example in docs/content-library.md runs as written: each `$ adaptive ...` line prints what follows it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

DOC = Path(__file__).resolve().parents[2] / "docs" / "content-library.md"


def session_steps() -> list[tuple[list[str], str]]:
    text = DOC.read_text()
    (session,) = re.findall(r"```shell session\n(.*?)```", text, flags=re.S)
    steps = []
    for block in re.split(r"^\$ ", session, flags=re.M)[1:]:
        command, _, expected = block.partition("\n")
        steps.append((shlex.split(command), expected.rstrip("\n")))
    return steps


def matches(expected: str, actual: str) -> bool:
    pattern = ".*?".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual.rstrip("\n"), flags=re.S) is not None


def test_the_worked_example(database_url, tmp_path, monkeypatch):
    from adaptive.cli import app

    files = dict(re.findall(r"```\w+ file=(\S+)\n(.*?)```", DOC.read_text(), flags=re.S))
    assert set(files) == {"fractions.yaml", "more-fractions.csv"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    steps = session_steps()
    assert len(steps) == 5
    for argv, expected in steps:
        assert argv[0] == "adaptive"
        result = runner.invoke(app, ["--db", database_url, *argv[1:]])
        shown = result.stdout + result.stderr
        assert matches(expected, shown), f"$ {shlex.join(argv)}\n{shown}"
        assert (result.exit_code == 0) == (not expected.startswith("error:")), result.output


@pytest.mark.parametrize("expected", ["a ... c"])
def test_the_ellipsis_stands_for_any_text(expected):
    assert matches(expected, "a 0.25 c") and not matches(expected, "a 0.25 d")
