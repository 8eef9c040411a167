"""``adaptive pretest``, ``adaptive next``, ``adaptive playlist`` and ``adaptive flags``: recording a
pre-test, what a student does next, and the small-group list, with the teacher's pins, removals and
resolutions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import typer
from typer.core import TyperGroup

from adaptive.cli.common import fail, print_json, tutor_for
from adaptive.cli.output import chosen, emit, format_option
from adaptive.domain.words import counted


class _ShowByDefault(TyperGroup):
    """``adaptive playlist STUDENT`` means ``adaptive playlist show STUDENT``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


playlist_app = typer.Typer(cls=_ShowByDefault, no_args_is_help=True,
                           help="A student's playlist (adaptive playlist STUDENT), and pinning or removing items.")
flags_app = typer.Typer(help="Open flags the rules raised (adaptive flags), and resolving a flag; the day's "
                        "small groups are `adaptive groups`.")


def register(app: typer.Typer) -> None:
    app.command("pretest")(pretest_command)
    app.command("next")(next_command)
    app.add_typer(playlist_app, name="playlist")
    app.add_typer(flags_app, name="flags")


def _run(ctx: typer.Context, call: Any) -> Any:
    with tutor_for(ctx) as tutor:
        return call(tutor)


_WORDS = {"right": True, "correct": True, "true": True, "yes": True,
          "wrong": False, "incorrect": False, "false": False, "no": False}


def _answer(text: str) -> bool | int | float:
    word = text.strip().lower()
    if word in _WORDS:
        return _WORDS[word]
    try:
        return int(word)
    except ValueError:
        try:
            return float(word)
        except ValueError:
            fail(f"answer {text!r}: use right/wrong (or 1/0), or a point of the mastery scale (1-5)")
    raise AssertionError("unreachable")


