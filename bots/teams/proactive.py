"""Messages the Teams bot starts: to the conversation where it last talked with a person (the stored
conversation reference), else to a 1:1 chat it opens with their linked Entra account.

Teams lets a bot write first only where it can name a conversation: one it was in (kept with
``Tutor.remember_chat_conversation`` each time the person writes), or a new 1:1 chat (``POST
/v3/conversations``), which Teams refuses until the person has the app installed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from microsoft_teams.api import Account
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.apps import App

from bots.core.messages import ChatUser, Message
from bots.teams.app import Reference, activity_for

PLATFORM = "teams"
NOT_REACHED = ("the bot has not talked with them on Teams and no Teams account is linked "
               "(Tutor.link_chat_user(\"teams\", ENTRA_OBJECT_ID, ...))")
T = TypeVar("T")


class StoredConversation(Protocol):
    """What a stored conversation (``Tutor.chat_conversation``) gives to write there."""

    @property
    def conversation_id(self) -> str: ...

    @property
    def service_url(self) -> str | None: ...


@dataclass(frozen=True)
class Recipient:
    """Where a message the bot starts goes: a stored conversation, or a linked account to open a chat with."""

    conversation: StoredConversation | None = None
    user_id: str | None = None


def recipient(tutor: Any, *, student: str | None = None, teacher: str | None = None,
              linked_user_id: str | None = None) -> tuple[Recipient | None, str]:
    """(recipient, "") for the person, or (None, why they cannot be reached)."""
    stored = tutor.chat_conversation(PLATFORM, student=student, teacher=teacher)
    if stored is not None:
        return Recipient(conversation=stored), ""
    if linked_user_id:
        return Recipient(user_id=linked_user_id), ""
    return None, NOT_REACHED


async def send(app: App, to: Recipient, messages: Sequence[Message], *, tenant_id: str | None) -> None:
    """Send ``messages`` in order to the recipient's conversation (opening a 1:1 chat when there is none)."""
    if to.conversation is not None:
        conversation_id, service_url = to.conversation.conversation_id, to.conversation.service_url
    else:
        chat = await app.api.conversations.create(CreateConversationParams(
            members=[Account(id=to.user_id)], tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}} if tenant_id else None))  # fmt: skip
        conversation_id, service_url = chat.id, chat.service_url
    for message in messages:
        await app.send(conversation_id, activity_for(message), service_url=service_url)


def on_loop(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
    """Run ``work`` on ``loop`` (running in another thread, e.g. the server's) and wait for its result."""
    return asyncio.run_coroutine_threadsafe(work, loop).result(timeout)


def remembering(tutor: Any) -> Callable[[ChatUser, Reference], None]:
    """The ``remember`` callback of ``build_app`` that keeps references in the tutor's store."""

    def remember(user: ChatUser, ref: Reference) -> None:
        tutor.remember_chat_conversation(PLATFORM, user.user_id, ref.conversation_id, service_url=ref.service_url,
                                         tenant_id=ref.tenant_id, email=user.email)  # fmt: skip

    return remember
