"""``adaptive groups``, ``adaptive peers`` and ``adaptive rotation``: the day's small-group list, peer
tutoring pairs and a rotation schedule for a section."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from adaptive.classroom.rotations import MODELS
from adaptive.cli.common import fail, print_json, tutor_for
from adaptive.cli.output import console as wide_console
from adaptive.cli.output import table as _table
from adaptive.domain.classroom import GROUPS_A_DAY
from adaptive.domain.evidence import percent

if TYPE_CHECKING:
    from rich.console import RenderableType

    from adaptive.domain.classroom import GroupMember, SmallGroupList
    from adaptive.tutor import Tutor


def register(app: typer.Typer) -> None:
    app.command("groups")(groups_command)
    app.command("peers")(peers_command)
    app.command("rotation", epilog=_MODELS_EPILOG)(rotation_command)


def _run(ctx: typer.Context, call: Any) -> Any:
    from adaptive.domain.classroom import ClassroomError

    with tutor_for(ctx, refusals=(ClassroomError,)) as tutor:
        return call(tutor)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = {"yesterday": -1, "today": 0, "tomorrow": 1}


def school_day(text: str, today: dt.date) -> dt.date | None:
    """A school day as a teacher writes it: YYYY-MM-DD, "today", "tomorrow", "yesterday", or a weekday
    ("monday" or "mon": the next one, today included). None when it is none of these."""
    word = text.strip().lower()
    if word in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[word])
    for n, name in enumerate(_WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today + dt.timedelta(days=(n - today.weekday()) % 7)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    found = school_day(text, dt.datetime.now(dt.UTC).date())  # the day the Tutor calls today (UTC)
    if found is None:
        fail(f"--date {text!r}: write the school day as YYYY-MM-DD, today, tomorrow or a weekday (monday)")
    return found


# How a group was formed, in a teacher's words (the need score that orders the groups is in the CSV and JSON).
_HOW = {"shared gap": "all on this gap", "clustered": "similar gaps"}


def _other_gaps(member: GroupMember) -> str:
    """The student's other gaps, the one they need most marked when the group on it did not fit the day."""
    if member.first_need:
        return ", ".join((f"{member.first_need} (needs most; no group today)", *member.also[1:]))
    return ", ".join(member.also)


def _group_table(title: str, competency: str, members: Sequence[GroupMember]) -> RenderableType:
    """A small group's students; the gap and note columns only when some student has one of their own."""
    columns: list[tuple[str, Callable[[GroupMember], str]]] = [
        ("name", lambda m: m.name or m.student), ("student", lambda m: m.student),
        ("gap", lambda m: m.competency), ("mastery now", lambda m: percent(m.p_mastered)),
        ("why on the list", lambda m: m.labelled_reason), ("other gaps", _other_gaps),
        ("note", lambda m: m.note)]
    shown = [(name, cell) for name, cell in columns
             if not ((name == "gap" and all(m.competency == competency for m in members))
                     or (name in ("note", "other gaps") and not any(cell(m) for m in members)))]
    return _table(title, [name for name, _ in shown], [[cell(m) for _, cell in shown] for m in members])


_DATE = typer.Option(None, "--date", help="The school day: YYYY-MM-DD, today, tomorrow or a weekday such as "
                     "monday (the next one; default: today).")
_JSON = typer.Option(False, "--json", help="Print JSON.")
# The rotation models (one module each in adaptive/classroom/rotations/), for `adaptive rotation --help`.
_MODELS_HELP = " or ".join([", ".join(list(MODELS)[:-1]), list(MODELS)[-1]]) + "."  # station, lab, ... or flipped.
_MODELS_EPILOG = "Models:\n\n" + "\n\n".join(f"{name}: {model.description}." for name, model in MODELS.items())


def _check_writable(path: Path) -> None:
    """A one-line error naming ``path`` unless a file can be written there: its folder exists and takes files."""
    folder = path.parent
    if not folder.is_dir():
        fail(f"--csv {path}: folder {folder} does not exist")
    if path.is_dir():
        fail(f"--csv {path}: is a folder; name a file in it")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(f"--csv {path}: cannot write there (permission denied)")


