"""The store's edges for mastery states and times: the stale-state error the unit of work retries, and
timestamps converted to and from storage (naive UTC). The state record itself is
:class:`adaptive.domain.tracing.StoredState`; its arithmetic is in :mod:`adaptive.knowledge_tracing.states`."""

from __future__ import annotations

from datetime import UTC, datetime

from adaptive.domain import StoreError
from adaptive.domain.tracing import StoredState

__all__ = ["StaleState", "StoredState", "from_db_time", "to_db_time", "utcnow"]


class StaleState(StoreError):
    """A mastery state changed under us (version mismatch): the transaction is retried."""


def to_db_time(value: datetime) -> datetime:
    """Naive UTC for storage (naive input is taken as UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def from_db_time(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
