"""Facade methods for the content library: showing a course, importing item banks, searching content."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.content.bank_import import checked_items, read_bank
from adaptive.content.library import BankImport, CompetencyView, CourseView
from adaptive.content.schema import KINDS, normalize_kind
from adaptive.content.search import ContentHit, clean_text, search_terms
from adaptive.store import catalogue, search_index
from adaptive.store import models as m
from adaptive.store.records import ContentItem, StoreError, UnknownRecord
from adaptive.store.repository import Repository
from adaptive.tutor_base import TutorBase


class ContentMethods(TutorBase):
    """Course and content-library operations of :class:`adaptive.Tutor`."""

    def course(self, code: str) -> CourseView:
        """The course with its competencies in scope-and-sequence order, each with its prerequisites, content
        items and pre-test items (raises :class:`UnknownRecord` for an unknown code)."""
        return self._read(lambda s: _course_view(s, code))

    def import_item_bank(self, path: Path | str) -> BankImport:
        """Upsert the rows of a CSV item bank (format: docs/curriculum.md) in one transaction.

        Tags must name stored competencies; items without a grade level get their first competency's.
        Raises :class:`adaptive.content.CurriculumError` listing every problem as ``FILE:LINE: message``;
        then nothing is written.
        """
        bank = read_bank(path)

        def work(session: Session) -> BankImport:
            grades = dict(session.execute(select(m.Competency.code, m.Competency.grade_level)).tuples().all())
            records = checked_items(bank, grades)
            catalogue.upsert_items(session, records)
            pretest = sum(1 for r in records if r.pretest_scoring)
            return BankImport(str(path), len(records) - pretest, pretest)

        return self._write(work, retry_integrity=True)

    def search_content(
        self,
        query: str | None,
        *,
        competency: str | None = None,
        grade: str | None = None,
        kind: str | None = None,
        limit: int | None = 20,
        include_pretest: bool = False,
    ) -> list[ContentHit]:
        """Full-text search of the content library, best match first (docs/content-library.md).

        Searches item titles, kinds and the codes, names and descriptions of the competencies items are
        tagged to; any text is a valid query, and one without letters or digits lists every item. Filters:
        tagged to ``competency`` (a code), of ``grade`` level, of ``kind``. Pre-test items are left out
        unless ``include_pretest``.
        """
        terms = search_terms(query)
        if kind is not None:
            kind = normalize_kind(clean_text(kind))
            if kind not in KINDS:
                raise StoreError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
        if limit is not None and limit < 1:
            raise StoreError(f"limit must be 1 or more, got {limit}")
        competency = clean_text(competency) if competency is not None else None
        grade = clean_text(grade) if grade is not None else None

        def work(session: Session) -> list[ContentHit]:
            if competency is not None and not Repository(session).ids(m.Competency, {competency}):
                raise UnknownRecord(f"unknown competency {competency!r}")
            return search_index.search(
                session,
                terms,
                competency=competency,
                grade=grade,
                kind=kind,
                include_pretest=include_pretest,
                limit=limit,
            )

        return self._read(work)


def _course_view(session: Session, code: str) -> CourseView:
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
