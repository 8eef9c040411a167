"""Run the Teams app's uvicorn server, on a background thread (tests, embedding) or in the foreground."""

from __future__ import annotations

import asyncio
import threading
import time

from microsoft_teams.apps import App

from bots.teams.app import MESSAGES_PATH


async def _start(app: App) -> None:
    """Start on the port the app's uvicorn config holds (the SDK asks for one again and warns on a mismatch)."""
    await app.start(app.server.adapter._server.config.port)


class TeamsServer:
    """A Teams app serving on a background thread; :meth:`shutdown` stops it and frees the port."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.loop: asyncio.AbstractEventLoop | None = None  # the server's event loop, once started
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), name="teams-http", daemon=True)

    async def _run(self) -> None:
        self.loop = asyncio.get_running_loop()
        await _start(self.app)

    def _uvicorn(self):  # noqa: ANN202 - uvicorn.Server, reached through the SDK's adapter
        return self.app.server.adapter._server  # the server our server_factory built

    @property
    def port(self) -> int:
        server = self._uvicorn()
        return int(server.servers[0].sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{MESSAGES_PATH}"

    def start(self, timeout: float = 10.0) -> TeamsServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not (self._uvicorn() is not None and self._uvicorn().started):
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Teams server did not start")
            time.sleep(0.02)
        return self

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def shutdown(self) -> None:
        self._uvicorn().should_exit = True
        self._thread.join(timeout=5)


def serve(app: App, *, background: bool = True) -> TeamsServer | None:
    """Serve ``app`` on the host and port it was built with (not 0: the SDK reads 0 as "use $PORT");
    blocks unless ``background``."""
    if background:
        return TeamsServer(app).start()
    asyncio.run(_start(app))
    return None
