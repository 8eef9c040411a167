"""Tutor messages as Slack Block Kit blocks (header, section, context, actions, image).

Every message keeps its plain ``text`` as the top-level fallback Slack shows in notifications (:func:`text`).
Anything people typed (names, goals, help notes) is text, never markup: ``&``, ``<`` and ``>`` are escaped in
every mrkdwn string and in the fallback, so ``<!channel>`` or ``<https://evil|x>`` reach no one as a mention
or a link. plain_text fields (header, buttons) are not parsed by Slack.
"""

from __future__ import annotations

from typing import Any

from bots.core.messages import Bar, Message
from bots.core.views import percent

HEADER_MAX = 150  # Slack rejects longer header text
BUTTON_LABEL_MAX = 75
SECTION_TEXT_MAX = 3000
BUTTONS_PER_BLOCK = 25
BAR_SEGMENTS = 10
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100

ACTION_PREFIX = "tutor:"  # action_id = "tutor:<action>:<n>" (n keeps ids unique within a message)
LINK_ACTION = "link:open"  # link buttons still send a block_actions payload; it is acknowledged only

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters mrkdwn gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text(message: Message) -> str:
    """The top-level ``text`` of a message (Slack parses it like mrkdwn: escaped)."""
    return escape(message.text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_text(bar: Bar) -> str:
    """``▰▰▰▰▰▰▱▱▱▱ 62% familiar``: filled segments rounded to the nearest tenth, the percent rounded down (so
    94.6% "proficient" never reads "95%", the "mastered" cut)."""
    fraction = min(1.0, max(0.0, bar.fraction))
    filled = round(fraction * BAR_SEGMENTS)
    return f"{'▰' * filled}{'▱' * (BAR_SEGMENTS - filled)} {percent(fraction)}% {bar.level}"


def action_id(action: str, n: int) -> str:
    return f"{ACTION_PREFIX}{action}:{n}"


def parse_action_id(value: str) -> str:
    """The core's action name back from an ``action_id`` made by :func:`action_id`."""
    return value[len(ACTION_PREFIX) :].rsplit(":", 1)[0]


def _sections(lines: list[str]) -> list[Block]:
    """mrkdwn sections holding ``lines``, split so none passes Slack's 3000-character limit."""
    blocks: list[Block] = []
    chunk = ""
    for line in lines:
        line = clip(line, SECTION_TEXT_MAX)
        if chunk and len(chunk) + 1 + len(line) > SECTION_TEXT_MAX:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return blocks


def blocks(message: Message, *, image_file_id: str | None = None) -> list[Block]:
    """The blocks for one message. ``image_file_id`` (an uploaded Slack file) adds an image block."""
    out: list[Block] = []
    if message.title:
        out.append({"type": "header", "text": {"type": "plain_text", "text": clip(message.title, HEADER_MAX)}})
    out += _sections([escape(line) for line in message.lines])
    if message.bars:
        out += _sections([f"*{escape(bar.label)}*  {bar_text(bar)}" for bar in message.bars])
    if image_file_id:
        out.append({"type": "image", "slack_file": {"id": image_file_id},
                    "alt_text": clip(message.image_title or "image", 2000),
                    **({"title": {"type": "plain_text", "text": clip(message.image_title, 2000)}}
                       if message.image_title else {})})  # fmt: skip
    elements: list[Block] = [
        {"type": "button", "text": {"type": "plain_text", "text": clip(button.label, BUTTON_LABEL_MAX)},
         "action_id": action_id(button.action, n), "value": clip(button.value, 2000)}
        for n, button in enumerate(message.buttons)
    ]  # fmt: skip
    if message.link:
        label, url = message.link
        elements.append({"type": "button", "text": {"type": "plain_text", "text": clip(label, BUTTON_LABEL_MAX)},
                         "action_id": LINK_ACTION, "url": url})  # fmt: skip
    for start in range(0, len(elements), BUTTONS_PER_BLOCK):
        out.append({"type": "actions", "elements": elements[start : start + BUTTONS_PER_BLOCK]})
    if not out:
        out = _sections([escape(message.text)])
    return out[:MESSAGE_BLOCKS_MAX]


def home_view(messages: list[Message], image_file_ids: dict[int, str] | None = None) -> dict[str, Any]:
    """The App Home view: the dashboard messages one after another, divided; at most 100 blocks."""
    ids = image_file_ids or {}
    out: list[Block] = []
    for n, message in enumerate(messages):
        if out:
            out.append({"type": "divider"})
        out += blocks(message, image_file_id=ids.get(n))
    if not out:
        out = [{"type": "section", "text": {"type": "mrkdwn", "text": "Nothing to show yet."}}]
    return {"type": "home", "blocks": out[:VIEW_BLOCKS_MAX]}
