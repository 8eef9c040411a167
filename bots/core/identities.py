"""Who a chat user is: a link made with ``/link`` (the chat_identity table), else the roster e-mail the
platform's profile gives, else nobody ("not linked"). In the terminal chat (platform "local") the user id is
the student's or teacher's code: whoever runs it already has the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptive.domain import Person
from bots.core.messages import ChatUser

if TYPE_CHECKING:
    from adaptive import Tutor

LOCAL = "local"


def identify(tutor: Tutor, user: ChatUser) -> Person | None:
    """The student or teacher behind ``user``, or None when they are not linked."""
    linked = tutor.chat_person(user.platform, user.user_id)
    if linked is not None:
        return linked
    if user.platform == LOCAL:
        return tutor.person(user.user_id)
    if user.email:
        return tutor.person_by_email(user.email)
    return None


def chat_user_id(text: str, platform: str) -> tuple[str, str]:
    """``platform:user_id`` or a bare ``user_id`` (on ``platform``) as (platform, user_id)."""
    found, sep, rest = text.partition(":")
    return (found, rest) if sep and found and rest else (platform, text)
