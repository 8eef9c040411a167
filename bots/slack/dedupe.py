"""Slack retries an event it thinks timed out (``X-Slack-Retry-Num``); each event id is acted on once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt import BoltResponse


class EventIds:
    """A bounded set of the most recent ``size`` event ids seen."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True the first time ``event_id`` is offered (and remembers it); False for a repeat."""
        with self._lock:
            if event_id in self._seen:
                self._seen.move_to_end(event_id)
                return False
            self._seen[event_id] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True


def dedupe_middleware(seen: EventIds) -> Callable[..., BoltResponse | None]:
    """Bolt global middleware: a repeated event id is acknowledged and goes no further.

    It runs after Bolt's signature check, so a forged request never marks an id as seen. An id is marked
    when it arrives, so a retry that comes while the first delivery is still being answered is dropped too.
    """

    def dedupe(body: dict, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not seen.first_time(event_id):
            return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe
