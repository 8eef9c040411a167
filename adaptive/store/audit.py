"""The audit trail as the services write and read it (plain records out): entries are only ever added, read,
and removed with the student they concern (:func:`forget_student`, for erasure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from adaptive.domain.audit import MAX_ACTOR, MAX_DETAIL, MAX_WHAT, AuditEntry
from adaptive.domain.errors import StoreError
from adaptive.store import models as m
from adaptive.store.state import from_db_time, to_db_time, utcnow

DEFAULT_LIMIT = 1000


def _row(actor: str, action: str, student: str | None, what: str, detail: str, at: datetime) -> dict[str, object]:
    # Cut to the columns' sizes: an entry is always written, even about a code longer than usual.
    return {"at": at, "actor": actor[:MAX_ACTOR], "action": action[:30], "student": student[:255] if student else None,
            "what": what[:MAX_WHAT], "detail": detail[:MAX_DETAIL]}


def record(session: Session, *, actor: str, action: str, student: str | None, what: str, detail: str = "") -> None:
    """Add one entry, timed now, to this transaction."""
    session.execute(insert(m.AuditEntry), [_row(actor, action, student, what, detail, utcnow())])


def record_many(session: Session, *, actor: str, action: str, students: Iterable[str | None], what: str,
                detail: str = "", at: datetime | None = None) -> int:
    """Add one entry per student (the same time, actor, action, what and detail) in one statement; returns how
    many (a class read lists every student it showed). ``at``: when it happened (default: now)."""
    now = utcnow() if at is None else to_db_time(at)
    rows = [_row(actor, action, s, what, detail, now) for s in dict.fromkeys(students)]
    if rows:
        session.execute(insert(m.AuditEntry), rows)
    return len(rows)


def entries(session: Session, *, student: str | None = None, actor: str | None = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: int | None = DEFAULT_LIMIT) -> list[AuditEntry]:
    """Entries newest first: about ``student``, by ``actor`` (exactly as logged, or every actor starting with it
    when it ends with ``*``), at or after ``since`` and before ``until`` (aware times are taken in UTC, naive
    ones as UTC), at most ``limit`` (None: all)."""
    if limit is not None and limit < 1:
        raise StoreError(f"limit must be 1 or more, not {limit}")
    a = m.AuditEntry
    q = select(a).order_by(a.at.desc(), a.id.desc())
    if student is not None:
        q = q.where(a.student == student)
    if actor is not None:
        if actor.endswith("*"):
            q = q.where(a.actor.startswith(actor[:-1], autoescape=True))
        else:
            q = q.where(a.actor == actor)
    if since is not None:
        q = q.where(a.at >= to_db_time(since))
    if until is not None:
        q = q.where(a.at < to_db_time(until))
    if limit is not None:
        q = q.limit(limit)
    return [AuditEntry(r.id, from_db_time(r.at), r.actor, r.action, r.student, r.what, r.detail)  # type: ignore[arg-type]
            for r in session.scalars(q)]


def forget_student(session: Session, student_code: str) -> int:
    """Delete every entry about the student (erasure); returns how many."""
    result = session.execute(delete(m.AuditEntry).where(m.AuditEntry.student == student_code))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def student_of_goal(session: Session, goal_id: int) -> str | None:
    """The code of the student whose goal it is (None for an unknown goal), for the entry of a goal's read."""
    return session.scalar(select(m.Student.code).join(m.Goal, m.Goal.student_id == m.Student.id)
                          .where(m.Goal.id == goal_id))
