"""Direct messages to the bot (``message.im``): people's own text goes to the core, all else is acknowledged."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bots.slack.delivery import send
from bots.slack.listeners import Tutoring


def is_person_in_dm(event: dict) -> bool:
    """A person's plain message in a DM with the bot: no edits, joins, bot posts or other channels."""
    return (
        event.get("channel_type") == "im"
        and "subtype" not in event
        and "bot_id" not in event
        and bool(event.get("user"))
        and bool((event.get("text") or "").strip())
    )


def register(app: App, tutoring: Tutoring) -> None:
    # An event dict filter honours only type/subtype (channel_type would be ignored): filter with a matcher.
    @app.event("message", matchers=[lambda event: is_person_in_dm(event)])
    def on_direct_message(event: dict, client: WebClient) -> None:
        user = tutoring.users.get(event["user"])
        send(client, event["channel"], tutoring.conversation.reply(user, event["text"].strip()))

    @app.event("message")
    def on_other_message() -> None:
        """Edits, bot posts, channel messages: acknowledged (so Slack does not retry) and left alone."""
