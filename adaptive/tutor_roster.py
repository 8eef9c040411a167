"""Facade methods for rosters: importing a OneRoster export from the school information system, counting."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from adaptive.interop import oneroster
from adaptive.interop.roster_report import RosterImportReport, RosterSummary
from adaptive.store import roster
from adaptive.tutor_base import TutorBase


class RosterMethods(TutorBase):
    """Roster import and summary of :class:`adaptive.Tutor`."""

    def import_roster(self, path: str | Path, *, skip_bad_rows: bool = False) -> RosterImportReport:
        """Import a OneRoster 1.1 or 1.2 CSV export (a folder with manifest.csv) in one transaction: schools,
        terms, courses, sections, students, teachers and enrollments upsert by sourcedId, so importing the
        same export again changes nothing.

        Raises :class:`adaptive.interop.oneroster.RosterError` listing every problem as ``FILE:LINE: message``
        and writes nothing when the folder is not a readable export (a missing file or column), or when a
        row cannot be imported (e.g. it refers to a class or user that is in neither the export nor the
        database) unless ``skip_bad_rows``: then the other rows are imported and the report lists the
        rows skipped, with the reason.
        """
        export = oneroster.read_export(path)

        def work(session: Session) -> RosterImportReport:
            planned = oneroster.plan(export, roster.stored_roster(session))
            if planned.skipped and not skip_bad_rows:
                raise oneroster.RosterError(planned.skipped)
            return roster.write(session, planned)

        return self._write(work)

    def roster_summary(self) -> RosterSummary:
        """Active students, teachers and sections, students in sections, and the same per school."""
        return self._read(roster.summary)
