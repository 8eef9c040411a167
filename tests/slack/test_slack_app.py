"""End to end: the real Bolt app on 127.0.0.1, signed Slack requests, a stand-in Web API recording what it got."""

from __future__ import annotations

import json
import time

from slack_helpers import (
    BOT_ID,
    BOT_USER,
    SECRET,
    RunningSlack,
    dm_event,
    event_body,
    post,
    signed_headers,
    teacher_dashboard,
)

from bots.core.messages import ChatUser
from bots.slack.render import action_id

QUIET = 0.3  # how long to watch for a call that must not come (the app answers on a worker thread)


def test_a_direct_message_is_answered_by_the_core_in_the_same_dm(slack: RunningSlack) -> None:
    answer = slack.send_event(dm_event("what next?"))
    assert answer.status == 200
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "D0DM"
    assert posted.args["text"] == "You said: what next?"
    assert posted.args["blocks"][-1]["elements"][0]["action_id"] == action_id("next_item", 0)
    assert posted.headers["Authorization"] == "Bearer xoxb-test-token"
    [(kind, user, args)] = slack.conversation.calls
    assert (kind, args) == ("reply", ("what next?",))
    assert user == ChatUser("slack", "U0STUDENT", email="ana@school.example", name="Person U0STUDENT")


def test_people_are_looked_up_once_and_a_profile_without_email_still_reaches_the_core(slack: RunningSlack) -> None:
    slack.send_event(dm_event("one"), event_id="Ev1")
    slack.send_event(dm_event("two"), event_id="Ev2")
    slack.send_event(dm_event("hi", user="U0OTHER", channel="D0OTHER"), event_id="Ev3")
    slack.stand_in.wait_for("chat.postMessage", 3)
    assert [c.args["user"] for c in slack.stand_in.of("users.info")] == ["U0STUDENT", "U0OTHER"]
    other = [user for _, user, _ in slack.conversation.calls if user.user_id == "U0OTHER"]
    assert other[0].email is None


def test_the_bots_own_messages_edits_and_channel_messages_are_acknowledged_and_ignored(slack: RunningSlack) -> None:
    ignored = [
        dm_event("I am the bot", user=BOT_USER, bot_id=BOT_ID),
        dm_event("another app's bot", user="U0APP", bot_id="B0APP"),
        {**dm_event("edited"), "subtype": "message_changed"},
        {**dm_event("in class"), "channel_type": "channel", "channel": "C0CLASS"},
        dm_event("   "),
    ]
    for n, event in enumerate(ignored):
        assert slack.send_event(event, event_id=f"Ev{n}").status == 200
    slack.send_event(dm_event("a real one"), event_id="Ev-last")  # answered after the ignored ones
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    time.sleep(QUIET)
    assert posted.args["text"] == "You said: a real one"
    assert [kind for kind, _, _ in slack.conversation.calls] == ["reply"]
    assert len(slack.stand_in.of("chat.postMessage")) == 1


def test_goal_command_is_acknowledged_and_answered_in_the_apps_dm(slack: RunningSlack) -> None:
    answer = slack.send_command("master fractions by Friday")
    assert answer.status == 200
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "U0STUDENT"
    assert posted.args["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Your goal"}}
    assert slack.conversation.calls[0][0::2] == ("command", ("goal", "master fractions by Friday"))


def test_a_button_press_goes_back_to_the_core_with_its_action_and_value(slack: RunningSlack) -> None:
    assert slack.send_action(action_id("next_item", 0), "fractions").status == 200
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "D0DM"
    assert slack.conversation.calls[0][0::2] == ("action", ("next_item", "fractions"))
    link = posted.args["blocks"][-1]["elements"][0]
    assert link["url"] == "https://example.org/items/42"


def test_a_button_on_the_home_tab_is_answered_in_the_apps_dm(slack: RunningSlack) -> None:
    slack.send_action(action_id("regroup", 0), "s1", channel=None)
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "U0STUDENT"


def test_a_link_button_press_is_acknowledged_without_asking_the_core(slack: RunningSlack) -> None:
    assert slack.send_action("link:open", "").status == 200
    time.sleep(QUIET)
    assert slack.conversation.calls == []
    assert slack.stand_in.actions() == []


def test_opening_app_home_publishes_the_students_dashboard(slack: RunningSlack) -> None:
    event = {"type": "app_home_opened", "user": "U0STUDENT", "channel": "D0DM", "tab": "home",
             "event_ts": f"{time.time():.6f}"}  # fmt: skip
    assert slack.send_event(event).status == 200
    [published] = slack.stand_in.wait_for("views.publish")
    assert published.args["user_id"] == "U0STUDENT"
    view = published.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    texts = json.dumps(view["blocks"], ensure_ascii=False)
    assert "▰▰▰▰▰▰▱▱▱▱ 62% familiar" in texts and "https://example.org/items/7" in texts


def test_opening_the_messages_tab_publishes_nothing(slack: RunningSlack) -> None:
    event = {"type": "app_home_opened", "user": "U0STUDENT", "channel": "D0DM", "tab": "messages"}
    assert slack.send_event(event).status == 200
    time.sleep(QUIET)
    assert slack.stand_in.actions() == []


