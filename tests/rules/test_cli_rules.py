"""`adaptive rules default | check | test`: the contract a curriculum lead sees."""

from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.rules import default_rules_text

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["rules", *map(str, args)])


def test_default_prints_the_shipped_file():
    result = run("default")
    assert result.exit_code == 0
    assert result.stdout == default_rules_text()


def test_check_a_valid_file_prints_one_summary_line(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(default_rules_text())
    result = run("check", path)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{path}: ok: default version 1.1+") and "6 rules" in line and "9 tests" in line


def test_check_prints_every_problem_with_file_and_line(tmp_path):
    path = tmp_path / "mine.yaml"
    text = (default_rules_text().replace("hit_policy: collect", "hit_policy: colect")
            .replace("wrong_streak: {at_least: 3}", "wrong_streek: {at_least: 3}"))
    path.write_text(text)
    result = run("check", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{path}:{line_of(text, 'colect')}: unknown hit_policy 'colect'; did you mean 'collect'?" in lines
    assert (f"{path}:{line_of(text, 'wrong_streek')}: unknown evidence field 'wrong_streek'; "
            "did you mean 'wrong_streak'?") in lines
    assert "Traceback" not in result.output


def test_check_with_a_curriculum(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(default_rules_text().replace("event: pretest\n", "event: pretest\n      competency: 6.NS.9\n"))
    codes = tmp_path / "codes.txt"
    codes.write_text("6.NS.1\n6.NS.2\n")
    assert run("check", path).exit_code == 0
    result = run("check", path, "--curriculum", codes)
    assert result.exit_code == 1
    assert "unknown competency '6.NS.9'" in result.stdout
    course = tmp_path / "course.yaml"
    course.write_text("competencies:\n  - {code: 6.NS.9}\n")
    assert run("check", path, "--curriculum", course).exit_code == 0


def test_check_missing_file(tmp_path):
    result = run("check", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "nope.yaml:1: cannot read the file" in result.stdout


def test_test_passes_on_the_default_rules(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(default_rules_text())
    result = run("test", path)
    assert result.exit_code == 0, result.output
    assert "PASS  a pre-test at 85% skips the competency" in result.stdout
    assert result.stdout.splitlines()[-1] == "9 passed, 0 failed"


def test_test_fails_when_a_rule_changes(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(default_rules_text().replace("pretest_score: {at_least: 0.8}", "pretest_score: {at_least: 0.9}"))
    result = run("test", path)
    assert result.exit_code == 1
    assert "FAIL  a pre-test at 85% skips the competency" in result.stdout
    assert "expected fired ['pretest-skip', 'next-item'], got ['next-item']" in result.stdout
    assert result.stdout.splitlines()[-1] == "8 passed, 1 failed"


def test_test_on_a_broken_file_reports_problems(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("id: x\n")
    result = run("test", path)
    assert result.exit_code == 1
    assert f"{path}:1: 'version' is missing" in result.stdout


def line_of(text: str, words: str) -> int:
    """The line (from 1) of ``text`` where ``words`` first appear."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if words in line)
