"""One database as the services use it: its engine, and units of work over it.

Every service call runs ``write`` or ``read``: a transaction of its own, retried when the database asks
(:mod:`adaptive.store.uow`). Inside :meth:`Database.unit_of_work` the calls of one thread share one
transaction instead (each write in a savepoint of its own), so a chat message that reads a student, records a
goal and reads a playlist commits once, or not at all.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from adaptive.domain import StoreError
from adaptive.store import db
from adaptive.store.checkpoints import WalCheckpointer
from adaptive.store.uow import MAX_ATTEMPTS, read, run_transaction

T = TypeVar("T")


class ClosedDatabase(StoreError):
    """A call on a Tutor (or database) that was closed."""


class Database:
    """The engine and sessions of one database URL (any SQLAlchemy URL of SQLite or PostgreSQL).

    On a SQLite file, WAL checkpoints run in a thread of their own instead of inside some commit; an
    in-memory SQLite database is one shared connection, so calls on it take turns.
    """

    def __init__(self, url: str, *, engine_options: dict[str, Any] | None = None) -> None:
        self.url = url
        parsed = make_url(url)
        in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
        sqlite_file = parsed.get_backend_name() == "sqlite" and not in_memory
        self._engine = db.make_engine(url, wal_autocheckpoint=not sqlite_file, **(engine_options or {}))
        self._sessions = db.make_sessionmaker(self._engine)
        self._turns: AbstractContextManager[Any] = threading.RLock() if in_memory else nullcontext()
        self._current: ContextVar[Session | None] = ContextVar(f"adaptive_uow_{id(self)}", default=None)
        self._closed = False
        self._checkpoint_file = parsed.database if sqlite_file else None
        self._checkpoints: WalCheckpointer | None = None

    def start_checkpoints(self) -> None:
        """Start the WAL checkpoint thread (SQLite files only; after the schema is in place)."""
        if self._checkpoint_file is not None and self._checkpoints is None:
            self._checkpoints = WalCheckpointer(self._checkpoint_file)
            weakref.finalize(self, self._checkpoints.close)  # also stopped when nobody closed the database

    @property
    def closed(self) -> bool:
        return self._closed

    def upgrade(self) -> str:
        """Migrate the schema to the latest revision; returns that revision."""
        self._check_open()
        return db.upgrade(self._engine)

    def close(self) -> None:
        """Stop the checkpoint thread and close every connection; later calls raise :class:`ClosedDatabase`."""
        self._closed = True
        if self._checkpoints is not None:
            self._checkpoints.close()
        self._engine.dispose()

    def _check_open(self) -> None:
        if self._closed:
            raise ClosedDatabase("this Tutor is closed: open a new one to use the database again")

    # -- transactions -------------------------------------------------------------------------------------
    def write(self, work: Callable[[Session], T], retry_integrity: bool = False, attempts: int = MAX_ATTEMPTS) -> T:
        """Run ``work`` in one transaction (tried up to ``attempts`` times on deadlocks and lost races); in a
        unit of work, in a savepoint of its transaction."""
        self._check_open()
        session = self._current.get()
        if session is not None:
            with session.begin_nested():
                return work(session)
        with self._turns:
            return run_transaction(self._sessions, work, retry_integrity=retry_integrity, attempts=attempts)

    def read(self, work: Callable[[Session], T]) -> T:
        """Run read-only ``work`` in a read-only transaction (in a unit of work: in its transaction)."""
        self._check_open()
        session = self._current.get()
        if session is not None:
            return work(session)
        with self._turns:
            return read(self._sessions, work)

    def atomically(self, work: Callable[[], T]) -> T:
        """Run ``work()`` as one unit of work: every call it makes shares one transaction, committed when it
        returns; retried as a whole, like a single write, when the database asks."""
        if self._current.get() is not None:
            return work()

        def run(session: Session) -> T:
            token = self._current.set(session)
            try:
                return work()
            finally:
                self._current.reset(token)

        return self.write(run)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """The calls made inside share one transaction, committed at the end (rolled back if it raises).
        Not retried: prefer :meth:`atomically` where the work can simply run again."""
        self._check_open()
        if self._current.get() is not None:
            yield
            return
        with self._turns, self._sessions.begin() as session:
            token = self._current.set(session)
            try:
                yield
            finally:
                self._current.reset(token)
