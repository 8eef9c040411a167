"""Reading the curriculum for people and for import checks: a course shown with its competencies in scope
and sequence order, and the competencies' grade levels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.domain import ContentItem, UnknownRecord
from adaptive.domain.curriculum import CompetencyView, CourseView
from adaptive.store import models as m
from adaptive.store.repository import Repository


def grade_levels(session: Session) -> dict[str, str | None]:
    """Every competency's grade level, by code."""
    return dict(session.execute(select(m.Competency.code, m.Competency.grade_level)).tuples().all())


def course_view(session: Session, code: str) -> CourseView:
    """The course with its competencies in scope-and-sequence order, each with its prerequisites, content
    items and pre-test items (raises :class:`UnknownRecord` for an unknown code)."""
    course = session.scalar(select(m.Course).where(m.Course.code == code))
    if course is None:
        raise UnknownRecord(f"unknown course {code!r}")
    cc = m.CourseCompetency
    rows = (
        session.execute(
            select(m.Competency)
            .join(cc, cc.competency_id == m.Competency.id)
            .where(cc.course_id == course.id)
            .order_by(cc.position)
        )
        .scalars()
        .all()
    )
    ids = {c.id for c in rows}
    prereqs: dict[int, list[str]] = {}
    q = (
        select(m.Prerequisite.competency_id, m.Competency.code)
        .join(m.Competency, m.Competency.id == m.Prerequisite.prerequisite_id)
        .where(m.Prerequisite.competency_id.in_(ids))
    )
    for cid, prereq in session.execute(q):
        prereqs.setdefault(cid, []).append(prereq)
    tagged: dict[int, list[m.ContentItem]] = {}
    q2 = (
        select(m.ItemCompetency.competency_id, m.ContentItem)
        .join(m.ContentItem, m.ContentItem.id == m.ItemCompetency.item_id)
        .where(m.ItemCompetency.competency_id.in_(ids))
        .order_by(m.ContentItem.code)
    )
    for cid, item in session.execute(q2).tuples():
        tagged.setdefault(cid, []).append(item)
    tags = Repository(session).item_tags({i.code for items in tagged.values() for i in items})

    def record(i: m.ContentItem) -> ContentItem:
        return ContentItem(
            i.code, i.title, i.kind, tags[i.code][1], i.url, i.grade_level, i.minutes, i.difficulty, i.pretest_scoring
        )

    views = tuple(
        CompetencyView(
            n,
            c.code,
            c.name,
            c.grade_level,
            c.description,
            tuple(sorted(prereqs.get(c.id, []))),
            tuple(record(i) for i in tagged.get(c.id, []) if i.pretest_scoring is None),
            tuple(record(i) for i in tagged.get(c.id, []) if i.pretest_scoring is not None),
        )
        for n, c in enumerate(rows, start=1)
    )
    return CourseView(course.code, course.name, course.subject, course.grade_level, course.description, views)
