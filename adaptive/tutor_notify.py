"""Facade methods for daily notifications: whom to send the day's small-group list to, and claims that make
sending idempotent per (day, platform, teacher)."""

from __future__ import annotations

import datetime as dt

from adaptive.store import notifications as store
from adaptive.store.notifications import TeacherContact
from adaptive.tutor_base import TutorBase

__all__ = ["NotifyMethods", "TeacherContact"]


class NotifyMethods(TutorBase):
    """Daily-notification claims and teacher contacts of :class:`adaptive.Tutor`."""

    def teacher_contacts(self, platform: str) -> list[TeacherContact]:
        """Active teachers who teach an active section, by code, each with their roster e-mail and the
        ``platform`` chat user linked to them (None when not linked)."""
        return self._read(lambda s: store.contacts(s, platform))

    def claim_notification(self, day: dt.date, platform: str, teacher: str) -> bool:
        """Claim the teacher's ``day`` notification on ``platform`` before sending it: True when this call
        claimed it, False when it was already claimed (sent, or being sent by another run). Atomic: of
        concurrent callers exactly one gets True. Unknown teacher: UnknownRecord."""
        return self._write(lambda s: store.claim(s, day, platform, teacher))

    def release_notification(self, day: dt.date, platform: str, teacher: str) -> bool:
        """Give a claim back (the send failed) so a later run retries that teacher; True when there was one."""
        return self._write(lambda s: store.release(s, day, platform, teacher))

    def notifications_sent(self, day: dt.date, platform: str) -> list[str]:
        """Codes of the teachers whose ``day`` notification on ``platform`` is claimed, by code."""
        return self._read(lambda s: store.sent(s, day, platform))
