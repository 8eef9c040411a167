"""The "Progress updates for students" section of docs/slack.md: its example sends what it says, and every
option it shows is one the commands take."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from adaptive.cli import app
from tests.slack.slack_helpers import TOKEN

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "slack.md").read_text()
SECTION = PAGE[PAGE.index("## Progress updates for students"):PAGE.index("## Socket Mode (no public URL)")]


def run_example(monkeypatch, capsys, tutor, stand_in) -> str:
    monkeypatch.setenv("ADAPTIVE_DB_URL", tutor.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", stand_in.url)
    (code,) = re.findall(r"```python\n(.*?)```", SECTION, flags=re.S)
    exec(compile(code, "docs/slack.md", "exec"), {"__name__": "__docs__"})
    return capsys.readouterr().out


def test_the_embedding_example_tells_a_student_she_mastered_a_competency(school, stand_in, monkeypatch,
                                                                          capsys) -> None:
    school.tutor.link_chat_user("slack", "U0ANA", student="ana")
    run_example(monkeypatch, capsys, school.tutor, stand_in)  # the first look: nothing old is news
    assert stand_in.of("chat.postMessage") == []
    school.fluent("ana", "6.RP.1")
    out = run_example(monkeypatch, capsys, school.tutor, stand_in)
    assert "Progress updates on slack: 1 message to 1 student, 2 skipped, 0 failed" in out
    [post] = stand_in.of("chat.postMessage")
    assert post.args["channel"] == "D0ANA" and post.args["text"].startswith("New competency mastered")


def test_every_option_shown_is_one_the_commands_take() -> None:
    shown = set(re.findall(r"(--[a-z-]+)", SECTION)) - {"--db"}
    help_text = CliRunner().invoke(app, ["notify", "students", "--help"], terminal_width=200).output
    help_text += CliRunner().invoke(app, ["serve", "slack", "--help"], terminal_width=200).output
    assert {"--progress-every", "--weekly-summary", "--weekly", "--student"} <= shown
    assert all(option in help_text for option in shown), shown
