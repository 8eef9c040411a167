"""``adaptive xapi import FILE``, ``adaptive xapi link ACTOR STUDENT`` (one), ``link-by-email FILE...`` and
``link-csv FILE`` (many at once), and ``adaptive curriculum import-case FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from adaptive.cli.common import fail, print_json, problems, tutor_for

if TYPE_CHECKING:
    from adaptive.interop.xapi import XapiImportReport

SHOWN = 10  # unknown items/actors listed in the text summary (--json lists all)
BAD_SHOWN = 50  # problems of statements set aside, listed in the text summary


def _group(app: typer.Typer, name: str) -> typer.Typer:
    """The command group ``name`` another module registered on ``app`` (here: curriculum)."""
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            return group.typer_instance
    raise RuntimeError(f"the {name} command group must be registered before interop")


def _unknown(one: str, many: str, counts: dict[str, int], hint: str) -> None:
    """The distinct unknown ids of an import, most statements first, and what to do about them (the statements
    one by one are in --json)."""
    if not counts:
        return
    total = sum(counts.values())
    print(f"  {len(counts)} unknown {one if len(counts) == 1 else many} ({total} "
          f"statement{'s' * (total != 1)}); {hint}")  # fmt: skip
    for value, n in list(counts.items())[:SHOWN]:
        print(f"    {value} ({n} statement{'s' * (n != 1)})")
    if len(counts) > SHOWN:
        print(f"    ... {len(counts) - SHOWN} more (--json lists all)")


def _write_to_fill(target: Path, what: str, report: XapiImportReport) -> None:
    """Write the import's unknown actors (a links file) or activities (an item bank) for the admin to complete."""
    from adaptive.interop.xapi_links import items_to_fill, links_to_fill

    try:
        target.write_text(links_to_fill(report) if what == "actors" else items_to_fill(report), encoding="utf-8")
    except OSError as exc:
        fail(f"{target}: cannot write the unknown {what} ({exc.strerror or exc})", 1)


