"""Several queries of the response path in one round trip to PostgreSQL.

On PostgreSQL every statement is a round trip and, in psycopg, 70-100 us of Python. A caller that knows the
queries it will run next (and writes nothing before them that would change their rows) runs them here as
one statement: each query's rows come back as a JSON array, are turned back into the very values
:func:`adaptive.store.driver.fetch` would give, and are kept for the ``fetch`` calls that ask for them
(:func:`adaptive.store.driver.keep`). SQLite answers in-process, so there it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import DateTime, Float, Integer, Text, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement, Select

from adaptive.store import driver

# A query to prefetch: the statement and parameters fetch() will be called with, and optionally the SELECT to
# run in their place (same columns, no parameters of its own).
Query = tuple[Select, Mapping[str, Any]] | tuple[ClauseElement, Mapping[str, Any], Select]


@dataclass
class _Combined:
    stmt: Select
    cells: list[list[Callable[[Any], Any]]]  # per query, per column: JSON value -> the value fetch() gives


_combined: dict[tuple[Any, ...], _Combined] = {}


def run(conn: Connection, queries: Sequence[Query]) -> None:
    """On PostgreSQL, run ``queries`` as one statement, one round trip, and keep their rows until
    :func:`driver.fetch <adaptive.store.driver.fetch>` asks for them, with the same statement and parameters,
    on this connection (:func:`driver.forget <adaptive.store.driver.forget>` drops what is left). A parameter
    named alike in two queries must have one value. Elsewhere a no-op."""
    if conn.dialect.name != "postgresql" or not queries:
        return
    run = tuple(q[2] if len(q) == 3 else q[0] for q in queries)  # type: ignore[misc]
    combined = _combined.get(run)
    if combined is None:
        combined = _combined[run] = _combine(run)
    params: dict[str, Any] = {}
    for q in queries:
        for name, value in q[1].items() if len(q) == 2 else ():  # a SELECT run in a query's place takes none
            if params.setdefault(name, value) != value:
                raise ValueError(f"prefetch: parameter {name!r} has two values")
    ((text,),) = driver.fetch(conn, combined.stmt, params)
    for q, rows, cells in zip(queries, orjson.loads(text), combined.cells, strict=True):
        driver.keep(conn, q[0], q[1], [tuple(cell(v) for cell, v in zip(cells, r, strict=True)) for r in rows])


def _combine(run: tuple[Select, ...]) -> _Combined:
    parts, cells = [], []
    for query in run:
        # A Select's ORDER BY, FOR UPDATE and DISTINCT have no public reader in SQLAlchemy 2.0: these private
        # attributes are read (tests/store/test_driver.py's prefetch tests fail if they change).
        order = query._order_by_clauses
        if order and query._for_update_arg is None and not query._distinct:  # numbered in order, aggregated so
            sub = query.add_columns(func.row_number().over(order_by=order).label("prefetch_order")).subquery()
            columns = list(sub.c)[:-1]
            aggregated = func.json_agg(aggregate_order_by(func.json_build_array(*columns), sub.c.prefetch_order))
        else:  # unordered, or one locked row (a window cannot go with FOR UPDATE)
            sub = query.subquery()
            columns = list(sub.c)
            aggregated = func.json_agg(func.json_build_array(*columns))
        rows = func.coalesce(aggregated, literal_column("'[]'::json"))
        parts.append(select(rows).scalar_subquery())
        cells.append([_from_json(c.type) for c in columns])
    # One JSON text of every query's rows, parsed by orjson (several times faster than the driver's json.loads).
    return _Combined(select(cast(func.json_build_array(*parts), Text)), cells)


def _from_json(kind: Any) -> Callable[[Any], Any]:
    """JSON's value of a column as the driver gives it: a timestamp's text parsed, a float that JSON wrote as
    an integer made a float again."""
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Float) and not isinstance(kind, Integer):
        return lambda v: None if v is None else float(v)
    return lambda v: v
