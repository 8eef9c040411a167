"""Unit of work: one transaction around a function, retried when the database asks for it.

Retried: deadlocks and serialisation failures (PostgreSQL 40P01/40001), "database is locked" (SQLite), a
pooled connection the server had closed (its first statement fails; the pool pings no connection first),
a mastery state whose version moved (:class:`StaleState`), unique-key races (two writers inserting the same
key: the retry sees the other's row) and, when asked, any integrity error.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adaptive.store.db import reading
from adaptive.store.state import StaleState

T = TypeVar("T")
RETRY_SQLSTATES = {"40001", "40P01"}
MAX_ATTEMPTS = 30


def retryable(exc: BaseException, integrity: bool = False) -> bool:
    if isinstance(exc, StaleState):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:  # a pooled connection the server had dropped
        return True
    if isinstance(exc, IntegrityError):
        orig = exc.orig
        unique = getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)
        return integrity or unique
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        return getattr(orig, "sqlstate", None) in RETRY_SQLSTATES or "database is locked" in str(orig)
    return False


def run_transaction(
    sessions: sessionmaker[Session], work: Callable[[Session], T], *, retry_integrity: bool = False,
    attempts: int = MAX_ATTEMPTS,
) -> T:
    """Run ``work(session)`` in one transaction: committed if it returns, rolled back if it raises (tried at
    most ``attempts`` times)."""
    for attempt in range(1, attempts + 1):
        try:
            with sessions.begin() as session:
                return work(session)
        except Exception as exc:
            if attempt >= attempts or not retryable(exc, retry_integrity):
                raise
            time.sleep(random.uniform(0, min(0.2, 0.002 * 2**attempt)))
    raise AssertionError("unreachable")


def read(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run read-only ``work`` in a read-only transaction: on SQLite one that takes no write lock, rolled back;
    on PostgreSQL a ``READ ONLY`` one, committed (see :func:`adaptive.store.db.reading`). Again on a fresh
    connection if the pooled one had been dropped by the server."""
    for attempt in (1, 2):
        try:
            with reading(), sessions() as session, session.begin():
                result = work(session)
                if session.get_bind().dialect.name == "postgresql":
                    session.commit()
                else:
                    session.rollback()
                return result
        except DBAPIError as exc:
            if attempt == 2 or not exc.connection_invalidated:
                raise
    raise AssertionError("unreachable")
