"""Slack as a chat platform the bot writes first on: a DM to a student or teacher (the one adapter the daily
list and the progress updates of ``bots.core`` use on Slack).

A person's Slack user is the one linked to them (``chat_identity``), else the one ``users.lookupByEmail``
finds with their roster e-mail (needs the ``users:read.email`` scope).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.core import daily, updates
from bots.core.daily import NotifyReport
from bots.core.messages import Message
from bots.core.platform import Contact, NotDelivered, Role
from bots.core.updates import UpdatesReport
from bots.slack import delivery

if TYPE_CHECKING:
    from adaptive import Tutor

PLATFORM = "slack"


def slack_user(client: WebClient, linked: str | None, email: str | None) -> tuple[str | None, str]:
    """(Slack user id, "") for a person, or (None, why not)."""
    if linked:
        return linked, ""
    if not email:
        return None, "no Slack account linked and no roster e-mail to look one up"
    try:
        found = client.users_lookupByEmail(email=email)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "users_not_found":
            return None, f"no Slack account with the roster e-mail {email}"
        return None, f"users.lookupByEmail failed: {error}"
    return found["user"]["id"], ""


class SlackPlatform:
    """DMs people through the bot's Web API client."""

    platform = PLATFORM

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def address(self, person: Contact, role: Role = "student") -> tuple[str | None, str]:
        return slack_user(self._client, person.chat_user_id, person.email)

    def send(self, where: str, messages: Sequence[Message]) -> None:
        try:
            channel = self._client.conversations_open(users=where)["channel"]["id"]
            delivery.send(self._client, channel, list(messages))
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            raise NotDelivered(f"Slack refused: {error}", error) from exc


def notify_teachers(tutor: Tutor, client: WebClient, day: dt.date) -> NotifyReport:
    """:func:`bots.core.daily.notify_teachers` on Slack: each teacher's list for ``day``, once."""
    return daily.notify_teachers(tutor, SlackPlatform(client), day)


def deliver(tutor: Tutor, client: WebClient, **options: Any) -> UpdatesReport:
    """:func:`bots.core.updates.deliver` on Slack (options: ``students``, ``since``, ``weekly``, ``today``)."""
    return updates.deliver(tutor, SlackPlatform(client), **options)
