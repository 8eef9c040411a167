"""The "Daily small-group list" section of docs/slack.md: its example runs, and its options are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from adaptive.cli import app
from tests.slack.slack_helpers import TOKEN

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "slack.md").read_text()
SECTION = PAGE[PAGE.index("## Daily small-group list"):PAGE.index("## Progress updates for students")]


def test_the_embedding_example_sends_the_list(school, stand_in, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ADAPTIVE_DB_URL", school.tutor.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", stand_in.url)
    (code,) = re.findall(r"```python\n(.*?)```", SECTION, flags=re.S)
    exec(compile(code, "docs/slack.md", "exec"), {"__name__": "__docs__"})
    out = capsys.readouterr().out
    assert "1 sent, 1 skipped, 0 failed" in out and "sent: ms-rivera" in out
    assert "skipped: mr-osei: no Slack account with the roster e-mail osei@school.example" in out
    assert len(stand_in.of("chat.postMessage")) == 1


def test_every_option_shown_is_one_the_commands_take() -> None:
    shown = set(re.findall(r"(--[a-z-]+)", SECTION)) - {"--db", "--port"}
    help_text = CliRunner().invoke(app, ["notify", "teachers", "--help"], terminal_width=200).output
    help_text += CliRunner().invoke(app, ["serve", "slack", "--help"], terminal_width=200).output
    assert shown and all(option in help_text for option in shown), shown
