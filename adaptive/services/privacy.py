"""A student's data for their family, and its erasure: one student, a section's (end of contract), the whole
district's, or that of students the roster removed and who stayed away (the retention setting).

An erasure is one transaction: everything goes or nothing does. It is logged to ``adaptive.audit`` with counts
only, never a name or a code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from adaptive.domain import StoreError
from adaptive.domain.privacy import ErasureReceipt, InactiveStudent
from adaptive.domain.words import counted
from adaptive.services import audit
from adaptive.services.context import Context
from adaptive.store import audit as audit_store
from adaptive.store import classroom as sections
from adaptive.store import privacy as store
from adaptive.store import student_export
from adaptive.store.lookups import require
from adaptive.store.models import Student
from adaptive.store.state import from_db_time, to_db_time, utcnow

log = logging.getLogger("adaptive.audit")
EXPORT_FORMAT = "adaptive student export 1"


class _DryRun(Exception):  # noqa: N818 - not an error: it rolls back a rehearsed erasure and carries its receipt
    def __init__(self, receipt: ErasureReceipt) -> None:
        self.receipt = receipt


class PrivacyService:
    """Student data export and erasure of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def export_student(self, code: str) -> dict[str, Any]:
        """Everything stored about one student, for the student or their family: JSON-ready, plain field
        names, competency and item codes with their names, ISO 8601 UTC times, each list in time order.
        An unknown code raises :class:`UnknownRecord` naming only that code."""

        def work(session: Session) -> dict[str, Any]:
            data = student_export.export(session, require(session, Student, code, "student"))
            return {"format": EXPORT_FORMAT, "exported_at": utcnow().replace(tzinfo=UTC).isoformat(), **data}

        exported = self._ctx.read(work)
        audit.read(self._ctx, "export", [code])
        return exported

    def erase_student(self, code: str, *, dry_run: bool = False, by: str = "adaptive") -> ErasureReceipt:
        """Erase one student and everything that references them (responses, mastery, decisions, flags, goals,
        check-ins, chat links, conversations and e-mail, small-group places, ...) in one transaction; the
        receipt counts the rows per kind. ``dry_run``: count what would go and change nothing. ``by`` names
        who asked, for the audit log."""
        return self._erase("student", by, dry_run,
                           lambda s: self._erased(s, {require(s, Student, code, "student")}, dry_run))

    def erase_section(self, section: str, *, dry_run: bool = False, by: str = "adaptive") -> ErasureReceipt:
        """End of contract for one section: erase every student enrolled only in it; a student also enrolled
        in another section keeps their data and loses only this enrollment (the receipt's ``kept``). The
        section itself, its teachers and issued lists stay."""

        def work(session: Session) -> ErasureReceipt:
            section_id = next(iter(sections.section_ids(session, [section]).values()))
            only_here, elsewhere = store.section_students(session, section_id)
            left = store.leave_section(session, section_id, elsewhere)
            receipt = self._erased(session, only_here, dry_run, kept=len(elsewhere))
            counts = {k: n + left.get(k, 0) for k, n in receipt.counts}
            return ErasureReceipt(receipt.students, tuple(counts.items()), receipt.kept, receipt.empty_small_groups,
                                  dry_run)

        return self._erase("section", by, dry_run, work)

    def erase_all_students(self, *, dry_run: bool = False, by: str = "adaptive") -> ErasureReceipt:
        """End of contract for the district: erase every student, their chat links and conversations. The
        curriculum, content, rules, teachers and sections stay."""
        return self._erase("district", by, dry_run, lambda s: self._erased(s, None, dry_run))

    def inactive_students(self, days: int, now: datetime | None = None) -> list[InactiveStudent]:
        """The students a roster import removed at least ``days`` days before ``now`` (default: the current
        time) who have not answered in those days either: what :meth:`erase_inactive_students` erases."""
        left_before = _cutoff(days, now)
        rows = self._ctx.read(lambda s: store.inactive(s, left_before, left_before))
        return [InactiveStudent(code, from_db_time(left), from_db_time(last))  # type: ignore[arg-type]
                for _, code, left, last in rows]

    def erase_inactive_students(self, days: int, now: datetime | None = None, *, dry_run: bool = False,
                                by: str = "adaptive") -> ErasureReceipt:
        """The retention setting: erase the students a roster import removed at least ``days`` days ago who
        have not answered in those days (see :meth:`inactive_students`), in one transaction."""
        left_before = _cutoff(days, now)

        def work(session: Session) -> ErasureReceipt:
            ids = {i for i, *_ in store.inactive(session, left_before, left_before)}
            return self._erased(session, ids, dry_run)

        return self._erase(f"retention ({days} days)", by, dry_run, work)

    # -- one transaction ------------------------------------------------------------------------------------
    @staticmethod
    def _erased(session: Session, ids: set[int] | None, dry_run: bool, kept: int = 0) -> ErasureReceipt:
        counts, empty = store.erase(session, ids)
        return ErasureReceipt(counts["student"], tuple(counts.items()), kept, empty, dry_run)

    def _erase(self, what: str, by: str, dry_run: bool, work: Callable[[Session], ErasureReceipt]
               ) -> ErasureReceipt:
        def run(session: Session) -> ErasureReceipt:
            receipt = work(session)
            if dry_run:
                raise _DryRun(receipt)  # rolls the transaction (or the unit of work's savepoint) back
            # The trail keeps that an erasure happened, by whom, and its counts: no code, name or e-mail.
            audit_store.record(session, actor=audit.changer(self._ctx, by), action="erase", student=None,
                               what=what, detail=_counts(receipt))
            return receipt

        try:
            receipt = self._ctx.write(run)
        except _DryRun as rehearsal:
            return rehearsal.receipt
        log.info("%s erasure by %s: %s", what, by, _counts(receipt))
        return receipt


def _counts(receipt: ErasureReceipt) -> str:
    kept = f", {receipt.kept} kept (enrolled elsewhere)" if receipt.kept else ""
    return f"{counted(receipt.students, 'student')}, {counted(receipt.rows, 'row')}{kept}"


def _cutoff(days: int, now: datetime | None) -> datetime:
    """``days`` before ``now`` as stored time (naive UTC)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise StoreError(f"days must be a whole number of days, at least 1, not {days!r}")
    return to_db_time(now or datetime.now(UTC)) - timedelta(days=days)
