"""Tutor messages as Adaptive Cards 1.5 for Teams (title, lines, progress bars, buttons, link, image).

The card goes out as an attachment beside the message's plain ``text``, which Teams shows in notifications
and wherever cards are not rendered.

TextBlocks read markdown; everything the tutor puts in one (titles, lines, bar labels, names, help notes people
typed) goes through :func:`escape` first, so ``[Reset password](https://evil...)`` shows as those characters,
never as a link. Action titles and alt texts are plain text already.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from bots.core.messages import Bar, Message
from bots.core.views import percent

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
BAR_FILLED_COLOR = "Good"  # a container style: green in Teams' light and dark themes
BAR_EMPTY_COLOR = "emphasis"

Element = dict[str, Any]
_INLINE = re.compile(r"([\\`*_\[\]()~<>])")  # emphasis, links, code, HTML: anywhere in a line
_BULLET = re.compile(r"^(\s*)([-+#])", re.MULTILINE)  # list items and headings: only at a line's start
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def escape(text: str) -> str:
    """``text`` shown as typed in a markdown TextBlock: markdown's characters backslash-escaped (list and
    heading markers only at the start of a line, so ordinary dots and dashes stay as they are)."""
    text = _INLINE.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", _BULLET.sub(r"\1\\\2", text))


def _text(text: str, **style: Any) -> Element:
    """A wrapping TextBlock showing ``text`` as typed."""
    return {"type": "TextBlock", "text": escape(text), "wrap": True, **style}


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
        {"type": "TextBlock", "text": f"**{escape(bar.label)}**  {escape(bar_text(bar))}", "wrap": True,
         "spacing": "Medium"},
        {"type": "ColumnSet", "spacing": "Small", "columns": columns, "fallback": _text(bar_text(bar))},
    ]  # fmt: skip


def card(message: Message) -> dict[str, Any]:
    """The Adaptive Card (1.5) for one message; every part of the message that is set appears on it."""
    body: list[Element] = []
    if message.title:
        body.append(_text(message.title, size="Large", weight="Bolder"))
    body += [_text(line) for line in message.lines]
    for bar in message.bars:
        body += _bar(bar)
    if message.image is not None:
        url = "data:image/png;base64," + base64.b64encode(message.image).decode("ascii")
        body.append({"type": "Image", "url": url, "altText": message.image_title or "image", "size": "Stretch"})
        if message.image_title:
            body.append(_text(message.image_title, isSubtle=True))
    if not body:
        body.append(_text(message.text))
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
