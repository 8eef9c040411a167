"""Codes to ids, refusing unknown ones with the error every caller shows."""

from __future__ import annotations

from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
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
