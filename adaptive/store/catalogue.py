"""Upserting and reading the curriculum and the people: competencies, items, students, sections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from adaptive import domain as r
from adaptive.store import lookups
from adaptive.store import models as m
from adaptive.store.repository import Repository, chunks


def _upsert(session: Session, model: Any, code: str, **fields: Any) -> Any:
    row = session.scalar(select(model).where(model.code == code))
    if row is None:
        row = model(code=code, **fields)
        session.add(row)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
    return row


def _require(session: Session, model: Any, codes: set[str], what: str) -> dict[str, int]:
    found = Repository(session).ids(model, codes)
    missing = sorted(codes - found.keys())
    if missing:
        raise r.UnknownRecord(f"unknown {what}: {', '.join(missing)}")
    return found


def upsert_competencies(session: Session, items: Sequence[r.Competency]) -> None:
    """Create or replace competencies; each one's prerequisites and parent are replaced by the given ones."""
    parents = {c.code: c.parent for c in items if c.parent}
    for c in items:
        if c.code in c.prerequisites:
            raise r.StoreError(f"competency {c.code!r} cannot be its own prerequisite")
        seen, above = {c.code}, parents.get(c.code)
        while above is not None:
            if above in seen:
                raise r.StoreError(f"competency {c.code!r} would sit under itself (parent {c.parent!r})")
            seen.add(above)
            above = parents.get(above)
        _upsert(session, m.Competency, c.code, name=c.name, subject=c.subject,
                grade_level=c.grade_level, description=c.description)  # fmt: skip
    session.flush()
    ids = _require(session, m.Competency, {p for c in items for p in c.prerequisites} | {c.code for c in items},
                   "prerequisite competency")  # fmt: skip
    for c in items:
        session.execute(delete(m.Prerequisite).where(m.Prerequisite.competency_id == ids[c.code]))
        session.add_all(m.Prerequisite(competency_id=ids[c.code], prerequisite_id=ids[p]) for p in set(c.prerequisites))
    parent_ids = _require(session, m.Competency, set(parents.values()), "parent competency")
    child_ids = [ids[c.code] for c in items]
    for part in chunks(child_ids):
        session.execute(delete(m.CompetencyParent).where(m.CompetencyParent.competency_id.in_(part)))
    session.add_all(m.CompetencyParent(competency_id=ids[code], parent_id=parent_ids[p]) for code, p in parents.items())


def upsert_items(session: Session, items: Sequence[r.ContentItem]) -> None:
    """Create or replace content items and their competency tags."""
    for item in items:
        if item.kind not in m.ITEM_KINDS:
            kinds = ", ".join(m.ITEM_KINDS)
            raise r.StoreError(f"item {item.code!r}: kind must be one of {kinds}, got {item.kind!r}")
        if item.pretest_scoring not in (None, *m.PRETEST_SCORINGS):
            raise r.StoreError(f"item {item.code!r}: pretest_scoring must be correct or scale")
        _upsert(session, m.ContentItem, item.code, kind=item.kind, title=item.title, url=item.url,
                grade_level=item.grade_level, minutes=item.minutes, difficulty=item.difficulty,
                pretest_scoring=item.pretest_scoring)  # fmt: skip
    session.flush()
    comps = _require(session, m.Competency, {c for i in items for c in i.competencies}, "competency")
    ids = Repository(session).ids(m.ContentItem, {i.code for i in items})
    for item in items:
        session.execute(delete(m.ItemCompetency).where(m.ItemCompetency.item_id == ids[item.code]))
        tags = sorted(set(item.competencies))
        session.add_all(m.ItemCompetency(item_id=ids[item.code], competency_id=comps[c]) for c in tags)


