"""Build the Teams SDK v2 app over any :class:`~bots.core.messages.Conversation`.

Personal (1:1) chats only: a typed message goes to ``conversation.reply``, an Adaptive Card button
(``Action.Submit`` carrying ``{"action": ..., "value": ...}``) to ``conversation.action``. Every answer goes
back as one activity per tutor message: the plain text plus, when the message has more than text, its card.
Typed text stays text: the activity's ``text`` goes out as ``plain`` (Teams would read it as markdown) and
the card escapes markdown (:mod:`bots.teams.render`). The server publishes no API docs, and a body that is not
an activity of at most :data:`MAX_BODY` bytes gets 400/413 before the SDK sees it.
Given ``remember``, each person's conversation reference is handed to it when first seen or changed, so the
bot can write to them first later (progress updates, the daily list): only from requests the Bot Framework
signed, never while serving unauthenticated for local testing. Activities from a tenant not on the allow-list
are refused unanswered, so e-mail identities are only trusted inside the school's tenants. An activity
delivered again (the Bot Framework's retry, a replay, another server sharing the database) is answered once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from microsoft_teams.api import ActivityTypeAdapter, Attachment, MessageActivity, MessageActivityInput
from microsoft_teams.apps import ActivityContext, App
from microsoft_teams.apps.http import FastAPIAdapter
from pydantic import ValidationError

from bots.core.deliveries import FirstTime, InMemory
from bots.core.fallback import always_answers
from bots.core.intents import COMMANDS
from bots.core.messages import ChatUser, Conversation, Message
from bots.teams import render

MESSAGES_PATH = "/api/messages"
PERSONAL = "personal"
MAX_BODY = 1024 * 1024  # an activity is a few KB

# The command menu in the app manifest (Teams allows 10 per list; "goal" with no text shows the goals too;
# teachers type /checkins or ask "what did Ana say in her check-in?", and /unlink when they mean it; thanks is
# no request, nor are bye and "who is my teacher?"; a move needs a student and a group: /move Ana 2).
# Picking one sends its bare title as the message, which the core takes as the slash command.
MENU_COMMANDS = tuple(name for name in COMMANDS if name not in ("goals", "checkins", "unlink", "thanks", "bye",
                                                                 "teacher", "move"))

logger = logging.getLogger(__name__)


def as_command(text: str) -> str:
    """A command picked from the menu (its bare title, e.g. ``progress``) as ``/progress``; other text as is."""
    return f"/{text.lower()}" if text.lower() in MENU_COMMANDS else text


def chat_user(activity: MessageActivity, email: str | None = None) -> ChatUser:
    """The sender: the Entra (AAD) object id when Teams gives one, else the Bot Framework id."""
    sender = activity.from_
    return ChatUser(platform="teams", user_id=sender.aad_object_id or sender.id, email=sender.email or email,
                    name=sender.name)  # fmt: skip


class MemberEmails:
    """Roster e-mails of Teams users, asked of the connector once per user (Teams leaves them off activities)."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}

    async def of(self, ctx: ActivityContext[MessageActivity]) -> str | None:
        sender = ctx.activity.from_
        if sender.email:
            return sender.email
        if sender.id not in self._known:
            try:
                member = await ctx.api.conversations.get_member_by_id(ctx.activity.conversation.id, sender.id)
            except Exception:  # noqa: BLE001 - any failure only means the person must be linked with /link
                logger.warning("could not look up the Teams member %s; they can still be linked with /link",
                               sender.id, exc_info=True)  # fmt: skip
                return None  # not remembered: the next message asks again
            self._known[sender.id] = member.email or member.user_principal_name
        return self._known[sender.id]


@dataclass(frozen=True)
class Reference:
    """Where a person talks with the bot: what a message the bot starts needs."""

    conversation_id: str
    service_url: str | None
    tenant_id: str | None


def reference(activity: MessageActivity) -> Reference:
    tenant = activity.conversation.tenant_id or (activity.channel_data.tenant.id if activity.channel_data
                                                  and activity.channel_data.tenant else None)
    return Reference(activity.conversation.id, activity.service_url, tenant)


