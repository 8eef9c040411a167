"""Serving an ASGI app on 127.0.0.1 and driving Debian's Chromium with Playwright, for the web tests.

Real-browser tests cost a browser start (about a second), so one Chromium runs per pytest process (per xdist
worker) and each test gets a fresh context (its own cookies and storage) from it. Where no browser can be had
(no /usr/bin/chromium, no Playwright, or Chromium will not start) the browser tests skip saying what is
missing; `make test` installs the `chromium` package with apt-get when it can.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("ADAPTIVE_TEST_CHROMIUM", "/usr/bin/chromium")


@contextmanager
def live_server(app: Any, *, timeout: float = 10.0) -> Iterator[str]:
    """Serve the ASGI ``app`` with uvicorn in a background thread on a free port of 127.0.0.1; yields its base
    URL (``http://127.0.0.1:PORT``, no trailing slash) and stops the server when the block ends.

    The socket is bound here, before the thread starts, so the port is known and never raced for."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="auto"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"live-server-{port}")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


def sign_in(page: Any, url: str, token: str) -> None:
    """Open the one-time sign-in link of ``token`` on the server at ``url`` and press its page's Sign in
    button, as a person does; returns once signed in (on their home page)."""
    page.goto(f"{url}/sign-in/{token}")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r".*/(me|teacher|admin/roster|lead/rules)$"))


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save what ``page`` shows as build/screenshots/NAME.png (gitignored) for a person to look at; returns
    the path. ``name`` may hold letters, digits, '-', '_' and '/' (sub-folders)."""
    if not re.fullmatch(r"[\w/-]+", name) or ".." in name:
        raise ValueError(f"not a screenshot name: {name!r}")
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM}: install Debian's package (`apt-get install chromium`; `make test` "
                "does it when run as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (it is a dev dependency: `make venv`)"
    return None


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test module, started on first use. Not per session: Playwright's sync API
    keeps an asyncio loop running in the thread while it is started, so every later test of the worker that
    calls asyncio.run() (the Teams client does) would fail."""
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        except Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            pytest.skip(f"Chromium at {CHROMIUM} would not start: {first}")
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A page in a fresh browser context (no cookies from other tests), tablet-sized, closed after the test."""
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()