def test_the_teachers_home_uploads_the_class_heatmap_and_shows_it(slack: RunningSlack) -> None:
    slack.conversation.home_messages = teacher_dashboard()
    slack.send_event({"type": "app_home_opened", "user": "U0TEACHER", "channel": "D0T", "tab": "home"})
    [published] = slack.stand_in.wait_for("views.publish")
    [url_call] = slack.stand_in.of("files.getUploadURLExternal")
    assert url_call.args["filename"] == "class-heatmap.png"
    [upload] = slack.stand_in.of("upload")
    assert upload.body.startswith(b"\x89PNG")
    [complete] = slack.stand_in.of("files.completeUploadExternal")
    [file] = json.loads(complete.args["files"])
    assert file["title"] == "Class heatmap" and "channel_id" not in complete.args
    view = published.args["view"]
    images = [b for b in view["blocks"] if b["type"] == "image"]
    assert images == [{"type": "image", "slack_file": {"id": file["id"]}, "alt_text": "Class heatmap",
                       "title": {"type": "plain_text", "text": "Class heatmap"}}]  # fmt: skip


def test_an_image_in_a_reply_is_shared_in_the_dm_after_the_message(slack: RunningSlack) -> None:
    heatmap = teacher_dashboard()[1]
    slack.conversation.reply = lambda user, text: [heatmap]  # type: ignore[method-assign]
    slack.send_event(dm_event("heatmap"))
    [complete] = slack.stand_in.wait_for("files.completeUploadExternal")
    assert complete.args["channel_id"] == "D0DM"
    assert [c.method for c in slack.stand_in.actions()] == [
        "chat.postMessage", "files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


# --- forged, stale and replayed requests ------------------------------------------------------------------------

def _assert_nothing_happened(slack: RunningSlack) -> None:
    time.sleep(QUIET)
    assert slack.conversation.calls == []
    assert slack.stand_in.calls == []


def test_a_request_signed_with_another_secret_gets_401_and_does_nothing(slack: RunningSlack) -> None:
    body = event_body(dm_event("forged"))
    assert post(slack.url, body, signed_headers(body, secret="not-" + SECRET)).status == 401
    _assert_nothing_happened(slack)


def test_a_request_without_signature_gets_401_and_does_nothing(slack: RunningSlack) -> None:
    body = event_body(dm_event("unsigned"))
    assert post(slack.url, body, {"Content-Type": "application/json"}).status == 401
    headers = signed_headers(body)
    del headers["X-Slack-Request-Timestamp"]
    assert post(slack.url, body, headers).status == 401
    _assert_nothing_happened(slack)


def test_a_body_changed_after_signing_gets_401(slack: RunningSlack) -> None:
    body = event_body(dm_event("hello"))
    headers = signed_headers(body)
    assert post(slack.url, body.replace("hello", "grade=A"), headers).status == 401
    _assert_nothing_happened(slack)


def test_a_correctly_signed_request_older_than_five_minutes_gets_401(slack: RunningSlack) -> None:
    body = event_body(dm_event("old"))
    stale = int(time.time()) - 5 * 60 - 30
    assert post(slack.url, body, signed_headers(body, timestamp=stale)).status == 401
    body2 = event_body(dm_event("just in time"), event_id="Ev2")
    assert post(slack.url, body2, signed_headers(body2, timestamp=int(time.time()) - 4 * 60)).status == 200
    slack.stand_in.wait_for("chat.postMessage")
    assert [args for _, _, args in slack.conversation.calls] == [("just in time",)]


def test_slack_retries_of_a_handled_event_cause_no_second_answer(slack: RunningSlack) -> None:
    assert slack.send_event(dm_event("once"), event_id="EvRetry").status == 200
    slack.stand_in.wait_for("chat.postMessage")
    for n in (1, 2, 3):
        answer = slack.send_event(dm_event("once"), event_id="EvRetry", **{"X-Slack-Retry-Num": str(n),
                                                                            "X-Slack-Retry-Reason": "http_timeout"})
        assert answer.status == 200
    slack.send_event(dm_event("twice"), event_id="EvOther")
    slack.stand_in.wait_for("chat.postMessage", 2)
    time.sleep(QUIET)
    assert [args for _, _, args in slack.conversation.calls] == [("once",), ("twice",)]
    assert len(slack.stand_in.of("chat.postMessage")) == 2


def test_a_forged_copy_of_an_event_does_not_mark_its_id_as_handled(slack: RunningSlack) -> None:
    body = event_body(dm_event("real"), event_id="EvSame")
    assert post(slack.url, body, signed_headers(body, secret="wrong")).status == 401
    assert slack.send_event(dm_event("real"), event_id="EvSame").status == 200
    slack.stand_in.wait_for("chat.postMessage")


def test_the_health_check_answers_without_calling_slack(slack: RunningSlack) -> None:
    import urllib.request

    with urllib.request.urlopen(slack.url.replace("/slack/events", "/healthz"), timeout=5) as response:
        assert response.read() == b"ok"
    assert slack.stand_in.calls == []


def test_when_the_tutor_fails_the_person_is_told_so_not_left_waiting(slack: RunningSlack, caplog) -> None:
    def broken(user, text):
        raise RuntimeError("the database is down")

    slack.conversation.reply = broken
    assert slack.send_event(dm_event("how am I doing?")).status == 200
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "D0DM" and posted.args["text"].startswith("Something went wrong\nSorry,")
    assert "the database is down" in caplog.text  # logged for the admin, never shown in the chat
    assert "database" not in posted.args["text"]
