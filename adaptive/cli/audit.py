"""``adaptive audit [--student CODE] [--actor A] [--since WHEN] [--until WHEN] [--limit N] [--csv FILE]``: the
access log and audit trail, newest first: who read or changed which student's data, what, and when.

Times are UTC. ``--since``/``--until`` take what dateparser reads: ``2026-12-01``, ``2026-12-01 14:00``,
``yesterday``, ``3 days ago``; a bare day given to ``--until`` counts whole (entries up to that day's end).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from adaptive.cli.common import fail, tutor_for
from adaptive.cli.output import emit
from adaptive.domain.spreadsheet import to_csv

if TYPE_CHECKING:
    from adaptive.domain.audit import AuditEntry

COLUMNS = CSV_COLUMNS = ("time", "actor", "action", "student", "what", "detail")


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)


def moment(text: str | None, option: str, *, whole_day: bool = False) -> dt.datetime | None:
    """``text`` as an aware UTC time (naive input is UTC); with ``whole_day`` a bare YYYY-MM-DD is the end of
    that day. Unreadable: a one-line error naming the option."""
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is not None:
        return dt.datetime.combine(day + dt.timedelta(days=1 if whole_day else 0), dt.time(), dt.UTC)
    import dateparser  # loaded when a date needs reading: it is slow to import

    found = dateparser.parse(text, settings={"TIMEZONE": "UTC", "TO_TIMEZONE": "UTC",
                                             "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DATES_FROM": "past"})
    if found is None:
        fail(f"{option} {text!r}: write a day (2026-12-01), a time (2026-12-01 14:00) or '3 days ago'")
    return found


def audit_csv(found: list[AuditEntry]) -> str:
    """The entries as CSV, every text cell kept as text in a spreadsheet (never a formula)."""
    return to_csv(CSV_COLUMNS, ([e.at.isoformat(timespec="seconds"), e.actor, e.action, e.student, e.what, e.detail]
                                for e in found))


def audit_command(
    ctx: typer.Context,
    student: str = typer.Option(None, "--student", help="Only entries about this student (code)."),
    actor: str = typer.Option(None, "--actor", help="Only this actor, as logged (cli:alice); end with * for "
                                                    "every actor starting so (slack:*)."),
    since: str = typer.Option(None, "--since", help="Only entries at or after this time (UTC)."),
    until: str = typer.Option(None, "--until", help="Only entries before this time (UTC; a bare day counts whole)."),
    limit: int = typer.Option(100, "--limit", help="At most this many entries, newest first (0: all)."),
    csv_file: Path = typer.Option(None, "--csv", help="Write the entries (with their detail) to this CSV file.",
                                  dir_okay=False),
) -> None:
    """Who read or changed which student's data, what and when, newest first: the access log of the command
    line (cli:USER), the chat (slack:..., teams:...) and apps (api:NAME)."""
    if limit < 0:
        fail(f"--limit must be 0 (all) or more, not {limit}")
    start, end = moment(since, "--since"), moment(until, "--until", whole_day=True)
    if csv_file is not None and not csv_file.parent.is_dir():
        fail(f"--csv {csv_file}: folder {csv_file.parent} does not exist")
    with tutor_for(ctx) as tutor:
        found = tutor.audit_entries(student=student, actor=actor, since=start, until=end, limit=limit or None)
    if csv_file is not None:
        try:
            csv_file.write_text(audit_csv(found), encoding="utf-8")
        except OSError as exc:
            fail(f"--csv {csv_file}: {exc.strerror or exc}")
        print(f"{len(found)} {'entry' if len(found) == 1 else 'entries'} written to {csv_file}")
        return
    rows = [[f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, e.student or "", e.what, e.detail] for e in found]
    emit("table", COLUMNS, rows, None, title=f"audit trail, newest first ({len(rows)} "
                                             f"{'entry' if len(rows) == 1 else 'entries'}, UTC)",
         empty="no audit entries" + (" match" if student or actor or since or until else " yet"))