class References:
    """Hands each person's conversation reference to ``remember`` when first seen in this process or changed."""

    def __init__(self, remember: Callable[[ChatUser, Reference], None]) -> None:
        self._remember = remember
        self._known: dict[str, Reference] = {}

    def seen(self, user: ChatUser, ref: Reference) -> None:
        if self._known.get(user.user_id) == ref:
            return
        try:
            self._remember(user, ref)
        except Exception:  # noqa: BLE001 - answering matters more; the next message tries again
            logger.warning("could not keep the Teams conversation of %s", user.user_id, exc_info=True)
            return
        self._known[user.user_id] = ref


def activity_for(message: Message) -> MessageActivityInput:
    """One outgoing activity: the message's text, with its Adaptive Card when it has more than text."""
    activity = MessageActivityInput(text=message.text, text_format="plain")
    if not render.is_plain(message):
        card = render.attachment(message)
        activity.add_attachments(Attachment(content_type=card["contentType"], content=card["content"]))
    return activity


def _activity(body: bytes) -> bool:
    """True when ``body`` is an activity the SDK can read (else it answers 500 and logs a traceback)."""
    try:
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            return False
        ActivityTypeAdapter.validate_python(parsed)
    except (ValueError, ValidationError):  # not UTF-8, not JSON, not an activity
        return False
    return True


def guarded_fastapi() -> FastAPI:
    """The FastAPI app the SDK registers its route on: no ``/docs``, ``/redoc`` or ``/openapi.json``, and a
    POST whose body is too big (413) or not an activity (400) is answered here, not with the SDK's 500."""
    fastapi = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @fastapi.middleware("http")
    async def well_formed(request: Request, call_next: Callable) -> Response:
        if request.method == "POST":
            try:
                length = int(request.headers.get("content-length") or 0)
            except ValueError:
                return PlainTextResponse("Bad Request", status_code=400)
            if length > MAX_BODY:
                return PlainTextResponse("Content Too Large", status_code=413)
            body = await request.body()  # Starlette keeps it for the route's request.json()
            if len(body) > MAX_BODY:
                return PlainTextResponse("Content Too Large", status_code=413)
            if not _activity(body):
                return PlainTextResponse("Bad Request", status_code=400)
        return await call_next(request)

    return fastapi


def _submitted(value: Any) -> tuple[str, str] | None:
    """The core's (action, value) from an Action.Submit payload, or None when it is not one of ours."""
    if isinstance(value, dict) and isinstance(value.get("action"), str):
        return value["action"], str(value.get("value", ""))
    return None


