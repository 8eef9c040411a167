"""Proactive progress updates: a goal met, a competency newly mastered, the weekly summary.

The pure functions take plain values and return messages; :func:`collect` reads them from a tutor for a set
of students, given their levels at the previous run (:func:`levels`). Recipients are student codes: the
delivery side finds their chat accounts. Nothing here writes: after delivering a "goal met" update, close the
goal with ``tutor.close_goal(goal_id)`` if it should not be reported again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from adaptive.reports.records import GoalInfo
from adaptive.store.records import Mastery
from bots.core import views
from bots.core.messages import Button, Message

if TYPE_CHECKING:
    from adaptive.tutor import Tutor

MASTERED = "mastered"
Levels = Mapping[tuple[str, str], str]  # (student, competency) -> level


def newly_mastered(previous: Levels, mastery: Sequence[Mastery]) -> list[Mastery]:
    """The competencies mastered now that were not at the previous run (absent there: not started)."""
    return [m for m in mastery
            if m.level == MASTERED and previous.get((m.student, m.competency), "not started") != MASTERED]


def goal_met(goal: GoalInfo, name: str, today: dt.date) -> Message:
    early = ""
    if goal.deadline is not None and (goal.deadline.date() - today).days > 0:
        days = (goal.deadline.date() - today).days
        early = f" {days} day{'s' if days != 1 else ''} before your deadline"
    return views.message("Goal met!", [f"You mastered {name}{early}: {goal.description}.",
                                       "Set your next goal when you are ready."],
                         buttons=(Button("Set a goal", "goal"), Button("What next?", "next")))


def mastered(m: Mastery, name: str) -> Message:
    return views.message("New competency mastered", [f"You mastered {name} ({m.competency}). Keep going!"],
                         buttons=(Button("What next?", "next"),))


def weekly_summary(who: str, mastery: Sequence[Mastery], names: Mapping[str, str], goals: Sequence[GoalInfo],
                   mastered_this_week: int, today: dt.date) -> Message:
    """The week in one message: competencies practised (bars), how many were mastered, open goals."""
    practised = [m for m in mastery if m.attempts]
    levels = {m.competency: m.level for m in mastery}
    lines = [f"This week you mastered {mastered_this_week} competenc{'y' if mastered_this_week == 1 else 'ies'}; "
             f"{sum(m.level == MASTERED for m in mastery)} of {len(mastery)} mastered in all."]
    lines += [views.goal_line(g, today, levels) for g in goals] or ["No open goals: set one with /goal."]
    return views.message(f"Your week, {who}", lines, bars=views.bars(practised, names),
                         buttons=(Button("Check in", "checkin"), Button("What next?", "next")))


def updates_for(student: str, previous: Levels, mastery: Sequence[Mastery], goals: Sequence[GoalInfo],
                names: Mapping[str, str], today: dt.date) -> list[Message]:
    """A goal met for each open goal whose competency was newly mastered by its deadline, else a "mastered"
    message for each competency newly mastered."""
    out = []
    for m in newly_mastered(previous, mastery):
        name = names.get(m.competency, m.competency)
        met = [g for g in goals if g.competency == m.competency and g.closed_at is None
               and (g.deadline is None or g.deadline.date() >= today)]
        out += [goal_met(g, name, today) for g in met] or [mastered(m, name)]
    return out


def levels(tutor: Tutor, students: Iterable[str]) -> dict[tuple[str, str], str]:
    """The students' levels now, to pass to the next :func:`collect`."""
    return {(m.student, m.competency): m.level for s in students for m in tutor.mastery(s)}


def collect(tutor: Tutor, students: Iterable[str], previous: Levels, *, today: dt.date | None = None,
            weekly: bool = False) -> list[tuple[str, Message]]:
    """(student code, message) for every update since ``previous``; with ``weekly``, each student's summary
    too (after their other updates)."""
    day = today or dt.date.today()
    names = {c.code: c.name for c in tutor.competencies()}
    out: list[tuple[str, Message]] = []
    for student in students:
        mastery = tutor.mastery(student)
        goals = tutor.goals(student, open_only=True)
        out += [(student, msg) for msg in updates_for(student, previous, mastery, goals, names, day)]
        if weekly:
            person = tutor.person(student)
            who = (person.name if person else None) or student
            count = len(newly_mastered(previous, mastery))
            out.append((student, weekly_summary(who, mastery, names, goals, count, day)))
    return out
