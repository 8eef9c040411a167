"""Recording responses so each mastery state always equals a replay of that student's history.

A response newer than the last one applied to its (student, competency) advances the state
incrementally; an older one (responses from several writers arrive out of order) makes the state be
recomputed from the stored history in (answered_at, idempotency_key) order. States are locked
(``SELECT ... FOR UPDATE``) and guarded by their ``version`` column, so concurrent writers serialise per
state and a lost race is retried by :func:`adaptive.store.uow.run_transaction`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.domain import InvalidResponse, ResponseIn
from adaptive.domain.evidence import EvidenceError, ScoreScale, evidence_of
from adaptive.domain.tracing import BKTParams
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.repository import INSERT_RESPONSES, Repository, reserve_ids
from adaptive.store.state import StoredState, Tally, to_db_time, utcnow

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
        if r.attempt is not None and (not isinstance(r.attempt, int) or r.attempt < 1):
            raise InvalidResponse(i, f"attempt must be a positive integer, got {r.attempt!r}")
        key = r.idempotency_key or str(uuid.uuid4())
        if len(key) > 200:
            raise InvalidResponse(i, "idempotency_key is longer than 200 characters")
        correct = None if r.correct is None else bool(r.correct)
        score = None if r.score is None else float(r.score)
        at = to_db_time(r.at) if r.at is not None else now
        rows.append(Row(key, r.student, r.competency, r.item, correct, score, evidence, at, r.source, r.attempt))
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


class Written(NamedTuple):
    """A response just inserted, by ids, with its (student, competency) state as this write left it."""

    key: str
    response_id: int
    student_id: int
    competency_id: int
    answered_at: datetime
    source: str
    state: StoredState


def write(session: Session, rows: Sequence[Row], default: BKTParams, lookup: Lookup | None = None,
          params: dict[int, BKTParams] | None = None) -> dict[str, Written]:
    """Insert ``rows`` (duplicate keys skipped) and bring their mastery states up to date.

    ``lookup`` (made in this transaction) and ``params`` (every competency's) save their queries.
    Returns the responses actually inserted, by key. Runs inside the caller's transaction.
    """
    repo = Repository(session)
    lookup = lookup or Lookup.of(repo, rows)
    students, items, competencies = lookup.students, lookup.items, lookup.competencies
    now = utcnow()
    values: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: r.key):  # one lock order for every writer
        if r.key in values:
            continue
        item_id, tags = items[r.item] if r.item else (None, ())
        comp_id = competencies[r.competency or tags[0]]
        values[r.key] = {
            "idempotency_key": r.key, "student_id": students[r.student], "competency_id": comp_id,
            "item_id": item_id, "correct": r.correct, "score": r.score, "evidence": r.evidence,
            "attempt": r.attempt, "source": r.source, "answered_at": r.at, "recorded_at": now,
        }  # fmt: skip
    # Keys already stored are duplicates; a writer storing the same key at the same time makes this
    # INSERT fail on the unique key, and the retried transaction then sees it as stored.
    existing = repo.existing_keys(list(values))
    fresh = [v for key, v in values.items() if key not in existing]
    if not fresh:
        return {}
    # Ids reserved first: a plain executemany, no RETURNING round trip per row.
    for v, response_id in zip(fresh, reserve_ids(session, m.Response.__table__, len(fresh)), strict=True):
        v["id"] = response_id
    driver.executemany(session.connection(), INSERT_RESPONSES, fresh)
    by_pair: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for v in fresh:
        by_pair[(v["student_id"], v["competency_id"])].append(v)
    states = update_states(session, by_pair, default, now, params)
    return {v["idempotency_key"]: Written(v["idempotency_key"], v["id"], v["student_id"], v["competency_id"],
                                          v["answered_at"], v["source"], states[(v["student_id"], v["competency_id"])])
            for v in fresh}


def update_states(
    session: Session,
    new: dict[tuple[int, int], list[dict]],
    default: BKTParams,
    now: datetime,
    known: dict[int, BKTParams] | None = None,
) -> dict[tuple[int, int], StoredState]:
    """Advance or recompute the states of the (student, competency) pairs that got ``new`` responses; returns
    them as saved."""
    repo = Repository(session)
    pairs = sorted(new)
    params = known if known is not None else repo.params({c for _, c in pairs}, default)
    states = repo.lock_states(pairs, params, now)
    recompute = []
    for pair in pairs:
        rows = sorted(new[pair], key=lambda v: (v["answered_at"], v["idempotency_key"]))
        state = states[pair]
        last = state.last_response_at
        if last is not None and (rows[0]["answered_at"], rows[0]["idempotency_key"]) <= (
            last,
            state.last_response_key,
        ):
            recompute.append(pair)
            continue
        tally = Tally(state.p_mastered, state.p_not_mastered, state.attempts, state.correct_count, state.wrong_streak,
                      state.last_success_at, state.pretest_answers)
        tally.advance(params[pair[1]], [v["evidence"] for v in rows], times=[v["answered_at"] for v in rows],
                      pretests=sum(v["source"] == "pretest" for v in rows))
        states[pair] = _merged(state, tally, rows[-1]["answered_at"], rows[-1]["idempotency_key"])
    for pair, (tally, at, key) in repo.replay_history(recompute, params).items():
        states[pair] = _merged(states[pair], tally, at, key)
    saved = repo.save_states([states[p] for p in pairs], now)
    return {(s.student_id, s.competency_id): s for s in saved}


def _merged(state: StoredState, tally: Tally, at: datetime | None, key: str | None) -> StoredState:
    """A copy of ``state`` carrying the new numbers (its ``version`` still the old one)."""
    return StoredState(
        student_id=state.student_id, competency_id=state.competency_id, p_mastered=tally.p, p_not_mastered=tally.p_not,
        attempts=tally.attempts, correct_count=tally.correct_count, wrong_streak=tally.wrong_streak,
        last_response_at=at, last_response_key=key, version=state.version, updated_at=state.updated_at,
        last_success_at=tally.last_success_at, pretest_answers=tally.pretest_answers,
    )  # fmt: skip


def recompute_competencies(session: Session, competency_ids: set[int], default: BKTParams) -> None:
    """Recompute every state of these competencies from history (after their parameters changed)."""
    repo = Repository(session)
    pairs = sorted(
        session.execute(
            select(m.MasteryState.student_id, m.MasteryState.competency_id).where(
                m.MasteryState.competency_id.in_(competency_ids)
            )
        ).tuples()
    )
    if not pairs:
        return
    now = utcnow()
    params = repo.params(competency_ids, default)
    states = repo.lock_states(pairs, params, now)
    for pair, (tally, at, key) in repo.replay_history(pairs, params).items():
        states[pair] = _merged(states[pair], tally, at, key)
    repo.save_states([states[p] for p in pairs], now)


