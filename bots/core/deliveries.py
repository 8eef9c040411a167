"""Acting once on a request a chat platform delivers more than once (a retry, a replay within the signature
window, the same request at a second server behind a load balancer or after a restart).

A front end asks ``first_time(key)`` before acting on a request and, on False, acknowledges it and does nothing.
:func:`in_database` asks the tutor's database, which every server on it shares (``adaptive serve`` uses it);
:class:`InMemory` remembers the keys one process saw (an app built without a tutor, tests).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adaptive import Tutor

FirstTime = Callable[[str], bool]


class InMemory:
    """A bounded set of the most recent ``size`` keys seen by this process."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: str) -> bool:
        """True the first time ``key`` is offered (and remembers it); False for a repeat."""
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return False
            self._seen[key] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True


def in_database(tutor: Tutor, platform: str) -> FirstTime:
    """``first_time`` backed by :meth:`Tutor.claim_chat_delivery`: of all servers sharing the tutor's
    database, only the first offered a key acts on it."""
    return lambda key: tutor.claim_chat_delivery(platform, key)
