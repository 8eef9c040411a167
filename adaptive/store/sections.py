"""What exists: the sections (with their alias, teachers and number of students) and a section's students, read
in a few set-based queries (no query per section)."""

from __future__ import annotations

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from adaptive.domain import Student, Teacher
from adaptive.domain.roster import SectionInfo, SectionRoster
from adaptive.store import lookups
from adaptive.store import models as m


def sections(session: Session, teacher: str | None = None, student: str | None = None) -> list[SectionInfo]:
    """Active sections by alias then code (only those ``teacher`` teaches, as primary or co-teacher, and those
    ``student`` is enrolled in, when given)."""
    s, st, t = m.Section, m.SectionTeacher, m.Teacher
    q = select(s).where(s.active == true())
    if teacher is not None:
        tid = lookups.require(session, t, teacher, "teacher")
        q = q.where(or_(s.teacher_id == tid, s.id.in_(select(st.section_id).where(st.teacher_id == tid))))
    if student is not None:
        sid = lookups.require(session, m.Student, student, "student")
        q = q.where(s.id.in_(select(m.Enrollment.section_id).where(m.Enrollment.student_id == sid)))
    found = _described(session, list(session.scalars(q)))
    found.sort(key=lambda i: ((i.alias or i.code).casefold(), i.code))
    return found


def _described(session: Session, rows: list[m.Section]) -> list[SectionInfo]:
    s, st, t, e, stu = m.Section, m.SectionTeacher, m.Teacher, m.Enrollment, m.Student
    ids = [row.id for row in rows]
    counts = dict(session.execute(select(e.section_id, func.count()).join(stu, stu.id == e.student_id)
                                  .where(e.section_id.in_(ids), stu.active == true())
                                  .group_by(e.section_id)).tuples().all()) if ids else {}
    teachers: dict[int, list[tuple[bool, Teacher]]] = {}
    listed = select(st.section_id, st.is_primary, t.code, t.name, t.email).join(t, t.id == st.teacher_id)
    for section_id, primary, code, name, email in session.execute(listed.where(st.section_id.in_(ids))) if ids else ():
        teachers.setdefault(section_id, []).append((not primary, Teacher(code, name, email)))
    primaries = dict(session.execute(select(s.id, t.code).join(t, t.id == s.teacher_id).where(s.id.in_(ids)))
                     .tuples().all()) if ids else {}  # fmt: skip
    hand_added = {row.teacher_id for row in rows if row.teacher_id is not None and row.id not in teachers}
    by_id = {r.id: Teacher(r.code, r.name, r.email) for r in session.scalars(select(t).where(t.id.in_(hand_added)))}
    found = []
    for row in rows:
        listed_teachers = sorted(teachers.get(row.id, []), key=lambda p: (p[1].code != primaries.get(row.id), p[0],
                                                                          p[1].code))
        people = tuple(p for _, p in listed_teachers) or ((by_id[row.teacher_id],) if row.teacher_id in by_id else ())
        found.append(SectionInfo(row.code, row.name, row.alias, people, counts.get(row.id, 0), row.sourced_id,
                                 row.period, row.active))
    return found


def section_roster(session: Session, section: str) -> SectionRoster:
    """The section (by code, sourcedId or alias) and its active students, by name (then code)."""
    section_id, _ = lookups.section(session, section)
    (info,) = _described(session, [session.get_one(m.Section, section_id)])
    stu, e = m.Student, m.Enrollment
    people = [Student(p.code, p.name, p.email) for p in session.scalars(
        select(stu).join(e, e.student_id == stu.id).where(e.section_id == section_id, stu.active == true()))]
    people.sort(key=lambda p: ((p.name or p.code).casefold(), p.code))
    return SectionRoster(info, tuple(people))
