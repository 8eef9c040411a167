"""``adaptive student export|erase|retention``: a student's data for their family, and its erasure (one student,
a section's students, the district's, or the retention setting's)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from adaptive.cli.common import fail, print_json, tutor_for
from adaptive.domain.words import counted

if TYPE_CHECKING:
    from adaptive.domain.privacy import ErasureReceipt

student_app = typer.Typer(help="A student's stored data: export it for the family, erase it.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(student_app, name="student")


def _by() -> str:
    """Who asked, for the audit log: the command line and the account running it."""
    try:
        import getpass

        return f"command line ({getpass.getuser()})"
    except (ImportError, KeyError, OSError):
        return "command line"


def _write_json(out: Path, value: object, force: bool) -> None:
    """Write ``value`` to ``out`` whole or not at all (a temporary file renamed; readable by its owner only)."""
    folder = out.parent
    if not folder.is_dir():
        fail(f"{out}: folder {folder} does not exist")
    if out.exists() and not force:
        fail(f"{out} exists: nothing written (--force replaces it)")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@student_app.command("export")
def export_command(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The student's code."),
    out: Path = typer.Option(..., "--out", help="The JSON file to write."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write everything stored about one student to a JSON file a parent can read (codes with names, ISO
    times, each list in time order). See docs/student-data.md."""
    if out.exists() and not force:
        fail(f"{out} exists: nothing written (--force replaces it)")
    if not out.parent.is_dir():
        fail(f"{out}: folder {out.parent} does not exist")
    with tutor_for(ctx) as tutor:
        data = tutor.export_student(code)
    _write_json(out, data, force)
    counted = ", ".join(f"{k.replace('_', ' ')} {len(v)}" for k, v in data.items() if isinstance(v, list) and v)
    print(f"exported student {code} to {out}" + (f": {counted}" if counted else ""))


def _counts(receipt: ErasureReceipt) -> str:
    shown = [f"{kind.replace('_', ' ')} {n}" for kind, n in receipt.counts if n]
    if receipt.empty_small_groups:
        shown.append(f"emptied small groups {receipt.empty_small_groups}")
    return ", ".join(shown) or "nothing"


@student_app.command("erase")
def erase_command(
    ctx: typer.Context,
    code: str = typer.Argument(None, help="The student's code (or use --section, --all)."),
    section: str = typer.Option(None, "--section", help="Erase the students enrolled only in this section."),
    everyone: bool = typer.Option(False, "--all", help="Erase every student of the district (end of contract)."),
    yes: bool = typer.Option(False, "--yes", help="Erase: without it, say what would be erased and erase nothing."),
    json_out: bool = typer.Option(False, "--json", help="Print the receipt as JSON."),
) -> None:
    """Erase a student's data everywhere (responses, mastery, decisions, flags, goals, check-ins, chat links,
    conversations and e-mail, small-group places...) in one transaction; --section and --all for the end of a
    contract. Curriculum, content, rules, teachers and sections are kept."""
    if sum((code is not None, section is not None, everyone)) != 1:
        fail("name exactly one of: a student's CODE, --section SECTION, --all")
    with tutor_for(ctx) as tutor:
        if code is not None:
            receipt, what = tutor.erase_student(code, dry_run=not yes, by=_by()), f"student {code}"
        elif section is not None:
            receipt = tutor.erase_section(section, dry_run=not yes, by=_by())
            what = f"{counted(receipt.students, 'student')} enrolled only in section {section}"
        else:
            receipt = tutor.erase_all_students(dry_run=not yes, by=_by())
            what = f"every student ({receipt.students})"
    if json_out:
        print_json(receipt.to_dict())
        return
    print(f"{'erased' if yes else 'would erase'} {what}: {counted(receipt.rows, 'row')} ({_counts(receipt)})")
    if section is not None and receipt.kept:
        keep = "keeps" if receipt.kept == 1 else "keep"
        print(f"{counted(receipt.kept, 'student')} also enrolled in another section {keep} their data: only their "
              f"enrollment in {section} {'was' if yes else 'would be'} removed")
    if everyone:
        print("kept: curriculum, content, rules, teachers and sections")
    if not yes:
        print("nothing was erased: add --yes to erase")


@student_app.command("retention")
def retention_command(
    ctx: typer.Context,
    days: int = typer.Option(..., "--days", min=1, help="Erase students the roster removed at least this many "
                             "days ago who have not answered in those days either."),
    yes: bool = typer.Option(False, "--yes", help="Erase: without it, list who would be erased."),
    json_out: bool = typer.Option(False, "--json", help="Print the receipt (and the students) as JSON."),
) -> None:
    """The retention setting, run by a schedule: erase students a roster import removed at least --days days ago
    and who have not answered since. Without --yes, list them and erase nothing."""
    with tutor_for(ctx) as tutor:
        who = tutor.inactive_students(days) if not yes else []
        receipt = tutor.erase_inactive_students(days, dry_run=not yes, by=_by())
    if json_out:
        print_json({**receipt.to_dict(), "students_listed": [
            {"code": s.code, "left_roster_at": s.left_roster_at.isoformat(),
             "last_response_at": s.last_response_at.isoformat() if s.last_response_at else None} for s in who]})
        return
    if yes:
        print(f"erased {counted(receipt.students, 'student')} the roster removed at least {counted(days, 'day')} ago: "
              f"{counted(receipt.rows, 'row')} ({_counts(receipt)})")
        return
    print(f"{counted(len(who), 'student')} left the roster at least {counted(days, 'day')} ago and have not answered "
          "since:")
    for s in who:
        last = s.last_response_at.date().isoformat() if s.last_response_at else "never"
        print(f"  {s.code}  left the roster {s.left_roster_at.date().isoformat()}, last answer {last}")
    print(f"would erase {counted(receipt.rows, 'row')} ({_counts(receipt)}); nothing was erased: add --yes to erase")
