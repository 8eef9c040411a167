"""Executemany for the statements written per response, without SQLAlchemy's per-value Python work.

Core processes every bound value of an executemany in Python (a parameter dict per row, a processor call
per value); on the response path that cost more than the database's own work. Here a Core statement is
compiled once per (dialect, columns given), each value goes through SQLAlchemy's own bind processor for
its type (on SQLite naive datetimes are formatted directly, in the same text SQLAlchemy stores), and the
rows go to :meth:`Connection.exec_driver_sql`, so errors are still SQLAlchemy's (``IntegrityError`` etc.).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql import ClauseElement

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # the parameters, in the order the driver takes them
    steps: tuple[tuple[str | None, Convert], ...]  # where each comes from: a row's key (None: a literal), converter
    positional: bool


def _sqlite_datetime(fallback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        # SQLAlchemy's SQLite DATETIME text is "YYYY-MM-DD HH:MM:SS.ffffff", which is exactly this.
        if type(value) is datetime and value.tzinfo is None:
            return value.isoformat(" ", "microseconds")
        return fallback(value)

    return convert


_plans: dict[tuple[Any, ...], _Plan] = {}


def _plan(stmt: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
    # Keyed by the dialect's kind, not the object: every engine has its own dialect instance.
    cache_key = (stmt, dialect.name, dialect.driver, dialect.paramstyle, keys)
    plan = _plans.get(cache_key)
    if plan is None:
        plan = _plans[cache_key] = _compile(stmt, dialect, keys)
    return plan


def _compile(stmt: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
    constants = {}
    for name in names:
        bind = compiled.binds[name]
        if name not in keys:  # a literal of the statement (the 1 of "version + 1")
            if bind.value is None or bind.callable is not None:
                raise ValueError(f"the rows do not give {name!r} for {compiled.string!r}")
            constants[name] = bind.value
    convert: list[Convert] = []
    for name in names:
        kind = compiled.binds[name].type
        processor = kind._cached_bind_processor(dialect)
        if name in constants:
            value = processor(constants[name]) if processor else constants[name]
            processor = functools.partial(_constant, value)
        elif dialect.name == "sqlite" and isinstance(kind, DateTime) and processor is not None:
            processor = _sqlite_datetime(processor)
        convert.append(processor)
    steps = tuple((None if n in constants else n, f) for n, f in zip(names, convert, strict=True))
    return _Plan(compiled.string, names, steps, positional)


def _constant(value: Any, _: Any) -> Any:
    return value


def executemany(conn: Connection, stmt: ClauseElement, rows: Sequence[dict[str, Any]]) -> CursorResult:
    """Run ``stmt`` once per row; every row must give the same keys (those of the first row)."""
    plan = _plan(stmt, conn.dialect, tuple(rows[0]))
    steps = plan.steps
    # A step is (key, converter); a literal of the statement has no key and its converter gives the value.
    if plan.positional:
        params: list[Any] = [tuple(row[n] if f is None else f(row[n] if n is not None else None) for n, f in steps)
                             for row in rows]
    else:
        names = plan.names
        params = [dict(zip(names, (row[n] if f is None else f(row[n] if n is not None else None) for n, f in steps),
                           strict=True)) for row in rows]
    return conn.exec_driver_sql(plan.sql, params)
