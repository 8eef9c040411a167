"""The messages the bot starts: whom to send the day's small-group list and students'
progress updates to, where the bot last talked with each chat user, and the claims that send each of them
at most once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from adaptive.domain import ChatConversation, Claim, StudentContact, TeacherContact
from adaptive.services.context import Context
from adaptive.store import notifications as store
from adaptive.store import updates


class NotificationService:
    """Daily-notification claims and teacher contacts of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def teacher_contacts(self, platform: str) -> list[TeacherContact]:
        """Active teachers who teach an active section, by code, each with their roster e-mail and the
        ``platform`` chat user linked to them (None when not linked)."""
        return self._ctx.read(lambda s: store.contacts(s, platform))

    def claim_notification(self, day: dt.date, platform: str, teacher: str) -> bool:
        """Claim the teacher's ``day`` notification on ``platform`` before sending it: True when this call
        claimed it, False when it was already claimed (sent, or being sent by another run). Atomic: of
        concurrent callers exactly one gets True. Unknown teacher: UnknownRecord."""
        return self._ctx.write(lambda s: store.claim(s, day, platform, teacher))

    def release_notification(self, day: dt.date, platform: str, teacher: str) -> bool:
        """Give a claim back (the send failed) so a later run retries that teacher; True when there was one."""
        return self._ctx.write(lambda s: store.release(s, day, platform, teacher))

    def notifications_sent(self, day: dt.date, platform: str) -> list[str]:
        """Codes of the teachers whose ``day`` notification on ``platform`` is claimed, by code."""
        return self._ctx.read(lambda s: store.sent(s, day, platform))

    # -- where the bot talks with people -------------------------------------------------------------------
    def remember_chat_conversation(self, platform: str, user_id: str, conversation_id: str, *,
                                   service_url: str | None = None, tenant_id: str | None = None,
                                   email: str | None = None) -> None:
        """Keep where the bot last talked with a chat user (replacing the one kept before), so it can start a
        message there later; ``email`` is the address the platform gives for the user, if any."""
        self._ctx.write(lambda s: updates.remember(s, platform, user_id, conversation_id, service_url, tenant_id,
                                               email), retry_integrity=True)  # fmt: skip

    def chat_conversation(self, platform: str, *, student: str | None = None,
                          teacher: str | None = None) -> ChatConversation | None:
        """The latest conversation with the student or teacher on ``platform``: with a chat user linked to
        them, else with one whose platform e-mail is their roster e-mail; None when the bot never talked
        with them there."""
        return self._ctx.read(lambda s: updates.conversation_of(s, platform, student, teacher))

    # -- students' progress updates ------------------------------------------------------------------------
    def student_contacts(self, platform: str, students: Iterable[str] | None = None) -> list[StudentContact]:
        """Active students (of ``students`` when given), by code, each with their roster e-mail and the
        ``platform`` chat user linked to them (None when not linked)."""
        codes = None if students is None else list(students)
        return self._ctx.read(lambda s: updates.student_contacts(s, platform, codes))

    def students_active_since(self, since: dt.datetime) -> list[str]:
        """Codes of the active students whose mastery changed at or after ``since``, by code."""
        return self._ctx.read(lambda s: updates.active_since(s, since))

    def claim_updates(self, student: str, platform: str, claims: Iterable[Claim], *,
                      announced: bool = True) -> list[Claim]:
        """Claim (kind, key) progress updates for the student on ``platform`` before sending them; returns
        those this call claimed (the others were claimed before). ``announced=False`` records an update as
        known without sending it. Atomic per claim: of concurrent callers exactly one gets each."""
        wanted = list(claims)
        return self._ctx.write(lambda s: updates.claim(s, student, platform, wanted, announced))

    def release_updates(self, student: str, platform: str, claims: Iterable[Claim]) -> int:
        """Give claims back (sending failed) so a later run sends them; returns how many there were."""
        given = list(claims)
        return self._ctx.write(lambda s: updates.release(s, student, platform, given))

    def claimed_updates(self, student: str, platform: str, *, kind: str | None = None,
                        since: dt.datetime | None = None, until: dt.datetime | None = None,
                        announced_only: bool = False) -> list[Claim]:
        """The student's claimed (kind, key) updates on ``platform``, oldest first (claimed at or after
        ``since`` and before ``until`` when given)."""
        return self._ctx.read(lambda s: updates.claimed(s, student, platform, kind, since, until, announced_only))
