"""The App Home tab: the person's dashboard from the core, published when they open it."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bots.slack.delivery import publish_home
from bots.slack.listeners import Tutoring


def register(app: App, tutoring: Tutoring) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab opened: nothing to publish
        user = tutoring.users.get(event["user"])
        publish_home(client, event["user"], tutoring.conversation.home(user))
