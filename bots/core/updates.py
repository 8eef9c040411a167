"""Proactive progress updates: a goal met, a competency newly mastered, the weekly summary.

The pure functions take plain values and return messages. :func:`deliver` sends each student what is new
on a :class:`~bots.core.platform.ChatPlatform`, at most once per (student, platform, update): every update is
claimed in the store (``progress_update``) before it is sent and given back when sending fails. Updates start
when a student can first be reached on the platform: what they had mastered before is recorded, not
announced. A goal met is closed once its message is delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from adaptive.domain import Claim, Mastery
from adaptive.domain.reports import GoalInfo
from adaptive.domain.words import counted
from bots.core import views
from bots.core.identities import contact_actor
from bots.core.messages import Button, Message
from bots.core.platform import ChatPlatform, Contact, failure

if TYPE_CHECKING:
    from adaptive import Tutor

MASTERED = "mastered"
START = ("start", "")
log = logging.getLogger(__name__)


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


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Outcome:
    """A student not sent to, and why."""

    student: str
    reason: str


@dataclass(frozen=True)
class UpdatesReport:
    """What a run did: students sent to (with how many messages), skipped (cannot be reached) and failed
    (the platform refused; their updates were given back for the next run)."""

    platform: str
    sent: tuple[tuple[str, int], ...] = ()
    skipped: tuple[Outcome, ...] = ()
    failed: tuple[Outcome, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "sent": [{"student": s, "messages": n} for s, n in self.sent],
                "skipped": [asdict(o) for o in self.skipped], "failed": [asdict(o) for o in self.failed]}

    def lines(self) -> list[str]:
        out = [f"Progress updates on {self.platform}: {counted(sum(n for _, n in self.sent), 'message')} to "
               f"{counted(len(self.sent), 'student')}, {len(self.skipped)} skipped, {len(self.failed)} failed"]
        out += [f"sent: {s}: {counted(n, 'message')}" for s, n in self.sent]
        out += [f"skipped: {o.student}: {o.reason}" for o in self.skipped]
        out += [f"failed: {o.student}: {o.reason}" for o in self.failed]
        return out


@dataclass
class _Pending:
    """One student's updates due on a platform: claims to record silently, and to announce."""

    silent: list[Claim] = field(default_factory=list)
    announce: list[Claim] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.silent or self.announce)


def _pending(claimed: set[Claim], mastery: Sequence[Mastery], goals: Sequence[GoalInfo], today: dt.date,
             weekly: bool) -> _Pending:
    out = _Pending()
    started = START in claimed
    if not started:
        out.silent.append(START)
    mastered = [m.competency for m in mastery if m.level == MASTERED]
    for code in mastered:
        if ("mastered", code) in claimed:
            continue
        met = [g for g in goals if g.competency == code and (g.deadline is None or g.deadline.date() >= today)]
        if started or met:
            out.announce += [("goal_met", str(g.id)) for g in met]
            out.announce.append(("mastered", code))
        else:  # mastered before the student could be reached: known, not news
            out.silent.append(("mastered", code))
    if weekly and ("weekly", iso_week(today)) not in claimed:
        out.announce.append(("weekly", iso_week(today)))
    return out


def _messages(tutor: Tutor, student: Contact, got: list[Claim], mastery: Sequence[Mastery],
              goals: Sequence[GoalInfo], names: Mapping[str, str], today: dt.date, platform: str) -> list[Message]:
    by_code = {m.competency: m for m in mastery}
    by_id = {str(g.id): g for g in goals}
    met = {by_id[key].competency for kind, key in got if kind == "goal_met"}
    out: list[Message] = []
    for kind, key in got:
        if kind == "goal_met":
            goal = by_id[key]
            out.append(goal_met(goal, names.get(goal.competency or "", goal.competency or ""), today))
        elif kind == "mastered" and key not in met:
            out.append(mastered(by_code[key], names.get(key, key)))
        elif kind == "weekly":
            week = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(), dt.UTC)
            count = len(tutor.claimed_updates(student.code, platform, kind="mastered", since=week,
                                              until=week + dt.timedelta(days=7), announced_only=True))
            out.append(weekly_summary(student.name or student.code, mastery, names, goals, count, today))
    return out


def deliver(tutor: Tutor, platform: ChatPlatform, students: Iterable[str] | None = None, *,
            since: dt.datetime | None = None, weekly: bool = False, today: dt.date | None = None) -> UpdatesReport:
    """Send each student what is new since their last update on ``platform``: a goal met (then
    closed), a competency newly mastered, and with ``weekly`` the week's summary (once per ISO week).

    Which students: ``students`` when given; else with ``weekly`` every active student; else those whose
    mastery changed at or after ``since`` (every active student when None). A student is only addressed
    (a platform look-up) when something is due."""
    day = today or dt.date.today()
    codes = list(students) if students is not None else (
        None if weekly or since is None else tutor.students_active_since(since))
    names = {c.code: c.name for c in tutor.competencies()}
    name = platform.platform
    sent: list[tuple[str, int]] = []
    skipped: list[Outcome] = []
    failed: list[Outcome] = []
    for student in tutor.student_contacts(name, codes):
        # what is read for a student (and sent to them) is logged as their chat account
        with tutor.acting_as(contact_actor(name, student.code, "student", student.chat_user_id)):
            mastery = tutor.mastery(student.code)
            goals = tutor.goals(student.code, open_only=True)
            due = _pending(set(tutor.claimed_updates(student.code, name)), mastery, goals, day, weekly)
            if not due:
                continue
            where, why = platform.address(student)
            if where is None:
                skipped.append(Outcome(student.code, why))
                continue
            if due.silent:
                tutor.claim_updates(student.code, name, due.silent, announced=False)
            got = tutor.claim_updates(student.code, name, due.announce)  # another run may hold some already
            messages = _messages(tutor, student, got, mastery, goals, names, day, name)
            if not messages:
                continue
            try:
                platform.send(where, messages)
            except Exception as exc:  # noqa: BLE001 - any failure gives the updates back, then is reported
                tutor.release_updates(student.code, name, got)
                reason = failure(exc)
                log.warning("progress updates for %s not sent: %s", student.code, reason)
                failed.append(Outcome(student.code, reason))
                continue
            for kind, key in got:
                if kind == "goal_met":
                    tutor.close_goal(int(key))
            sent.append((student.code, len(messages)))
    return UpdatesReport(name, tuple(sent), tuple(skipped), tuple(failed))
