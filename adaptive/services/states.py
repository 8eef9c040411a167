"""Responses written so each mastery state always equals a replay of that student's history, in the
caller's transaction: the store inserts the responses and loads and locks their states
(``SELECT ... FOR UPDATE``, in key order), knowledge tracing moves them on (a response older than the last
one applied makes its state be replayed from the stored history, in (answered_at, key) order), and the
store saves them guarded by their ``version`` (a lost race raises ``StaleState``; the unit of work retries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from adaptive.domain.tracing import Answer, BKTParams, StoredState
from adaptive.knowledge_tracing.states import Pair, advance_states, replayed, starting_beliefs
from adaptive.store.recording import Fingerprints, Lookup, Row, Written, insert_responses
from adaptive.store.repository import Repository
from adaptive.store.state import utcnow


def write(session: Session, rows: Sequence[Row], default: BKTParams, lookup: Lookup | None = None,
          params: dict[int, BKTParams] | None = None, memo: Fingerprints | None = None) -> dict[str, Written]:
    """Insert ``rows`` (duplicate keys skipped) and bring their mastery states up to date.

    ``lookup`` (made in this transaction) and ``params`` (every competency's) save their queries, ``memo``
    (a batch's fingerprints) its hashing.
    Returns the responses actually inserted, by key.
    """
    repo = Repository(session)
    now = utcnow()
    fresh = insert_responses(session, rows, lookup or Lookup.of(repo, rows), now, memo)
    if not fresh:
        return {}
    by_pair: dict[Pair, list[Answer]] = defaultdict(list)
    for v in fresh:
        by_pair[(v["student_id"], v["competency_id"])].append(
            Answer(v["answered_at"], v["idempotency_key"], v["evidence"], v["source"]))
    states = update_states(repo, by_pair, default, now, params)
    return {v["idempotency_key"]: Written(v["idempotency_key"], v["id"], v["student_id"], v["competency_id"],
                                          v["answered_at"], v["source"], states[(v["student_id"], v["competency_id"])])
            for v in fresh}


def update_states(repo: Repository, new: dict[Pair, list[Answer]], default: BKTParams, now: datetime,
                  known: dict[int, BKTParams] | None = None) -> dict[Pair, StoredState]:
    """Advance or replay the states of the (student, competency) pairs that got ``new`` answers; returns
    them as saved."""
    pairs = sorted(new)
    competencies = {c for _, c in pairs}
    params = known if known is not None else repo.params(competencies, default)
    states = repo.lock_states(pairs, starting_beliefs(params, competencies), now)
    late = advance_states(states, new, params)
    for pair, history in repo.histories(late).items():
        states[pair] = replayed(states[pair], params[pair[1]], history)
    saved = repo.save_states([states[p] for p in pairs], now)
    return {(s.student_id, s.competency_id): s for s in saved}


def recompute_competencies(session: Session, competency_ids: set[int], default: BKTParams) -> None:
    """Replay every state of these competencies from its history (after their parameters changed or
    responses were removed)."""
    replay_pairs(session, Repository(session).state_pairs(competency_ids), default)


def replay_pairs(session: Session, pairs: list[Pair], default: BKTParams) -> dict[Pair, StoredState]:
    """Replay these (student, competency) states from their histories (voided responses left out); returns
    them as saved."""
    if not pairs:
        return {}
    repo = Repository(session)
    now = utcnow()
    competency_ids = {c for _, c in pairs}
    params = repo.params(competency_ids, default)
    states = repo.lock_states(pairs, starting_beliefs(params, competency_ids), now)
    for pair, history in repo.histories(pairs).items():
        states[pair] = replayed(states[pair], params[pair[1]], history)
    saved = repo.save_states([states[p] for p in sorted(pairs)], now)
    return {(s.student_id, s.competency_id): s for s in saved}
