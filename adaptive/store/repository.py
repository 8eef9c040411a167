"""Repository: the store's queries, in bulk (codes resolved with one IN query per chunk of codes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, tuple_
from sqlalchemy.orm import Session

from adaptive.knowledge_tracing.online import initial_belief
from adaptive.knowledge_tracing.params import BKTParams
from adaptive.store import models as m
from adaptive.store.state import StaleState, StoredState, Tally

IN_CHUNK = 500  # values per IN list / rows per statement (well under every driver's parameter limit)


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_ignoring_conflicts(
    session: Session, table: Table, unique: list[str], rows: list[dict], returning: str | None = None,
    *, report: bool = True, with_ids: bool = False,
) -> Any:
    """INSERT ``rows``, skipping those that clash on ``unique``; returns ``returning`` of the inserted rows
    (a set; with ``with_ids`` a dict of it to the row's ``id``; with ``report=False`` nothing, which saves
    the RETURNING round trips).

    PostgreSQL and SQLite use ``ON CONFLICT DO NOTHING``; other databases check first (a race there
    raises IntegrityError and the transaction is retried).
    """
    returning = returning or unique[0]
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        stmt = dialect_insert(table).on_conflict_do_nothing(index_elements=unique)
        if not report:
            session.connection().execute(stmt, rows)
            return set()
        if with_ids:
            found: dict[Any, int] = {}
            for part in chunks(rows):
                found.update(session.connection().execute(stmt.returning(table.c[returning], table.c.id), list(part))
                             .tuples().all())
            return found
        stmt = stmt.returning(table.c[returning])
        inserted: set[Any] = set()
        for part in chunks(rows):
            inserted.update(session.execute(stmt, list(part)).scalars())
        return inserted
    cols = [table.c[c] for c in unique]
    existing = set()
    for part in chunks(rows):
        keys = [tuple(r[c] for c in unique) for r in part]
        existing.update(tuple(k) for k in session.execute(select(*cols).where(tuple_(*cols).in_(keys))))
    fresh = [r for r in rows if tuple(r[c] for c in unique) not in existing]
    if with_ids:
        return {r[returning]: session.execute(insert(table).returning(table.c.id), r).scalar_one() for r in fresh}
    if fresh:
        session.execute(insert(table), fresh)
    return {r[returning] for r in fresh}


def reserve_ids(session: Session, table: Table, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table``, so many rows that refer to each other can be inserted with plain
    executemany (no RETURNING round trip per row). SQLite: after the largest id (writers hold the database's
    write lock, ``BEGIN IMMEDIATE``); PostgreSQL: from the table's sequence; elsewhere: unsupported."""
    if n <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        top = session.connection().execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        return list(range(top + 1, top + n + 1))
    if dialect == "postgresql":
        q = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
        return list(session.connection().execute(q, {"t": table.name, "n": n}).scalars())
    raise NotImplementedError(dialect)


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ids(self, model: Any, codes: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(sorted(codes)):
            found.update(list(self.session.execute(select(model.code, model.id).where(model.code.in_(part))).tuples()))
        return found

    def codes(self, model: Any, ids: set[int]) -> dict[int, str]:
        return {v: k for k, v in self._codes(model, ids)}

    def _codes(self, model: Any, ids: set[int]) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for part in chunks(sorted(ids)):
            out.extend(self.session.execute(select(model.code, model.id).where(model.id.in_(part))).tuples())
        return out

    def item_tags(self, codes: set[str]) -> dict[str, tuple[int, tuple[str, ...]]]:
        """Item code -> (item id, codes of its competencies)."""
        tags: dict[str, list[str]] = defaultdict(list)
        ids: dict[str, int] = {}
        for part in chunks(sorted(codes)):
            q = (
                select(m.ContentItem.code, m.ContentItem.id, m.Competency.code)
                .outerjoin(m.ItemCompetency, m.ItemCompetency.item_id == m.ContentItem.id)
                .outerjoin(m.Competency, m.Competency.id == m.ItemCompetency.competency_id)
                .where(m.ContentItem.code.in_(part))
            )
            for item, item_id, comp in self.session.execute(q):
                ids[item] = item_id
                if comp is not None:
                    tags[item].append(comp)
        return {code: (ids[code], tuple(sorted(tags[code]))) for code in ids}

    def params(self, competency_ids: set[int], default: BKTParams) -> dict[int, BKTParams]:
        found = {c: default for c in competency_ids}
        for part in chunks(sorted(competency_ids)):
            q = select(m.FittedParameters.competency_id, m.FittedParameters.params)
            for cid, data in self.session.execute(q.where(m.FittedParameters.competency_id.in_(part))):
                found[cid] = BKTParams.from_dict(data, where=f"parameters of competency {cid}")
        return found

    def lock_states(
        self, pairs: list[tuple[int, int]], params: dict[int, BKTParams], now: datetime
    ) -> dict[tuple[int, int], StoredState]:
        """Create missing states (at the prior), then lock and read all of them, in key order."""
        fresh = [
            {"student_id": s, "competency_id": c, "p_mastered": start.mastered, "p_not_mastered": start.not_mastered,
             "attempts": 0, "correct_count": 0, "wrong_streak": 0, "version": 0, "updated_at": now}
            for s, c in sorted(pairs)
            for start in (initial_belief(params[c]),)
        ]  # fmt: skip
        insert_ignoring_conflicts(self.session, m.MasteryState.__table__, ["student_id", "competency_id"], fresh,
                                  report=False)
        t = m.MasteryState.__table__
        columns = [t.c[f.name] for f in fields(StoredState)]
        q = (select(*columns).where(tuple_(t.c.student_id, t.c.competency_id).in_(bindparam("pairs", expanding=True)))
             .order_by(t.c.student_id, t.c.competency_id).with_for_update())
        states = {}
        run = self.session.connection().execute
        for part in chunks(sorted(pairs)):
            for row in run(q, {"pairs": list(part)}):
                states[(row[0], row[1])] = StoredState(*row)
        return states

    def replay_history(
        self, pairs: list[tuple[int, int]], params: dict[int, BKTParams]
    ) -> dict[tuple[int, int], tuple[Tally, datetime | None, str | None]]:
        """(Tally, last answered_at, last key) of each pair, replayed from its prior over stored history."""
        history: dict[tuple[int, int], list[tuple[datetime, str, float]]] = defaultdict(list)
        r = m.Response
        for part in chunks(sorted(pairs)):
            q = (
                select(r.student_id, r.competency_id, r.answered_at, r.idempotency_key, r.evidence)
                .where(tuple_(r.student_id, r.competency_id).in_(list(part)))
            )
            for s, c, at, key, evidence in self.session.execute(q):
                history[(s, c)].append((at, key, evidence))
        out = {}
        for pair in pairs:
            rows = sorted(history[pair])  # (answered_at, key) order, the same in every process
            tally = Tally.start(params[pair[1]])
            tally.advance(params[pair[1]], [row[2] for row in rows])
            out[pair] = (tally, rows[-1][0] if rows else None, rows[-1][1] if rows else None)
        return out

    def save_states(self, states: list[StoredState], now: datetime) -> None:
        """Write states back, each only if its version is still the one read (else :class:`StaleState`)."""
        if not states:
            return
        t = m.MasteryState.__table__
        stmt = (
            t.update()
            .where(
                t.c.student_id == bindparam("b_student"),
                t.c.competency_id == bindparam("b_competency"),
                t.c.version == bindparam("b_version"),
            )
            .values(
                p_mastered=bindparam("b_p"), p_not_mastered=bindparam("b_p_not"), attempts=bindparam("b_attempts"),
                correct_count=bindparam("b_correct"), wrong_streak=bindparam("b_streak"),
                last_response_at=bindparam("b_at"), last_response_key=bindparam("b_key"),
                version=bindparam("b_version") + 1, updated_at=now,
            )  # fmt: skip
        )
        params = [
            {"b_student": s.student_id, "b_competency": s.competency_id, "b_version": s.version,
             "b_p": s.p_mastered, "b_p_not": s.p_not_mastered, "b_attempts": s.attempts, "b_correct": s.correct_count,
             "b_streak": s.wrong_streak, "b_at": s.last_response_at, "b_key": s.last_response_key}
            for s in states
        ]  # fmt: skip
        result = self.session.execute(stmt, params)
        if self.session.get_bind().dialect.supports_sane_multi_rowcount and result.rowcount != len(params):
            raise StaleState(f"{len(params) - result.rowcount} mastery state(s) changed concurrently")
