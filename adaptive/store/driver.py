"""The response path's statements, run on the database driver inside the session's transaction.

A single recorded response runs about fifteen statements. SQLAlchemy Core spends 50-120 us of Python on
each execution here (a cache key built by walking the statement, an execution context, a processor call
per value, result metadata), several times what SQLite needs to answer, and on a batch's executemany it
processes every value of every row the same way. So the statements of the response path are written in
Core as usual, compiled once per (statement, dialect, parameters given), and then run here:

- parameters go through SQLAlchemy's own bind processor for their type, gathered by a function generated
  for the statement (one call per row; on SQLite naive datetimes are formatted directly, in the very text
  SQLAlchemy stores);
- results go through SQLAlchemy's own result processors (dates parsed on SQLite);
- the driver's errors are raised as SQLAlchemy's (``IntegrityError``, ``OperationalError``...), so retries
  (:mod:`adaptive.store.uow`) see what they would see from Core.

The statements run on the session's own connection, in its transaction; nothing else of SQLAlchemy's is
skipped (no engine events are used on these paths).

On PostgreSQL every statement is a round trip to the server and, in psycopg, 70-100 us of Python, more than
most of these statements cost the server. :mod:`adaptive.store.prefetch` runs several queries as one
statement and files their rows here (:func:`keep`) for the :func:`fetch` calls that ask for them next. In a
transaction that :func:`defer_writes`,
INSERTs wait and go with the next write or the COMMIT, in one simple query (their values written in by
psycopg's client-side binding), one round trip.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from adaptive.domain.errors import StoreError


@dataclass
class _Plan:
    sql: str
    values: Callable[[Mapping[str, Any]], Any]  # a row's values -> the driver's parameters (tuple, or dict by name)
    types: tuple[Any, ...]  # of the result's columns
    result: Callable[[Any], tuple] | None = None  # a fetched row -> the row processed (made at the first fetch)
    plain: bool = False  # the result needs no processing
    numbered: bool = False  # PostgreSQL's $1 placeholders: run by psycopg's RawCursor
    pyformat: str = ""  # PostgreSQL: the statement with psycopg's %(name)s, for client-side binding
    names: tuple[str, ...] = ()  # of its parameters, in the order values() gives them


_NOTHING = object()


def _sqlite_datetime(fallback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    last: tuple[Any, str] = (_NOTHING, "")  # the same "now" fills several columns of every row of a batch

    def convert(value: Any) -> Any:
        nonlocal last
        seen = last
        if value is seen[0]:
            return seen[1]
        # SQLAlchemy's SQLite DATETIME text is "YYYY-MM-DD HH:MM:SS.ffffff", which is exactly this.
        if type(value) is datetime and value.tzinfo is None:
            last = (value, value.isoformat(" ", "microseconds"))
            return last[1]
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


def _generated(name: str, body: str, scope: dict[str, Any]) -> Callable[..., Any]:
    exec(f"def {name}(row):\n    return {body}\n", scope)  # noqa: S102 - our own source, from compiled names
    return scope[name]


_PYFORMAT = re.compile(r"%\((\w+)\)s|%%")


def _numbered(sql: str) -> tuple[str, tuple[str, ...]]:
    """psycopg's ``%(name)s`` text as PostgreSQL's own ``$1`` placeholders, with the names in number order:
    run by a raw cursor, which converts nothing per execution (psycopg caches its conversion only for short
    statements, and a prefetch is long)."""
    order: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        return f"${order.setdefault(match.group(1), len(order) + 1)}"

    return _PYFORMAT.sub(number, sql), tuple(order)


def _compile(stmt: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
    sql = compiled.string
    if dialect.name == "postgresql" and dialect.paramstyle == "pyformat":
        sql, names = _numbered(sql)
        positional = True
    scope: dict[str, Any] = {}
    parts = []
    for i, name in enumerate(names):
        bind = compiled.binds[name]
        if bind.expanding:
            raise ValueError(f"{name!r} is an expanding IN parameter: bind the list with in_json instead")
        processor = bind.type._cached_bind_processor(dialect)
        if dialect.name == "sqlite" and isinstance(bind.type, DateTime) and processor is not None:
            processor = _sqlite_datetime(processor)
        if name not in keys:  # a literal of the statement (the 1 of "version + 1")
            if bind.value is None or bind.callable is not None:
                raise ValueError(f"no value given for {name!r} of {compiled.string!r}")
            scope[f"c{i}"] = processor(bind.value) if processor else bind.value
            value = f"c{i}"
        elif processor is None:
            value = f"row[{name!r}]"
        else:
            scope[f"f{i}"] = processor
            value = f"f{i}(row[{name!r}])"
        parts.append(value if positional else f"{name!r}: {value}")
    body = (f"({', '.join(parts)},)" if parts else "()") if positional else f"{{{', '.join(parts)}}}"
    values = _generated("values", body, scope)
    numbered = sql is not compiled.string
    return _Plan(sql, values, tuple(c.type for c in getattr(stmt, "selected_columns", ())), numbered=numbered,
                 pyformat=compiled.string if numbered else "", names=names if numbered else ())


def _result_function(plan: _Plan, dialect: Dialect, description: Any) -> None:
    """SQLAlchemy's result processors for the plan's columns (some need the driver's type codes)."""
    processors = [kind._cached_result_processor(dialect, column[1])
                  for kind, column in zip(plan.types, description or (), strict=False)]
    if not any(processors):
        plan.plain = True
        return
    scope: dict[str, Any] = {}
    for i, processor in enumerate(processors):
        scope[f"r{i}"] = processor
    cells = [f"r{i}(row[{i}])" if p else f"row[{i}]" for i, p in enumerate(processors)]
    plan.result = _generated("result", f"({', '.join(cells)},)", scope)


def _cursor(conn: Connection, plan: _Plan) -> Any:
    raw = conn.connection.driver_connection
    return conn.dialect.loaded_dbapi.RawCursor(raw) if plan.numbered else raw.cursor()  # type: ignore[union-attr]


def first_line(error: BaseException) -> None:
    """Cut an error's message to its first line: PostgreSQL quotes the row's values below it (``DETAIL: Key
    (code)=(...) already exists``, ``CONTEXT: COPY ..., line n: <the row>``); a student's words stay out of
    logs. The details stay on the driver error's ``diag`` for code that needs them."""
    if error.args and isinstance(error.args[0], str) and "\n" in error.args[0]:
        error.args = (error.args[0].split("\n", 1)[0], *error.args[1:])


NUL_REFUSED = "text cannot contain the NUL character (\\0); remove it and try again"


def refuses_nul(exc: BaseException) -> bool:
    """PostgreSQL's refusal of a NUL character in text: psycopg's, for a value it sends itself, or the
    server's (22P05), for one inside JSON it decodes."""
    return "cannot contain NUL" in str(exc) or getattr(exc, "sqlstate", None) == "22P05"


def raised(conn: Connection, sql: str, exc: Exception, params: Any = None) -> DBAPIError | StoreError:
    """A driver error of a statement run outside SQLAlchemy's execution, as SQLAlchemy's error, without the
    row's values (its parameters hidden, its message cut by :func:`first_line`), as db.make_engine's engine
    does for SQLAlchemy's own statements; a NUL in text as a StoreError saying so."""
    if refuses_nul(exc):
        return StoreError(NUL_REFUSED)
    first_line(exc)
    return DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect,
                               hide_parameters=True)


