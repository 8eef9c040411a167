"""Messages built from plain values (mastery, goals, next items, small groups, flags): what the conversation
and the proactive updates send. Every message's ``text`` holds all of it as plain text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from adaptive.domain import Competency, Mastery, MasteryLevels
from adaptive.domain.classroom import SmallGroupList
from adaptive.domain.decisions import FlagInfo, NextItem
from adaptive.domain.evidence import whole_percent
from adaptive.domain.goals import days_left
from adaptive.domain.reports import GoalInfo
from bots.core import competencies as comp
from bots.core.messages import Bar, Button, Message

BAR_WIDTH = 10


def percent(fraction: float) -> int:
    """A fraction as whole percent, rounded down as everywhere (:func:`adaptive.domain.evidence.percent`): a bar
    below the "mastered" cut of 95% never reads "95% proficient"."""
    return whole_percent(fraction)


def bar_text(bar: Bar) -> str:
    filled = round(max(0.0, min(1.0, bar.fraction)) * BAR_WIDTH)
    return f"{bar.label}: [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent(bar.fraction)}% {bar.level}"


def message(title: str | None, lines: Sequence[str] = (), *, bars: Sequence[Bar] = (),
            buttons: Sequence[Button] = (), link: tuple[str, str] | None = None, image: bytes | None = None,
            image_title: str | None = None) -> Message:
    """A message whose plain text is its title, lines, bars and link, in that order."""
    parts = ([title] if title else []) + list(lines) + [bar_text(b) for b in bars]
    if link is not None:
        parts.append(f"{link[0]}: {link[1]}")
    if image is not None and image_title:
        parts.append(f"(picture: {image_title})")
    return Message("\n".join(parts), title, tuple(lines), tuple(bars), tuple(buttons), link, image, image_title)



def goal_line(goal: GoalInfo, today: dt.date, levels: Mapping[str, str] | None = None) -> str:
    """"#1 Master Unit rates (6.RP.2), by Friday December 11 (4 days left, now attempted)"."""
    level = f", now {levels[goal.competency]}" if levels and goal.competency in levels else ""
    by = f", by {goal.deadline:%A %B} {goal.deadline.day}" if goal.deadline is not None else ""
    return f"#{goal.id} {goal.description}{by} ({days_left(goal.deadline, today)}{level})"


def bar(m: Mastery, label: str, levels: MasteryLevels | None = None) -> Bar:
    """The bar of one competency: current P(mastered) with the level word the cut points (``levels``, else
    the tutor's as the record carries them) give that number.
    With no answers yet the bar is empty and says "not started" (the tutor's starting guess is no mastery
    of the student's: showing it as "42% not started" contradicted itself)."""
    if m.attempts <= 0:
        return Bar(label, 0.0, "not started")
    return Bar(label, m.p_mastered, levels.level(m.p_mastered, m.attempts) if levels else m.level)


def bars(mastery: Sequence[Mastery], names: Mapping[str, str], levels: MasteryLevels | None = None,
         mastered: Collection[str] = ()) -> tuple[Bar, ...]:
    """One bar per competency; a competency in ``mastered`` below the mastered level was skipped (a pre-test
    showed it), and says so, as the report card does."""
    shown = (bar(m, f"{m.competency} {names.get(m.competency, '')}".strip(), levels) for m in mastery)
    return tuple(replace(b, level=SKIPPED) if m.competency in mastered and b.level != "mastered" else b
                 for m, b in zip(mastery, shown, strict=True))


SKIPPED = "mastered (already known)"  # the report card's words for a competency a pre-test skipped


STUDENT_PROGRESS_BUTTONS = (Button("What next?", "next"), Button("Set a goal", "goal"))


def progress(who: str, mastery: Sequence[Mastery], names: Mapping[str, str], goals: Sequence[GoalInfo],
             today: dt.date, *, levels: MasteryLevels | None = None,
             buttons: Sequence[Button] | None = None, mastered: Collection[str] = ()) -> Message:
    """Mastery bars (one per competency, in the order given; ``mastered``: see :func:`bars`) and open goals
    with the days left; ``buttons`` default to a student's next steps (a teacher's view passes its own, and
    is not told to set a goal)."""
    shown = bars(mastery, names, levels, mastered)
    now = {m.competency: b.level for m, b in zip(mastery, shown, strict=True)}
    done = sum(b.level.startswith("mastered") for b in shown)
    lines = [f"{done} of {len(mastery)} competencies mastered."]
    none = "No open goals: try /goal." if buttons is None else "No open goals."
    lines += ["Goals:"] + [goal_line(g, today, now) for g in goals] if goals else [none]
    return message(f"Progress: {who}", lines, bars=shown,
                   buttons=STUDENT_PROGRESS_BUTTONS if buttons is None else buttons)


def next_item(item: NextItem | None, url: str | None, names: Mapping[str, str]) -> Message:
    if item is None:
        return message("Nothing left on your playlist", ["Every competency is mastered or skipped: well done!"])
    lines = [f"{item.kind.replace('_', ' ')} on {names.get(item.competency, item.competency)} ({item.competency})",
             f"Why: {item.reason}"]
    return message(f"Next: {item.title}", lines, link=(item.title, url) if url else None,
                   buttons=(Button("I'm stuck", "stuck", item.competency), Button("How am I doing?", "progress")))


def groups(lst: SmallGroupList, names: Mapping[str, str], competencies: Sequence[Competency] = ()) -> Message:
    """The day's groups with their students and mini-lessons (a group the teacher moved everyone out of is
    left out; a student seated on another of their gaps is said to need their own most), then who waits for
    tomorrow."""
    title = f"Small groups {lst.section}, {lst.date:%a %b} {lst.date.day}"
    kept = [g for g in lst.groups if g.students]
    if not kept:
        return message(title, ["Nobody needs a small group today."])
    lines = []
    for g in kept:
        students = ", ".join(names.get(m.student, m.student)
                             + (f" (needs {comp.named(m.first_need, competencies)} most)" if m.first_need else "")
                             for m in g.members)
        lesson = f"; mini-lesson: {', '.join(i.title for i in g.mini_lesson)}" if g.mini_lesson else ""
        lines.append(f"Group {g.number}: {g.competency_name} ({g.competency}): {students}{lesson}")
    return message(title, lines + waiting(lst, names))


def waiting(lst: SmallGroupList, names: Mapping[str, str]) -> list[str]:
    """The students whose groups did not fit the teacher's day, to see first tomorrow (no line when none)."""
    if not lst.later:
        return []
    who = "; ".join(f"group {g.number} on {g.competency_name} ({g.competency}): "
                    f"{', '.join(names.get(s, s) for s in g.students)}" for g in lst.later)
    return [f"Not today, first tomorrow: {who}"]


def flags(found: Sequence[FlagInfo], names: Mapping[str, str], competencies: Sequence[Competency], *,
          title: str = "Flagged students", empty: str = "No open flags.") -> Message:
    """Open flags, each "#3 Ana on Unit rates (6.RP.2): 3 wrong in a row (when flagged); now 17%" (a reason
    leaves the competency to this line)."""
    if not found:
        return message(title, [empty])
    lines = [f"#{f.id} {names.get(f.student, f.student)} on {comp.named(f.competency, competencies)}: {f.summary}"
             for f in found]
    return message(title, lines,
                   buttons=tuple(Button(f"Resolve #{f.id}", "resolve", str(f.id)) for f in found[:5]))
