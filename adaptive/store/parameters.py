"""Stored BKT parameters (one row per competency: the parameters and how they were fitted) and the stored
responses a fit reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.domain.tracing import BKTParams, FitProvenance
from adaptive.store import models as m
from adaptive.store.repository import Repository
from adaptive.store.state import from_db_time, to_db_time, utcnow


class FitRow(NamedTuple):
    """One stored response as a fit reads it, named by codes."""

    student: str
    competency: str
    evidence: float
    item: str | None
    answered_at: datetime
    key: str


def competency_id(session: Session, code: str) -> int:
    """The competency's id (raises :class:`UnknownRecord` for an unknown code)."""
    cid = Repository(session).competency_ids({code}).get(code)
    if cid is None:
        raise UnknownRecord(f"unknown competency {code!r}")
    return cid


def load(session: Session, competency: str) -> tuple[BKTParams, FitProvenance | None] | None:
    """The competency's stored parameters and their provenance (None: none stored, the defaults serve)."""
    row = session.get(m.FittedParameters, competency_id(session, competency))
    if row is None:
        return None
    provenance = None
    if row.fitted_at is not None:
        provenance = FitProvenance(
            from_db_time(row.fitted_at).isoformat(timespec="seconds"),  # type: ignore[union-attr]
            row.n_responses or 0,
            dict(row.options or {}),
            row.pybkt_version or "",
        )
    return BKTParams.from_dict(row.params), provenance


def save(session: Session, params: Mapping[str, BKTParams], provenance: FitProvenance | None) -> set[int]:
    """Store parameters by competency code (replacing those stored); returns the competencies' ids."""
    ids = {code: competency_id(session, code) for code in params}
    now = utcnow()
    for code, p in params.items():
        row = session.get(m.FittedParameters, ids[code]) or m.FittedParameters(competency_id=ids[code])
        row.params = p.to_dict()
        row.fitted_at = to_db_time(datetime.fromisoformat(provenance.fitted_at)) if provenance else None
        row.n_responses = provenance.n_responses if provenance else None
        row.options = dict(provenance.options) if provenance else None
        row.pybkt_version = provenance.pybkt_version if provenance else None
        row.updated_at = now
        session.add(row)
    session.flush()
    return set(ids.values())


def fit_rows(session: Session, competencies: Sequence[str] | None) -> list[FitRow]:
    """Every stored response not voided (of the given competencies only, when given; an unknown code raises
    :class:`UnknownRecord`), in no particular order."""
    r = m.Response
    q = (
        select(m.Student.code, m.Competency.code, r.evidence, m.ContentItem.code, r.answered_at, r.idempotency_key)
        .join(m.Student, m.Student.id == r.student_id)
        .join(m.Competency, m.Competency.id == r.competency_id)
        .outerjoin(m.ContentItem, m.ContentItem.id == r.item_id)
        .where(r.voided_at.is_(None))
    )
    if competencies is not None:
        for code in competencies:
            competency_id(session, code)
        q = q.where(m.Competency.code.in_(list(competencies)))
    return [FitRow(*row) for row in session.execute(q).tuples()]
