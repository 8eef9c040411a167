"""``adaptive rules``: print, check and test rules files; publish them to a database and simulate them."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from adaptive.cli.common import fail, print_json, tutor_for

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
    _print_warnings(ruleset.warnings)
    n_tables = sum(1 for r in ruleset.rules if r.group)
    n = len(ruleset.warnings)
    print(f"{file}: ok: {ruleset.id} version {ruleset.full_version}, {len(ruleset.rules)} rules "
          f"({n_tables} from {len(ruleset.tables)} tables), {len(ruleset.tests)} tests, "
          f"hit policy {ruleset.hit_policy}" + (f"; {n} warning{'s' * (n != 1)}" if n else ""))


def _print_warnings(warnings) -> None:
    """Warnings do not stop the rules being used: FILE:LINE: warning: message."""
    for warning in warnings:
        print(f"{warning.file}:{warning.line}: warning: {warning.message}")


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
    _print_warnings(ruleset.warnings)
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


@rules_app.command("publish")
def publish_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The rules file (YAML)."),
    by: str = typer.Option(None, "--by", help="Who publishes (default: $USER)."),
    note: str = typer.Option(None, "--note", help="Why: shown by 'adaptive rules history'."),
) -> None:
    """Check and test the file, then make it the active rules (the old version is kept in the history).

    A file with problems or failing tests is refused; the active rules stay in force. A file identical to
    the active rules is not stored again.
    """
    from adaptive.rules import RulesError

    with tutor_for(ctx) as tutor:
        try:
            info = tutor.publish_rules(file, by=_who(by), note=note)
        except RulesError as exc:
            for problem in exc.problems:
                print(problem)
            print(f"{file}: not published; the active rules are unchanged")
            raise typer.Exit(1) from None
    _published(info, f"{file} is identical to")


def _who(by: str | None) -> str:
    import os

    return by or os.environ.get("USER") or "unknown"


def _published(info, same: str) -> None:
    for warning in info.warnings:
        print(warning.replace(": ", ": warning: ", 1) if ":" in warning else warning)
    if info.unchanged:
        what = "the shipped default rules" if info.is_default else f"version {info.version_id} ({info.version})"
        print(f"{same} the active rules, {what}: nothing new was published")
        return
    print(info.diff, end="")
    print(f"published {info.ruleset_id} version {info.version} as version {info.version_id} by "
          f"{info.published_by}; it is now active")


@rules_app.command("history")
def history_command(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every published version, oldest first: its number, when, who, why, and what changed."""
    with tutor_for(ctx) as tutor:
        versions = tutor.ruleset_history()
    if json:
        print_json([v.to_dict() for v in versions])
        return
    if not versions:
        print("nothing published yet: the shipped default rules are in force")
        return
    for v in versions:
        when = v.published_at.strftime("%Y-%m-%d %H:%M") if v.published_at else ""
        active = "  (active)" if v.active else ""
        print(f"{v.version_id:>4}  {when}  {v.published_by}  {v.ruleset_id} {v.version}{active}")
        print(f"      {v.note or '(no note)'}; changes: {v.changes}")


@rules_app.command("rollback")
def rollback_command(
    ctx: typer.Context,
    version: int = typer.Argument(..., help="The version number to bring back (see 'adaptive rules history')."),
    by: str = typer.Option(None, "--by", help="Who rolls back (default: $USER)."),
    note: str = typer.Option(None, "--note", help="Why: shown by 'adaptive rules history'."),
) -> None:
    """Publish an earlier version again as a new version (it must still pass its check and tests)."""
    from adaptive.rules import RulesError

    with tutor_for(ctx) as tutor:
        try:
            info = tutor.rollback_rules(version, by=_who(by), note=note)
        except RulesError as exc:
            for problem in exc.problems:
                print(problem)
            print(f"version {version}: not published again; the active rules are unchanged")
            raise typer.Exit(1) from None
    _published(info, f"version {version} is identical to")


@rules_app.command("active")
def active_command(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Which rules are in force (the latest published version, or the shipped defaults)."""
    with tutor_for(ctx) as tutor:
        info = tutor.active_ruleset()
    if json:
        print_json(info.to_dict())
    elif info.is_default:
        print(f"{info.ruleset_id} version {info.version} (the shipped default rules; nothing published yet)")
    else:
        print(f"{info.ruleset_id} version {info.version}, published by {info.published_by} at {info.published_at}")


@rules_app.command("simulate")
def simulate_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The candidate rules file (YAML)."),
    since: str = typer.Option(None, "--since", help="Only responses answered on or after this date (2025-09-01)."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Replay stored responses under the candidate and the active rules; show what would change. Writes nothing."""
    import datetime as dt

    from adaptive.rules import RulesError

    try:
        start = dt.date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since must be a date like 2025-09-01, not {since!r}")
    with tutor_for(ctx) as tutor:
        try:
            report = tutor.simulate_rules(file, since=start)
        except RulesError as exc:
            for problem in exc.problems:
                print(problem)
            raise typer.Exit(1) from None
    if json:
        print_json(report.to_dict())
        return
    from adaptive.cli.rules_simulation import print_report

    print_report(report)
