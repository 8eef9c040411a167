"""Slack user ids as :class:`ChatUser` values, with the profile email when the token may read it."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.core.messages import ChatUser

log = logging.getLogger(__name__)


class SlackUsers:
    """Looks people up with ``users.info`` once and keeps the last ``size`` of them."""

    def __init__(self, client: WebClient, size: int = 10_000) -> None:
        self._client = client
        self._size = size
        self._known: OrderedDict[str, ChatUser] = OrderedDict()
        self._lock = threading.Lock()
        self._looking_up: dict[str, threading.Lock] = {}  # one users.info per person even when messages race

    def get(self, user_id: str) -> ChatUser:
        with self._lock:
            if user_id in self._known:
                self._known.move_to_end(user_id)
                return self._known[user_id]
            person_lock = self._looking_up.setdefault(user_id, threading.Lock())
        with person_lock:
            with self._lock:
                if user_id in self._known:
                    return self._known[user_id]
            user = self._look_up(user_id)
            with self._lock:
                self._known[user_id] = user
                self._looking_up.pop(user_id, None)
                while len(self._known) > self._size:
                    self._known.popitem(last=False)
        return user

    def _look_up(self, user_id: str) -> ChatUser:
        try:
            found = self._client.users_info(user=user_id).get("user") or {}
        except SlackApiError as exc:
            # missing_scope (no users:read.email) or user_not_found: the person is still known by id.
            log.warning("users.info for %s failed: %s", user_id, exc.response.get("error"))
            return ChatUser(platform="slack", user_id=user_id)
        profile = found.get("profile") or {}
        name = profile.get("real_name") or found.get("real_name") or found.get("name")
        return ChatUser(platform="slack", user_id=user_id, email=profile.get("email") or None, name=name or None)
