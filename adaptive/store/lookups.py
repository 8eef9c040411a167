"""Codes to ids, refusing unknown ones with the error every caller shows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.domain.errors import AmbiguousRecord
from adaptive.store import models as m
from adaptive.store.repository import Repository


def require(session: Session, model: type, code: str, what: str) -> int:
    """The id of the ``model`` row with this code; UnknownRecord ("unknown {what} ...") when there is none."""
    found = Repository(session).ids(model, {code}).get(code)
    if found is None:
        raise UnknownRecord(f"unknown {what} {code!r}")
    return found


def student_id(session: Session, code: str) -> int:
    """The id of the student with this code (UnknownRecord: none)."""
    return require(session, m.Student, code, "student")


def find_section(session: Session, ref: str) -> tuple[int, str] | None:
    """(id, code) of the section a teacher named, or None: by its code, the roster's sourcedId, or its alias
    (course code + period, e.g. ``MATH6-P3``, in any case). The one place a section reference is read.

    Real section codes are long sourcedIds; the alias is what a teacher types. An alias that several sections
    share is refused (:class:`AmbiguousRecord`, listing them), unless only one of them is still active."""
    s = m.Section
    for column in (s.code, s.sourced_id):
        found = session.execute(select(s.id, s.code).where(column == ref)).first()
        if found is not None:
            return found[0], found[1]
    wanted = ref.strip().casefold()
    if not wanted:
        return None
    matches = session.execute(select(s.id, s.code, s.name, s.active).where(func.lower(s.alias) == wanted.lower())
                              .order_by(s.code)).all()
    if len(matches) > 1:
        matches = [row for row in matches if row.active] or matches
    if len(matches) > 1:
        listed = "; ".join(f"{row.code} ({row.name})" for row in matches)
        raise AmbiguousRecord(f"section {ref!r} could be any of {len(matches)} sections: {listed}; "
                              "give the section's code instead")
    return (matches[0][0], matches[0][1]) if matches else None


def section(session: Session, ref: str) -> tuple[int, str]:
    """(id, code) of the section named by code, sourcedId or alias (see :func:`find_section`); UnknownRecord
    when none has it."""
    found = find_section(session, ref)
    if found is None:
        raise UnknownRecord(f"unknown section {ref!r}")
    return found


def section_id(session: Session, ref: str) -> int:
    """The id of the section named by code, sourcedId or alias (UnknownRecord: none; AmbiguousRecord: several)."""
    return section(session, ref)[0]
