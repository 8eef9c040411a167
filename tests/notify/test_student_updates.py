"""Students hear from the tutor in Slack when they master a competency or meet a goal, and once a week, each
message once; `adaptive notify students` sends what is due."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from adaptive.cli import app
from bots.slack.platform import deliver
from tests.slack.slack_helpers import TOKEN

NO_ACCOUNT = "no Slack account linked and no roster e-mail to look one up"


def texts(stand_in) -> list[tuple[str, str]]:
    return [(c.args["channel"], c.args["text"].splitlines()[0]) for c in stand_in.of("chat.postMessage")]


def test_a_student_is_told_in_a_dm_once_when_they_master_a_competency(school, stand_in, client) -> None:
    tutor = school.tutor
    tutor.link_chat_user("slack", "U0ANA", student="ana")
    first = deliver(tutor, client)
    assert first.sent == () and texts(stand_in) == []  # Ana's earlier work is not news
    assert {(o.student, o.reason) for o in first.skipped} == {("ben", NO_ACCOUNT), ("cara", NO_ACCOUNT)}

    school.fluent("ana", "6.RP.1")
    second = deliver(tutor, client)
    assert second.sent == (("ana", 1),)
    assert [c.args["users"] for c in stand_in.of("conversations.open")] == ["U0ANA"]
    assert texts(stand_in) == [("D0ANA", "New competency mastered")]
    [post] = stand_in.of("chat.postMessage")
    assert "Understand ratios (6.RP.1)" in post.args["text"] and post.args["blocks"]

    deliver(tutor, client)
    assert len(stand_in.of("chat.postMessage")) == 1  # said once


def test_a_student_found_by_roster_email_gets_their_goal_met(school, stand_in, client) -> None:
    tutor = school.tutor
    tutor.add_student("dee", "Dee Park", email="dee@school.example")
    tutor.enroll("6A", ["dee"])
    stand_in.emails["U0DEE"] = "dee@school.example"
    tutor.add_goal("dee", "Master ratios", None, "6.RP.1")
    deliver(tutor, client, students=["dee"])
    school.fluent("dee", "6.RP.1")
    assert deliver(tutor, client, students=["dee"]).sent == (("dee", 1),)
    assert texts(stand_in) == [("D0DEE", "Goal met!")]
    assert [g.closed_at is not None for g in tutor.goals("dee")] == [True]


def test_a_refused_message_is_sent_on_the_next_run(school, stand_in, client) -> None:
    tutor = school.tutor
    tutor.link_chat_user("slack", "U0ANA", student="ana")
    deliver(tutor, client)
    school.fluent("ana", "6.RP.1")
    stand_in.refuse_posts_to.add("D0ANA")
    report = deliver(tutor, client)
    assert [(o.student, o.reason) for o in report.failed] == [("ana", "Slack refused: channel_not_found")]
    stand_in.refuse_posts_to.clear()
    assert deliver(tutor, client).sent == (("ana", 1),)


def run(*args: str):
    return CliRunner().invoke(app, list(args), terminal_width=200)


def test_notify_students_sends_what_is_due_and_the_weekly_summary(school, stand_in, monkeypatch) -> None:
    tutor = school.tutor
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", stand_in.url)
    tutor.link_chat_user("slack", "U0ANA", student="ana")
    first = run("--db", tutor.url, "notify", "students")
    assert first.exit_code == 0, first.output
    assert "Progress updates on slack: 0 messages to 0 students, 2 skipped, 0 failed" in first.output
    assert f"skipped: ben: {NO_ACCOUNT}" in first.output

    school.fluent("ana", "6.RP.1")
    weekly = run("--db", tutor.url, "notify", "students", "--weekly", "--student", "ana", "--json")
    assert weekly.exit_code == 0, weekly.output
    assert json.loads(weekly.output) == {"platform": "slack", "sent": [{"student": "ana", "messages": 2}],
                                         "skipped": [], "failed": []}  # fmt: skip
    assert [text for _, text in texts(stand_in)] == ["New competency mastered", "Your week, ana"]
    again = run("--db", tutor.url, "notify", "students", "--weekly", "--student", "ana", "--json")
    assert json.loads(again.output)["sent"] == []


def test_notify_students_names_what_is_wrong(school, stand_in, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    bad = run("--db", school.tutor.url, "notify", "students", "--student", "nobody")
    assert bad.exit_code == 2 and "--student nobody: no active student with this code" in bad.output
    assert "--platform 'fax'" in run("--db", school.tutor.url, "notify", "students", "--platform", "fax").output
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert "set SLACK_BOT_TOKEN" in run("--db", school.tutor.url, "notify", "students").output
    assert stand_in.calls == []
