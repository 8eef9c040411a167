"""``adaptive rules``: print, check and test rules files (no database needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from adaptive.cli.common import fail

rules_app = typer.Typer(help="Rules files: print the default, check a file, run its embedded tests.",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")


def _curriculum(path: Path | None) -> list[str] | None:
    """Competency codes from a course YAML (competencies: [{code: ...}]) or a text file, one code a line."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read curriculum {path}: {exc}")
    if path.suffix in (".yaml", ".yml"):
        from ruamel.yaml import YAML

        try:
            doc = YAML(typ="safe", pure=True).load(text)
            return [str(c["code"]) for c in doc["competencies"]]
        except Exception:
            fail(f"{path}: expected 'competencies:' with a 'code:' on each entry")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@rules_app.command("default")
def default_command() -> None:
    """Print the rules file that ships with adaptive (a starting point to copy and edit)."""
    from adaptive.rules import default_rules_text

    sys.stdout.write(default_rules_text())


@rules_app.command("check")
def check_command(
    file: Path = typer.Argument(..., help="The rules file (YAML)."),
    curriculum: Path = typer.Option(None, "--curriculum",
                                    help="Course YAML or a list of competency codes: also check competency names."),
) -> None:
    """Check a rules file: print every problem as FILE:LINE: message; exit 1 if there is any."""
    from adaptive.rules import RulesEngine, read_rules

    ruleset, problems = read_rules(file, curriculum=_curriculum(curriculum))
    if problems:
        for problem in problems:
            print(problem)
        raise typer.Exit(1)
    assert ruleset is not None
    RulesEngine(ruleset).close()  # it compiles
    n_tables = sum(1 for r in ruleset.rules if r.group)
    print(f"{file}: ok: {ruleset.id} version {ruleset.full_version}, {len(ruleset.rules)} rules "
          f"({n_tables} from {len(ruleset.tables)} tables), {len(ruleset.tests)} tests, "
          f"hit policy {ruleset.hit_policy}")


@rules_app.command("test")
def test_command(file: Path = typer.Argument(..., help="The rules file (YAML).")) -> None:
    """Run the tests written in the rules file; print pass/fail per test; exit 1 on any failure."""
    from adaptive.rules import RulesEngine, read_rules, run_tests

    ruleset, problems = read_rules(file)
    if problems:
        for problem in problems:
            print(problem)
        raise typer.Exit(1)
    assert ruleset is not None
    if not ruleset.tests:
        fail(f"{file}: has no tests: add a 'tests:' list")
    with RulesEngine(ruleset) as engine:
        results = run_tests(engine)
    for result in results:
        print(f"{'PASS' if result.passed else 'FAIL'}  {result.name}")
        for problem in result.problems:
            print(f"      {problem}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)