# Rows kept for fetch() (by prefetch.run), by (statement, parameters), per SQLAlchemy connection: a session's
# connection lives for its one transaction (conn.info would outlive it, with the pooled DBAPI connection).
_prefetched: weakref.WeakKeyDictionary[Connection, dict[tuple[Any, ...], list[tuple]]] = weakref.WeakKeyDictionary()


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


def _key(stmt: ClauseElement, params: Mapping[str, Any]) -> tuple[Any, ...]:
    return (stmt, *sorted((name, _frozen(value)) for name, value in params.items()))


def fetch(conn: Connection, stmt: ClauseElement, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """The rows of query ``stmt`` with ``params`` (every parameter of the statement given by name); rows
    kept (:func:`keep`) for exactly this query are taken (once) instead."""
    params = params or {}
    waiting = _prefetched.get(conn)
    if waiting:
        rows = waiting.pop(_key(stmt, params), None)
        if rows is not None:
            return rows
    plan = _plan(stmt, conn.dialect, tuple(params))
    if _waiting.get(conn):  # the writes waiting go first (a read stays a prepared statement of its own)
        flush(conn)
    cursor = _cursor(conn, plan)
    try:
        cursor.execute(plan.sql, plan.values(params))
        rows = cursor.fetchall()
        if plan.result is None and not plan.plain:
            _result_function(plan, conn.dialect, cursor.description)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise raised(conn, plan.sql, exc, params) from exc
    finally:
        cursor.close()
    result = plan.result
    return rows if result is None else [result(row) for row in rows]


def stream(conn: Connection, stmt: ClauseElement, params: Mapping[str, Any] | None = None,
           size: int = 2000) -> Iterator[tuple]:
    """The rows of query ``stmt`` as :func:`fetch` gives them, on PostgreSQL streamed in chunks of ``size``
    (psycopg with libpq's chunked rows): the server works out the next rows while the caller handles these,
    where fetching every row first leaves one idle while the other works. For reads of a district's rows.
    Elsewhere, or without chunked rows, the rows are fetched whole."""
    params = params or {}
    if conn.dialect.driver != "psycopg" or not _chunked():
        yield from fetch(conn, stmt, params)
        return
    plan = _plan(stmt, conn.dialect, tuple(params))
    if _waiting.get(conn):
        flush(conn)
    cursor = _cursor(conn, plan)
    try:
        rows = cursor.stream(plan.sql, plan.values(params), size=size)
        first = next(rows, None)
        if first is None:
            return
        if plan.result is None and not plan.plain:  # the result's types are known from its first row
            _result_function(plan, conn.dialect, cursor.description)
        result = plan.result
        if result is None:  # hundreds of thousands of rows: handed on by the generator machinery, in C
            yield first
            yield from rows
        else:
            yield result(first)
            yield from map(result, rows)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise raised(conn, plan.sql, exc, params) from exc
    finally:
        cursor.close()


@functools.cache
def _chunked() -> bool:
    import psycopg

    return bool(psycopg.capabilities.has_stream_chunked())


def prefetched(conn: Connection, stmt: ClauseElement, params: Mapping[str, Any]) -> list[tuple] | None:
    """Take the rows kept for this query (None: none are)."""
    return _prefetched.get(conn, {}).pop(_key(stmt, params), None)


def keep(conn: Connection, stmt: ClauseElement, params: Mapping[str, Any], rows: list[tuple]) -> None:
    """File ``rows`` as the answer of this query for :func:`fetch` (the caller vouches they are)."""
    _prefetched.setdefault(conn, {})[_key(stmt, params)] = rows


def forget(conn: Connection) -> None:
    """Drop the rows kept that nobody asked for."""
    _prefetched.pop(conn, None)


def scalar(conn: Connection, stmt: ClauseElement, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row of ``stmt`` (None when there is no row)."""
    rows = fetch(conn, stmt, params)
    return rows[0][0] if rows else None


def executemany(conn: Connection, stmt: ClauseElement, rows: Sequence[Mapping[str, Any]]) -> int:
    """Run ``stmt`` once per row (at least one; every row gives the keys of the first); the rows affected."""
    plan = _plan(stmt, conn.dialect, tuple(rows[0]))
    values = plan.values
    params = [values(row) for row in rows]
    if _waiting.get(conn):  # the writes waiting go first, in the same round trip
        cursor = _send(conn, [(plan, p) for p in params])
        return sum(_counts(cursor)[-len(params):])
    cursor = _cursor(conn, plan)
    try:
        if len(params) == 1:  # psycopg runs executemany in a pipeline of its own: a second trip, more Python
            cursor.execute(plan.sql, params[0])
        else:
            cursor.executemany(plan.sql, params)
        return cursor.rowcount
    except conn.dialect.loaded_dbapi.Error as exc:
        raise raised(conn, plan.sql, exc, params) from exc
    finally:
        cursor.close()


# -- writes that wait for the next round trip (PostgreSQL) ----------------------------------------------------
# Per transaction (the SQLAlchemy connection), the INSERTs waiting, each a plan and its parameters.
_waiting: weakref.WeakKeyDictionary[Connection, list[tuple[_Plan, Any]]] = weakref.WeakKeyDictionary()


def defer_writes(conn: Connection) -> None:
    """Until this transaction ends, let :func:`insert_later` keep INSERTs back: they go to PostgreSQL with the
    connection's next write (:func:`executemany`) or with the COMMIT, in one round trip, or just before its
    next read (:func:`fetch`, any SQLAlchemy statement). An INSERT either adds its rows or fails, so no
    caller needs its count; a failure is raised by the statement it went with (or the commit), and the
    transaction rolls back as usual. For a transaction of a few small writes: the live response's. Elsewhere
    a no-op."""
    if conn.dialect.name == "postgresql":
        _waiting.setdefault(conn, [])


def insert_later(conn: Connection, stmt: ClauseElement, rows: Sequence[Mapping[str, Any]]) -> bool:
    """Keep INSERT ``stmt`` of ``rows`` back for the next round trip if this transaction defers writes (True);
    False: the caller runs it now."""
    waiting = _waiting.get(conn)
    if waiting is None or not rows:
        return False
    plan = _plan(stmt, conn.dialect, tuple(rows[0]))
    waiting.extend((plan, plan.values(row)) for row in rows)
    return True


def flush(conn: Connection) -> None:
    """Send the writes waiting now (before a read, or a statement that does not go through this module)."""
    if _waiting.get(conn):
        _counts(_send(conn, []))


def _send(conn: Connection, then: list[tuple[_Plan, Any]], last: str = "") -> Any:
    """Run the waiting writes, then ``then`` (plans and parameters), then ``last`` (plain SQL) as one simple
    query, values written in by psycopg (its own quoting); the cursor on the first result."""
    waiting = _waiting[conn]
    entries = [*waiting, *then]
    waiting.clear()
    cursor = conn.dialect.loaded_dbapi.ClientCursor(conn.connection.driver_connection)
    tail = [last] if last else []
    try:
        texts = [cursor.mogrify(plan.pyformat, dict(zip(plan.names, p, strict=True))) for plan, p in entries]
        cursor.execute("; ".join([*texts, *tail]))
    except conn.dialect.loaded_dbapi.Error as exc:
        cursor.close()
        raise raised(conn, "; ".join([*(plan.sql for plan, _ in entries), *tail]), exc) from exc
    return cursor


def _counts(cursor: Any) -> list[int]:
    """The rows affected by each statement of a simple query, in order (closes the cursor)."""
    counts = [cursor.rowcount]
    while cursor.nextset():
        counts.append(cursor.rowcount)
    cursor.close()
    return counts


def on_commit(conn: Connection) -> None:
    """SQLAlchemy's ``commit`` event, just before the driver's COMMIT: the writes waiting go with a COMMIT of
    their own, one round trip (psycopg's commit then finds nothing to do)."""
    try:
        if _waiting.get(conn):
            _counts(_send(conn, [], "COMMIT"))
    finally:
        _waiting.pop(conn, None)


def on_rollback(conn: Connection) -> None:
    """SQLAlchemy's ``rollback`` event: the writes waiting are dropped with the transaction."""
    _waiting.pop(conn, None)


def before_statement(conn: Connection, *_: Any) -> None:
    """SQLAlchemy's ``before_cursor_execute`` event: a statement of SQLAlchemy's own sees the writes before it."""
    if _waiting.get(conn):
        flush(conn)
