"""Repository: the store's queries, in bulk (codes resolved with one IN query per chunk of codes).

The statements on the response path are built once (Core, expanding IN parameters) and run on the
session's connection: building an ORM statement costs more than running it, and a single response runs
a dozen of them.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text
from sqlalchemy.orm import Session

from adaptive.domain.tracing import Answer, BKTParams, StoredState
from adaptive.store import bulk, driver
from adaptive.store import models as m
from adaptive.store.json_in import in_json
from adaptive.store.state import StaleState

IN_CHUNK = 500  # values per IN list / rows per statement (well under every driver's parameter limit)


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@functools.cache
def by_code(table: Table) -> Any:
    return select(table.c.code, table.c.id).where(in_json(table.c.code, name="codes"))


@functools.cache
def _by_id(table: Table) -> Any:
    return select(table.c.code, table.c.id).where(in_json(table.c.id, name="ids"))


_item, _tag, _comp = m.ContentItem.__table__, m.ItemCompetency.__table__, m.Competency.__table__
_ITEM_TAGS = (select(_item.c.code, _item.c.id, _comp.c.code)
              .outerjoin(_tag, _tag.c.item_id == _item.c.id).outerjoin(_comp, _comp.c.id == _tag.c.competency_id)
              .where(in_json(_item.c.code, name="codes")))
_fp = m.FittedParameters.__table__
_PARAMS = select(_fp.c.competency_id, _fp.c.params).where(in_json(_fp.c.competency_id, name="ids"))
_state, _student = m.MasteryState.__table__, m.Student.__table__
LOCK_STATES = (select(*(_state.c[f.name] for f in fields(StoredState)))
                .where(in_json(_state.c.student_id, _state.c.competency_id, name="pairs"))
                .order_by(_state.c.student_id, _state.c.competency_id).with_for_update())
# The same columns for one (student code, competency id): prefetched with what a response reads first.
LOCK_ONE_STATE = (select(*(_state.c[f.name] for f in fields(StoredState)))
                  .where(_state.c.student_id == select(_student.c.id).where(
                      _student.c.code == bindparam("lock_student")).scalar_subquery(),
                         _state.c.competency_id == bindparam("lock_competency")).with_for_update())
_STATE_PAIRS = (select(_state.c.student_id, _state.c.competency_id)
                .where(in_json(_state.c.competency_id, name="ids")))
_response = m.Response.__table__
EXISTING_KEYS = select(_response.c.idempotency_key, _response.c.fingerprint, _response.c.answered_at).where(
    in_json(_response.c.idempotency_key, name="keys"))
_HISTORY = select(_response.c.student_id, _response.c.competency_id, _response.c.answered_at,
                  _response.c.idempotency_key, _response.c.evidence, _response.c.source).where(
    in_json(_response.c.student_id, _response.c.competency_id, name="pairs"), _response.c.voided_at.is_(None))
_SAVE_STATES = (
    _state.update()
    .where(_state.c.student_id == bindparam("b_student"), _state.c.competency_id == bindparam("b_competency"),
           _state.c.version == bindparam("b_version"))
    .values(p_mastered=bindparam("b_p"), p_not_mastered=bindparam("b_p_not"), attempts=bindparam("b_attempts"),
            correct_count=bindparam("b_correct"), wrong_streak=bindparam("b_streak"),
            last_response_at=bindparam("b_at"), last_response_key=bindparam("b_key"),
            version=bindparam("b_version") + 1, updated_at=bindparam("b_now"),
            last_success_at=bindparam("b_success"), pretest_answers=bindparam("b_pretests"))
)


@functools.cache
def _on_conflict_do_nothing(dialect: str, table: Table, unique: tuple[str, ...], returning: tuple[str, ...]) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(table).on_conflict_do_nothing(index_elements=list(unique))
    return stmt.returning(*(table.c[c] for c in returning)) if returning else stmt


def insert_ignoring_conflicts(
    session: Session, table: Table, unique: list[str], rows: list[dict], returning: str | None = None,
    *, report: bool = True,
) -> set[Any]:
    """INSERT ``rows``, skipping those that clash on ``unique``; returns ``returning`` of the inserted rows
    (with ``report=False`` nothing, which saves the RETURNING round trips).

    Both databases the store runs on (PostgreSQL and SQLite) have ``ON CONFLICT DO NOTHING``.
    """
    returning = returning or unique[0]
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    if not report:
        driver.executemany(session.connection(), _on_conflict_do_nothing(dialect, table, tuple(unique), ()), rows)
        return set()
    stmt = _on_conflict_do_nothing(dialect, table, tuple(unique), (returning,))
    inserted: set[Any] = set()
    for part in chunks(rows):
        inserted.update(session.connection().execute(stmt, list(part)).scalars())
    return inserted


# Tables whose rows the recording code inserts only with reserved ids. On SQLite their largest ids are read
# together, once per transaction, and kept in the session: the transaction holds the write lock, so nobody
# else can insert meanwhile, and this transaction's own inserts into them all take reserved ids.
_RESERVED = (m.Response.__table__, m.Decision.__table__, m.Flag.__table__)
_LARGEST_IDS = select(*(select(func.coalesce(func.max(t.c.id), 0)).scalar_subquery() for t in _RESERVED))


NEXTVALS = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
# For reserve_ids: the sequence looked up once (OFFSET 0 keeps the subquery from being inlined into every
# row: 6x faster for a chunk's thousand ids).
_NEXT_IDS = text("SELECT nextval(q.s) FROM (SELECT CAST(pg_get_serial_sequence(:t, 'id') AS regclass) AS s OFFSET 0) "
                 "AS q, generate_series(1, :n)")


def reserve_ids(session: Session, table: Table, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table``, so many rows that refer to each other can be inserted with plain
    executemany (no RETURNING round trip per row). SQLite: after the largest id (writers hold the database's
    write lock, ``BEGIN IMMEDIATE``); PostgreSQL: from the table's sequence."""
    if n <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        if table not in _RESERVED:
            raise ValueError(f"ids are reserved only for {', '.join(t.name for t in _RESERVED)}, not {table.name}")
        following = session.info.get("adaptive_next_ids")
        if following is None:
            (tops,) = driver.fetch(session.connection(), _LARGEST_IDS)
            following = {t.name: top + 1 for t, top in zip(_RESERVED, tops, strict=True)}
            session.info["adaptive_next_ids"] = following
        start = following[table.name]
        following[table.name] = start + n
        return list(range(start, start + n))
    if dialect == "postgresql":
        many = _NEXT_IDS if n > 1 else NEXTVALS  # one id: the statement a response prefetches (recording.answering)
        return [row[0] for row in driver.fetch(session.connection(), many, {"t": table.name, "n": n})]
    raise AssertionError(f"no id reservation on {dialect}")  # db.make_engine refuses other databases


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _fetch(self, stmt: Any, params: dict[str, Any]) -> list[tuple]:
        return driver.fetch(self.session.connection(), stmt, params)

    def ids(self, model: Any, codes: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        stmt = by_code(model.__table__)
        for part in chunks(sorted(codes)):
            found.update(self._fetch(stmt, {"codes": list(part)}))
        return found

    def student_ids(self, codes: set[str]) -> dict[str, int]:
        """Students' ids by code (unknown codes are absent)."""
        return self.ids(m.Student, codes)

    def competency_ids(self, codes: set[str]) -> dict[str, int]:
        """Competencies' ids by code (unknown codes are absent)."""
        return self.ids(m.Competency, codes)

    def codes(self, model: Any, ids: set[int]) -> dict[int, str]:
        return {v: k for k, v in self._codes(model, ids)}

    def _codes(self, model: Any, ids: set[int]) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        stmt = _by_id(model.__table__)
        for part in chunks(sorted(ids)):
            out.extend(self._fetch(stmt, {"ids": list(part)}))
        return out

    def item_tags(self, codes: set[str]) -> dict[str, tuple[int, tuple[str, ...]]]:
        """Item code -> (item id, codes of its competencies)."""
        tags: dict[str, list[str]] = defaultdict(list)
        ids: dict[str, int] = {}
        for part in chunks(sorted(codes)):
            for item, item_id, comp in self._fetch(_ITEM_TAGS, {"codes": list(part)}):
                ids[item] = item_id
                if comp is not None:
                    tags[item].append(comp)
        return {code: (ids[code], tuple(sorted(tags[code]))) for code in ids}

    def params(self, competency_ids: set[int], default: BKTParams) -> dict[int, BKTParams]:
        found = {c: default for c in competency_ids}
        for part in chunks(sorted(competency_ids)):
            for cid, data in self._fetch(_PARAMS, {"ids": list(part)}):
                found[cid] = BKTParams.from_dict(data, where=f"parameters of competency {cid}")
        return found

    def lock_states(
        self, pairs: list[tuple[int, int]], starts: Mapping[int, tuple[float, float]], now: datetime
    ) -> dict[tuple[int, int], StoredState]:
        """Lock and read the pairs' states, in key order; missing ones are created at their competency's
        ``starts`` belief (P(mastered), P(not mastered)) (a writer that creates the same state at the same
        time makes one of the two transactions fail on the key and retry)."""
        states = {}
        for part in chunks(sorted(pairs)):
            for row in self._fetch(LOCK_STATES, {"pairs": list(part)}):
                states[(row[0], row[1])] = StoredState(*row)
        missing = [p for p in sorted(pairs) if p not in states]
        for s, c in missing:
            p, p_not = starts[c]
            states[(s, c)] = StoredState(s, c, p, p_not, 0, 0, 0, None, None, 0, now)
        if missing:
            rows = [{f.name: getattr(states[p], f.name) for f in fields(StoredState)} for p in missing]
            bulk.insert(self.session.connection(), _state, rows)
        return states

    def state_pairs(self, competency_ids: set[int]) -> list[tuple[int, int]]:
        """The (student, competency) pairs with a stored state on these competencies, in key order."""
        found: list[tuple[int, int]] = []
        for part in chunks(sorted(competency_ids)):
            found.extend((s, c) for s, c in self._fetch(_STATE_PAIRS, {"ids": list(part)}))
        return sorted(found)

    def existing_keys(self, keys: Sequence[str]) -> dict[str, tuple[str | None, datetime]]:
        """The idempotency keys among ``keys`` already stored, with their responses' fingerprints and times
        (voided ones too: a voided response keeps its key)."""
        found: dict[str, tuple[str | None, datetime]] = {}
        for part in chunks(sorted(keys)):
            found.update((key, (fp, at)) for key, fp, at in self._fetch(EXISTING_KEYS, {"keys": list(part)}))
        return found

    def histories(self, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[Answer]]:
        """Each pair's stored answers (not voided) in (answered_at, key) order (Python's order, the same in
        every process, not a collation's); a pair without any has an empty list."""
        history: dict[tuple[int, int], list[Answer]] = defaultdict(list)
        for part in chunks(sorted(pairs)):
            for s, c, at, key, evidence, source in self._fetch(_HISTORY, {"pairs": list(part)}):
                history[(s, c)].append(Answer(at, key, evidence, source))
        return {pair: sorted(history[pair]) for pair in pairs}

    def save_states(self, states: list[StoredState], now: datetime) -> list[StoredState]:
        """Write states back, each only if its version is still the one read (else :class:`StaleState`);
        returns them as now stored (their ``version`` and ``updated_at`` advanced in place)."""
        if not states:
            return []
        if bulk.save_states(self.session.connection(), states, now):  # a batch on PostgreSQL: one statement
            return states
        params = [
            {"b_student": s.student_id, "b_competency": s.competency_id, "b_version": s.version,
             "b_p": s.p_mastered, "b_p_not": s.p_not_mastered, "b_attempts": s.attempts, "b_correct": s.correct_count,
             "b_streak": s.wrong_streak, "b_at": s.last_response_at, "b_key": s.last_response_key, "b_now": now,
             "b_success": s.last_success_at, "b_pretests": s.pretest_answers}
            for s in states
        ]  # fmt: skip
        changed = driver.executemany(self.session.connection(), _SAVE_STATES, params)
        if changed != len(params):
            raise StaleState(f"{len(params) - changed} mastery state(s) changed concurrently")
        for s in states:
            s.version, s.updated_at = s.version + 1, now
        return states
