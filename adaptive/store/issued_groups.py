"""The small-group list as it was issued for a day (what the teacher was given and may have changed since):
store it, read it back, and move a student from one of its groups to another."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Date, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from adaptive.domain.catalogue import Catalogue
from adaptive.domain.classroom import ClassroomError, GroupMember, SmallGroupList
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.json_in import in_json
from adaptive.store.state import utcnow

_sg, _sgm, _st, _comp, _ms = m.SmallGroup, m.SmallGroupMember, m.Student, m.Competency, m.MasteryState
_tsg, _tsgm, _tst = m.SmallGroup.__table__, m.SmallGroupMember.__table__, m.Student.__table__
_GROUP_COLUMNS = ("section_id", "day", "position", "competency_id", "method", "need", "issued_at", "waiting")
_MEMBER_COLUMNS = ("group_id", "student_id", "position", "rule_id", "reason", "flag_id", "flagged_on", "evidence",
                   "also", "seated")
_INSERT_MEMBERS = insert(_tsgm)  # one statement object: the driver compiles and keeps a plan per statement


def issue(session: Session, ids: Mapping[str, int], lists: Sequence[SmallGroupList], cat: Catalogue,
          student_ids: Mapping[str, int] | None = None, copy: bool | None = None) -> None:
    """Store the lists as their sections' lists for their days, replacing what was issued for those days, in
    the caller's transaction. ``student_ids``: the listed students' ids by code (read by code when not given).
    On PostgreSQL the rows go in with COPY (a district's lists are ~100,000 rows: one round trip, no
    per-row statement), with the groups' ids drawn from their sequence first; elsewhere (or ``copy=False``)
    with INSERT statements, executemany."""
    by_day: dict[date, list[int]] = {}
    for lst in lists:
        by_day.setdefault(lst.date, []).append(ids[lst.section])
    conn = session.connection()
    for day, sections in by_day.items():
        old = select(_tsg.c.id).where(in_json(_tsg.c.section_id, name="sections"), _tsg.c.day == day)
        session.execute(delete(_tsgm).where(_tsgm.c.group_id.in_(old)), {"sections": sections})
        session.execute(delete(_tsg).where(in_json(_tsg.c.section_id, name="sections"), _tsg.c.day == day),
                        {"sections": sections})
    now, comp = utcnow(), cat.competency_ids
    groups = [(ids[lst.section], lst.date, g.number, comp[g.competency], g.method, g.need, now, waiting, g)
              for lst in lists for waiting, found in ((False, lst.groups), (True, lst.later)) for g in found]
    if not groups:
        return
    if student_ids is None:
        codes = sorted({mb.student for *_, g in groups for mb in g.members})
        student_ids = dict(driver.fetch(conn, _STUDENT_IDS, {"codes": codes}))
    if copy if copy is not None else conn.dialect.name == "postgresql":
        _copy(conn, groups, student_ids)
        return
    session.execute(insert(_tsg), [dict(zip(_GROUP_COLUMNS, row[:-1], strict=True)) for row in groups])
    group_ids: dict[tuple[int, date, int], int] = {}
    for day, sections in by_day.items():
        for sid, position, gid in driver.fetch(conn, _GROUP_IDS, {"sections": sections, "day": day}):
            group_ids[(sid, day, position)] = gid
    members = [dict(zip(_MEMBER_COLUMNS, _member_row(group_ids[(sid, day, position)], n, mb, student_ids),
                        strict=True))
               for sid, day, position, *_, g in groups for n, mb in enumerate(g.members, 1)]
    driver.executemany(conn, _INSERT_MEMBERS, members)


def _copy(conn: Any, groups: list[tuple[Any, ...]], student_ids: Mapping[str, int]) -> None:
    """PostgreSQL: the groups' ids from the table's sequence in one query, then both tables with COPY."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence('small_group', 'id')) FROM generate_series(1, %s)",
                    (len(groups),))
        gids = [row[0] for row in cur.fetchall()]
        with cur.copy(f"COPY small_group (id, {', '.join(_GROUP_COLUMNS)}) FROM STDIN") as copy:
            for gid, row in zip(gids, groups, strict=True):
                copy.write_row((gid, *row[:-1]))
        with cur.copy(f"COPY small_group_member ({', '.join(_MEMBER_COLUMNS)}) FROM STDIN") as copy:
            for gid, row in zip(gids, groups, strict=True):
                for n, mb in enumerate(row[-1].members, 1):
                    copy.write_row(_member_row(gid, n, mb, student_ids))


def _member_row(group_id: int, position: int, mb: GroupMember, student_ids: Mapping[str, int]) -> tuple[Any, ...]:
    """A member's row, in :data:`_MEMBER_COLUMNS` order (the INSERT and the COPY write the same values)."""
    return (group_id, student_ids[mb.student], position, mb.rule_id, mb.reason, mb.flag_id, mb.flagged_on,
            mb.evidence_json, json.dumps(list(mb.also)) if mb.also else None, mb.seated)


_GROUP_IDS = select(_tsg.c.section_id, _tsg.c.position, _tsg.c.id).where(
    in_json(_tsg.c.section_id, name="sections"), _tsg.c.day == bindparam("day", type_=Date()))
_STUDENT_IDS = select(_tst.c.code, _tst.c.id).where(in_json(_tst.c.code, name="codes"))


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
    flag_id: int | None
    flagged_on: date | None
    evidence: str | None
    seated: bool
    also: tuple[str, ...]


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
    q = (select(_sgm.group_id, _st.code, _st.name, _sgm.rule_id, _sgm.reason, _ms.p_mastered, _sgm.flag_id,
                _sgm.flagged_on, _sgm.evidence, _sgm.seated, _sgm.also)
         .join(_st, _st.id == _sgm.student_id).join(_sg, _sg.id == _sgm.group_id)
         .outerjoin(_ms, (_ms.student_id == _sgm.student_id) & (_ms.competency_id == _sg.competency_id))
         .where(_sgm.group_id.in_(group_ids)).order_by(_sgm.group_id, _sgm.position))
    return [IssuedMember(*row[:-2], bool(row[-2]), tuple(json.loads(row[-1])) if row[-1] else ())
            for row in session.execute(q)]


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
