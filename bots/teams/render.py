"""Tutor messages as Adaptive Cards 1.5 for Teams (title, lines, progress bars, buttons, link, image).

The card goes out as an attachment beside the message's plain ``text``, which Teams shows in notifications
and wherever cards are not rendered.
"""

from __future__ import annotations

import base64
from typing import Any

from bots.core.messages import Bar, Message
from bots.core.views import percent

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
BAR_FILLED_COLOR = "Good"  # a container style: green in Teams' light and dark themes
BAR_EMPTY_COLOR = "emphasis"

Element = dict[str, Any]


def bar_text(bar: Bar) -> str:
    """``62% familiar``: the words every bar shows beside (or, on old clients, instead of) its columns (the
    percent rounded down, as the level's cut points are)."""
    return f"{percent(bar.fraction)}% {bar.level}"


def _bar(bar: Bar) -> list[Element]:
    """A labelled bar: a ColumnSet whose two weighted columns are the filled and empty parts.

    Clients that cannot draw the ColumnSet fall back to the percentage in words.
    """
    filled = percent(bar.fraction)
    columns: list[Element] = []
    if filled > 0:
        columns.append({"type": "Column", "width": filled, "style": BAR_FILLED_COLOR, "minHeight": "10px",
                        "items": [{"type": "TextBlock", "text": " ", "size": "Small"}]})  # fmt: skip
    if filled < 100:
        columns.append({"type": "Column", "width": 100 - filled, "style": BAR_EMPTY_COLOR, "minHeight": "10px",
                        "items": [{"type": "TextBlock", "text": " ", "size": "Small"}]})  # fmt: skip
    return [
        {"type": "TextBlock", "text": f"**{bar.label}**  {bar_text(bar)}", "wrap": True, "spacing": "Medium"},
        {"type": "ColumnSet", "spacing": "Small", "columns": columns,
         "fallback": {"type": "TextBlock", "text": bar_text(bar), "wrap": True}},
    ]  # fmt: skip


def card(message: Message) -> dict[str, Any]:
    """The Adaptive Card (1.5) for one message; every part of the message that is set appears on it."""
    body: list[Element] = []
    if message.title:
        body.append({"type": "TextBlock", "text": message.title, "size": "Large", "weight": "Bolder", "wrap": True})
    body += [{"type": "TextBlock", "text": line, "wrap": True} for line in message.lines]
    for bar in message.bars:
        body += _bar(bar)
    if message.image is not None:
        url = "data:image/png;base64," + base64.b64encode(message.image).decode("ascii")
        body.append({"type": "Image", "url": url, "altText": message.image_title or "image", "size": "Stretch"})
        if message.image_title:
            body.append({"type": "TextBlock", "text": message.image_title, "isSubtle": True, "wrap": True})
    if not body:
        body.append({"type": "TextBlock", "text": message.text, "wrap": True})
    actions: list[Element] = [
        {"type": "Action.Submit", "title": button.label, "data": {"action": button.action, "value": button.value}}
        for button in message.buttons
    ]
    if message.link:
        label, url = message.link
        actions.append({"type": "Action.OpenUrl", "title": label, "url": url})
    out: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        out["actions"] = actions
    return out


def attachment(message: Message) -> dict[str, Any]:
    """The Bot Framework attachment carrying :func:`card`."""
    return {"contentType": CARD_CONTENT_TYPE, "content": card(message)}


def is_plain(message: Message) -> bool:
    """True when the card would only repeat ``text`` (no title, lines, bars, buttons, link or image)."""
    return not (message.title or message.lines or message.bars or message.buttons or message.link
                or message.image is not None)  # fmt: skip
