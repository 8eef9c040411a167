"""The curriculum: competencies, content items and courses (scope and sequence), curriculum files and item
banks imported, a course shown, the content library searched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from adaptive.domain import Competency, ContentItem, CourseOutline, StoreError, UnknownRecord
from adaptive.domain.curriculum import BankImport, ContentHit, CourseView, Curriculum
from adaptive.services.context import Context
from adaptive.store import catalogue, search_index
from adaptive.store import curriculum as stored_curriculum
from adaptive.store.repository import Repository


class CurriculumService:
    """Competencies, content, courses and the content library of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def add_competencies(self, competencies: Iterable[Competency]) -> None:
        """Create or replace competencies (prerequisites may name competencies of the same call)."""
        items = list(competencies)
        self._ctx.write(lambda s: catalogue.upsert_competencies(s, items), retry_integrity=True)

    def add_competency(
        self,
        code: str,
        name: str,
        *,
        subject: str | None = None,
        grade_level: str | None = None,
        description: str | None = None,
        prerequisites: Sequence[str] = (),
    ) -> Competency:
        """Create or replace one competency; returns it."""
        record = Competency(code, name, subject, grade_level, description, tuple(prerequisites))
        self.add_competencies([record])
        return record

    def competencies(self) -> list[Competency]:
        """Every competency, by code."""
        return self._ctx.read(catalogue.competencies)

    def add_content_items(self, items: Iterable[ContentItem]) -> None:
        """Create or replace content items (their competency tags must name stored competencies)."""
        records = list(items)
        self._ctx.write(lambda s: catalogue.upsert_items(s, records), retry_integrity=True)

    def add_content_item(
        self,
        code: str,
        title: str,
        *,
        kind: str = "practice",
        competencies: Sequence[str] = (),
        url: str | None = None,
        grade_level: str | None = None,
        minutes: float | None = None,
        difficulty: float | None = None,
    ) -> ContentItem:
        """Create or replace one content item; returns it."""
        record = ContentItem(code, title, kind, tuple(competencies), url, grade_level, minutes, difficulty)
        self.add_content_items([record])
        return record

    def content_items(self) -> list[ContentItem]:
        """Every content item, by code."""
        return self._ctx.read(catalogue.content_items)

    def import_curriculum(self, curriculum: Curriculum) -> CourseOutline:
        """Upsert a loaded curriculum file (``adaptive.content.load_curriculum``) in one transaction: its
        competencies, content and pre-test items, and the course's scope and sequence."""
        records = curriculum.to_records()
        outline = curriculum.outline()

        def work(session: Session) -> None:
            catalogue.upsert_competencies(session, records.competencies)
            catalogue.upsert_items(session, records.items)
            catalogue.upsert_course(session, outline)

        self._ctx.write(work, retry_integrity=True)
        return outline

    def add_course(
        self,
        code: str,
        name: str,
        competencies: Sequence[str],
        *,
        subject: str | None = None,
        grade_level: str | None = None,
        description: str | None = None,
    ) -> CourseOutline:
        """Create or replace a course: its competencies (already added) in scope-and-sequence order. Next items
        and playlists follow a course's order, so a competency in no course is never offered."""
        if isinstance(competencies, str):
            raise StoreError(f"course {code!r}: competencies is a list of codes in order, not the text "
                             f"{competencies!r}")
        outline = CourseOutline(code, name, tuple(competencies), subject, grade_level, description)
        self._ctx.write(lambda s: catalogue.upsert_course(s, outline), retry_integrity=True)
        return outline

    def courses(self) -> list[CourseOutline]:
        """Every course with its competencies in scope-and-sequence order."""
        return self._ctx.read(catalogue.courses)

    def scope_and_sequence(self) -> list[str]:
        """Every competency code in the order it is taught: the courses' competencies in their scope and
        sequence (each once), then those in no course, by code. Lists of one student's levels follow it, as
        the report card does."""

        def work(session: Session) -> list[str]:
            cat = self._ctx.catalogue(session)
            taught = dict.fromkeys(cat.codes[c] for course in cat.courses.values() for c in course)
            return [*taught, *sorted(c for c in cat.codes.values() if c not in taught)]

        return self._ctx.read(work)

    def course(self, code: str) -> CourseView:
        """The course with its competencies in scope-and-sequence order, each with its prerequisites, content
        items and pre-test items (raises :class:`UnknownRecord` for an unknown code)."""
        return self._ctx.read(lambda s: stored_curriculum.course_view(s, code))

    def import_item_bank(self, path: Path | str) -> BankImport:
        """Upsert the rows of a CSV item bank (format: docs/curriculum.md) in one transaction.

        Tags must name stored competencies; items without a grade level get their first competency's.
        Raises :class:`adaptive.content.CurriculumError` listing every problem as ``FILE:LINE: message``;
        then nothing is written.
        """
        from adaptive.content.bank_import import checked_items, read_bank  # the readers load when used

        bank = read_bank(path)

        def work(session: Session) -> BankImport:
            records = checked_items(bank, stored_curriculum.grade_levels(session))
            catalogue.upsert_items(session, records)
            pretest = sum(1 for r in records if r.pretest_scoring)
            return BankImport(str(path), len(records) - pretest, pretest)

        return self._ctx.write(work, retry_integrity=True)

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
        from adaptive.content.schema import KINDS, normalize_kind
        from adaptive.content.search import clean_text, search_terms

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
            if competency is not None and not Repository(session).competency_ids({competency}):
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

        return self._ctx.read(work)

