"""The daily small-group list each teacher is sent: one message per section with the day's groups, why each
student is pulled and the mini-lessons, plus the section's mastery heatmap; platform-neutral.

Building a teacher's messages *issues* the day's lists of their sections (``Tutor.small_groups`` without
``preview``) unless they were issued already that day: the list a teacher is sent is the list they act on
(with their moves), so tomorrow's list knows who was pulled.

:func:`notify_teachers` sends them on any :class:`~bots.core.platform.ChatPlatform`, at most once per (day,
platform, teacher): each teacher's notification is claimed before they are looked up, a claim already there
means sent (or being sent by another run), and the claim is given back when the teacher cannot be reached or
sending fails, so a rerun tries that teacher again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from adaptive.domain import Competency
from adaptive.domain.classroom import GROUPS_A_DAY, SmallGroupList
from adaptive.domain.evidence import percent
from bots.core import competencies as comp
from bots.core import views
from bots.core.identities import contact_actor
from bots.core.messages import Message
from bots.core.platform import ChatPlatform, failure

if TYPE_CHECKING:
    from adaptive import Tutor

ALREADY_SENT = "already sent today"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A teacher not sent to, and why."""

    teacher: str
    reason: str


@dataclass(frozen=True)
class NotifyReport:
    """What a run of the daily notification did: teachers sent to, skipped (already sent, no chat account)
    and failed (the platform refused or could not be reached; their claim was released for a rerun)."""

    day: dt.date
    platform: str
    sent: tuple[str, ...] = ()
    skipped: tuple[Outcome, ...] = ()
    failed: tuple[Outcome, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "platform": self.platform, "sent": list(self.sent),
                "skipped": [asdict(o) for o in self.skipped], "failed": [asdict(o) for o in self.failed]}

    def lines(self) -> list[str]:
        out = [f"Daily small-group list {self.day.isoformat()} on {self.platform}: {len(self.sent)} sent, "
               f"{len(self.skipped)} skipped, {len(self.failed)} failed"]
        out += [f"sent: {t}" for t in self.sent]
        out += [f"skipped: {o.teacher}: {o.reason}" for o in self.skipped]
        out += [f"failed: {o.teacher}: {o.reason}" for o in self.failed]
        return out


def section_message(lst: SmallGroupList, names: dict[str, str], heatmap: bytes | None,
                    competencies: Sequence[Competency] = ()) -> Message:
    """The section's groups: who, the competency, each student's reason (as it was when flagged) beside their
    mastery now, and the mini-lesson to teach; a student seated in a group on another of their gaps is said to
    need another competency most."""
    title = f"Small groups {lst.section}, {lst.date:%a %b} {lst.date.day}"
    lines: list[str] = []
    for g in lst.groups:
        lesson = ", ".join(i.title for i in g.mini_lesson) or "no lesson tagged"
        lines.append(f"Group {g.number}: {g.competency_name} ({g.competency}); mini-lesson: {lesson}")
        for member in g.members:
            note = f" ({member.note})" if member.note else ""
            if member.first_need:
                note += f"; needs {comp.named(member.first_need, competencies)} most: no group on it today"
            lines.append(f"- {names.get(member.student, member.student)}: {member.labelled_reason}; "
                         f"now {percent(member.p_mastered)}{note}")
    lines += views.waiting(lst, names)
    return views.message(title, lines, image=heatmap, image_title=f"{lst.section} mastery heatmap" if heatmap else None)


def teacher_messages(tutor: Tutor, teacher: str, day: dt.date) -> list[Message]:
    """The teacher's list for ``day`` (issuing their sections' lists): a message per section with groups, or
    one short "nobody to pull today" message when none of their sections has anybody to pull. A list already
    issued that day (on the web, in the chat, by an earlier run) is sent as it is, with the teacher's moves:
    issuing again would replace it and undo them."""
    sections = tutor.teacher_sections(teacher)
    lists = [tutor.issued_groups(s, date=day) or tutor.small_groups(s, date=day, max_groups=GROUPS_A_DAY)
             for s in sections]
    with_groups = [lst for lst in lists if lst.groups]
    if not with_groups:
        where = ", ".join(sections) or "no sections"
        return [views.message(f"Small groups {day:%a %b} {day.day}", [f"Nobody to pull today ({where})."])]
    out = []
    competencies = tutor.competencies()
    for lst in with_groups:
        names = {s.code: s.name or s.code for s in tutor.students(section=lst.section)}
        out.append(section_message(lst, names, tutor.class_heatmap_png(lst.section), competencies))
    quiet = [lst.section for lst in lists if not lst.groups]
    if quiet:
        out.append(views.message(None, [f"Nobody to pull today in {', '.join(quiet)}."]))
    return out


def teacher_lists(tutor: Tutor, day: dt.date) -> list[tuple[str, list[Message]]]:
    """Every active teacher with active sections, by code, with their messages for ``day`` (see
    :func:`teacher_messages`; issues the day's lists)."""
    return [(c.code, teacher_messages(tutor, c.code, day)) for c in tutor.teacher_contacts("")]


def notify_teachers(tutor: Tutor, platform: ChatPlatform, day: dt.date) -> NotifyReport:
    """DM every active teacher with active sections their list for ``day``; see the module docstring."""
    name = platform.platform
    sent: list[str] = []
    skipped: list[Outcome] = []
    failed: list[Outcome] = []
    for contact in tutor.teacher_contacts(name):
        if not tutor.claim_notification(day, name, contact.code):
            skipped.append(Outcome(contact.code, ALREADY_SENT))
            continue
        try:
            where, why = platform.address(contact, "teacher")
            if where is None:
                tutor.release_notification(day, name, contact.code)
                skipped.append(Outcome(contact.code, why))
                continue
            with tutor.acting_as(contact_actor(name, contact.code, "teacher", contact.chat_user_id)):
                messages = teacher_messages(tutor, contact.code, day)
            platform.send(where, messages)
        except Exception as exc:  # noqa: BLE001 - any failure must give the claim back, then be reported
            tutor.release_notification(day, name, contact.code)
            reason = failure(exc, platform_word=True)
            log.warning("daily list for %s not sent: %s", contact.code, reason)
            failed.append(Outcome(contact.code, reason))
            continue
        sent.append(contact.code)
    return NotifyReport(day, name, tuple(sent), tuple(skipped), tuple(failed))
