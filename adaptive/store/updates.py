"""Proactive messages as the facade reads and writes them: where the bot last talked with each chat user
(``chat_conversation``), which students to consider, and the claims (``progress_update``) that send each
update at most once per (student, platform)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from adaptive.domain import StoreError
from adaptive.domain.chat import ChatConversation, Claim, StudentContact
from adaptive.store import models as m
from adaptive.store.lookups import require
from adaptive.store.repository import insert_ignoring_conflicts
from adaptive.store.state import from_db_time, to_db_time, utcnow


def remember(session: Session, platform: str, user_id: str, conversation_id: str, service_url: str | None,
             tenant_id: str | None, email: str | None) -> None:
    if not platform or not user_id or not conversation_id:
        raise StoreError("a chat conversation needs a platform, a user id and a conversation id")
    row = session.get(m.ChatConversation, (platform, user_id))
    if row is None:
        row = m.ChatConversation(platform=platform, user_id=user_id)
        session.add(row)
    row.conversation_id, row.service_url, row.tenant_id = conversation_id, service_url, tenant_id
    row.email = email.strip().lower() if email else row.email  # a message without one keeps the known address
    row.updated_at = utcnow()
    session.flush()


def _conversation(row: m.ChatConversation) -> ChatConversation:
    return ChatConversation(row.platform, row.user_id, row.conversation_id, row.service_url, row.tenant_id,
                            row.email, from_db_time(row.updated_at))  # type: ignore[arg-type]


def conversation_of(session: Session, platform: str, student: str | None, teacher_code: str | None
                    ) -> ChatConversation | None:
    """The latest conversation with the chat users linked to the student or teacher, else with a user whose
    platform e-mail is their roster e-mail."""
    if (student is None) == (teacher_code is None):
        raise StoreError("give exactly one of a student or a teacher")
    model, code = (m.Student, student) if student is not None else (m.Teacher, teacher_code)
    pid = require(session, model, code, "student" if student is not None else "teacher")
    ci, cc = m.ChatIdentity, m.ChatConversation
    owner = ci.student_id if student is not None else ci.teacher_id
    linked = select(ci.user_id).where(ci.platform == platform, owner == pid)
    email = session.scalar(select(model.email).where(model.id == pid))
    mine = [cc.user_id.in_(linked)]
    if email:
        mine.append(cc.email == email.strip().lower())
    rows = session.scalars(select(cc).where(cc.platform == platform, or_(*mine))
                           .order_by(cc.user_id.in_(linked).desc(), cc.updated_at.desc()).limit(1))
    row = rows.first()
    return _conversation(row) if row is not None else None


def student_contacts(session: Session, platform: str, codes: Iterable[str] | None) -> list[StudentContact]:
    """Active students (those of ``codes`` when given), by code."""
    s, ci = m.Student, m.ChatIdentity
    linked = (select(ci.user_id).where(ci.platform == platform, ci.student_id == s.id)
              .order_by(ci.linked_at.desc()).limit(1).scalar_subquery())
    q = select(s.code, s.name, s.email, linked).where(s.active.is_(True)).order_by(s.code)
    if codes is not None:
        q = q.where(s.code.in_(list(codes)))
    return [StudentContact(*row) for row in session.execute(q).all()]


def active_since(session: Session, since: dt.datetime) -> list[str]:
    """Codes of the active students whose mastery changed at or after ``since``."""
    s, ms = m.Student, m.MasteryState
    changed = select(ms.student_id).where(ms.updated_at >= to_db_time(since))
    return list(session.scalars(select(s.code).where(s.active.is_(True), s.id.in_(changed)).order_by(s.code)))


def claim(session: Session, student: str, platform: str, claims: Iterable[Claim], announced: bool) -> list[Claim]:
    """Insert the claims not there yet; the ones this call inserted, in the order given."""
    sid = require(session, m.Student, student, "student")
    wanted = list(dict.fromkeys(claims))
    now = utcnow()
    rows = [{"student_id": sid, "platform": platform, "kind": kind, "key": key, "announced": announced,
             "claimed_at": now} for kind, key in wanted]
    table = m.ProgressUpdate.__table__
    ids = insert_ignoring_conflicts(session, table, ["student_id", "platform", "kind", "key"], rows, "id")  # type: ignore[arg-type]
    if not ids:
        return []
    p = m.ProgressUpdate
    got = set(session.execute(select(p.kind, p.key).where(p.id.in_(ids))).tuples())
    return [c for c in wanted if c in got]


def release(session: Session, student: str, platform: str, claims: Iterable[Claim]) -> int:
    sid = require(session, m.Student, student, "student")
    p = m.ProgressUpdate
    done = 0
    for kind, key in claims:
        done += session.execute(delete(p).where(p.student_id == sid, p.platform == platform, p.kind == kind,
                                                p.key == key)).rowcount  # fmt: skip
    return done


def claimed(session: Session, student: str, platform: str, kind: str | None, since: dt.datetime | None,
            until: dt.datetime | None, announced_only: bool) -> list[Claim]:
    sid = require(session, m.Student, student, "student")
    p = m.ProgressUpdate
    q = select(p.kind, p.key).where(p.student_id == sid, p.platform == platform).order_by(p.claimed_at, p.id)
    if kind is not None:
        q = q.where(p.kind == kind)
    if since is not None:
        q = q.where(p.claimed_at >= to_db_time(since))
    if until is not None:
        q = q.where(p.claimed_at < to_db_time(until))
    if announced_only:
        q = q.where(p.announced.is_(True))
    return list(session.execute(q).tuples())

