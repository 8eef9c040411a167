"""``adaptive groups``, ``adaptive peers`` and ``adaptive rotation``: the day's small-group list, peer
tutoring pairs and a rotation schedule for a section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from adaptive.classroom.rotations import MODELS
from adaptive.cli.common import fail, print_json, tutor_for
from adaptive.cli.output import console as wide_console
from adaptive.cli.output import table as _table


def register(app: typer.Typer) -> None:
    app.command("groups")(groups_command)
    app.command("peers")(peers_command)
    app.command("rotation", epilog=_MODELS_EPILOG)(rotation_command)


def _run(ctx: typer.Context, call: Any) -> Any:
    from adaptive.domain.classroom import ClassroomError

    with tutor_for(ctx, refusals=(ClassroomError,)) as tutor:
        return call(tutor)


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--date {text!r}: write the school day as YYYY-MM-DD")


_DATE = typer.Option(None, "--date", help="The school day, YYYY-MM-DD (default: today).")
_JSON = typer.Option(False, "--json", help="Print JSON.")
# The rotation models (one module each in adaptive/classroom/rotations/), for `adaptive rotation --help`.
_MODELS_HELP = " or ".join([", ".join(list(MODELS)[:-1]), list(MODELS)[-1]]) + "."  # station, lab, ... or flipped.
_MODELS_EPILOG = "Models:\n\n" + "\n\n".join(f"{name}: {model.description}." for name, model in MODELS.items())


def groups_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section's code."),
    date: str = _DATE,
    max_size: int = typer.Option(5, "--max-size", help="At most this many students a group."),
    preview: bool = typer.Option(False, "--preview", help="Show the list without issuing it as the day's list."),
    json: bool = _JSON,
    csv: Path = typer.Option(None, "--csv", help="Also write the list to this CSV file (one row per student)."),
) -> None:
    """The day's "pull for small group" list: flagged and at-risk students grouped by the competency they most
    need, largest need first. Issued as the day's list (so tomorrow's list knows who was pulled) unless --preview."""
    day = _day(date)
    lst = _run(ctx, lambda t: t.small_groups(section, date=day, max_size=max_size, preview=preview))
    if csv is not None:
        csv.write_text(lst.to_csv(), encoding="utf-8")
    if json:
        print_json(lst.to_dict())
        return
    console = wide_console()
    state = "issued" if lst.issued else "preview, not issued"
    console.print(Text(f"{lst.section} small groups for {lst.date:%A %Y-%m-%d} "
                       f"({state}, at most {lst.max_size} a group)"))
    if not lst.groups:
        console.print("nobody to pull today: no open flags and nobody at risk")
    for g in lst.groups:
        rows = [[m.student, m.competency, f"{m.p_mastered:.0%}", m.rule_id, m.reason, m.note] for m in g.members]
        title = (f"{g.number}. {g.competency} {g.competency_name} ({g.method}, need {g.need:g}); mini-lesson: "
                 + (", ".join(f"{i.item} ({i.kind})" for i in g.mini_lesson) or "no lesson items"))
        console.print(_table(title, ["student", "gap", "mastery", "rule", "reason", "note"], rows))
    if csv is not None:
        console.print(Text(f"wrote {csv}"))


def peers_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section's code."),
    date: str = _DATE,
    max_tutees: int = typer.Option(2, "--max-tutees", help="At most this many tutees a tutor."),
    json: bool = _JSON,
) -> None:
    """Peer tutoring: students who have mastered a competency paired with classmates stuck on it (same section)."""
    day = _day(date)
    plan = _run(ctx, lambda t: t.peer_pairs(section, date=day, max_tutees=max_tutees))
    if json:
        print_json(plan.to_dict())
        return
    console = wide_console()
    rows = [[p.competency, p.tutor, f"{p.tutor_mastery:.0%}", p.tutee, f"{p.tutee_mastery:.0%}", p.reason]
            for p in plan.pairs]
    console.print(_table(f"{plan.section} peer tutoring (at most {plan.max_tutees} tutees a tutor)",
                         ["competency", "tutor", "mastery", "tutee", "mastery", "why"], rows))
    for student, competency in plan.unpaired:
        console.print(Text(f"no tutor free for {student} on {competency}"))


def rotation_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section's code."),
    model: str = typer.Option(..., "--model", help=_MODELS_HELP),
    date: str = _DATE,
    period_minutes: int = typer.Option(60, "--period-minutes", help="Length of the class period."),
    block_minutes: int = typer.Option(None, "--block-minutes", help="Length of a block (default 20)."),
    stations: str = typer.Option(None, "--stations", help="Station rotation's stations, comma-separated "
                                 "(default teacher-led,online,collaborative)."),
    devices: int = typer.Option(None, "--devices", help="Devices (or lab computers) available "
                                "(default a third of the section)."),
    max_size: int = typer.Option(5, "--max-size", help="Small groups of at most this many students."),
    all_groups: bool = typer.Option(False, "--all-groups", help="Refuse a schedule in which the teacher cannot "
                                    "see every small group (by default the groups of greatest need are seen and "
                                    "the others are named in a note)."),
    json: bool = _JSON,
) -> None:
    """A rotation schedule for the period: blocks with their stations, students and what each does."""
    day = _day(date)
    names = None if stations is None else [s.strip() for s in stations.split(",") if s.strip()]
    schedule = _run(ctx, lambda t: t.rotation(section, model, date=day, period_minutes=period_minutes,
                                              block_minutes=block_minutes, stations=names, devices=devices,
                                              max_size=max_size, all_groups=all_groups))
    if json:
        print_json(schedule.to_dict())
        return
    console = wide_console()
    console.print(Text(f"{schedule.section}: {schedule.model} rotation, {schedule.period_minutes} minutes, "
                       f"{schedule.devices} devices"))
    for name, members in schedule.rotation_groups.items():
        console.print(Text(f"group {name}: {', '.join(members)}"))
    rows = [[f"{b.start}-{b.end}", b.station, b.group or "", a.student, a.activity]
            for b in schedule.blocks for a in b.students]
    console.print(_table("schedule", ["minutes", "station", "group", "student", "doing"], rows))
    if schedule.homework:
        console.print(_table("homework", ["student", "doing"], [[a.student, a.activity] for a in schedule.homework]))
    for note in schedule.notes:
        console.print(Text(f"note: {note}"))
