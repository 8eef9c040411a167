"""``adaptive checkins SECTION [--since DATE] [--teacher T] [--format table|csv|json]``: what a section's
students answered in their weekly check-ins ("What helped you this week?", "What's hard right now?").

Whoever runs the command line holds the school's database, as an admin does; ``--teacher`` reads as that
teacher, who may read only their own sections' answers (another section is refused).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from adaptive.cli.common import fail, tutor_for
from adaptive.domain.spreadsheet import to_csv

if TYPE_CHECKING:
    from adaptive.domain.chat import CheckIn

FORMATS = ("table", "csv", "json")
CSV_COLUMNS = ("student", "name", "answered_at", "goal_id", "goal", "competency", "prompt", "answer")


def register(app: typer.Typer) -> None:
    app.command("checkins")(checkins_command)


def _since(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
    except ValueError:
        fail(f"--since {text!r}: write the day as YYYY-MM-DD")


def checkins_csv(found: list[CheckIn]) -> str:
    """The answers as CSV; a student's words stay words in a spreadsheet, never a formula."""
    return to_csv(CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in (c.to_dict() for c in found)))


def checkins_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section's code."),
    since: str = typer.Option(None, "--since", help="Only answers on or after this day, YYYY-MM-DD."),
    teacher: str = typer.Option(None, "--teacher", help="Read as this teacher (only their own sections)."),
    output: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Students' check-in answers, oldest first: who, when, about which goal, the question and the answer (the
    table wraps long answers; csv and json carry the goal's description and the time too)."""
    if output not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
    day = _since(since)
    with tutor_for(ctx) as tutor:
        found = tutor.checkins(section, since=day, teacher=teacher)
    if output == "json":
        print(json.dumps([c.to_dict() for c in found], indent=2))
        return
    if output == "csv":
        print(checkins_csv(found), end="")
        return
    console = Console()
    if not found:
        console.print(Text(f"{section}: no check-in answers" + (f" since {since}" if since else "")))
        return
    table = Table(title=f"{section} check-ins" + (f" since {since}" if since else ""), title_justify="left")
    for column in ("student", "answered", "goal", "question"):
        table.add_column(column, overflow="fold")
    table.add_column("answer", overflow="fold", ratio=1)  # the answer gets the room; nothing is cut off
    for c in found:
        goal = f"#{c.goal_id} {c.competency or ''}".strip()
        table.add_row(Text(c.name or c.student), Text(f"{c.answered_at:%Y-%m-%d}"), Text(goal), Text(c.prompt),
                      Text(c.answer))
    console.print(table)
