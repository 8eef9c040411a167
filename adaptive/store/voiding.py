"""Voiding a recorded response: it stays stored, marked with when, by whom and why, and every history read
skips it (the queries filter ``voided_at IS NULL``). Its (student, competency) mastery state is then replayed
by :mod:`adaptive.services.states`; an open flag it no longer supports closes here."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adaptive.domain import StoreError, UnknownRecord
from adaptive.domain.records import StoredResponse
from adaptive.store import models as m
from adaptive.store.state import from_db_time


class Voided(NamedTuple):
    """The response just voided, by ids and codes."""

    response_id: int
    student_id: int
    competency_id: int
    student: str
    competency: str


def void(session: Session, key: str, by: str, reason: str, now: datetime) -> Voided:
    """Mark the response stored under ``key`` voided at ``now`` by ``by`` because of ``reason``, in one
    UPDATE (two writers voiding it at once: one wins, the other is told it is voided already).

    Raises :class:`UnknownRecord` for an unknown key and :class:`StoreError` for a response voided already."""
    r = m.Response
    done = session.execute(
        update(r).where(r.idempotency_key == key, r.voided_at.is_(None))
        .values(voided_at=now, voided_by=by, void_reason=reason)
        .returning(r.id, r.student_id, r.competency_id)
    ).first()
    if done is None:
        when = session.execute(select(r.voided_at).where(r.idempotency_key == key)).first()
        if when is None:
            raise UnknownRecord(f"no response is stored under the idempotency key {key!r}")
        raise StoreError(f"the response {key!r} was already voided (at {when[0]:%Y-%m-%d %H:%M} UTC); "
                         "nothing changed")
    response_id, student_id, competency_id = done
    student = session.scalar(select(m.Student.code).where(m.Student.id == student_id)) or ""
    competency = session.scalar(select(m.Competency.code).where(m.Competency.id == competency_id)) or ""
    return Voided(response_id, student_id, competency_id, student, competency)


def responses_of(session: Session, student: str) -> list[StoredResponse]:
    """Every response stored for ``student`` (voided ones too, marked), in (answered_at, key) order."""
    student_id = session.scalar(select(m.Student.id).where(m.Student.code == student))
    if student_id is None:
        raise UnknownRecord(f"unknown student {student!r}")
    r = m.Response
    rows = session.execute(
        select(r.idempotency_key, m.Competency.code, m.ContentItem.code, r.correct, r.score, r.answered_at, r.source,
               r.attempt, r.recorded_at, r.voided_at, r.voided_by, r.void_reason)
        .join(m.Competency, m.Competency.id == r.competency_id).outerjoin(m.ContentItem, m.ContentItem.id == r.item_id)
        .where(r.student_id == student_id)
    ).all()
    return [StoredResponse(key, student, comp, item, correct, score, from_db_time(at), source, attempt,  # type: ignore[arg-type]
                           from_db_time(recorded), from_db_time(voided), by, why)  # type: ignore[arg-type]
            for key, comp, item, correct, score, at, source, attempt, recorded, voided, by, why
            in sorted(rows, key=lambda row: (row[5], row[0]))]


def close_unsupported_flag(session: Session, voided: Voided, mastered: bool, now: datetime) -> tuple[int, ...]:
    """Close the pair's open flag when its evidence is gone: the replayed mastery is now mastered (resolution
    "mastered", as deciding closes it), or the voided response raised it and it gained no evidence since
    (resolution "voided response"). Returns the ids of the flags closed. Decisions stay as they were made."""
    f, d = m.Flag, m.Decision
    found = session.execute(
        select(f.id, f.raised_at, f.updated_at, d.response_id).outerjoin(d, d.id == f.decision_id)
        .where(f.student_id == voided.student_id, f.competency_id == voided.competency_id, f.resolved_at.is_(None))
    ).all()
    closed = []
    for flag_id, raised_at, updated_at, response_id in found:
        if mastered:
            resolution = "mastered"
        elif response_id == voided.response_id and (updated_at is None or updated_at == raised_at):
            resolution = "voided response"
        else:
            continue
        session.execute(update(f).where(f.id == flag_id).values(resolved_at=now, resolved_by="adaptive",
                                                                 resolution=resolution))
        closed.append(flag_id)
    return tuple(closed)
