"""Send each teacher their daily small-group list as a Teams 1:1 message, at most once per (day, teacher).

Like the Slack notifier: the run claims (day, "teams", teacher) first and skips a teacher already claimed.
The list goes where the bot last talked with the teacher on Teams (the conversation reference kept when they
write to it), else to a 1:1 chat the bot opens with the Teams account linked to them (``chat_identity``,
their Entra object id; Teams offers no look-up by e-mail to a bot without Microsoft Graph), which Teams
refuses until the teacher has the app installed. When neither is known, or sending fails, the claim is
released so a rerun tries that teacher again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from microsoft_teams.apps import App

from bots.core.daily import NotifyReport, Outcome, teacher_messages
from bots.teams import proactive

PLATFORM = proactive.PLATFORM
ALREADY_SENT = "already sent today"
NOT_LINKED = proactive.NOT_REACHED
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
            to, why = await asyncio.to_thread(proactive.recipient, tutor, teacher=contact.code,
                                              linked_user_id=contact.chat_user_id)  # fmt: skip
            if to is None:
                await asyncio.to_thread(tutor.release_notification, day, PLATFORM, contact.code)
                skipped.append(Outcome(contact.code, why))
                continue
            messages = await asyncio.to_thread(teacher_messages, tutor, contact.code, day)
            await proactive.send(app, to, messages, tenant_id=tenant_id)
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
