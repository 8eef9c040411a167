"""Platform-neutral messages between the conversation core and the chat adapters.

The core answers with :class:`Message` values; each adapter renders them (Slack blocks, a Teams Adaptive
Card, rich text in a terminal). ``text`` is always a complete plain-text version: platforms show it in
notifications and where rich layouts are not supported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ChatUser:
    """A person on a chat platform, as the adapter knows them."""

    platform: str  # "slack", "teams" or "local"
    user_id: str  # the platform's id for the person (Slack U..., Teams AAD object id, a code locally)
    email: str | None = None  # from the platform's profile, when it gives one (links people by roster email)
    name: str | None = None


@dataclass(frozen=True)
class Bar:
    """A progress bar: ``fraction`` of the way to mastery (0..1) with the level in words."""

    label: str
    fraction: float
    level: str


@dataclass(frozen=True)
class Button:
    """A button whose press comes back to the core as ``action(user, action, value)``."""

    label: str
    action: str
    value: str = ""


@dataclass(frozen=True)
class Message:
    """One message from the tutor."""

    text: str  # the whole message as plain text (the fallback every platform needs)
    title: str | None = None
    lines: tuple[str, ...] = ()  # paragraphs or list lines of the body
    bars: tuple[Bar, ...] = ()
    buttons: tuple[Button, ...] = ()
    link: tuple[str, str] | None = None  # (label, url), e.g. the next item's content
    image: bytes | None = None  # a PNG (e.g. the class heatmap) the adapter uploads or attaches
    image_title: str | None = None


class Conversation(Protocol):
    """What every adapter calls. Each call returns the messages to send back, in order."""

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        """A direct message from ``user`` (free text or a slash-style command such as ``/goal ...``)."""
        ...

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        """A platform slash command (``name`` without the slash, e.g. ``goal``) with its argument text."""
        ...

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        """A button press (:class:`Button`'s ``action`` and ``value``)."""
        ...

    def home(self, user: ChatUser) -> list[Message]:
        """The user's dashboard: a student's mastery bars, goals and next item; a teacher's groups and flags."""
        ...
