"""Chat deliveries as the facade records them: each (platform, key) inserted once, so of every server and
retry offered the same request exactly one is told it is the first; rows older than a cut-off are pruned."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from adaptive.store import models as m
from adaptive.store.repository import insert_ignoring_conflicts


def first_seen(session: Session, platform: str, key: str, now: dt.datetime) -> bool:
    """Record (platform, key) as seen at ``now``; True when no row had it (this call is the first)."""
    row = {"platform": platform, "key": key, "seen_at": now}
    table = m.ChatDelivery.__table__
    return bool(insert_ignoring_conflicts(session, table, ["platform", "key"], [row], "key"))  # type: ignore[arg-type]


def prune(session: Session, before: dt.datetime) -> int:
    """Forget the deliveries seen before ``before``; returns how many."""
    d = m.ChatDelivery
    return session.execute(delete(d).where(d.seen_at < before)).rowcount or 0
