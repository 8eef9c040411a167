"""Facade methods for goals and the chat: goals and their check-in reflections, students asking for help, and
which student or teacher a chat user is."""

from __future__ import annotations

from adaptive.decisions.records import FlagInfo
from adaptive.reports.records import GoalInfo
from adaptive.store import goals as store
from adaptive.store.goals import HELP_RULE, Person, Reflection
from adaptive.tutor_base import TutorBase

__all__ = ["GoalMethods", "HELP_RULE", "Person", "Reflection"]


class GoalMethods(TutorBase):
    """Goals, reflections, help requests and chat identities of :class:`adaptive.Tutor`."""

    # -- goals -------------------------------------------------------------------------------------------
    def goals(self, student: str, *, open_only: bool = False) -> list[GoalInfo]:
        """The student's goals, oldest first (``open_only``: those not closed)."""
        return self._read(lambda s: store.goals(s, student, open_only))

    def close_goal(self, goal_id: int) -> GoalInfo:
        """Close a goal (met or given up); closing it again changes nothing."""
        return self._write(lambda s: store.close_goal(s, goal_id))

    def add_reflection(self, goal_id: int, prompt: str, answer: str) -> Reflection:
        """Keep a student's answer to a check-in prompt ("what helped?", "what's hard?") with the goal."""
        return self._write(lambda s: store.add_reflection(s, goal_id, prompt, answer))

    def reflections(self, goal_id: int) -> list[Reflection]:
        """The goal's check-in answers, oldest first."""
        return self._read(lambda s: store.reflections(s, goal_id))

    def ask_for_help(self, student: str, note: str, *, competency: str | None = None) -> FlagInfo:
        """A student asks for help: a teacher-visible flag (rule ``student-asked-for-help``, the student's words
        as its reason) on ``competency``, or on what they are working on. Asking again while the flag is open
        adds the words to it."""
        return self._write(lambda s: store.ask_for_help(s, student, note, competency))

    # -- people and chat identities ----------------------------------------------------------------------
    def chat_person(self, platform: str, user_id: str) -> Person | None:
        """The student or teacher a chat user was linked to, or None."""
        return self._read(lambda s: store.chat_person(s, platform, user_id))

    def person_by_email(self, email: str) -> Person | None:
        """The one active student (else teacher) with this roster e-mail, any case; None otherwise."""
        return self._read(lambda s: store.person_by_email(s, email))

    def person(self, code: str) -> Person | None:
        """The student (else teacher) with this code, or None."""
        return self._read(lambda s: store.person_by_code(s, code))

    def link_chat_user(self, platform: str, user_id: str, *, student: str | None = None,
                       teacher: str | None = None, by: str | None = None) -> Person:
        """Link a chat user to a student or a teacher (replacing an earlier link)."""
        return self._write(lambda s: store.link(s, platform, user_id, student, teacher, by), retry_integrity=True)

    def teacher_sections(self, teacher: str) -> list[str]:
        """Codes of the sections the teacher teaches (primary teacher or co-teacher)."""
        return self._read(lambda s: store.teacher_sections(s, teacher))
