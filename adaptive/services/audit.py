"""The access log: who reads which student's data, kept in the audit trail (:mod:`adaptive.store.audit`).

Who is acting is set per call path, not per Tutor: :meth:`AccessLog.acting_as` holds the actor in a context
variable, so each thread and each asyncio task sees its own (a chat server answering two people at once logs
each as themselves). Without one, the Tutor's ``actor`` (``Tutor(actor="api:gradebook")``) is used, and when
that is None too nothing is logged: a library used by its own program logs nothing it was not asked to.

A read is logged after it returned, in a short write transaction of its own, so reads stay reads (inside a
unit of work, in a savepoint of its transaction). Reads never wait for writers: while another program holds
SQLite's write lock past its timeout, the entries wait in memory and are written with the next ones, or when
the Tutor closes (see :meth:`AccessLog.flush`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from adaptive.domain.audit import AuditEntry, checked_actor
from adaptive.domain.words import counted
from adaptive.store import audit as store
from adaptive.store.database import ClosedDatabase

if TYPE_CHECKING:
    from adaptive.services.context import Context

log = logging.getLogger("adaptive.audit")


class AccessLog:
    """The actor of the current thread or task, and the entries written for it (one per Tutor)."""

    def __init__(self, default_actor: str | None = None) -> None:
        self.default_actor = None if default_actor is None else checked_actor(default_actor)
        self._actor: ContextVar[str | None] = ContextVar(f"adaptive_actor_{id(self)}", default=None)
        self._pending: list[_Pending] = []
        self._lock = threading.Lock()

    def add(self, entries: list[_Pending]) -> None:
        with self._lock:
            self._pending += entries

    def flush(self, ctx: Context, *, last: bool = False) -> None:
        """Write the entries waiting, in one short transaction tried once. While another program holds
        SQLite's write lock past its timeout, they wait for the next read's entries or :meth:`Tutor.close`
        (the read itself has answered: reads never wait for writers); if they cannot be written when the
        Tutor closes (``last``), the ``adaptive.audit`` log says so with their actors and codes."""
        with self._lock:
            taken, self._pending = self._pending, []
        if not taken:
            return

        def work(session: Session) -> None:
            for p in taken:
                store.record_many(session, actor=p.actor, action="read", students=p.students, what=p.what,
                                  detail=p.detail, at=p.at)

        try:
            ctx.write(work, attempts=1)
        except (DBAPIError, ClosedDatabase) as exc:
            if last or isinstance(exc, ClosedDatabase):
                for p in taken:
                    log.warning("audit entries not written (%s): %s read %s of %s at %s", _why(exc), p.actor,
                                p.what, ", ".join(str(s) for s in p.students), p.at.isoformat(timespec="seconds"))
                return
            with self._lock:
                self._pending[:0] = taken
            log.info("audit entries kept until the database can be written: %s", _why(exc))

    @property
    def actor(self) -> str | None:
        """Who is acting now: the one set by :meth:`acting_as`, else the default (None: nothing is logged)."""
        return self._actor.get() or self.default_actor

    @contextmanager
    def acting_as(self, actor: str) -> Iterator[str]:
        """Log the calls made inside the ``with`` block (in this thread or task) as ``actor``."""
        token = self._actor.set(checked_actor(actor))
        try:
            yield self._actor.get() or ""
        finally:
            self._actor.reset(token)


@dataclass(frozen=True)
class _Pending:
    """Read entries not yet written (one per student), as they happened."""

    actor: str
    what: str
    detail: str
    students: tuple[str | None, ...]
    at: dt.datetime


class AuditService:
    """The access log and audit trail of :class:`adaptive.Tutor`: reading it, and what the other services call
    to add to it."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def audit_entries(self, *, student: str | None = None, actor: str | None = None,
                      since: dt.datetime | dt.date | None = None, until: dt.datetime | dt.date | None = None,
                      limit: int | None = store.DEFAULT_LIMIT) -> list[AuditEntry]:
        """The audit trail, newest first: entries about ``student``, by ``actor`` (as logged; ending with ``*``,
        every actor starting so, e.g. ``slack:*``), at or after ``since`` and before ``until`` (a date is its
        midnight UTC; naive times are UTC), at most ``limit`` (None: all). Reading it is itself logged (what:
        ``audit trail``) when an actor is set."""
        start, end = _moment(since), _moment(until)
        found = self._ctx.read(lambda s: store.entries(s, student=student, actor=actor, since=start, until=end,
                                                       limit=limit))
        read(self._ctx, "audit trail", [student], counted(len(found), "entry", "entries"))
        return found


def read(ctx: Context, what: str, students: Iterable[str | None], detail: str = "") -> None:
    """Log that the current actor read ``what`` of each of ``students`` (one entry each, in one short write
    transaction); nothing when no actor is set. ``detail`` is codes and counts only, never anyone's words."""
    read_grouped(ctx, what, {detail: students})


def read_grouped(ctx: Context, what: str, students_by_detail: Mapping[str, Iterable[str | None]]) -> None:
    """:func:`read` for several details at once (a district's small groups: one detail a section), in one
    transaction."""
    actor = ctx.access.actor
    if actor is None:
        return
    at = dt.datetime.now(dt.UTC)
    batch = [_Pending(actor, what, detail, tuple(codes), at) for detail, codes in students_by_detail.items()]
    ctx.access.add([p for p in batch if p.students])
    ctx.access.flush(ctx)


def changer(ctx: Context, by: str | None) -> str:
    """Who a change (``unlink``, ``erase``, ``void``...) is logged as: the current actor, else ``by`` (the name
    the caller gave), else ``unknown``. A change is always logged, unlike a read, in the change's transaction."""
    return ctx.access.actor or by or "unknown"


def _why(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


def _moment(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), dt.UTC)
