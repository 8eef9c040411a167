"""Goal conferencing and the chat: goals and their check-in reflections, students asking for help, and
which student or teacher a chat user is."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from adaptive.domain import FOLLOWUP_MAX_AGE, Person, Reflection, StoreError
from adaptive.domain.chat import ChatLink, CheckIn
from adaptive.domain.decisions import FlagInfo
from adaptive.domain.reports import GoalInfo
from adaptive.services import audit
from adaptive.services.context import Context
from adaptive.store import audit as trail
from adaptive.store import goals as store

log = logging.getLogger("adaptive.audit")


class ConferencingService:
    """Goals, reflections, help requests and chat identities of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- goals -------------------------------------------------------------------------------------------
    def goals(self, student: str, *, open_only: bool = False) -> list[GoalInfo]:
        """The student's goals, oldest first (``open_only``: those not closed)."""
        found = self._ctx.read(lambda s: store.goals(s, student, open_only))
        audit.read(self._ctx, "goals", [student], audit.counted(len(found), "open goal" if open_only else "goal"))
        return found

    def close_goal(self, goal_id: int) -> GoalInfo:
        """Close a goal (met or given up); closing it again changes nothing."""
        return self._ctx.write(lambda s: store.close_goal(s, goal_id))

    def add_reflection(self, goal_id: int, prompt: str, answer: str) -> Reflection:
        """Keep a student's answer to a check-in prompt ("what helped?", "what's hard?") with the goal."""
        return self._ctx.write(lambda s: store.add_reflection(s, goal_id, prompt, answer))

    def reflections(self, goal_id: int) -> list[Reflection]:
        """The goal's check-in answers, oldest first."""
        student, found = self._ctx.read(lambda s: (trail.student_of_goal(s, goal_id), store.reflections(s, goal_id)))
        audit.read(self._ctx, "check-ins", [student], f"goal {goal_id}, {audit.counted(len(found), 'answer')}")
        return found

    def checkins(self, section: str | None = None, *, student: str | None = None, since: datetime | None = None,
                 teacher: str | None = None) -> list[CheckIn]:
        """Students' check-in answers, oldest first: of one ``section``'s students and/or one ``student``,
        answered at or after ``since``. Give ``teacher`` when a teacher asks: only a student's teachers may read
        their answers, so a section or student not theirs is refused (a StoreError). Without ``teacher`` the
        caller is trusted with every student (an admin, the command line on the school's database)."""
        if section is None and student is None and teacher is None:
            raise StoreError("name a section, a student or a teacher whose students' check-ins to read")
        found = self._ctx.read(lambda s: store.checkins(s, section, student, since, teacher))
        read = [c.student for c in found] or ([student] if student is not None else [])
        where = ", ".join(f"{k} {v}" for k, v in (("section", section), ("as teacher", teacher)) if v is not None)
        audit.read(self._ctx, "check-ins", read, where)
        return found

    def ask_for_help(self, student: str, note: str, *, competency: str | None = None) -> FlagInfo:
        """A student asks for help: a teacher-visible flag (rule ``student-asked-for-help``, the student's words
        as its reason) on ``competency``, or on what they are working on. Asking again while the flag is open
        adds the words to it."""
        return self._ctx.write(lambda s: store.ask_for_help(s, student, note, competency))

    # -- people and chat identities ----------------------------------------------------------------------
    def chat_person(self, platform: str, user_id: str) -> Person | None:
        """The student or teacher a chat user was linked to, or None."""
        return self._ctx.read(lambda s: store.chat_person(s, platform, user_id))

    def person_by_email(self, email: str) -> Person | None:
        """The one active student or teacher with this roster e-mail (A-Z in any case, look-alike letters never
        folded); None when nobody has it or it is shared by two people (it identifies neither)."""
        return self._ctx.read(lambda s: store.person_by_email(s, email))

    def people_by_email(self, email: str) -> list[Person]:
        """Every active student and teacher with this roster e-mail (compared as :meth:`person_by_email` does):
        more than one means the address identifies nobody."""
        return self._ctx.read(lambda s: store.people_by_email(s, email))

    def person(self, code: str) -> Person | None:
        """The student (else teacher) with this code, or None."""
        return self._ctx.read(lambda s: store.person_by_code(s, code))

    def link_chat_user(self, platform: str, user_id: str, *, student: str | None = None,
                       teacher: str | None = None, by: str | None = None) -> Person:
        """Link a chat user to a student or a teacher. A link is never replaced: a chat user already linked to
        someone else is a StoreError until :meth:`unlink_chat_user` removes that link (linking again to the same
        person changes nothing). The link keeps ``by`` and when (:meth:`chat_links`)."""
        return self._ctx.write(lambda s: store.link(s, platform, user_id, student, teacher, by), retry_integrity=True)

    def chat_links(self) -> list[ChatLink]:
        """Every chat user's link with the person it names (the school admin's list; in the access log)."""
        found = self._ctx.read(store.chat_links)
        audit.read(self._ctx, "chat links", [k.person.code for k in found if k.person.role == "student"],
                   audit.counted(len(found), "link"))
        return found

    def unlink_chat_user(self, platform: str, user_id: str, *, by: str) -> Person | None:
        """Remove a chat user's link (the person it named, or None when there was none). The removal is in the
        audit trail (action ``unlink``, what ``chat link``, in the same transaction; the actor is the one set with
        ``acting_as``, else ``by``) and in the ``adaptive.audit`` log, with codes and ids only."""
        actor = audit.changer(self._ctx, by)

        def work(session: Session) -> Person | None:
            person = store.unlink(session, platform, user_id)
            if person is not None:
                trail.record(session, actor=actor, action="unlink", what="chat link",
                             student=person.code if person.role == "student" else None,
                             detail=f"{platform} user {user_id} ({person.role} {person.code})")
            return person

        person = self._ctx.write(work)
        if person is not None:
            log.info("chat link removed: %s user %s (%s %s) by %s at %s", platform, user_id, person.role,
                     person.code, by, datetime.now(UTC).isoformat(timespec="seconds"))  # fmt: skip
        return person

    def set_chat_followup(self, platform: str, user_id: str, kind: str, state: dict[str, Any], *,
                          now: datetime | None = None) -> None:
        """Remember the follow-up question the chat asked this user (``kind``, JSON-able ``state``), asked at
        ``now`` (default: the current time), replacing the one before."""
        self._ctx.write(lambda s: store.set_followup(s, platform, user_id, kind, state, now), retry_integrity=True)

    def take_chat_followup(self, platform: str, user_id: str, *, max_age: timedelta = FOLLOWUP_MAX_AGE,
                           now: datetime | None = None) -> tuple[str, dict[str, Any]] | None:
        """Take (read and delete, in one transaction) the user's follow-up: (kind, state), or None when there
        is none, it was asked more than ``max_age`` before ``now``, or another server took it first."""
        return self._ctx.write(lambda s: store.take_followup(s, platform, user_id, max_age, now))

    def teacher_sections(self, teacher: str) -> list[str]:
        """Codes of the sections the teacher teaches (primary teacher or co-teacher)."""
        return self._ctx.read(lambda s: store.teacher_sections(s, teacher))