def _listed(what: str, values: tuple[str, ...]) -> None:
    for value in values[:SHOWN]:
        print(f"  {what}: {value}")
    if len(values) > SHOWN:
        print(f"  ... {len(values) - SHOWN} more (--json lists all)")


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
        actors_to_link: Path = typer.Option(None, "--unknown-actors", help="Also write the unknown actors to this "
                                            "CSV, a links file to complete for adaptive xapi link-csv."),
        items_to_tag: Path = typer.Option(None, "--unknown-activities", help="Also write the unknown activities to "
                                          "this CSV, an item bank to complete for adaptive curriculum import-items."),
        batch_decisions: bool = typer.Option(False, "--batch-decisions", help="Decide once per student and competency "
                                             "per chunk, on the final state (faster); by default the rules decide "
                                             "after every answer, as recording them live would have."),
        skip_bad_statements: bool = typer.Option(False, "--skip-bad-statements", help="Import the good statements "
                                                 "and list the invalid or conflicting ones (where: reason)."),
    ) -> None:
        """Record the answers among xAPI statements as responses (mastery and decisions update). Statements
        that are not answers, or whose actor or activity matches nothing, are counted, and each unknown
        activity and actor listed once; the whole file is checked first and re-importing it never counts a
        statement twice. An invalid statement, or an id used before for other content, stops the import
        (every problem listed, nothing written) unless --skip-bad-statements."""
        from adaptive.interop.xapi import SCALED_CONVENTIONS, XapiError

        if scaled not in SCALED_CONVENTIONS:
            fail(f"--scaled must be one of {', '.join(SCALED_CONVENTIONS)}, got {scaled!r}")
        with tutor_for(ctx, source=file, file_problems=(XapiError,)) as tutor:
            try:
                report = tutor.import_xapi(file, create_students=create_students, scaled=scaled,  # type: ignore[arg-type]
                                           replay=not batch_decisions, skip_bad_statements=skip_bad_statements)
            except XapiError as exc:
                hint = (f"{file}: nothing was imported (fix those statements, or use --skip-bad-statements to "
                        "import the others)") if exc.skippable else None  # fmt: skip
                problems("\n".join((*exc.problems, *([hint] if hint else []))))
        written = [(t, w) for t, w in ((items_to_tag, "activities"), (actors_to_link, "actors")) if t is not None]
        for target, what in written:
            _write_to_fill(target, what, report)
        if as_json:
            print_json(report.to_dict())
            return
        skipped = sum(report.skipped.values())
        print(f"{file}: {report.statements} statements: {report.recorded} responses recorded, "
              f"{report.duplicates} already stored, {skipped} statements skipped")  # fmt: skip
        for reason, n in report.skipped.items():
            print(f"  skipped {n}: {reason}")
        _unknown("activity", "activities", report.distinct_unknown_items, "tag them in an item bank (url column)")
        _unknown("actor", "actors", report.distinct_unknown_actors, "link students: xapi link-by-email, link-csv")
        for target, what in written:
            command = "adaptive xapi link-csv" if what == "actors" else "adaptive curriculum import-items"
            print(f"  unknown {what} written to {target}: complete it, then {command} {target}")
        if report.created_students:
            print(f"  created {len(report.created_students)} students")
        if report.voided:
            print(f"  removed {report.voided} responses of voided statements")
        if report.bad_statements:
            print("  statements set aside (--skip-bad-statements):")
            for problem in report.bad_statements[:BAD_SHOWN]:
                print(f"    {problem}")
            if len(report.bad_statements) > BAD_SHOWN:
                print(f"    ... {len(report.bad_statements) - BAD_SHOWN} more (--json lists all)")

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

    @xapi_app.command("link-by-email")
    def link_by_email(
        ctx: typer.Context,
        files: list[Path] = typer.Argument(..., help="xAPI statements whose actors to link (as for import)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Link, in one go, every actor of these statements whose e-mail (mbox, or an account named by an
        address) is exactly one rostered student's. An address two students share links nobody and is
        listed; links made before are kept."""
        from adaptive.interop.xapi import XapiError
        from adaptive.interop.xapi_links import actor_email

        with tutor_for(ctx, source=", ".join(map(str, files)), file_problems=(XapiError,)) as tutor:
            report = tutor.link_xapi_actors_by_email(*files)
        if as_json:
            print_json(report.to_dict())
            return
        print(f"{report.source}: {report.actors} actors: {len(report.linked)} linked by roster e-mail, "
              f"{report.unchanged} already linked")  # fmt: skip
        notes = [f"{a} (the e-mail of {len(e.students)} students: {', '.join(e.students)}; link by CSV)"
                 for e in report.shared_emails for a in e.actors]  # fmt: skip
        notes += [f"{actor} (teacher {teacher}, not a student)" for actor, teacher in report.teachers]
        notes += [f"{actor} ({'no student has this e-mail' if actor_email(actor) else 'no e-mail'}; link by CSV)"
                  for actor in report.unmatched]  # fmt: skip
        _listed("not linked", tuple(notes))

    @xapi_app.command("link-csv")
    def link_csv(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="CSV with the columns actor (mailto:ADDRESS, ADDRESS, "
                                    "account:HOMEPAGE|NAME, openid:URI, sha1:HEX) and student (a student code)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Link the actors a CSV file lists to its students, replacing earlier links of those actors. All or
        nothing: on problems, lists every one as FILE:LINE: message and writes nothing."""
        from adaptive.interop.xapi import XapiError

        with tutor_for(ctx, source=file, file_problems=(XapiError,)) as tutor:
            report = tutor.link_xapi_actors_from_csv(file)
        if as_json:
            print_json(report.to_dict())
            return
        print(f"{file}: {report.actors} actors: {len(report.linked)} linked ({report.replaced} replacing an "
              f"earlier link), {report.unchanged} already linked so")  # fmt: skip

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
