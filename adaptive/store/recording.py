"""Recording responses: validating them, resolving their codes, inserting them, and the reads around that
(the stored duplicate of a key, mastery as stored).

Responses are inserted here; their mastery states are then loaded and locked (``SELECT ... FOR UPDATE``,
:meth:`Repository.lock_states`), moved on by :mod:`adaptive.knowledge_tracing.states` (a response older than
the last one applied makes its state be recomputed from the stored history, :meth:`Repository.histories`)
and saved guarded by their ``version`` column (:meth:`Repository.save_states`), all in the caller's
transaction: :mod:`adaptive.services.states` composes the three. Concurrent writers serialise per state and
a lost race is retried by :func:`adaptive.store.uow.run_transaction`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, literal, select
from sqlalchemy.orm import Session

from adaptive.domain import InvalidResponse, ResponseIn
from adaptive.domain.errors import ConflictingResponse
from adaptive.domain.evidence import EvidenceError, ScoreScale, evidence_of
from adaptive.domain.response_bounds import answer_time, attempt_problem, code_problem
from adaptive.domain.tracing import BKTParams, StoredState
from adaptive.store import bulk, driver, prefetch
from adaptive.store import models as m
from adaptive.store.evidence import CATALOGUE_TOKEN
from adaptive.store.json_in import in_json
from adaptive.store.repository import (
    EXISTING_KEYS,
    LOCK_ONE_STATE,
    LOCK_STATES,
    NEXTVALS,
    Repository,
    by_code,
    insert_ignoring_conflicts,
    reserve_ids,
)
from adaptive.store.rulesets import ACTIVE_ID
from adaptive.store.state import utcnow

# Parameters of a competency nobody has fitted or set yet.
DEFAULT_PARAMS = BKTParams.standard(prior=0.2, learn=0.15, guess=0.2, slip=0.1, forget=0.0)


class Row(NamedTuple):
    """A validated response, still naming students, competencies and items by code (a tuple: a batch
    makes thousands)."""

    key: str
    student: str
    competency: str | None
    item: str | None
    correct: bool | None
    score: float | None
    evidence: float
    at: datetime
    source: str
    attempt: int | None
    timed: bool = True  # ``at`` was given (else it is the time of recording, not part of the fingerprint)


def fingerprint(student: str, competency: str, item: str | None, correct: bool | None, score: float | None,
                source: str, attempt: int | None) -> str:
    """The hash of what a response says, stored with its idempotency key: the same key may come again only
    with the same content (a retry). Content: the student's, competency's and item's codes, the answer
    (right/wrong or the score as given, not its evidence, which depends on the score scale), the source and
    the attempt number. The time is compared on its own, with the stored ``answered_at``, and only when the
    retry gives one (an app that let the tutor stamp the first send may resend without a time, or with it).
    Migration 0019 computes the same for stored rows: change neither alone."""
    content = [student, competency, item, correct, score, source, attempt]
    return hashlib.sha256(_encode(content).encode()).hexdigest()


# json.dumps(content, separators=(",", ":")) without building an encoder per call (a third of its cost).
_encode = json.JSONEncoder(separators=(",", ":")).encode


def validate(responses: Sequence[ResponseIn], scale: ScoreScale) -> list[Row]:
    """Check every response on its own (no database); raises :class:`InvalidResponse`."""
    now = utcnow()
    rows = []
    for i, r in enumerate(responses):
        try:
            evidence = evidence_of(r.correct, r.score, scale)
        except EvidenceError as exc:
            raise InvalidResponse(i, str(exc)) from None
        if r.source not in m.SOURCES:
            raise InvalidResponse(i, f"source must be one of {', '.join(m.SOURCES)}, got {r.source!r}")
        if not r.student:
            raise InvalidResponse(i, "student is missing")
        if not r.competency and not r.item:
            raise InvalidResponse(i, "a response needs a competency or an item")
        if r.at is not None and not isinstance(r.at, datetime):
            raise InvalidResponse(i, f"at must be a datetime, got {r.at!r}")
        # Every value must fit its column on SQLite and PostgreSQL alike (adaptive.domain.response_bounds).
        problem = (attempt_problem(r.attempt) or code_problem("student", r.student)
                   or code_problem("competency", r.competency) or code_problem("item", r.item))
        if problem:
            raise InvalidResponse(i, problem)
        try:
            at = answer_time(r.at, now) if r.at is not None else now
        except ValueError as exc:
            raise InvalidResponse(i, str(exc)) from None
        key = r.idempotency_key or str(uuid.uuid4())
        if len(key) > 200:
            raise InvalidResponse(i, "idempotency_key is longer than 200 characters")
        if "\x00" in key:
            raise InvalidResponse(i, code_problem("idempotency_key", key) or "")
        correct = None if r.correct is None else bool(r.correct)
        score = None if r.score is None else float(r.score)
        rows.append(Row(key, r.student, r.competency, r.item, correct, score, evidence, at, r.source, r.attempt,
                        r.at is not None))
    return rows


@dataclass(frozen=True)
class Lookup:
    """The rows' codes resolved to ids: students, items (with their competencies' codes), competencies."""

    students: dict[str, int]
    items: dict[str, tuple[int, tuple[str, ...]]]
    competencies: dict[str, int]

    @classmethod
    def of(cls, repo: Repository, rows: Sequence[Row]) -> Lookup:
        items = repo.item_tags({r.item for r in rows if r.item})
        codes = {r.competency for r in rows if r.competency} | {t for _, tags in items.values() for t in tags}
        return cls(repo.ids(m.Student, {r.student for r in rows}), items, repo.ids(m.Competency, codes))


def check_references(repo: Repository, rows: Sequence[Row], create_missing: bool,
                     lookup: Lookup | None = None) -> tuple[set[str], set[str]]:
    """Raise for unknown items and ambiguous items; return (unknown students, unknown competencies).

    Unknown students/competencies are an error unless ``create_missing``.
    """
    lookup = lookup or Lookup.of(repo, rows)
    items, students, competencies = lookup.items, lookup.students, lookup.competencies
    new_students: set[str] = set()
    new_competencies: set[str] = set()
    for i, r in enumerate(rows):
        if r.item and r.item not in items:
            raise InvalidResponse(i, f"unknown item {r.item!r}")
        if not r.competency:
            tags = items[r.item][1]  # type: ignore[index]
            if len(tags) != 1:
                raise InvalidResponse(i, f"item {r.item!r} has {len(tags)} competencies: name the competency")
        if r.student not in students:
            if not create_missing:
                raise InvalidResponse(i, f"unknown student {r.student!r}")
            new_students.add(r.student)
        if r.competency and r.competency not in competencies:
            if not create_missing:
                raise InvalidResponse(i, f"unknown competency {r.competency!r}")
            new_competencies.add(r.competency)
    return new_students, new_competencies


Fingerprints = dict[tuple, str]  # a response's content (fingerprint's arguments) -> its fingerprint


def keyed(rows: Sequence[Row], lookup: Lookup, memo: Fingerprints | None = None) -> dict[str, tuple[int, str]]:
    """Each key of ``rows`` -> (index of its first row, fingerprint); a key that comes again with other
    content, or another time (both given), raises :class:`ConflictingResponse` (its index).

    ``memo`` keeps fingerprints by content for a batch, which fingerprints each row twice (checked before
    anything is written, then in its chunk's transaction, with the item's competency looked up again)."""
    items = lookup.items
    out: dict[str, tuple[int, str]] = {}
    memo = {} if memo is None else memo
    for i, r in enumerate(rows):
        competency = r.competency or items[r.item][1][0]  # type: ignore[index]
        content = (r.student, competency, r.item, r.correct, r.score, r.source, r.attempt)
        fp = memo.get(content)
        if fp is None:
            fp = memo[content] = fingerprint(*content)
        first = out.setdefault(r.key, (i, fp))
        other = rows[first[0]]
        if first[1] != fp or (r.timed and other.timed and other.at != r.at):
            raise ConflictingResponse(i, r.key, f"idempotency key {r.key!r} is used earlier in this batch for a "
                                                "different response")
    return out


def check_stored_keys(stored: dict[str, tuple[str | None, datetime]], keys: dict[str, tuple[int, str]],
                      rows: Sequence[Row]) -> None:
    """Raise :class:`ConflictingResponse` for the first key (in batch order) stored with another fingerprint
    than the one given for it (a stored row without a fingerprint matches anything), or at another time when
    the row gives one."""

    def differs(key: str, i: int, fp: str) -> bool:
        if key not in stored:
            return False
        stored_fp, stored_at = stored[key]
        return stored_fp not in (None, fp) or (rows[i].timed and rows[i].at != stored_at)

    clashes = [(i, key) for key, (i, fp) in keys.items() if differs(key, i, fp)]
    if clashes:
        i, key = min(clashes)
        raise ConflictingResponse(i, key, f"idempotency key {key!r} is already stored for a different response "
                                          "(another student, competency, item, answer, time, source or attempt)")


def check_keys(repo: Repository, rows: Sequence[Row], lookup: Lookup, memo: Fingerprints | None = None) -> None:
    """Raise :class:`ConflictingResponse` if a key comes twice with different content in ``rows`` or is
    stored for a different response (run before a batch writes anything)."""
    keys = keyed(rows, lookup, memo)
    check_stored_keys(repo.existing_keys(list(keys)), keys, rows)


class Written(NamedTuple):
    """A response just inserted, by ids, with its (student, competency) state as this write left it."""

    key: str
    response_id: int
    student_id: int
    competency_id: int
    answered_at: datetime
    source: str
    state: StoredState


def insert_responses(session: Session, rows: Sequence[Row], lookup: Lookup, now: datetime,
                     memo: Fingerprints | None = None) -> list[dict]:
    """Insert ``rows`` (duplicate keys skipped), recorded at ``now``; returns the rows actually inserted, as
    the column values written (with their ``id``), in key order. Runs inside the caller's transaction.

    A key stored (or given twice in ``rows``) for a different response raises :class:`ConflictingResponse`
    (its index in ``rows``); the stored fingerprints come with the stored keys, in the same query."""
    students, items, competencies = lookup.students, lookup.items, lookup.competencies
    keys = keyed(rows, lookup, memo)
    values: dict[str, dict] = {}
    for key in sorted(keys):  # one lock order for every writer
        i, fp = keys[key]
        r = rows[i]
        item_id, tags = items[r.item] if r.item else (None, ())
        comp_id = competencies[r.competency or tags[0]]
        values[key] = {
            "idempotency_key": key, "student_id": students[r.student], "competency_id": comp_id,
            "item_id": item_id, "correct": r.correct, "score": r.score, "evidence": r.evidence,
            "attempt": r.attempt, "source": r.source, "answered_at": r.at, "recorded_at": now, "fingerprint": fp,
        }  # fmt: skip
    # Keys already stored are duplicates; a writer storing the same key at the same time makes this
    # INSERT fail on the unique key, and the retried transaction then sees it as stored.
    existing = Repository(session).existing_keys(list(values))
    check_stored_keys(existing, keys, rows)
    fresh = [v for key, v in values.items() if key not in existing]
    if not fresh:
        return []
    # Ids reserved first: a plain executemany, no RETURNING round trip per row.
    for v, response_id in zip(fresh, reserve_ids(session, m.Response.__table__, len(fresh)), strict=True):
        v["id"] = response_id
    bulk.insert(session.connection(), m.Response.__table__, fresh)  # COPY for a batch on PostgreSQL
    return fresh


@contextmanager
def answering(session: Session, student: str, key: str, competency_id: int | None = None) -> Iterator[None]:
    """The transaction of one live response: what every response reads first (the catalogue's revision, the
    student's id, whether the key is stored, the active rules, an id for the response and one for its
    decision and, given the competency's id, its mastery state, locked) is fetched in one statement on
    PostgreSQL (:func:`adaptive.store.prefetch.run`)."""
    conn = session.connection()
    student_query = (by_code(m.Student.__table__), {"codes": [student]})
    queries: list[prefetch.Query] = [
        (CATALOGUE_TOKEN, {}), student_query, (EXISTING_KEYS, {"keys": [key]}), (ACTIVE_ID, {}),
        (NEXTVALS, {"t": "response", "n": 1}, _NEXT_ID["response"]),
        (NEXTVALS, {"t": "decision", "n": 1}, _NEXT_ID["decision"]),
    ]  # fmt: skip
    lock = (LOCK_ONE_STATE, {"lock_student": student, "lock_competency": competency_id})
    if competency_id is not None:
        queries.append(lock)
    prefetch.run(conn, queries)
    driver.defer_writes(conn)  # its INSERTs go with the next statement, the last ones with the COMMIT
    try:
        if competency_id is not None:  # filed as what Repository.lock_states will ask for, once the id is known
            found, state = driver.prefetched(conn, *student_query), driver.prefetched(conn, *lock)
            if found and state is not None:
                driver.keep(conn, LOCK_STATES, {"pairs": [(found[0][1], competency_id)]}, state)
                driver.keep(conn, *student_query, found)
        yield
    finally:
        driver.forget(conn)


# One id from each table's sequence, as repository.reserve_ids reads it (PostgreSQL only).
_NEXT_ID = {t.name: select(func.nextval(func.pg_get_serial_sequence(literal(t.name), literal("id"))))
            for t in (m.Response.__table__, m.Decision.__table__)}


def stored_response(session: Session, key: str) -> tuple[int, int, int, str]:
    """(student id, competency id, response id, source) of the response stored under ``key``."""
    r = m.Response
    found = session.execute(select(r.student_id, r.competency_id, r.id, r.source)
                            .where(r.idempotency_key == key)).one()
    return found[0], found[1], found[2], found[3]


def response_ids(session: Session, keys: Sequence[str]) -> list[int]:
    """The ids of the responses stored under ``keys``."""
    r = m.Response
    return list(session.scalars(select(r.id).where(r.idempotency_key.in_(keys))))


def create_by_code(session: Session, students: set[str], competencies: set[str]) -> None:
    """Create students and competencies named only by their codes (those that exist already are kept)."""
    insert_ignoring_conflicts(session, m.Student.__table__, ["code"], [{"code": c} for c in sorted(students)])
    rows = [{"code": c, "name": c} for c in sorted(competencies)]
    insert_ignoring_conflicts(session, m.Competency.__table__, ["code"], rows)


def response_count(session: Session) -> int:
    """How many responses are stored."""
    return session.scalar(select(func.count()).select_from(m.Response)) or 0


# -- mastery as stored ------------------------------------------------------------------------------------
class MasteryRow(NamedTuple):
    """A competency with its student's stored state (all None after ``code`` when there is none)."""

    competency_id: int
    code: str
    p_mastered: float | None
    attempts: int | None
    correct_count: int | None
    wrong_streak: int | None
    last_response_at: datetime | None
    updated_at: datetime | None


_comp, _state = m.Competency.__table__, m.MasteryState.__table__
_MASTERY = (
    select(_comp.c.id, _comp.c.code, _state.c.p_mastered, _state.c.attempts, _state.c.correct_count,
           _state.c.wrong_streak, _state.c.last_response_at, _state.c.updated_at)
    .select_from(_comp)
    .outerjoin(_state, and_(_state.c.competency_id == _comp.c.id, _state.c.student_id == bindparam("student")))
    .where(in_json(_comp.c.id, name="ids"))
    .order_by(_comp.c.code)
)


def mastery_rows(session: Session, student_id: int, competency_ids: list[int]) -> list[MasteryRow]:
    """The student's stored state of each of these competencies, by competency code."""
    rows = driver.fetch(session.connection(), _MASTERY, {"student": student_id, "ids": competency_ids})
    return [MasteryRow(*row) for row in rows]


def competency_ids(session: Session) -> list[int]:
    """Every competency's id."""
    return list(session.scalars(select(m.Competency.id)))
