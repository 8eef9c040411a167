"""The roster: students, teachers, sections and enrollments, added by hand or imported from the school
information system's OneRoster export, and counted."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from adaptive.domain import Section, Student, Teacher
from adaptive.domain.roster import RosterImportReport, RosterSummary, SectionInfo, SectionRoster
from adaptive.services.context import Context
from adaptive.store import catalogue, roster
from adaptive.store import sections as section_store


class RosterService:
    """People, sections, roster imports and summaries of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def add_students(self, students: Iterable[Student]) -> None:
        """Create or update students by code."""
        records = list(students)
        self._ctx.write(lambda s: catalogue.upsert_people(s, records), retry_integrity=True)

    def add_student(self, code: str, name: str | None = None, email: str | None = None) -> Student:
        """Create or update one student; returns it."""
        record = Student(code, name, email)
        self.add_students([record])
        return record

    def students(self, section: str | None = None) -> list[Student]:
        """All active students (a roster import marks those who left inactive), or a section's roster."""
        return self._ctx.read(lambda s: catalogue.students(s, section))

    def add_teacher(self, code: str, name: str | None = None, email: str | None = None) -> Teacher:
        """Create or update a teacher; returns it."""
        record = Teacher(code, name, email)
        self._ctx.write(lambda s: catalogue.upsert_people(s, [record]), retry_integrity=True)
        return record

    def add_section(
        self,
        code: str,
        name: str,
        *,
        teacher: str | None = None,
        subject: str | None = None,
        grade_level: str | None = None,
    ) -> Section:
        """Create or update a section (class) and its teacher; returns it."""
        record = Section(code, name, teacher, subject, grade_level)
        self._ctx.write(lambda s: catalogue.upsert_section(s, record), retry_integrity=True)
        return record

    def enroll(self, section: str, students: Iterable[str]) -> None:
        """Enroll students in a section (enrolling twice is harmless)."""
        codes = list(students)
        self._ctx.write(lambda s: catalogue.enroll(s, section, codes), retry_integrity=True)

    def import_roster(self, path: str | Path, *, skip_bad_rows: bool = False) -> RosterImportReport:
        """Import a OneRoster 1.1 or 1.2 CSV export (a folder with manifest.csv) in one transaction: schools,
        terms, courses, sections, students, teachers and enrollments upsert by sourcedId, so importing the
        same export again changes nothing.

        Raises :class:`adaptive.interop.oneroster.RosterError` listing every problem as ``FILE:LINE: message``
        and writes nothing when the folder is not a readable export (a missing file or column), or when a
        row cannot be imported (e.g. it refers to a class or user that is in neither the export nor the
        database) unless ``skip_bad_rows``: then the other rows are imported and the report lists the
        rows skipped, with the reason. A reference the tutor does not need (an org's parent district, a
        term's school year, a course's org, a user's orgs) that is in neither is a warning in the report:
        the row is imported without it.
        """
        from adaptive.interop import oneroster  # the reader loads when a roster is imported

        export = oneroster.read_export(path)

        def work(session: Session) -> RosterImportReport:
            planned = oneroster.plan(export, roster.stored_roster(session))
            if planned.skipped and not skip_bad_rows:
                raise oneroster.RosterError(planned.skipped, warnings=planned.warnings)
            return roster.write(session, planned)

        return self._ctx.write(work)

    def roster_summary(self) -> RosterSummary:
        """Active students, teachers and sections, students in sections, and the same per school."""
        return self._ctx.read(roster.summary)

    def sections(self, teacher: str | None = None, *, student: str | None = None) -> list[SectionInfo]:
        """The active sections (only those ``teacher`` teaches and those ``student`` is enrolled in, when
        given), each with the alias a teacher may type for it (course code + period, e.g. ``MATH6-P3``), its
        teachers and how many students it has."""
        return self._ctx.read(lambda s: section_store.sections(s, teacher, student))

    def section_roster(self, section: str) -> SectionRoster:
        """A section (by code, roster sourcedId or alias) and its students with their names and e-mails.
        An alias several sections share raises AmbiguousRecord naming them."""
        return self._ctx.read(lambda s: section_store.section_roster(s, section))
