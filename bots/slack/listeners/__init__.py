"""The listeners of the one Bolt app, a module per kind of request (slack-bolt-python layout).

:data:`SLASH_COMMANDS` and :data:`EVENTS` are what the listeners register and what ``manifest.yaml`` must
declare (a test holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import App

from bots.core.messages import Conversation
from bots.slack.users import SlackUsers

SLASH_COMMANDS = ("/goal",)
EVENTS = ("message.im", "app_home_opened")  # Events API subscription names (message.im = DMs to the bot)


@dataclass(frozen=True)
class Tutoring:
    """What every listener needs: the conversation core and the people it talks to."""

    conversation: Conversation
    users: SlackUsers


def register(app: App, tutoring: Tutoring) -> None:
    from bots.slack.listeners import actions, commands, home, messages

    commands.register(app, tutoring)
    messages.register(app, tutoring)
    actions.register(app, tutoring)
    home.register(app, tutoring)
