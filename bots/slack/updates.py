"""Students' progress updates on Slack: a :class:`~bots.core.updates.Courier` that DMs each student.

The student's Slack user is the one linked to them (``chat_identity``), else the one ``users.lookupByEmail``
finds with their roster e-mail (needs the ``users:read.email`` scope).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adaptive.domain import StudentContact
from bots.core import updates
from bots.core.messages import Message
from bots.core.updates import NotDelivered, UpdatesReport
from bots.slack import delivery
from bots.slack.notify import slack_user


class SlackCourier:
    """DMs students through the bot's Web API client."""

    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def address(self, student: StudentContact) -> tuple[str | None, str]:
        return slack_user(self._client, student.chat_user_id, student.email)

    def send(self, where: str, messages: Sequence[Message]) -> None:
        try:
            channel = self._client.conversations_open(users=where)["channel"]["id"]
            delivery.send(self._client, channel, list(messages))
        except SlackApiError as exc:
            raise NotDelivered(f"Slack refused: {exc.response.get('error')}") from exc


def deliver(tutor: Any, client: WebClient, **options: Any) -> UpdatesReport:
    """:func:`bots.core.updates.deliver` on Slack (options: ``students``, ``since``, ``weekly``, ``today``)."""
    return updates.deliver(tutor, SlackCourier(client), **options)
