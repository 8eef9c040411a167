"""``adaptive notify teachers`` sends the day's lists once and prints what it did."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from adaptive.cli import app
from tests.slack.slack_helpers import TOKEN


@pytest.fixture
def env(monkeypatch, stand_in):
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", stand_in.url)


def test_the_command_sends_then_reports_already_sent_as_json(school, day, stand_in, env) -> None:
    school.tutor.link_chat_user("slack", "U0OSEI", teacher="mr-osei")
    command = ["--db", school.tutor.url, "notify", "teachers", "--date", day.isoformat(), "--json"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["day"] == day.isoformat() and report["platform"] == "slack"
    assert sorted(report["sent"]) == ["mr-osei", "ms-rivera"] and report["failed"] == []
    again = json.loads(CliRunner().invoke(app, command).stdout)
    assert again["sent"] == [] and {s["reason"] for s in again["skipped"]} == {"already sent today"}
    assert len(stand_in.of("chat.postMessage")) == 2


def test_the_plain_report_names_who_was_skipped_and_why(school, day, env) -> None:
    result = CliRunner().invoke(app, ["--db", school.tutor.url, "notify", "teachers", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 sent, 1 skipped, 0 failed" in result.stdout
    assert "skipped: mr-osei: no Slack account with the roster e-mail osei@school.example" in result.stdout


def test_a_failed_send_exits_non_zero(school, day, stand_in, env) -> None:
    stand_in.refuse_posts_to.add("D0RIVERA")
    result = CliRunner().invoke(app, ["--db", school.tutor.url, "notify", "teachers", "--date", day.isoformat()])
    assert result.exit_code == 1 and "failed: ms-rivera: channel_not_found" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--platform", "teams"], "set TEAMS_APP_ID to "),  # Teams reads its own credentials
    (["--platform", "email"], "--platform 'email': choose one of slack, teams"),
    (["--date", "friday"], "--date 'friday': write the school day as YYYY-MM-DD"),
    (["--timezone", "Mars/Base"], "--timezone 'Mars/Base': not a time zone"),
])
def test_bad_options_get_a_clear_message_and_nothing_is_sent(school, day, stand_in, env, args, message) -> None:
    result = CliRunner().invoke(app, ["--db", school.tutor.url, "notify", "teachers", *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert stand_in.calls == [] and school.tutor.notifications_sent(day, "slack") == []


def test_a_missing_token_is_named(school, monkeypatch) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["--db", school.tutor.url, "notify", "teachers"])
    assert result.exit_code == 2 and "set SLACK_BOT_TOKEN" in result.output


@pytest.mark.parametrize("command", [["notify", "teachers"], ["notify", "students"], ["chat", "--as", "ana"]])
def test_the_bot_commands_open_the_database_as_every_command_does(command, env) -> None:
    result = CliRunner().invoke(app, ["--db", "mysql://school/tutor", *command], input="")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot open database mysql://school/tutor: ")
    assert "Traceback" not in result.output