def pretest_command(
    ctx: typer.Context,
    student: str = typer.Argument(..., help="The student's code."),
    answers: list[str] = typer.Argument(..., help="ITEM=ANSWER for each pre-test question: right/wrong or 1/0, "
                                                  "or a 1-5 score for questions scored on the scale."),
    pretest_id: str = typer.Option(None, "--id", help="An id for this pre-test: recording it again changes nothing."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Record a student's pre-test: each competency is scored, and skipped when the rules say it is known."""
    given: dict[str, bool | int | float] = {}
    for pair in answers:
        item, sep, value = pair.partition("=")
        if not sep or not item or not value:
            fail(f"{pair!r}: write each answer as ITEM=ANSWER, e.g. ns2-pre-1=right")
        given[item] = _answer(value)
    result = _run(ctx, lambda t: t.record_pretest(student, given, pretest_id=pretest_id))
    if json:
        print_json(result.to_dict())
        return
    if result.duplicate:
        print(f"{student}: this pre-test was recorded before; nothing changed")
    for s in result.scores:
        score = "not finished" if s.score is None else f"{s.score:.0%}"
        what = "skipped: its content will not be offered" if s.skipped else "to be learned"
        print(f"{s.competency}: {score} ({s.answered} of {s.items} questions answered) - {what}")
    nexts = [d.next_item for d in result.decisions if d.next_item is not None]
    if nexts:
        print(f"next: {nexts[-1].item}  {nexts[-1].title}")
        print(f"   why: {nexts[-1].reason}")


def _show_item(n: int, item: Any) -> None:
    print(f"{n}. {item.item}  {item.title}  [{item.competency}, {item.kind}]{'  (pinned)' if item.pinned else ''}")
    print(f"   why: {item.reason}")


def next_command(ctx: typer.Context, student: str = typer.Argument(..., help="The student's code."),
                 json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The item the student should do next, and why."""
    item = _run(ctx, lambda t: t.next_item(student))
    if json:
        print_json(asdict(item) if item else None)
    elif item is None:
        print(f"{student}: nothing left to offer")
    else:
        _show_item(1, item)


_PLAYLIST_COLUMNS = ["student", "name", "number", "item", "title", "competency", "kind", "pinned", "why"]


@playlist_app.command("show")
def show(ctx: typer.Context, student: str = typer.Argument(..., help="The student's code."),
         n: int = typer.Option(5, "--n", help="How many items."),
         fmt: str = typer.Option("list", "--format", "-f", help="list (each item and why), table, csv or json."),
         json: bool = typer.Option(False, "--json", help="Print JSON (--format json).")) -> None:
    """The student's next items (with their titles), pinned ones first, each with the reason it is there."""
    fmt = "list" if fmt == "list" and not json else chosen(fmt, json)
    items, person = _run(ctx, lambda t: (t.playlist(student, n), t.person(student)))
    name = person.name if person is not None else None
    if fmt == "list":
        print(f"{name} ({student})" if name else student)
        for number, item in enumerate(items, 1):
            _show_item(number, item)
        if not items:
            print(f"{student}: nothing left to offer")
        return
    rows = [[student, name, number, i.item, i.title, i.competency, i.kind, "yes" if i.pinned else "", i.reason]
            for number, i in enumerate(items, 1)]
    skip = 2 if fmt == "table" else 0  # the table's title names the student
    emit(fmt, _PLAYLIST_COLUMNS[skip:], [r[skip:] for r in rows],
         [{"student": student, "name": name, **asdict(i)} for i in items],
         title=f"{name or student}'s next {counted(len(items), 'item')}", empty=f"{student}: nothing left to offer")


@playlist_app.command("pin")
def pin(ctx: typer.Context, student: str, item: str, by: str = typer.Option(None, "--by", help="Teacher."),
        note: str = typer.Option(None, "--note", help="Why (shown as the item's reason).")) -> None:
    """Put an item first on the student's playlist until they answer it."""
    _run(ctx, lambda t: t.pin_item(student, item, by=by, note=note))
    print(f"pinned {item} for {student}")


@playlist_app.command("remove")
def remove(ctx: typer.Context, student: str, item: str, by: str = typer.Option(None, "--by", help="Teacher."),
           note: str = typer.Option(None, "--note", help="Why.")) -> None:
    """Never offer this item to the student (until restored)."""
    _run(ctx, lambda t: t.remove_item(student, item, by=by, note=note))
    print(f"removed {item} from {student}'s playlist")


@playlist_app.command("restore")
def restore(ctx: typer.Context, student: str, item: str) -> None:
    """Undo a pin or a removal."""
    _run(ctx, lambda t: t.restore_item(student, item))
    print(f"restored {item} for {student}")


_FLAG_COLUMNS = ["flag", "student", "name", "competency", "reason", "rule", "raised", "state"]


@flags_app.callback(invoke_without_command=True)
def flags(ctx: typer.Context, section: str = typer.Option(None, "--section", help="Only this section's students "
                                                          "(its code, roster sourcedId or alias)."),
          all_flags: bool = typer.Option(False, "--all", help="Resolved flags too."),
          fmt: str = format_option(),
          json: bool = typer.Option(False, "--json", help="Print JSON (--format json).")) -> None:
    """Students flagged for small-group time (open flags unless --all), with their names from the roster."""
    if ctx.invoked_subcommand is not None:
        return
    fmt = chosen(fmt, json)
    found = _run(ctx, lambda t: t.flags(section=section, open_only=not all_flags))
    rows = [[f.id, f.student, f.name, f.competency, f.summary, ", ".join(f.rules) or f.rule_id,
             f"{f.raised_at:%Y-%m-%d}", f"resolved by {f.resolved_by or '?'}" if f.resolved_at else "open"]
            for f in found]
    emit(fmt, _FLAG_COLUMNS, rows, [f.to_dict() for f in found],
         title=f"{'flags' if all_flags else 'open flags'}{f' in {section}' if section else ''}", empty="no flags")


@flags_app.command("resolve")
def resolve(ctx: typer.Context, flag_id: int = typer.Argument(None, help="The flag's number (#id); or use the "
                                                                       "options to close many at once."),
            section: str = typer.Option(None, "--section", help="Close every open flag of this section's students."),
            competency: str = typer.Option(None, "--competency", help="Close every open flag on this competency."),
            rule: str = typer.Option(None, "--rule", help="Close every open flag on which this rule fired."),
            by: str = typer.Option(None, "--by", help="Teacher."),
            note: str = typer.Option(None, "--note", help="What was done.")) -> None:
    """Close a flag after the small-group session, or every flag of a section, competency and/or rule."""
    if flag_id is None:
        if section is None and competency is None and rule is None:
            raise typer.BadParameter("give a flag number, or --section, --competency and/or --rule")
        closed = _run(ctx, lambda t: t.resolve_flags(section=section, competency=competency, rule=rule, by=by,
                                                     note=note))
        for f in closed:
            print(f"resolved flag #{f.id} ({f.student}, {f.competency})")
        print(f"resolved {len(closed)} flag{'s' if len(closed) != 1 else ''}")
        return
    if section is not None or competency is not None or rule is not None:
        raise typer.BadParameter("give a flag number or --section/--competency/--rule, not both")
    flag = _run(ctx, lambda t: t.resolve_flag(flag_id, by=by, note=note))
    print(f"resolved flag #{flag.id} ({flag.student}, {flag.competency})")
