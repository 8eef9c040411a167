"""What teachers change and read about decisions: pinning and removing playlist items, the small-group flags
and resolving them, students' goals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.domain.decisions import FlagInfo
from adaptive.store import lookups
from adaptive.store import models as m
from adaptive.store.lookups import require
from adaptive.store.state import from_db_time, to_db_time, utcnow


def change_item(session: Session, student: str, item: str, change: str | None, by: str | None,
                note: str | None) -> None:
    """Pin or remove an item for a student (``change`` None: undo both). A new change replaces the old one."""
    student_id = require(session, m.Student, student, "student")
    item_id = require(session, m.ContentItem, item, "content item")
    now = utcnow()
    pc = m.PlaylistChange
    session.execute(update(pc).where(pc.student_id == student_id, pc.item_id == item_id, pc.undone_at.is_(None))
                    .values(undone_at=now))
    if change is not None:
        session.add(pc(student_id=student_id, item_id=item_id, change=change, made_by=by, note=note, made_at=now))


def flags(session: Session, section: str | None, open_only: bool, competency: str | None = None,
          rule: str | None = None) -> list[FlagInfo]:
    """The small-group list: flags (open ones only, or all) of one section's students or everyone's (of one
    competency, on which one rule fired, when given), each with the student's mastery of it now."""
    f, ms = m.Flag, m.MasteryState
    q = (select(f, m.Student.code, m.Competency.code, ms.p_mastered, m.Student.name)
         .join(m.Student, m.Student.id == f.student_id)
         .join(m.Competency, m.Competency.id == f.competency_id)
         .outerjoin(ms, (ms.student_id == f.student_id) & (ms.competency_id == f.competency_id))
         .order_by(f.raised_at, f.id))
    if section is not None:
        section_id = lookups.section_id(session, section)
        q = q.join(m.Enrollment, m.Enrollment.student_id == f.student_id).where(m.Enrollment.section_id == section_id)
    if competency is not None:
        q = q.where(f.competency_id == require(session, m.Competency, competency, "competency"))
    if open_only:
        q = q.where(f.resolved_at.is_(None))
    found = [_info(row, student, comp, p, name) for row, student, comp, p, name in session.execute(q)]
    return found if rule is None else [i for i in found if rule in i.rules]


def _info(row: m.Flag, student: str, competency: str, p: float | None, name: str | None) -> FlagInfo:
    reasons = row.reasons or [{"rule_id": row.rule_id, "reason": row.reason}]
    return FlagInfo(row.id, student, competency, row.rule_id, row.reason, dict(row.evidence),
                    from_db_time(row.raised_at), from_db_time(row.resolved_at), row.resolved_by,  # type: ignore[arg-type]
                    row.resolution, name=name, rules=tuple(r["rule_id"] for r in reasons),
                    reasons=tuple(r["reason"] for r in reasons), p_mastered=p,
                    updated_at=from_db_time(row.updated_at))


def resolve_flag(session: Session, flag_id: int, by: str | None, note: str | None) -> FlagInfo:
    row = session.get(m.Flag, flag_id)
    if row is None:
        raise UnknownRecord(f"unknown flag {flag_id}")
    if row.resolved_at is None:
        row.resolved_at, row.resolved_by, row.resolution = utcnow(), by, note
        session.flush()
    found = [f for f in flags(session, None, False) if f.id == flag_id]
    return found[0]


def resolve_flags(session: Session, section: str | None, competency: str | None, rule: str | None,
                  by: str | None, note: str | None) -> list[FlagInfo]:
    """Close every open flag of a section's students, of a competency, on which a rule fired (those given,
    together); returns them as closed."""
    found = flags(session, section, True, competency, rule)
    if found:
        now = utcnow()
        session.execute(update(m.Flag).where(m.Flag.id.in_([f.id for f in found]), m.Flag.resolved_at.is_(None))
                        .values(resolved_at=now, resolved_by=by, resolution=note))
    ids = {f.id for f in found}
    return [f for f in flags(session, section, False, competency, rule) if f.id in ids]


def add_goal(session: Session, student: str, description: str, deadline: datetime | None,
             competency: str | None) -> int:
    student_id = require(session, m.Student, student, "student")
    cid = require(session, m.Competency, competency, "competency") if competency else None
    goal = m.Goal(student_id=student_id, competency_id=cid, description=description,
                  deadline=to_db_time(deadline) if deadline else None, created_at=utcnow())
    session.add(goal)
    session.flush()
    return goal.id
