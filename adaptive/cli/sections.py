"""``adaptive sections [--teacher T]`` and ``adaptive students SECTION``: what the tutor holds, so a teacher can
find a section's code (or the short alias to type instead) and who is in it."""

from __future__ import annotations

import typer

from adaptive.cli.common import tutor_for
from adaptive.cli.output import chosen, emit, format_option
from adaptive.domain.words import counted


def register(app: typer.Typer) -> None:
    app.command("sections")(sections_command)
    app.command("students")(students_command)


def _teachers(people: tuple) -> str:
    return ", ".join(p.name or p.code for p in people)


def sections_command(
    ctx: typer.Context,
    teacher: str = typer.Option(None, "--teacher", help="Only the sections this teacher (code) teaches."),
    fmt: str = format_option(),
) -> None:
    """The sections: code, alias (course code + period; usable wherever a SECTION is asked for), name,
    teachers and number of students."""
    fmt = chosen(fmt)
    with tutor_for(ctx) as tutor:
        found = tutor.sections(teacher)
    rows = [[s.code, s.alias or "", s.name, _teachers(s.teachers), s.students] for s in found]
    emit(fmt, ["code", "alias", "name", "teachers", "students"], rows, [s.to_dict() for s in found],
         title=f"sections of {teacher}" if teacher else "sections",
         empty=f"{teacher} teaches no section" if teacher else "no sections yet (adaptive roster import DIR)")


def students_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section: its code, roster sourcedId or alias (e.g. MATH6-P3)."),
    fmt: str = format_option(),
) -> None:
    """A section's students: code, name and e-mail, by name."""
    fmt = chosen(fmt)
    with tutor_for(ctx) as tutor:
        found = tutor.section_roster(section)
    s = found.section
    rows = [[p.code, p.name or "", p.email or ""] for p in found.students]
    heading = f"{s.name} ({s.code}{', ' + s.alias if s.alias else ''}): {counted(len(rows), 'student')}"
    emit(fmt, ["student", "name", "email"], rows, found.to_dict(), title=heading, empty=f"{heading}: nobody enrolled")
