"""What the class heatmap and the student report card read: a section's students with their stored mastery,
open flags and skips; one student's sections, mastery, skips, open flags, responses and goals. Ids and
stored values (times naive UTC, as stored); the reports service names them with the catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.store import lookups
from adaptive.store import models as m

_e, _st, _f, _k = m.Enrollment, m.MasteryState, m.Flag, m.Skip


class SectionFacts(NamedTuple):
    """A section's name and students (id, code, name), their states (student id -> competency id ->
    (P(mastered), attempts)), and the (student id, competency id) pairs with an open flag or a skip."""

    name: str
    roster: list[tuple[int, str, str | None]]
    states: dict[int, dict[int, tuple[float, int]]]
    flagged: set[tuple[int, int]]
    skipped: set[tuple[int, int]]
    code: str = ""  # the section's own code (the one a teacher named may be its alias or sourcedId)


class FlagRow(NamedTuple):
    id: int
    competency_id: int
    rule_id: str
    reason: str
    evidence: dict[str, Any]
    raised_at: datetime


class GoalRow(NamedTuple):
    id: int
    description: str
    competency_id: int | None
    deadline: datetime | None
    created_at: datetime
    closed_at: datetime | None


class Answered(NamedTuple):
    """One of a student's stored responses."""

    answered_at: datetime
    key: str
    competency_id: int
    item_id: int | None
    correct: bool | None
    score: float | None
    evidence: float
    source: str


class StudentFacts(NamedTuple):
    """A student's id and name, the names of their sections (by section code), their states (competency id
    -> (P(mastered), attempts)), skipped competencies, open flags (oldest first), every response in
    (answered_at, key) order, and goals (oldest first)."""

    student_id: int
    name: str | None
    sections: tuple[str, ...]
    states: dict[int, tuple[float, int]]
    skipped: set[int]
    flags: list[FlagRow]
    responses: list[Answered]
    goals: list[GoalRow]


def course_codes(session: Session) -> dict[int, str]:
    """Every course's code by id, in code order."""
    return dict(session.execute(select(m.Course.id, m.Course.code).order_by(m.Course.code)).tuples().all())


def section_facts(session: Session, section: str) -> SectionFacts:
    """What a class heatmap shows of ``section`` (its code, sourcedId or alias; raises :class:`UnknownRecord`
    for an unknown one)."""
    section_id, code = lookups.section(session, section)
    section_name = session.execute(select(m.Section.name).where(m.Section.id == section_id)).scalar_one()
    roster = session.execute(select(m.Student.id, m.Student.code, m.Student.name)
                             .join(_e, _e.student_id == m.Student.id).where(_e.section_id == section_id)
                             ).tuples().all()
    states: dict[int, dict[int, tuple[float, int]]] = {}
    for sid, cid, p, attempts in session.execute(
            select(_st.student_id, _st.competency_id, _st.p_mastered, _st.attempts)
            .join(_e, _e.student_id == _st.student_id).where(_e.section_id == section_id)):
        states.setdefault(sid, {})[cid] = (p, attempts)
    flagged = set(session.execute(
        select(_f.student_id, _f.competency_id).join(_e, _e.student_id == _f.student_id)
        .where(_e.section_id == section_id, _f.resolved_at.is_(None))).tuples())
    skipped = set(session.execute(select(_k.student_id, _k.competency_id)
                                  .join(_e, _e.student_id == _k.student_id)
                                  .where(_e.section_id == section_id)).tuples())
    return SectionFacts(section_name, list(roster), states, flagged, skipped, code)


def student_facts(session: Session, student: str) -> StudentFacts:
    """What a report card shows of ``student`` (raises :class:`UnknownRecord` for an unknown code)."""
    found = session.execute(select(m.Student.id, m.Student.name).where(m.Student.code == student)).first()
    if found is None:
        raise UnknownRecord(f"unknown student {student!r}")
    sid, name = found
    sections = tuple(session.scalars(select(m.Section.name).join(_e, _e.section_id == m.Section.id)
                                      .where(_e.student_id == sid).order_by(m.Section.code)))
    states = {cid: (p, n) for cid, p, n in session.execute(
        select(_st.competency_id, _st.p_mastered, _st.attempts).where(_st.student_id == sid))}
    skipped = set(session.scalars(select(_k.competency_id).where(_k.student_id == sid)))
    flags = [FlagRow(f.id, f.competency_id, f.rule_id, f.reason, dict(f.evidence), f.raised_at)
             for f in session.scalars(select(_f).where(_f.student_id == sid, _f.resolved_at.is_(None))
                                      .order_by(_f.raised_at, _f.id))]
    r = m.Response
    # Sorted here, as the store replays a history: (answered_at, key) in Python's order, not a collation's.
    responses = sorted(Answered(*row) for row in session.execute(
        select(r.answered_at, r.idempotency_key, r.competency_id, r.item_id, r.correct, r.score, r.evidence,
               r.source).where(r.student_id == sid, r.voided_at.is_(None))).tuples())
    g = m.Goal
    goals = [GoalRow(row.id, row.description, row.competency_id, row.deadline, row.created_at, row.closed_at)
             for row in session.scalars(select(g).where(g.student_id == sid).order_by(g.created_at, g.id))]
    return StudentFacts(sid, name, sections, states, skipped, flags, responses, goals)