def build_app(
    conversation: Conversation,
    *,
    client_id: str | None,
    client_secret: str | None,
    tenant_id: str | None = None,
    host: str = "127.0.0.1",
    port: int = 3978,
    allow_unauthenticated_for_local_testing: bool = False,
    tenants: Collection[str] = (),
    remember: Callable[[ChatUser, Reference], None] | None = None,
    one_unit: Callable[[Callable[[], list[Message]]], list[Message]] | None = None,
    first_time: FirstTime | None = None,
    **options: Any,
) -> App:
    """The Teams app served by uvicorn on ``host:port`` at :data:`MESSAGES_PATH` (binds only ``host``).

    Requests must carry a Bot Framework JWT unless ``allow_unauthenticated_for_local_testing`` is set;
    without it, an app id and a secret (or a ``token=`` option) are required, and ``tenants``: the allow-list,
    activities from other tenants are refused. Unauthenticated serving refuses a secret and never calls
    ``remember``, which keeps conversation references (see the module docstring; ``adaptive serve teams``
    stores them with ``Tutor.remember_chat_conversation``). ``one_unit`` runs the handling of one message
    (keeping its reference, answering it) as one unit of work (``Tutor.atomically``); without it each step is
    its own. ``first_time(key)`` says whether an activity (its conversation and activity ids) is new; by
    default this process remembers those it saw, ``bots.core.deliveries.in_database(tutor, "teams")`` shares
    them between servers and restarts. ``options`` pass through to the SDK's ``App`` (tests give ``token=``
    for a stand-in connector).
    """
    if not allow_unauthenticated_for_local_testing and not (client_id and (client_secret or options.get("token"))):
        raise ValueError("the Teams app id and password are empty: set TEAMS_APP_ID and TEAMS_APP_PASSWORD "
                         "from the bot's Azure registration")  # fmt: skip
    if not allow_unauthenticated_for_local_testing and not tenants:
        raise ValueError("no tenant allow-list: set TEAMS_TENANT_ID to the school's Entra tenant ID (several: "
                         "separated by commas)")  # fmt: skip
    if allow_unauthenticated_for_local_testing and (client_secret or os.environ.get("CLIENT_SECRET")):
        raise ValueError("unauthenticated local testing is refused while the bot's password is set: unset "
                         "TEAMS_APP_PASSWORD (and CLIENT_SECRET, which the Teams SDK reads too)")  # fmt: skip
    allowed = frozenset(tenants)

    def server(fastapi: FastAPI) -> uvicorn.Server:
        # The SDK's own server binds 0.0.0.0; this one binds only the host asked for.
        return uvicorn.Server(uvicorn.Config(app=fastapi, host=host, port=port, log_level="warning"))

    app = App(
        client_id=client_id or None,
        client_secret=client_secret or None,
        tenant_id=tenant_id or None,
        # Always explicit, so the SDK's DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS variable cannot turn it on.
        dangerously_allow_unauthenticated_requests=allow_unauthenticated_for_local_testing,
        http_server_adapter=FastAPIAdapter(app=guarded_fastapi(), server_factory=server),
        messaging_endpoint=MESSAGES_PATH,
        **options,
    )

    emails = MemberEmails()
    conversation = always_answers(conversation)
    trusted = not allow_unauthenticated_for_local_testing  # the SDK checked the Bot Framework's token
    references = References(remember) if remember is not None and trusted else None
    seen_first = first_time or InMemory()

    @app.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity
        if activity.conversation.conversation_type not in (None, PERSONAL):
            return  # the tutor talks about one student's progress: never in a team channel or group chat
        if allowed and reference(activity).tenant_id not in allowed:
            logger.warning("refused a Teams activity from tenant %r: not in TEAMS_TENANT_ID",
                           reference(activity).tenant_id)  # fmt: skip
            return
        if not await asyncio.to_thread(_first_delivery, seen_first, activity):
            logger.debug("acknowledged a repeated Teams activity without acting on it")
            return
        user = chat_user(activity, await emails.of(ctx))
        submitted = _submitted(activity.value)

        def answer() -> list[Message]:
            if references is not None:
                references.seen(user, reference(activity))
            if submitted is not None:
                return conversation.action(user, *submitted)
            if activity.text:
                return conversation.reply(user, as_command(activity.text.strip()))
            return []  # nothing to answer; where the person talked with the bot is still kept

        messages = await asyncio.to_thread(one_unit or _at_once, answer)
        for message in messages:
            await ctx.send(activity_for(message))

    return app


def delivery_key(activity: MessageActivity) -> str | None:
    """What identifies an activity across redeliveries: its id within its conversation (None without one)."""
    return f"{activity.conversation.id}|{activity.id}" if activity.id else None


def _first_delivery(first_time: FirstTime, activity: MessageActivity) -> bool:
    """True unless the activity was delivered before; when that cannot be checked (the database is down) it is
    acted on: answering twice is better than not at all."""
    key = delivery_key(activity)
    if key is None:
        return True
    try:
        return first_time(key)
    except Exception:  # noqa: BLE001 - see above; the error (no parameters, no text) is logged
        logger.warning("could not check whether a Teams activity was seen before; acting on it", exc_info=True)
        return True


def _at_once(work: Callable[[], list[Message]]) -> list[Message]:
    return work()
