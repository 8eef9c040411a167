"""The worked example in docs/rules.md passes `rules check` and `rules test` as written."""

import re
from pathlib import Path

from typer.testing import CliRunner

from adaptive.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_worked_example_checks_and_passes_its_tests(tmp_path):
    files = dict(re.findall(r"```\w+ file=(\S+)\n(.*?)```", DOC.read_text(), flags=re.S))
    assert set(files) == {"fractions-rules.yaml", "small-groups.csv", "competing-rules.yaml"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    runner = CliRunner()
    rules = tmp_path / "fractions-rules.yaml"
    check = runner.invoke(app, ["rules", "check", str(rules)])
    assert check.exit_code == 0, check.output
    assert "7 rules (3 from 1 tables), 4 tests" in check.stdout
    result = runner.invoke(app, ["rules", "test", str(rules)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "4 passed, 0 failed"


def test_the_competing_next_items_example_gets_the_warning_shown(tmp_path, monkeypatch):
    files = dict(re.findall(r"```\w+ file=(\S+)\n(.*?)```", DOC.read_text(), flags=re.S))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "competing-rules.yaml").write_text(files["competing-rules.yaml"])
    check = CliRunner().invoke(app, ["rules", "check", "competing-rules.yaml"])
    assert check.exit_code == 0, check.output
    shown = re.search(r"\$ adaptive rules check competing-rules.yaml\n(.*?)```", DOC.read_text(), flags=re.S).group(1)
    assert check.stdout.replace(check.stdout.split("version 1+")[1][:12], "…") == shown
