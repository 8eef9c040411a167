"""Tutor messages become valid Block Kit (checked with slack_sdk's own models) with a plain-text fallback."""

from __future__ import annotations

import pytest
from slack_helpers import PNG, student_dashboard, teacher_dashboard
from slack_sdk.models.blocks import Block

from bots.core.messages import Bar, Button, Message
from bots.slack import render


def valid(blocks: list[dict]) -> list[dict]:
    for block in blocks:
        Block.parse(block).validate_json()
    return blocks


@pytest.mark.parametrize(("fraction", "shown"), [
    (0.62, "▰▰▰▰▰▰▱▱▱▱ 62% familiar"), (0.0, "▱▱▱▱▱▱▱▱▱▱ 0% familiar"), (1.0, "▰▰▰▰▰▰▰▰▰▰ 100% familiar"),
    (1.3, "▰▰▰▰▰▰▰▰▰▰ 100% familiar"), (-0.1, "▱▱▱▱▱▱▱▱▱▱ 0% familiar"), (0.04, "▱▱▱▱▱▱▱▱▱▱ 4% familiar"),
])  # fmt: skip
def test_a_mastery_bar_is_ten_segments_with_the_percent_and_level(fraction: float, shown: str) -> None:
    assert render.bar_text(Bar("Fractions", fraction, "familiar")) == shown


def test_a_dashboard_renders_header_bars_lines_and_a_link_button() -> None:
    blocks = valid(render.blocks(student_dashboard()))
    assert [b["type"] for b in blocks] == ["header", "section", "section", "actions"]
    assert blocks[2]["text"]["text"] == "*Fractions*  ▰▰▰▰▰▰▱▱▱▱ 62% familiar\n*Decimals*  ▰▰▱▱▱▱▱▱▱▱ 20% attempted"
    [link] = blocks[3]["elements"]
    assert link["url"] == "https://example.org/items/7" and link["action_id"] == render.LINK_ACTION


def test_buttons_carry_the_cores_action_and_value_with_ids_unique_in_the_message() -> None:
    message = Message(text="pick", buttons=(Button("Yes", "answer", "1"), Button("No", "answer", "0")))
    [actions] = valid(render.blocks(message))
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == 2
    assert [render.parse_action_id(i) for i in ids] == ["answer", "answer"]
    assert [e["value"] for e in actions["elements"]] == ["1", "0"]


def test_an_action_name_with_a_colon_comes_back_whole() -> None:
    assert render.parse_action_id(render.action_id("goal:set", 3)) == "goal:set"


def test_limits_slack_enforces_are_respected() -> None:
    message = Message(text="t", title="T" * 400, lines=tuple("x" * 1000 for _ in range(10)),
                      buttons=tuple(Button("B" * 100, f"a{i}", "v") for i in range(30)))  # fmt: skip
    blocks = valid(render.blocks(message))
    assert len(blocks[0]["text"]["text"]) == render.HEADER_MAX
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert [len(b["elements"]) for b in blocks if b["type"] == "actions"] == [25, 5]


def test_mrkdwn_characters_in_the_cores_text_are_escaped() -> None:
    [section] = render.blocks(Message(text="a<b", lines=("Ana & Ben <script>",)))
    assert section["text"]["text"] == "Ana &amp; Ben &lt;script&gt;"


def test_a_message_with_only_text_still_gets_a_section() -> None:
    assert valid(render.blocks(Message(text="Hello")))[0]["text"]["text"] == "Hello"


def test_the_home_view_divides_messages_and_shows_uploaded_images() -> None:
    view = render.home_view(teacher_dashboard(), {1: "F123"})
    valid(view["blocks"])
    assert view["type"] == "home"
    assert "divider" in [b["type"] for b in view["blocks"]]
    assert {"id": "F123"} in [b.get("slack_file") for b in view["blocks"]]


def test_a_home_view_never_passes_100_blocks() -> None:
    many = [Message(text=str(i), lines=(str(i),), image=PNG) for i in range(80)]
    assert len(render.home_view(many)["blocks"]) == render.VIEW_BLOCKS_MAX
    assert render.home_view([])["blocks"][0]["text"]["text"] == "Nothing to show yet."
