"""``adaptive roster import DIR`` and ``adaptive roster summary``: the school information system's roster
(a OneRoster CSV export) into the tutor, and what it holds."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from adaptive.cli.common import fail, print_json, tutor_for
from adaptive.domain.words import counted

roster_app = typer.Typer(help="Rosters from the school information system (OneRoster CSV exports).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(roster_app, name="roster")


@roster_app.command("import")
def import_command(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="The export's folder (manifest.csv, orgs.csv, users.csv, ...)."),
    skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows",
                                       help="Import the good rows and report the others (file:line: reason)."),
    json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import students, teachers, sections and enrollments; importing the same export again changes nothing.

    Nothing is written when the folder is not a OneRoster export, or when a row cannot be imported (unless
    --skip-bad-rows): every problem is listed as FILE:LINE: reason. A district or school year the export
    leaves out (a parent the tutor does not use) is a warning, not a problem."""
    from adaptive.interop.oneroster import RosterError

    with tutor_for(ctx, database_error=f"{folder}: database error") as tutor:
        try:
            report = tutor.import_roster(folder, skip_bad_rows=skip_bad_rows)
        except RosterError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            for problem in exc.warnings:
                print(f"warning: {problem}", file=sys.stderr)
            what = "not a readable OneRoster export" if exc.structural else (
                f"{counted(len(exc.problems), 'row')} cannot be imported (fix them, or use --skip-bad-rows)")
            fail(f"{folder}: {what}; nothing was imported")
    if json:
        print_json(report.to_dict())
        return
    print(f"{folder}: OneRoster {report.version}, {counted(report.changes, 'change')}")
    for c in report.counts:
        print(f"  {c.kind:<12} {c.created:>7} created {c.updated:>7} updated {c.unchanged:>7} unchanged"
              f" {c.removed:>7} removed")
    for where, n in report.ignored:
        print(f"  ignored: {counted(n, 'row')} of {where}")
    if report.skipped:
        print(f"  skipped {counted(len(report.skipped), 'row')}:")
        for problem in report.skipped:
            print(f"    {problem}")
    if report.warnings:
        print(f"  {counted(len(report.warnings), 'warning')}: imported without a reference the tutor does not need:")
        for problem in report.warnings:
            print(f"    {problem}")


@roster_app.command("summary")
def summary_command(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """How many students, teachers, sections and enrollments the tutor holds, in total and per school."""
    with tutor_for(ctx) as tutor:
        s = tutor.roster_summary()
    if json:
        print_json(s.to_dict())
        return
    print(f"students {s.students}, teachers {s.teachers}, sections {s.sections}, enrollments {s.enrollments}"
          f" (teachers in sections {s.section_teachers}; inactive students {s.inactive_students})")
    for school in s.schools:
        label = f"{school.name} ({school.school})" if school.school else "(no school)"
        print(f"  {label}: students {school.students}, teachers {school.teachers}, sections {school.sections},"
              f" enrollments {school.enrollments}")
