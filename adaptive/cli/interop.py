"""``adaptive xapi import FILE``, ``adaptive xapi link ACTOR STUDENT`` and ``adaptive curriculum import-case FILE``."""

from __future__ import annotations

from pathlib import Path

import typer

from adaptive.cli.common import fail, print_json, tutor_for

SHOWN = 10  # unknown items/actors listed in the text summary (--json lists all)


def _group(app: typer.Typer, name: str) -> typer.Typer:
    """The command group ``name`` another module registered on ``app`` (here: curriculum)."""
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            return group.typer_instance
    raise RuntimeError(f"the {name} command group must be registered before interop")


def register(app: typer.Typer) -> None:
    xapi_app = typer.Typer(help="xAPI statements from a learning record store or an LMS.", no_args_is_help=True)
    app.add_typer(xapi_app, name="xapi")

    @xapi_app.command("import")
    def import_xapi(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="xAPI statements: a JSON array, or one statement a line."),
        create_students: bool = typer.Option(False, "--create-students", help="Create students for unknown actors."),
        scaled: str = typer.Option("fraction", help="How the source writes score.scaled: fraction (raw/max, the "
                                   "usual) or symmetric (-1..1 with 0 half way, Moodle's plugin)."),
        as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
    ) -> None:
        """Record the answers among xAPI statements as responses (mastery and decisions update). Statements
        that are not answers, or whose actor or activity matches nothing, are counted and listed; the whole
        file is checked first and re-importing it never counts a statement twice."""
        from adaptive.interop.xapi import SCALED_CONVENTIONS, XapiError

        if scaled not in SCALED_CONVENTIONS:
            fail(f"--scaled must be one of {', '.join(SCALED_CONVENTIONS)}, got {scaled!r}")
        with tutor_for(ctx, source=file, file_problems=(XapiError,)) as tutor:
            report = tutor.import_xapi(file, create_students=create_students, scaled=scaled)  # type: ignore[arg-type]
        if as_json:
            print_json(report.to_dict())
            return
        skipped = sum(report.skipped.values())
        print(f"{file}: {report.statements} statements: {report.recorded} responses recorded, "
              f"{report.duplicates} already stored, {skipped} statements skipped")  # fmt: skip
        for reason, n in report.skipped.items():
            print(f"  skipped {n}: {reason}")
        for what, rows in (("item", report.unknown_items), ("actor", report.unknown_actors)):
            for row in rows[:SHOWN]:
                print(f"  unknown {what} at {row.where}: {row.value}")
            if len(rows) > SHOWN:
                print(f"  ... {len(rows) - SHOWN} more unknown {what}s (--json lists all)")
        if report.created_students:
            print(f"  created {len(report.created_students)} students")
        if report.voided:
            print(f"  removed {report.voided} responses of voided statements")

    @xapi_app.command("link")
    def link(
        ctx: typer.Context,
        actor: str = typer.Argument(..., help="mailto:ADDRESS (or ADDRESS), account:HOMEPAGE|NAME, openid:URI."),
        student: str = typer.Argument(..., help="Student code."),
    ) -> None:
        """Make statements by an xAPI actor count as a student's."""
        with tutor_for(ctx) as tutor:
            ifi = tutor.link_xapi_actor(actor, student)
        print(f"{ifi} is student {student}")

    curriculum_app = _group(app, "curriculum")

    @curriculum_app.command("import-case")
    def import_case(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="CASE framework: a CFPackage JSON file."),
        course_code: str = typer.Option(None, "--course-code", help="Code of the course (default: from the title)."),
        as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
    ) -> None:
        """Import a CASE framework: its standards as competencies (hierarchy, prerequisites) and a course in the
        framework's order. On problems, lists every one and writes nothing."""
        from adaptive.interop.case import CaseError

        with tutor_for(ctx, source=file, file_problems=(CaseError,)) as tutor:
            report = tutor.import_case(file, course_code=course_code)
        if as_json:
            print_json(report.to_dict())
            return
        shape = f"{report.top_level} top-level, {report.depth} levels deep"
        print(f"{file}: course {report.course} imported: {report.competencies} competencies ({shape}), "
              f"{report.prerequisites} prerequisites")  # fmt: skip
        for reason, n in report.ignored.items():
            print(f"  ignored {n}: {reason}")
