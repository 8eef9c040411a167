"""Who a chat user is: a link made with ``/link`` (the chat_identity table), else the roster e-mail the
platform's profile gives (A-Z in any case, look-alike letters never folded; an address two people share names
neither), else nobody ("not linked"). In the terminal chat (platform "local") the user id is
the student's or teacher's code: whoever runs it already has the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptive.domain import Person
from bots.core import views
from bots.core.messages import ChatUser, Message

if TYPE_CHECKING:
    from adaptive import Tutor

LOCAL = "local"
NOT_LINKED = views.message("Not linked", [
    "I don't know who you are yet: your chat account is not linked to a student or teacher.",
    "Ask your teacher to link you (they send: /link YOUR_CHAT_ID YOUR_STUDENT_CODE)."])
SHARED_EMAIL = views.message("Not linked", [
    "Your e-mail address belongs to more than one person in the school's roster, so I can't tell who you are.",
    "Ask your teacher to link you (they send: /link YOUR_CHAT_ID YOUR_STUDENT_CODE)."])


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


def not_identified(tutor: Tutor, user: ChatUser) -> Message:
    """What someone :func:`identify` found nobody for is told: their e-mail is shared, or they are not linked."""
    shared = user.platform != LOCAL and user.email and len(tutor.people_by_email(user.email)) > 1
    return SHARED_EMAIL if shared else NOT_LINKED


def chat_actor(tutor: Tutor, user: ChatUser, person: Person) -> str:
    """Who the audit trail says is reading: the chat account and the person it is linked to, e.g.
    ``slack:U123 (teacher T-KIM)``. In the terminal chat, where the user id is whoever the person at the keyboard
    says they are, the tutor's own actor follows (``local:ana (student ana) via cli:alice``)."""
    shown = "".join(c if c.isprintable() else "?" for c in user.user_id[:150])
    actor = f"{user.platform}:{shown} ({person.role} {person.code[:100]})"
    outer = tutor.actor
    return f"{actor} via {outer}" if user.platform == LOCAL and outer else actor


def contact_actor(platform: str, code: str, role: str, user_id: str | None) -> str:
    """Who the audit trail says reads what the bot sends a person unasked (the daily list, progress updates):
    the person's chat account there (``slack:U123 (teacher T-KIM)``), or ``slack:by e-mail (...)`` when the
    platform finds them by their roster e-mail."""
    shown = "".join(c if c.isprintable() else "?" for c in (user_id or "by e-mail")[:150])
    return f"{platform}:{shown} ({role} {code[:100]})"


def chat_user_id(text: str, platform: str) -> tuple[str, str]:
    """``platform:user_id`` or a bare ``user_id`` (on ``platform``) as (platform, user_id)."""
    found, sep, rest = text.partition(":")
    return (found, rest) if sep and found and rest else (platform, text)
