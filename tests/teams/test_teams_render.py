"""Tutor messages become Adaptive Cards 1.5: every field of the message on the card, bars as weighted columns."""

from __future__ import annotations

import base64

import pytest

from bots.core.messages import Bar, Button, Message
from bots.teams import render

DASHBOARD = Message(
    text="Your progress: Fractions 62% familiar. Next: Adding fractions.",
    title="Your progress",
    lines=("Goal: master fractions by Friday",),
    bars=(Bar("Fractions", 0.62, "familiar"),),
    buttons=(Button("Set a goal", "goal", "fractions"),),
    link=("Next: Adding fractions", "https://example.org/items/7"),
    image=b"\x89PNG\r\n\x1a\nfake",
    image_title="Class heatmap",
)


def test_the_card_is_version_1_5_with_every_part_of_the_message() -> None:
    card = render.card(DASHBOARD)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    types = [element["type"] for element in card["body"]]
    assert types == ["TextBlock", "TextBlock", "TextBlock", "ColumnSet", "Image", "TextBlock"]
    title, line, label = card["body"][:3]
    assert title["text"] == "Your progress" and title["weight"] == "Bolder"
    assert line["text"] == "Goal: master fractions by Friday"
    assert label["text"] == "**Fractions**  62% familiar"
    image = card["body"][4]
    assert image["url"] == "data:image/png;base64," + base64.b64encode(DASHBOARD.image).decode()
    assert image["altText"] == "Class heatmap"
    submit, link = card["actions"]
    assert submit == {"type": "Action.Submit", "title": "Set a goal", "data": {"action": "goal", "value": "fractions"}}
    assert link == {"type": "Action.OpenUrl", "title": "Next: Adding fractions", "url": "https://example.org/items/7"}


@pytest.mark.parametrize(("fraction", "widths"), [(0.62, [62, 38]), (0.0, [100]), (1.0, [100]), (1.7, [100]),
                                                  (-0.2, [100]), (0.004, [100])])  # fmt: skip
def test_a_bar_is_two_weighted_columns_filled_then_empty(fraction: float, widths: list[int]) -> None:
    [_, columns] = render.card(Message(text="t", bars=(Bar("Decimals", fraction, "attempted"),)))["body"]
    assert [column["width"] for column in columns["columns"]] == widths
    assert sum(column["width"] for column in columns["columns"]) == 100


def test_a_full_bar_is_all_filled_and_an_empty_bar_all_empty() -> None:
    full, empty = render.card(Message(text="t", bars=(Bar("A", 1.0, "mastered"), Bar("B", 0.0, "new"))))["body"][1::2]
    assert [c["style"] for c in full["columns"]] == [render.BAR_FILLED_COLOR]
    assert [c["style"] for c in empty["columns"]] == [render.BAR_EMPTY_COLOR]


def test_old_clients_see_the_bar_in_words() -> None:
    [_, columns] = render.card(Message(text="t", bars=(Bar("Decimals", 0.2, "attempted"),)))["body"]
    assert columns["fallback"] == {"type": "TextBlock", "text": "20% attempted", "wrap": True}


def test_a_plain_message_is_its_text_on_the_card_and_has_no_actions() -> None:
    message = Message(text="You are not linked yet.")
    card = render.card(message)
    assert card["body"] == [{"type": "TextBlock", "text": "You are not linked yet.", "wrap": True}]
    assert "actions" not in card
    assert render.is_plain(message) and not render.is_plain(DASHBOARD)


def test_the_attachment_carries_the_card_with_the_adaptive_content_type() -> None:
    attachment = render.attachment(DASHBOARD)
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"] == render.card(DASHBOARD)
