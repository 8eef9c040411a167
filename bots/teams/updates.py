"""Students' progress updates on Teams: a :class:`~bots.core.updates.Courier` over the Teams app.

The core runs synchronously (it reads the store); the app's HTTP client lives on an event loop, so each send
is run on ``loop`` (the serving process's loop, or the CLI's) from the thread the core runs in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from microsoft_teams.apps import App

from adaptive.domain import StudentContact
from bots.core import updates
from bots.core.messages import Message
from bots.core.updates import UpdatesReport
from bots.teams import proactive


class TeamsCourier:
    """Reaches a student where the bot last talked with them on Teams, else through their linked account."""

    platform = proactive.PLATFORM

    def __init__(self, tutor: Any, app: App, loop: asyncio.AbstractEventLoop, *, tenant_id: str | None) -> None:
        self._tutor, self._app, self._loop, self._tenant = tutor, app, loop, tenant_id

    def address(self, student: StudentContact) -> tuple[proactive.Recipient | None, str]:
        return proactive.recipient(self._tutor, student=student.code, linked_user_id=student.chat_user_id)

    def send(self, where: proactive.Recipient, messages: Sequence[Message]) -> None:
        proactive.on_loop(self._loop, proactive.send(self._app, where, messages, tenant_id=self._tenant))


async def deliver_async(tutor: Any, app: App, *, tenant_id: str | None, **options: Any) -> UpdatesReport:
    """:func:`bots.core.updates.deliver` on Teams from async code: the core runs on a worker thread."""
    if not app._initialized:  # the SDK keeps no public flag; initialize() warns when called twice
        await app.initialize()
    courier = TeamsCourier(tutor, app, asyncio.get_running_loop(), tenant_id=tenant_id)
    return await asyncio.to_thread(updates.deliver, tutor, courier, **options)


def deliver(tutor: Any, app: App, *, tenant_id: str | None, **options: Any) -> UpdatesReport:
    """:func:`deliver_async` from synchronous code (the CLI)."""
    return asyncio.run(deliver_async(tutor, app, tenant_id=tenant_id, **options))
