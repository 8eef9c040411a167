"""What the bot needs from a chat platform to write first: where a person is reached there, and sending there.

The two messages the bot starts are written once, against :class:`ChatPlatform`: the teachers' daily list
(:func:`bots.core.daily.notify_teachers`) and the students' progress updates (:func:`bots.core.updates.deliver`).
Each platform supplies one adapter (``bots.slack.platform.SlackPlatform``, ``bots.teams.platform.TeamsPlatform``).
The loops are synchronous because they read and write the store between sends; an adapter over an async SDK
runs each send on its event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from bots.core.messages import Message

Role = Literal["student", "teacher"]


class Contact(Protocol):
    """A student or teacher as the tutor lists them for a platform (``Tutor.student_contacts``,
    ``Tutor.teacher_contacts``): what an adapter may use to find them."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    @property
    def email(self) -> str | None: ...

    @property
    def chat_user_id(self) -> str | None: ...


class NotDelivered(Exception):
    """Raised by a platform that refused a message. Its text is the reason a student's report gives
    ("Slack refused: channel_not_found"); ``error`` is the platform's own word for it, which a teacher's
    report gives ("channel_not_found")."""

    def __init__(self, reason: str, error: str | None = None) -> None:
        super().__init__(reason)
        self.error = reason if error is None else error


class ChatPlatform(Protocol):
    """A chat platform the bot writes first on. Students are addressed with ``address(contact)``, so a stand-in
    that only sends progress updates needs no role; the daily list asks ``address(contact, "teacher")``."""

    platform: str

    def address(self, person: Contact, role: Role = "student") -> tuple[Any, str]:
        """(where to send, "") for the person, or (None, why they cannot be reached)."""
        ...

    def send(self, where: Any, messages: Sequence[Message]) -> None:
        """Send the messages there, in order; raise (:class:`NotDelivered` when the platform refuses) when
        they could not all be sent."""
        ...


def failure(exc: Exception, *, platform_word: bool = False) -> str:
    """The reason a failed send is reported with: the platform's refusal, else the exception."""
    if isinstance(exc, NotDelivered):
        return exc.error if platform_word else str(exc)
    return f"{type(exc).__name__}: {exc}"
