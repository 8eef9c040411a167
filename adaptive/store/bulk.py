"""Executemany for the statements written per response, without SQLAlchemy's per-value Python work.

Core processes every bound value of an executemany in Python (a parameter dict per row, a processor call
per value); on the response path that cost more than the database's own work. Here a Core statement is
compiled once per (dialect, columns given), each value goes through SQLAlchemy's own bind processor for
its type (on SQLite naive datetimes are formatted directly, in the same text SQLAlchemy stores), and the
rows go to :meth:`Connection.exec_driver_sql`, so errors are still SQLAlchemy's (``IntegrityError`` etc.).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Plan:
    sql: str
    values: Callable[[dict[str, Any]], Any]  # a row -> the driver's parameters (a tuple, or a dict by name)


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
    # The driver's parameters of a row come from a function generated for this statement: one call per row
    # instead of a loop over its values (the names in the source are the compiled statement's own).
    scope: dict[str, Any] = {}
    parts = []
    for i, name in enumerate(names):
        kind = compiled.binds[name].type
        processor = kind._cached_bind_processor(dialect)
        if dialect.name == "sqlite" and isinstance(kind, DateTime) and processor is not None:
            processor = _sqlite_datetime(processor)
        if name in constants:
            scope[f"c{i}"] = processor(constants[name]) if processor else constants[name]
            value = f"c{i}"
        elif processor is None:
            value = f"row[{name!r}]"
        else:
            scope[f"f{i}"] = processor
            value = f"f{i}(row[{name!r}])"
        parts.append(value if positional else f"{name!r}: {value}")
    body = f"({', '.join(parts)},)" if positional else f"{{{', '.join(parts)}}}"
    exec(f"def values(row):\n    return {body}\n", scope)  # noqa: S102
    return _Plan(compiled.string, scope["values"])


def executemany(conn: Connection, stmt: ClauseElement, rows: Sequence[dict[str, Any]]) -> CursorResult:
    """Run ``stmt`` once per row (at least one); every row must give the keys of the first row."""
    plan = _plan(stmt, conn.dialect, tuple(rows[0]))
    values = plan.values
    return conn.exec_driver_sql(plan.sql, [values(row) for row in rows])