def upsert_course(session: Session, course: r.CourseOutline) -> None:
    """Create or replace a course; its scope and sequence becomes exactly ``course.competencies``, in order."""
    if len(set(course.competencies)) != len(course.competencies):
        raise r.StoreError(f"course {course.code!r}: a competency is listed twice in its scope and sequence")
    row = _upsert(session, m.Course, course.code, name=course.name, subject=course.subject,
                  grade_level=course.grade_level, description=course.description)  # fmt: skip
    session.flush()
    ids = _require(session, m.Competency, set(course.competencies), "competency")
    session.execute(delete(m.CourseCompetency).where(m.CourseCompetency.course_id == row.id))
    session.add_all(
        m.CourseCompetency(course_id=row.id, competency_id=ids[code], position=n)
        for n, code in enumerate(course.competencies)
    )


def courses(session: Session) -> list[r.CourseOutline]:
    order = (
        select(m.CourseCompetency.course_id, m.Competency.code)
        .join(m.Competency, m.Competency.id == m.CourseCompetency.competency_id)
        .order_by(m.CourseCompetency.course_id, m.CourseCompetency.position)
    )
    sequence: dict[int, list[str]] = {}
    for course_id, code in session.execute(order):
        sequence.setdefault(course_id, []).append(code)
    return [
        r.CourseOutline(c.code, c.name, tuple(sequence.get(c.id, [])), c.subject, c.grade_level, c.description)
        for c in session.scalars(select(m.Course).order_by(m.Course.code))
    ]


def upsert_people(session: Session, people: Sequence[r.Student | r.Teacher]) -> None:
    for p in people:
        if isinstance(p, r.Student):
            # An address the roster gave is kept when an app adds the student again without one.
            _upsert(session, m.Student, p.code, name=p.name, **({"email": p.email} if p.email else {}))
        else:
            _upsert(session, m.Teacher, p.code, name=p.name, email=p.email)


def upsert_section(session: Session, s: r.Section) -> None:
    teacher_id = _require(session, m.Teacher, {s.teacher}, "teacher")[s.teacher] if s.teacher else None
    _upsert(session, m.Section, s.code, name=s.name, teacher_id=teacher_id, subject=s.subject,
            grade_level=s.grade_level)  # fmt: skip


def enroll(session: Session, section: str, students: Sequence[str]) -> None:
    section_id = lookups.section_id(session, section)
    ids = _require(session, m.Student, set(students), "student")
    enrolled = set(session.scalars(select(m.Enrollment.student_id).where(m.Enrollment.section_id == section_id)))
    session.add_all(m.Enrollment(section_id=section_id, student_id=i) for i in set(ids.values()) - enrolled)


def competencies(session: Session) -> list[r.Competency]:
    prereqs: dict[int, list[str]] = {}
    q = select(m.Prerequisite.competency_id, m.Competency.code).join(
        m.Competency, m.Competency.id == m.Prerequisite.prerequisite_id
    )
    for cid, code in session.execute(q):
        prereqs.setdefault(cid, []).append(code)
    up = select(m.CompetencyParent.competency_id, m.Competency.code).join(
        m.Competency, m.Competency.id == m.CompetencyParent.parent_id
    )
    parents = dict(session.execute(up).tuples().all())
    return [
        r.Competency(c.code, c.name, c.subject, c.grade_level, c.description, tuple(sorted(prereqs.get(c.id, []))),
                     parents.get(c.id))  # fmt: skip
        for c in session.scalars(select(m.Competency).order_by(m.Competency.code))
    ]


def content_items(session: Session) -> list[r.ContentItem]:
    tags = Repository(session).item_tags(set(session.scalars(select(m.ContentItem.code))))
    return [
        r.ContentItem(i.code, i.title, i.kind, tags[i.code][1], i.url, i.grade_level, i.minutes, i.difficulty,
                      i.pretest_scoring)  # fmt: skip
        for i in session.scalars(select(m.ContentItem).order_by(m.ContentItem.code))
    ]


def students(session: Session, section: str | None = None) -> list[r.Student]:
    q = select(m.Student).where(m.Student.active).order_by(m.Student.code)
    if section is not None:
        section_id = lookups.section_id(session, section)
        q = q.join(m.Enrollment, m.Enrollment.student_id == m.Student.id).where(m.Enrollment.section_id == section_id)
    return [r.Student(s.code, s.name, s.email) for s in session.scalars(q)]
