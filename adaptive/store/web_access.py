"""The web app's sign-in links, granted roles and shared settings (migration 0022)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.domain.access import STUDENT, TEACHER, RoleGrant, StaffMember, WebUser
from adaptive.store import models as m
from adaptive.store.state import to_db_time


def person(session: Session, code: str) -> tuple[str, int] | None:
    """(kind, id) of the active student or teacher with this code (a student first), or None."""
    sid = session.scalar(select(m.Student.id).where(m.Student.code == code, m.Student.active.is_(True)))
    if sid is not None:
        return STUDENT, sid
    tid = session.scalar(select(m.Teacher.id).where(m.Teacher.code == code, m.Teacher.active.is_(True)))
    return None if tid is None else (TEACHER, tid)


def add_sign_in(session: Session, code: str, token_hash: str, now: datetime, expires: datetime) -> str:
    """Store a link's digest for the person; returns their kind (student or teacher); an unknown or inactive
    code: UnknownRecord."""
    found = person(session, code)
    if found is None:
        raise UnknownRecord(f"no active student or teacher with code {code!r}")
    kind, pid = found
    session.execute(delete(m.WebSignIn).where(m.WebSignIn.expires_at < to_db_time(now)))  # keep the table small
    session.execute(insert(m.WebSignIn), [{
        "token_hash": token_hash, "student_id": pid if kind == STUDENT else None,
        "teacher_id": pid if kind == TEACHER else None, "created_at": to_db_time(now),
        "expires_at": to_db_time(expires)}])
    return kind


def _usable(token_hash: str, now: datetime) -> tuple[Any, ...]:
    """What makes a link still sign in: its digest, unused, unexpired (one condition for asking and redeeming,
    so the page a link opens and its button never disagree)."""
    w = m.WebSignIn
    return w.token_hash == token_hash, w.used_at.is_(None), w.expires_at > to_db_time(now)


def redeem(session: Session, token_hash: str, now: datetime) -> WebUser | None:
    """Mark the link used when it is unused and unexpired (one UPDATE: of two servers redeeming it at once,
    only one changes the row); returns its person, else None."""
    w = m.WebSignIn
    changed = session.execute(update(w).where(*_usable(token_hash, now)).values(used_at=to_db_time(now)))
    if not changed.rowcount:  # type: ignore[attr-defined]
        return None
    return _holder(session, w.token_hash == token_hash)


def unused(session: Session, token_hash: str, now: datetime) -> WebUser | None:
    """The person of a link that is unused and unexpired, leaving it unused; else None."""
    return _holder(session, *_usable(token_hash, now))


def _holder(session: Session, *link: Any) -> WebUser | None:
    """The active person of the link matching ``link`` (None: no such link, or its person has left the roster
    since)."""
    w = m.WebSignIn
    row = session.execute(select(w.student_id, w.teacher_id).where(*link)).one_or_none()
    if row is None:
        return None
    if row.student_id is not None:
        code = session.scalar(select(m.Student.code).where(m.Student.id == row.student_id, m.Student.active.is_(True)))
    else:
        code = session.scalar(select(m.Teacher.code).where(m.Teacher.id == row.teacher_id, m.Teacher.active.is_(True)))
    return None if code is None else user(session, code)


def user(session: Session, code: str) -> WebUser | None:
    """The active person with this code and their roles, or None."""
    found = person(session, code)
    if found is None:
        return None
    kind, pid = found
    if kind == STUDENT:
        name = session.scalar(select(m.Student.name).where(m.Student.id == pid))
        return WebUser(code, name or code, STUDENT, frozenset({STUDENT}))
    name = session.scalar(select(m.Teacher.name).where(m.Teacher.id == pid))
    granted = session.scalars(select(m.WebRole.role).where(m.WebRole.teacher_id == pid))
    return WebUser(code, name or code, TEACHER, frozenset({TEACHER, *granted}))


def _teacher_id(session: Session, code: str) -> int:
    tid = session.scalar(select(m.Teacher.id).where(m.Teacher.code == code))
    if tid is None:
        raise UnknownRecord(f"no teacher with code {code!r} (roles are granted to people of the teacher table)")
    return tid


def grant(session: Session, code: str, role: str) -> bool:
    """Grant ``role``; False when it was already held."""
    tid = _teacher_id(session, code)
    if session.scalar(select(m.WebRole.role).where(m.WebRole.teacher_id == tid, m.WebRole.role == role)):
        return False
    session.add(m.WebRole(teacher_id=tid, role=role))
    return True


def revoke(session: Session, code: str, role: str) -> bool:
    """Take ``role`` back; False when it was not held."""
    tid = _teacher_id(session, code)
    result = session.execute(delete(m.WebRole).where(m.WebRole.teacher_id == tid, m.WebRole.role == role))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def grants(session: Session) -> list[RoleGrant]:
    q = (select(m.Teacher.code, m.Teacher.name, m.WebRole.role).join(m.Teacher, m.Teacher.id == m.WebRole.teacher_id)
         .order_by(m.Teacher.code, m.WebRole.role))
    return [RoleGrant(code, name or code, role) for code, name, role in session.execute(q)]


def staff(session: Session) -> list[StaffMember]:
    """Every active teacher-table person with their granted roles, by code."""
    t = m.Teacher
    granted: dict[int, set[str]] = {}
    for tid, role in session.execute(select(m.WebRole.teacher_id, m.WebRole.role)):
        granted.setdefault(tid, set()).add(role)
    rows = session.execute(select(t.id, t.code, t.name, t.email).where(t.active.is_(True)).order_by(t.code))
    return [StaffMember(code, name or code, email, frozenset(granted.get(tid, ()))) for tid, code, name, email in rows]


def setting(session: Session, name: str) -> str | None:
    return session.scalar(select(m.WebSetting.value).where(m.WebSetting.name == name))


def add_setting(session: Session, name: str, value: str) -> None:
    session.add(m.WebSetting(name=name, value=value))
