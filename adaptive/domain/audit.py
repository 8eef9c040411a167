"""The access log and audit trail's vocabulary: one entry says who (the actor) read or changed which student's
data, what, and when. An actor names the account a person used, in words a privacy officer can follow:

- ``cli:<os user>``: the command line, as the operating-system user who ran it;
- ``slack:U123 (teacher T-KIM)``, ``teams:29:1ab (student ana)``: a chat account and the person it is linked to;
- ``api:<name>``: an app embedding the library, by the name it gives itself (``Tutor(actor="api:gradebook")``).

An entry's ``detail`` is made by adaptive from codes and counts only: never a student's or teacher's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_ACTOR = 300
MAX_DETAIL = 300
MAX_WHAT = 60


class BadActor(ValueError):
    """An actor that cannot be logged as given (empty, too long, or with control characters)."""


def checked_actor(actor: str) -> str:
    """``actor`` as it is logged (spaces at the ends removed), or :class:`BadActor` saying why not: an actor is
    written in the audit trail and printed in tables, so it is one short printable line."""
    if not isinstance(actor, str):
        raise BadActor(f"an actor is text such as 'api:gradebook', not {type(actor).__name__}")
    text = actor.strip()
    if not text:
        raise BadActor("an actor needs a name, such as 'api:gradebook' or 'cli:alice'")
    if len(text) > MAX_ACTOR:
        raise BadActor(f"an actor is at most {MAX_ACTOR} characters, not {len(text)}")
    if not text.isprintable():
        raise BadActor("an actor is one printable line (no control characters)")
    return text


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit trail: at ``at`` (UTC), ``actor`` did ``action`` (``read``, ``unlink``, ``erase``,
    ``void``...) on ``what`` (``mastery``, ``report card``, ``goals``...) of ``student`` (a code; None when the
    entry concerns no one student), with a short ``detail`` made of codes and counts."""

    id: int
    at: datetime
    actor: str
    action: str
    student: str | None
    what: str
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "student": self.student, "what": self.what, "detail": self.detail}
