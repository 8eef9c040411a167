"""Teams as a chat platform the bot writes first on (the one adapter the daily list and the progress updates
of ``bots.core`` use on Teams).

A person is reached where the bot last talked with them on Teams (the conversation reference kept when they
write to it), else in a 1:1 chat the bot opens with the Teams account linked to them (``chat_identity``, their
Entra object id; Teams offers no look-up by e-mail to a bot without Microsoft Graph), which Teams refuses until
they have the app installed (see :mod:`bots.teams.proactive`).

The core loops run synchronously (they read the store); the app's HTTP client lives on an event loop, so each
send is run on ``loop`` (the serving process's loop, or the CLI's) from the worker thread the loop runs in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from microsoft_teams.apps import App

from bots.core import daily, updates
from bots.core.daily import NotifyReport
from bots.core.messages import Message
from bots.core.platform import Contact, Role
from bots.core.updates import UpdatesReport
from bots.teams import proactive

if TYPE_CHECKING:
    from adaptive import Tutor

PLATFORM = proactive.PLATFORM
Report = TypeVar("Report", NotifyReport, UpdatesReport)


class TeamsPlatform:
    """Sends through the Teams app, each send run on the app's event loop."""

    platform = PLATFORM

    def __init__(self, tutor: Tutor, app: App, loop: asyncio.AbstractEventLoop, *, tenant_id: str | None) -> None:
        self._tutor, self._app, self._loop, self._tenant = tutor, app, loop, tenant_id

    def address(self, person: Contact, role: Role = "student") -> tuple[proactive.Recipient | None, str]:
        return proactive.recipient(self._tutor, linked_user_id=person.chat_user_id, **{role: person.code})

    def send(self, where: proactive.Recipient, messages: Sequence[Message]) -> None:
        proactive.on_loop(self._loop, proactive.send(self._app, where, messages, tenant_id=self._tenant))


async def run_async(tutor: Tutor, app: App, job: Callable[..., Report], *args: Any, tenant_id: str | None,
                    **options: Any) -> Report:
    """``job(tutor, TeamsPlatform(...), *args, **options)`` (a ``bots.core`` loop) from async code: the loop
    runs on a worker thread and sends on this event loop."""
    if not app._initialized:  # the SDK keeps no public flag; initialize() warns when called twice
        await app.initialize()
    platform = TeamsPlatform(tutor, app, asyncio.get_running_loop(), tenant_id=tenant_id)
    return await asyncio.to_thread(job, tutor, platform, *args, **options)


def run(tutor: Tutor, app: App, job: Callable[..., Report], *args: Any, tenant_id: str | None,
        **options: Any) -> Report:
    """:func:`run_async` from synchronous code (the CLI)."""
    return asyncio.run(run_async(tutor, app, job, *args, tenant_id=tenant_id, **options))


async def notify_teachers_async(tutor: Tutor, app: App, day: dt.date, *, tenant_id: str | None) -> NotifyReport:
    """:func:`bots.core.daily.notify_teachers` on Teams from async code."""
    return await run_async(tutor, app, daily.notify_teachers, day, tenant_id=tenant_id)


def notify_teachers(tutor: Tutor, app: App, day: dt.date, *, tenant_id: str | None) -> NotifyReport:
    """:func:`bots.core.daily.notify_teachers` on Teams from synchronous code."""
    return run(tutor, app, daily.notify_teachers, day, tenant_id=tenant_id)


async def deliver_async(tutor: Tutor, app: App, *, tenant_id: str | None, **options: Any) -> UpdatesReport:
    """:func:`bots.core.updates.deliver` on Teams from async code."""
    return await run_async(tutor, app, updates.deliver, tenant_id=tenant_id, **options)

