"""Daily notifications as the facade reads and writes them: which teachers to send to, with their chat links,
and the (day, platform, teacher) claims that make sending idempotent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from adaptive.domain.chat import TeacherContact
from adaptive.store import models as m
from adaptive.store.lookups import require
from adaptive.store.repository import insert_ignoring_conflicts
from adaptive.store.state import utcnow


def contacts(session: Session, platform: str) -> list[TeacherContact]:
    """Active teachers who teach an active section (primary or co-teacher), by code."""
    t, s, st, ci = m.Teacher, m.Section, m.SectionTeacher, m.ChatIdentity
    teaching = select(s.id).where(s.active.is_(True), or_(s.teacher_id == t.id, s.id.in_(
        select(st.section_id).where(st.teacher_id == t.id)))).exists()
    linked = (select(ci.user_id).where(ci.platform == platform, ci.teacher_id == t.id)
              .order_by(ci.linked_at.desc()).limit(1).scalar_subquery())
    rows = session.execute(select(t.code, t.name, t.email, linked).where(t.active.is_(True), teaching)
                           .order_by(t.code)).all()
    return [TeacherContact(*row) for row in rows]


def claim(session: Session, day: dt.date, platform: str, teacher_code: str) -> bool:
    tid = require(session, m.Teacher, teacher_code, "teacher")
    row = {"day": day, "platform": platform, "teacher_id": tid, "sent_at": utcnow()}
    table = m.NotificationSent.__table__
    return bool(insert_ignoring_conflicts(session, table, ["day", "platform", "teacher_id"], [row], "id"))  # type: ignore[arg-type]


def release(session: Session, day: dt.date, platform: str, teacher_code: str) -> bool:
    tid = require(session, m.Teacher, teacher_code, "teacher")
    n = m.NotificationSent
    done = session.execute(delete(n).where(n.day == day, n.platform == platform, n.teacher_id == tid))
    return bool(done.rowcount)


def sent(session: Session, day: dt.date, platform: str) -> list[str]:
    n, t = m.NotificationSent, m.Teacher
    q = select(t.code).join(n, n.teacher_id == t.id).where(n.day == day, n.platform == platform).order_by(t.code)
    return list(session.scalars(q))
