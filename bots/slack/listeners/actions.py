"""Button presses: the core's buttons go back to it as ``action(user, action, value)``; link buttons are acked."""

from __future__ import annotations

import re

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bots.slack import render
from bots.slack.delivery import send
from bots.slack.listeners import Tutoring

TUTOR_ACTIONS = re.compile("^" + re.escape(render.ACTION_PREFIX))


def register(app: App, tutoring: Tutoring) -> None:
    @app.action(TUTOR_ACTIONS)
    def on_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        user = tutoring.users.get(user_id)
        messages = tutoring.conversation.action(user, render.parse_action_id(action["action_id"]),
                                                action.get("value", ""))  # fmt: skip
        # A press in a message answers in that conversation; a press on the Home tab in the app's DM.
        channel = (body.get("channel") or {}).get("id") or user_id
        send(client, channel, messages)

    @app.action(render.LINK_ACTION)
    def on_link(ack: Ack) -> None:
        ack()
