"""Engines, sessions and schema migrations for a database URL.

SQLite: every writing transaction starts with ``BEGIN IMMEDIATE`` and waits up to 30 s for the write lock
(WAL journal), so concurrent writers queue instead of failing with "database is locked"; a read-only
transaction (:func:`reading`) starts with a plain ``BEGIN`` and reads its WAL snapshot without waiting for
any writer. PostgreSQL: the default READ COMMITTED isolation plus row locks taken by the recording code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from adaptive.domain import StoreError
from adaptive.store import driver

MIGRATIONS = Path(__file__).with_name("migrations")
SUPPORTED = ("sqlite", "postgresql")
SQLITE_BUSY_TIMEOUT_S = 30.0
_PG_UPGRADE_LOCK = 7_134_201  # pg_advisory_xact_lock key: one upgrader at a time
# The latest migration: a new migration changes it (tests/store/test_migrations.py holds it to Alembic's head).
HEAD_REVISION = "0024"
# Set while a read-only transaction begins: SQLite then takes no write lock (see reading()).
_READ_ONLY: ContextVar[bool] = ContextVar("adaptive_read_only", default=False)


@contextmanager
def reading() -> Iterator[None]:
    """Transactions begun inside are read-only: on SQLite they start with a deferred ``BEGIN``, so a report
    or a mastery read never waits behind an import holding the write lock (WAL readers see the last commit);
    on PostgreSQL with ``BEGIN READ ONLY``, committed (see ``_on_begin_postgresql``)."""
    token = _READ_ONLY.set(True)
    try:
        yield
    finally:
        _READ_ONLY.reset(token)


def _on_begin_postgresql(connection: Any) -> None:
    """A read (:func:`reading`) begins ``READ ONLY`` (a write in it fails) and is committed, not rolled back:
    psycopg drops every prepared statement of its connection on a ROLLBACK, so each read made the next
    response's statements be parsed and planned again (2.7 -> 4.4 ms at p50). Its own statements run
    unprepared, as they always did: no generic plan made for a read outlives it. psycopg sends BEGIN with the
    first statement, so neither setting costs a round trip."""
    raw, info = connection.connection.driver_connection, connection.connection.info
    reading = _READ_ONLY.get()
    if raw.read_only is not reading:  # psycopg's setter takes the connection's lock: only on a change
        if reading:  # the connection's own threshold (psycopg's default, or the embedder's), back after
            info["prepare_threshold"] = raw.prepare_threshold
        raw.read_only = reading
        raw.prepare_threshold = None if reading else info.get("prepare_threshold", raw.prepare_threshold)


def json_text(value: Any) -> str:
    """The text of a JSON column: orjson (a decision's three JSON columns took 30 us with json.dumps, 3 with
    it), json.dumps for the rare value orjson refuses (it writes no spaces; NaN, which no stored value may
    be, would become null)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:
        return json.dumps(value)


def _without_row_values(context: ExceptionContext) -> None:
    """PostgreSQL quotes the values of a failed write below its message (``DETAIL: Failing row contains (...)``,
    ``Key (code)=(...) already exists``): the parameters ``hide_parameters`` keeps out of errors. Keep the
    message's first line (:func:`adaptive.store.driver.first_line`)."""
    for error in (context.original_exception, context.sqlalchemy_exception):  # the latter quotes the former
        if error is not None:
            driver.first_line(error)


def _nul_refused(context: ExceptionContext) -> None:
    """PostgreSQL cannot store the NUL character in text (psycopg refuses it before sending): a StoreError that
    names the table and column, not a driver error (SQLite stores the character)."""
    original = context.original_exception
    if original is None or not driver.refuses_nul(original):
        return
    params = context.parameters
    rows = params if isinstance(params, list | tuple) else [params]
    column = next((k for row in rows if isinstance(row, dict) for k, v in row.items()
                   if isinstance(v, str) and "\x00" in v), None)
    compiled = getattr(context.execution_context, "compiled", None)
    table = getattr(getattr(getattr(compiled, "statement", None), "table", None), "name", None)
    where = f"{table}.{column}: " if table and column else ""  # a write names its column; a read's binds do not
    raise StoreError(f"{where}{driver.NUL_REFUSED}") from None


def make_engine(url: str, *, wal_autocheckpoint: bool = True, **options: Any) -> Engine:
    """An engine for ``url`` with the store's connection settings (extra ``options`` go to SQLAlchemy).

    ``wal_autocheckpoint=False`` turns SQLite's automatic WAL checkpoints off on this engine's connections,
    for an owner that checkpoints itself (:class:`adaptive.store.checkpoints.WalCheckpointer`)."""
    parsed = make_url(url)
    options.setdefault("json_serializer", json_text)
    # A failed statement's error never carries its parameters: they are students' words and answers, and
    # errors end up in logs.
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() not in SUPPORTED:
        raise StoreError(f"adaptive stores its data in SQLite or PostgreSQL, not {parsed.get_backend_name()} "
                         f"({parsed.render_as_string(hide_password=True)})")
    if parsed.get_backend_name() != "sqlite":
        # No ping before every transaction (a round trip each): a pooled connection the server dropped fails
        # its first statement, is thrown away, and the unit of work runs the transaction again (uow.retryable).
        engine = create_engine(parsed, **options)
        event.listen(engine, "handle_error", _without_row_values)
        event.listen(engine, "handle_error", _nul_refused)
        # Writes a transaction held back (driver.defer_writes) go before any other statement, or with the COMMIT.
        event.listen(engine, "before_cursor_execute", driver.before_statement)
        event.listen(engine, "commit", driver.on_commit)
        event.listen(engine, "rollback", driver.on_rollback)
        event.listen(engine, "begin", _on_begin_postgresql)
        return engine
    memory = parsed.database in (None, "", ":memory:")
    connect_args = options.pop("connect_args", {})
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
    connect_args.setdefault("check_same_thread", False)
    if memory:
        options.setdefault("poolclass", StaticPool)
    engine = create_engine(parsed, connect_args=connect_args, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.execute("PRAGMA synchronous=NORMAL")
            if not wal_autocheckpoint:
                cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        begin = "BEGIN" if _READ_ONLY.get() else "BEGIN IMMEDIATE"
        try:  # straight to sqlite3 (every transaction runs it), its errors raised as SQLAlchemy's
            connection.connection.driver_connection.execute(begin)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(begin, (), exc, sqlite3.Error, dialect=connection.dialect) from exc

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _stored_revision(engine: Engine) -> str | None:
    """The schema's revision read with plain SQL (None without the table): no Alembic import for the common
    case of a database already at head."""
    try:
        with reading(), engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply migrations up to ``revision``; a quick no-op when the schema is already there. Returns it."""
    if revision == "head" and _stored_revision(engine) == HEAD_REVISION:
        return HEAD_REVISION  # opening a database costs no Alembic start-up (tests check this is the head)
    head = head_revision()
    if revision == "head" and current_revision(engine) == head:
        return head
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_UPGRADE_LOCK})
        command.upgrade(_alembic_config(connection), revision)
    return current_revision(engine) or ""
