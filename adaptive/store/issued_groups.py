"""The small-group list as it was issued for a day (what the teacher was given and may have changed since):
read it back, and move a student from one of its groups to another."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from adaptive.domain.classroom import ClassroomError
from adaptive.store import models as m

_sg, _sgm, _st, _comp, _ms = m.SmallGroup, m.SmallGroupMember, m.Student, m.Competency, m.MasteryState


class IssuedGroup(NamedTuple):
    id: int
    position: int
    competency: str
    method: str
    need: float
    waiting: bool


class IssuedMember(NamedTuple):
    group_id: int
    student: str
    name: str | None
    rule_id: str
    reason: str
    p_mastered: float | None


def groups(session: Session, section_id: int, day: date) -> list[IssuedGroup]:
    """The day's issued groups of the section in the list's order (none: no list issued that day)."""
    q = (select(_sg.id, _sg.position, _comp.code, _sg.method, _sg.need, _sg.waiting)
         .join(_comp, _comp.id == _sg.competency_id)
         .where(_sg.section_id == section_id, _sg.day == day).order_by(_sg.position))
    return [IssuedGroup(*row) for row in session.execute(q)]


def members(session: Session, group_ids: list[int]) -> list[IssuedMember]:
    """The students of the groups, each group's in its order, with their mastery now of its competency."""
    if not group_ids:
        return []
    q = (select(_sgm.group_id, _st.code, _st.name, _sgm.rule_id, _sgm.reason, _ms.p_mastered)
         .join(_st, _st.id == _sgm.student_id).join(_sg, _sg.id == _sgm.group_id)
         .outerjoin(_ms, (_ms.student_id == _sgm.student_id) & (_ms.competency_id == _sg.competency_id))
         .where(_sgm.group_id.in_(group_ids)).order_by(_sgm.group_id, _sgm.position))
    return [IssuedMember(*row) for row in session.execute(q)]


def move(session: Session, section_id: int, day: date, student_id: int, position: int) -> None:
    """Move the student from their group of the day's issued list to the group at ``position`` (last in it);
    ClassroomError when no list was issued that day, the student is in none of its groups, or there is no such
    group."""
    found = {g.position: g for g in groups(session, section_id, day)}
    if not found:
        raise ClassroomError(f"no small-group list was issued for {day.isoformat()}: issue it first")
    target = found.get(position)
    if target is None:
        raise ClassroomError(f"no group {position} on the list of {day.isoformat()} "
                             f"(groups: {', '.join(map(str, sorted(found)))})")
    ids = [g.id for g in found.values()]
    current = session.execute(select(_sgm.group_id).where(_sgm.group_id.in_(ids), _sgm.student_id == student_id)
                              ).scalar_one_or_none()
    if current is None:
        raise ClassroomError(f"the student is in no group of the list of {day.isoformat()}")
    if current == target.id:
        return
    last = session.execute(select(func.coalesce(func.max(_sgm.position), 0)).where(_sgm.group_id == target.id)
                           ).scalar_one()
    session.execute(update(_sgm).where(_sgm.group_id == current, _sgm.student_id == student_id)
                    .values(group_id=target.id, position=last + 1))
