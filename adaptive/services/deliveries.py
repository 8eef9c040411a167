"""Requests chat platforms deliver more than once: a platform's retry, a signed request replayed within its
signature window, the same request reaching a second server behind a load balancer or a restarted one. Each
is claimed in the database before it is acted on, so several stateless servers sharing it act once."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

from sqlalchemy.orm import Session

from adaptive.services.context import Context
from adaptive.store import deliveries as store
from adaptive.store.state import utcnow

KEEP = dt.timedelta(days=1)  # far beyond a platform's retries (Slack: minutes) and signature window (5 min)
PRUNE_EVERY = dt.timedelta(minutes=10)  # how often one process prunes, on the claim that comes due


class DeliveryService:
    """Claims of chat deliveries, kept :data:`KEEP` and pruned as claims come in."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._pruned_at: dt.datetime | None = None

    def claim_chat_delivery(self, platform: str, key: str) -> bool:
        """Claim the request identified by ``key`` on ``platform`` before acting on it: True when this call
        claimed it (act), False when it was claimed before, by this server or another sharing the database
        (acknowledge, do nothing). Atomic: of concurrent callers exactly one gets True. Only the key's SHA-256
        is stored; claims older than a day are forgotten (pruned now and then by the claims themselves)."""
        if not key:
            raise ValueError("a chat delivery needs a non-empty key")
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        now = utcnow()
        due = self._prune_due(now)

        def claim(session: Session) -> bool:
            if due:
                store.prune(session, now - KEEP)
            return store.first_seen(session, platform, digest, now)

        return self._ctx.write(claim)

    def prune_chat_deliveries(self, older_than: dt.timedelta = KEEP) -> int:
        """Forget the claims made more than ``older_than`` ago (a request repeated after that acts again);
        returns how many were forgotten."""
        before = utcnow() - older_than
        return self._ctx.write(lambda s: store.prune(s, before))

    def _prune_due(self, now: dt.datetime) -> bool:
        """True for the first claim of this process and then once every :data:`PRUNE_EVERY`."""
        with self._lock:
            if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
                return False
            self._pruned_at = now
            return True
