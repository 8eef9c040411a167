"""Each Slack request is acted on once: Slack retries an event it thinks timed out (``X-Slack-Retry-Num``),
possibly at another server or after a restart, and a signed request captured on the way can be replayed for
the 5 minutes its signature stays valid.

An event is known by its ``event_id`` (a retry keeps it, with a new signature); any other request (a slash
command, a button) has no id of its own and is known by a hash of its timestamp and signature: the signature
covers the body, so an identical replay collides and a genuine new request does not.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse

from bots.core.deliveries import FirstTime

logger = logging.getLogger(__name__)


def _header(request: BoltRequest, name: str) -> str:
    values = request.headers.get(name) or []
    return values[0] if values else ""


def delivery_key(body: dict, request: BoltRequest) -> str | None:
    """What identifies the request across retries and replays; None when nothing does (Socket Mode's
    commands and buttons, which Slack signs nothing of and sends once)."""
    event_id = body.get("event_id")
    if body.get("type") == "event_callback" and isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    timestamp, signature = _header(request, "x-slack-request-timestamp"), _header(request, "x-slack-signature")
    if timestamp and signature:
        return "signed:" + hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()
    return None


def dedupe_middleware(first_time: FirstTime) -> Callable[..., BoltResponse | None]:
    """Bolt global middleware: a request seen before is acknowledged (HTTP 200, so Slack stops retrying) and
    goes no further.

    It runs after the signature check, so a forged request never marks a key as seen. A key is marked when
    the request arrives, so a retry that comes while the first delivery is still being answered is dropped
    too. When the check itself fails (the database is down) the request is acted on: answering twice is
    better than not at all.
    """

    def dedupe(body: dict, req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:
        key = delivery_key(body, req)
        if key is not None:
            try:
                first = first_time(key)
            except Exception:  # noqa: BLE001 - see above; the error (no parameters, no body) is logged
                logger.warning("could not check whether a Slack request was seen before; acting on it",
                               exc_info=True)  # fmt: skip
                first = True
            if not first:
                logger.debug("acknowledged a repeated Slack request without acting on it (retry %s)",
                             _header(req, "x-slack-retry-num") or "none")  # fmt: skip
                return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe
