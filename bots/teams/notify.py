"""Send each teacher their daily small-group list as a Teams 1:1 message, at most once per (day, teacher).

Like the Slack notifier: the run claims (day, "teams", teacher) first and skips a teacher already claimed.
The teacher's Teams account is the one linked to them (``chat_identity``, their Entra object id): Teams
offers no look-up by e-mail to a bot without Microsoft Graph. The bot opens (or reopens) the 1:1 chat with
``POST /v3/conversations`` and sends there; Teams refuses it until the teacher has the app installed. With
no linked account, or when sending fails, the claim is released so a rerun tries that teacher again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from microsoft_teams.api import Account
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.apps import App

from bots.core.daily import NotifyReport, Outcome, teacher_messages
from bots.teams.app import activity_for

PLATFORM = "teams"
ALREADY_SENT = "already sent today"
NOT_LINKED = "no Teams account linked to this teacher (Tutor.link_chat_user(\"teams\", ENTRA_OBJECT_ID, teacher=CODE))"
log = logging.getLogger(__name__)


async def notify_teachers_async(tutor: Any, app: App, day: dt.date, *, tenant_id: str | None) -> NotifyReport:
    """DM every active teacher with active sections their list for ``day``; see the module docstring."""
    if not app._initialized:  # the SDK keeps no public flag; initialize() warns when called twice
        await app.initialize()
    sent: list[str] = []
    skipped: list[Outcome] = []
    failed: list[Outcome] = []
    for contact in await asyncio.to_thread(tutor.teacher_contacts, PLATFORM):
        if not await asyncio.to_thread(tutor.claim_notification, day, PLATFORM, contact.code):
            skipped.append(Outcome(contact.code, ALREADY_SENT))
            continue
        try:
            if not contact.chat_user_id:
                await asyncio.to_thread(tutor.release_notification, day, PLATFORM, contact.code)
                skipped.append(Outcome(contact.code, NOT_LINKED))
                continue
            messages = await asyncio.to_thread(teacher_messages, tutor, contact.code, day)
            chat = await app.api.conversations.create(CreateConversationParams(
                members=[Account(id=contact.chat_user_id)], tenant_id=tenant_id,
                channel_data={"tenant": {"id": tenant_id}} if tenant_id else None))  # fmt: skip
            for message in messages:
                await app.send(chat.id, activity_for(message), service_url=chat.service_url)
        except Exception as exc:  # noqa: BLE001 - any failure must give the claim back, then be reported
            await asyncio.to_thread(tutor.release_notification, day, PLATFORM, contact.code)
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("daily list for %s not sent: %s", contact.code, reason)
            failed.append(Outcome(contact.code, reason))
            continue
        sent.append(contact.code)
    return NotifyReport(day, PLATFORM, tuple(sent), tuple(skipped), tuple(failed))


def notify_teachers(tutor: Any, app: App, day: dt.date, *, tenant_id: str | None) -> NotifyReport:
    """:func:`notify_teachers_async` from synchronous code (the CLI)."""
    return asyncio.run(notify_teachers_async(tutor, app, day, tenant_id=tenant_id))