def groups_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section's code."),
    date: str = _DATE,
    max_size: int = typer.Option(5, "--max-size", help="At most this many students a group."),
    max_groups: int = typer.Option(GROUPS_A_DAY, "--max-groups", min=0, help="At most this many groups today (what one "
                                   "teacher can take); the others are listed for tomorrow. 0: every group."),
    preview: bool = typer.Option(False, "--preview", help="Show the list without issuing it as the day's list."),
    again: bool = typer.Option(False, "--again", help="Issue a new list when the day's was issued already (it "
                               "replaces that list and undoes the teacher's moves)."),
    json: bool = _JSON,
    csv: Path = typer.Option(None, "--csv", help="Also write the list to this CSV file (one row per student)."),
) -> None:
    """The day's "pull for small group" list: flagged and at-risk students grouped by the competency they most
    need, largest need first, three groups by default; the rest are listed to see first tomorrow. Issued as the
    day's list (so tomorrow's list knows who was pulled) unless --preview; a list issued already that day (on
    the web, in the chat, by the morning message) is shown as it is, with the teacher's moves, unless --again."""
    day = _day(date)
    if csv is not None:
        _check_writable(csv)  # before the list is issued: a list issued but never written would be lost

    def day_list(t: Tutor) -> tuple[SmallGroupList | None, SmallGroupList]:  # one tutor opened for both
        kept = None if preview or again else t.issued_groups(section, date=day)
        return kept, kept or t.small_groups(section, date=day, max_size=max_size, preview=preview,
                                            max_groups=max_groups or None)

    kept, lst = _run(ctx, day_list)
    if kept is not None:
        print(f"note: the list for {kept.date.isoformat()} was issued already: shown as issued, with any moves since "
              "(--again issues a new one and undoes them)", file=sys.stderr)
    if csv is not None:
        try:
            csv.write_text(lst.to_csv(), encoding="utf-8")
        except OSError as e:
            state = "was issued" if lst.issued else "was not issued"
            fail(f"--csv {csv}: cannot write it ({e.strerror or e}); the list {state}")
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
        title = (f"{g.number}. {g.competency} {g.competency_name} ({_HOW.get(g.method, g.method)}); mini-lesson: "
                 + (", ".join(f"{i.title} ({i.item}, {i.kind})" for i in g.mini_lesson) or "no lesson items"))
        console.print(_group_table(title, g.competency, g.members))
    if lst.later:
        console.print(Text(f"Not today ({len(lst.waiting)} more students, {len(lst.later)} more groups): see them "
                           "first tomorrow"))
        for g in lst.later:
            who = ", ".join(f"{m.name or m.student} ({m.student})" for m in g.members)
            console.print(Text(f"  {g.competency} {g.competency_name}: {who}"))
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
    rows = [[p.competency, f"{p.tutor_name or p.tutor} ({p.tutor})", percent(p.tutor_mastery),
             f"{p.tutee_name or p.tutee} ({p.tutee})", percent(p.tutee_mastery), p.labelled_reason]
            for p in plan.pairs]
    console.print(_table(f"{plan.section} peer tutoring (at most {plan.max_tutees} tutees a tutor)",
                         ["competency", "tutor", "mastery", "tutee", "mastery now", "why"], rows))
    for student, competency in plan.unpaired:
        console.print(Text(f"no tutor free for {plan.name(student)} ({student}) on {competency}"))


def rotation_command(
    ctx: typer.Context,
    section: str = typer.Argument(..., help="The section's code."),
    named: str = typer.Argument(None, metavar="model", help="The rotation model (optional: or --model)."),
    model: str = typer.Option(None, "--model", help=_MODELS_HELP),
    date: str = _DATE,
    period_minutes: int = typer.Option(60, "--period-minutes", help="Length of the class period."),
    block_minutes: int = typer.Option(
        None, "--block-minutes", help="Length of a block (default: the period shared out over the stations for "
        "station rotation, one block per lab group for lab rotation, 20 minutes otherwise)."),
    stations: str = typer.Option(None, "--stations", help="Station rotation's stations, comma-separated "
                                 "(default teacher-led,online,collaborative)."),
    devices: int = typer.Option(None, "--devices", help="Devices (or lab computers) available "
                                "(default a third of the section)."),
    max_size: int = typer.Option(None, "--max-size", help="Small groups of at most this many students, in a "
                                 "preview of the day's list (default: the list issued for the day, with its "
                                 "moves; else groups of at most 5)."),
    all_groups: bool = typer.Option(False, "--all-groups", help="Refuse a schedule in which the teacher cannot "
                                    "see every small group (by default the groups of greatest need are seen and "
                                    "the others are named in a note)."),
    json: bool = _JSON,
) -> None:
    """A rotation schedule for the period: blocks with their stations, students and what each does
    (adaptive rotation 6A flex, or --model flex)."""
    if named is not None and model is not None and named != model:
        fail(f"two rotation models given: {named!r} and --model {model!r}; name one")
    model = named or model
    if model is None:
        fail(f"name the rotation model: {_MODELS_HELP[:-1]} (adaptive rotation {section} station)")
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
        console.print(Text(f"group {name}: {', '.join(schedule.name(s) for s in members)}"))
    rows = [[f"{b.start}-{b.end}", b.station, b.group or "", a.name or a.student, a.student, a.activity]
            for b in schedule.blocks for a in b.students]
    console.print(_table("schedule", ["minutes", "station", "group", "name", "student", "doing"], rows))
    if schedule.homework:
        console.print(_table("homework", ["name", "student", "doing"],
                             [[a.name or a.student, a.student, a.activity] for a in schedule.homework]))
    for note in schedule.notes:
        console.print(Text(f"note: {note}"))
