"""A conversation that always answers: when the core fails (the database is down, a bug), the person is told
so instead of getting silence, and the error is logged with the request that caused it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bots.core import views
from bots.core.messages import ChatUser, Conversation, Message

log = logging.getLogger(__name__)
SORRY = views.message("Something went wrong", [
    "Sorry, something went wrong on my side and I could not answer that.",
    "Please try again in a minute; if it keeps happening, tell your teacher."])


class AlwaysAnswers:
    """Wraps a :class:`~bots.core.messages.Conversation`; any exception it raises becomes :data:`SORRY`."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    def _safely(self, what: str, user: ChatUser, call: Callable[[], list[Message]]) -> list[Message]:
        try:
            return call()
        except Exception:
            log.exception("the tutor could not answer %s from %s:%s", what, user.platform, user.user_id)
            return [SORRY]

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        return self._safely("a message", user, lambda: self.conversation.reply(user, text))

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        return self._safely(f"/{name}", user, lambda: self.conversation.command(user, name, args))

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        return self._safely(f"the button {action}", user, lambda: self.conversation.action(user, action, value))

    def home(self, user: ChatUser) -> list[Message]:
        return self._safely("the home tab", user, lambda: self.conversation.home(user))


def always_answers(conversation: Conversation) -> Conversation:
    """``conversation`` wrapped in :class:`AlwaysAnswers` (once)."""
    return conversation if isinstance(conversation, AlwaysAnswers) else AlwaysAnswers(conversation)
