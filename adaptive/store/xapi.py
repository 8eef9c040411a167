"""What an xAPI import reads and writes: content items by activity id, students by actor (stored links, the
roster's e-mail addresses, codes), voided statements, and actor links."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.store import models as m
from adaptive.store.repository import Repository, chunks, insert_ignoring_conflicts
from adaptive.store.state import utcnow


class ActivityItem(NamedTuple):
    """The content item an activity id names, with the codes of its competencies."""

    code: str
    kind: str
    pretest_scoring: str | None
    tags: tuple[str, ...]


def items(session: Session, object_ids: Collection[str]) -> dict[str, ActivityItem]:
    """Activity id -> the content item with that url, else that code (unmatched ids are absent)."""
    ci = m.ContentItem
    ordered = sorted(object_ids)
    by_url: dict[str, tuple] = {}
    by_code: dict[str, tuple] = {}
    for part in chunks(ordered):
        q = select(ci.code, ci.url, ci.kind, ci.pretest_scoring).where(or_(ci.url.in_(part), ci.code.in_(part)))
        for row in session.execute(q.order_by(ci.code)):
            by_url.setdefault(row.url, row)
            by_code[row.code] = row
    tags = Repository(session).item_tags({row.code for row in by_code.values()})
    found = {}
    for oid in ordered:
        row = by_url.get(oid) or by_code.get(oid)
        if row is not None:
            found[oid] = ActivityItem(row.code, row.kind, row.pretest_scoring, tags[row.code][1])
    return found


class StoredAnswer(NamedTuple):
    """A stored response as an import compares it with a statement that has its key (``answered_at`` in UTC)."""

    student: str
    item: str | None
    correct: bool | None
    score: float | None
    answered_at: datetime


def stored_answers(session: Session, keys: Collection[str]) -> dict[str, StoredAnswer]:
    """Idempotency key -> the stored response with that key (keys not stored are absent)."""
    r, ci = m.Response, m.ContentItem
    found: dict[str, StoredAnswer] = {}
    for part in chunks(sorted(set(keys))):
        q = (select(r.idempotency_key, m.Student.code, ci.code, r.correct, r.score, r.answered_at)
             .join(m.Student, m.Student.id == r.student_id).outerjoin(ci, ci.id == r.item_id)
             .where(r.idempotency_key.in_(part)))  # fmt: skip
        for key, student, item, correct, score, at in session.execute(q):
            found[key] = StoredAnswer(student, item, None if correct is None else bool(correct), score, at)
    return found


def linked_students(session: Session, actors: Collection[str]) -> dict[str, str]:
    """Actor identifier -> the code of the student it was linked to (:func:`link_actor`)."""
    linked: dict[str, str] = {}
    for part in chunks(sorted(actors)):
        q = (select(m.XapiActor.ifi, m.Student.code).join(m.Student, m.Student.id == m.XapiActor.student_id)
             .where(m.XapiActor.ifi.in_(part)))  # fmt: skip
        linked.update(session.execute(q).tuples().all())
    return linked


def roster_emails(session: Session, addresses: Collection[str], *, teachers: bool = False) -> list[tuple[str, str]]:
    """(e-mail address as stored, code) of the students (``teachers``: teachers) whose address may be one of
    ``addresses`` (A-Z lower-cased): the database's lower() picks the candidates, the caller keeps the exact
    ones (its lower() also folds other letters on PostgreSQL, so both forms of each address are asked for)."""
    model: type[m.Student] | type[m.Teacher] = m.Teacher if teachers else m.Student
    wanted = sorted({*addresses, *(a.lower() for a in addresses)})
    found: list[tuple[str, str]] = []
    for part in chunks(wanted):
        q = select(model.email, model.code).where(func.lower(model.email).in_(part))
        found += session.execute(q).tuples().all()
    return sorted(set(found))


def link_actors(session: Session, links: Mapping[str, str]) -> None:
    """Write many links (actor identifier -> student code, every code stored), replacing earlier links of
    those actors: set-based, a DELETE and an INSERT per chunk of actors."""
    if not links:
        return
    ids = Repository(session).student_ids(set(links.values()))
    missing = sorted(set(links.values()) - ids.keys())
    if missing:
        raise UnknownRecord(f"unknown student {missing[0]!r}")
    table = m.XapiActor.__table__
    for part in chunks(sorted(links)):
        session.execute(delete(table).where(table.c.ifi.in_(part)))
        session.execute(insert(table), [{"ifi": ifi, "student_id": ids[links[ifi]]} for ifi in part])


def voided_keys(session: Session, keys: Collection[str]) -> set[str]:
    """The statement keys among ``keys`` that earlier imports saw voided."""
    voided: set[str] = set()
    for part in chunks(sorted(keys)):
        voided.update(session.scalars(select(m.XapiVoided.idempotency_key)
                                      .where(m.XapiVoided.idempotency_key.in_(part))))
    return voided


def link_actor(session: Session, ifi: str, student: str) -> None:
    """Make ``ifi``'s statements count as the stored ``student``'s (replacing an earlier link)."""
    student_id = Repository(session).student_ids({student}).get(student)
    if student_id is None:
        raise UnknownRecord(f"unknown student {student!r}")
    session.execute(delete(m.XapiActor).where(m.XapiActor.ifi == ifi))
    session.add(m.XapiActor(ifi=ifi, student_id=student_id))


def add_students(session: Session, new_students: Mapping[str, tuple[str, str | None]]) -> None:
    """Create students (actor identifier -> (code, name)) and link each to its actor."""
    if not new_students:
        return
    rows = [{"code": code, "name": name} for code, name in sorted(new_students.values())]
    insert_ignoring_conflicts(session, m.Student.__table__, ["code"], rows)
    ids = Repository(session).student_ids({code for code, _ in new_students.values()})
    links = [{"ifi": ifi, "student_id": ids[code]} for ifi, (code, _) in sorted(new_students.items())]
    insert_ignoring_conflicts(session, m.XapiActor.__table__, ["ifi"], links)


def remove_voided(session: Session, keys: Collection[str]) -> list[tuple[int, int]]:
    """Delete the stored responses of voided statements (a statement's key, or its per-competency keys
    ``KEY#...``); returns (response id, competency id) of each removed. Their mastery is stale until replayed."""
    r = m.Response
    gone: list[tuple[int, int]] = []
    for part in chunks(sorted(keys), 100):
        match = or_(r.idempotency_key.in_(part), *(r.idempotency_key.startswith(f"{k}#", autoescape=True)
                                                    for k in part))  # fmt: skip
        gone += session.execute(delete(r).where(match).returning(r.id, r.competency_id)).tuples().all()
    return gone


def remember_voided(session: Session, keys: Collection[str]) -> None:
    """Remember these statement keys as voided, so a later import of them is skipped."""
    now = utcnow()
    rows = [{"idempotency_key": k, "voided_at": now} for k in sorted(keys)]
    insert_ignoring_conflicts(session, m.XapiVoided.__table__, ["idempotency_key"], rows, report=False)
