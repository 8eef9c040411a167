"""Slash commands: ``/goal <text>`` goes to the core; its answer arrives in the app's DM with the person."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bots.slack.delivery import send
from bots.slack.listeners import SLASH_COMMANDS, Tutoring


def register(app: App, tutoring: Tutoring) -> None:
    def on_command(ack: Ack, command: dict, client: WebClient) -> None:
        ack()
        user = tutoring.users.get(command["user_id"])
        name = command["command"].lstrip("/")
        messages = tutoring.conversation.command(user, name, command.get("text", "").strip())
        # Posting to the user id writes in the app's Messages tab, where the buttons keep the conversation going.
        send(client, command["user_id"], messages)

    for name in SLASH_COMMANDS:
        app.command(name)(on_command)
