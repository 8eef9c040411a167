"""The browser harness itself, on a tiny Starlette app of its own: a page served by `live_server` is filled in
and submitted with the keyboard alone in Debian's Chromium, and a screenshot is saved for a person to see."""

from __future__ import annotations

import html

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.web.browser import SCREENSHOTS, live_server, screenshot

FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Goal</title></head><body><main>
<h1>Set a goal</h1>
<form method="post" action="/goal">
  <label for="goal">My goal</label> <input id="goal" name="goal" required>
  <button type="submit">Save</button>
</form></main></body></html>"""


async def form(request: Request) -> HTMLResponse:
    return HTMLResponse(FORM)


async def goal(request: Request) -> HTMLResponse:
    text = html.escape(str((await request.form()).get("goal", "")))
    return HTMLResponse(f'<!doctype html><html lang="en"><title>Saved</title><main><h1>Saved</h1>'
                        f'<p id="saved">Your goal: {text}</p></main></html>')


APP = Starlette(routes=[Route("/", form), Route("/goal", goal, methods=["POST"])])


def test_the_live_server_answers_on_127_0_0_1_and_stops_when_the_block_ends():
    with live_server(APP) as url:
        assert url.startswith("http://127.0.0.1:")
        assert "Set a goal" in httpx.get(url + "/").text
    try:
        httpx.get(url + "/", timeout=1)
    except httpx.TransportError:
        return
    raise AssertionError("the server still answers after the block")


def test_a_form_is_filled_and_submitted_with_the_keyboard_and_a_screenshot_is_saved(browser_page):
    with live_server(APP) as url:
        browser_page.goto(url + "/")
        browser_page.keyboard.press("Tab")  # the first focusable element is the labelled field
        browser_page.keyboard.type("Fractions <b>by</b> Friday")
        browser_page.keyboard.press("Enter")
        browser_page.wait_for_url(url + "/goal")
        saved = browser_page.locator("#saved")
        assert saved.inner_text() == "Your goal: Fractions <b>by</b> Friday"  # text, never markup
        path = screenshot(browser_page, "harness/goal-saved")
    assert path == SCREENSHOTS / "harness" / "goal-saved.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
