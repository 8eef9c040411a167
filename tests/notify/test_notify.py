"""Each teacher is sent their small-group list once a day: text, blocks and the class heatmap in a Slack DM."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from adaptive.domain import UnknownRecord
from adaptive.domain.evidence import percent
from bots.core.daily import ALREADY_SENT, teacher_lists, teacher_messages
from bots.slack.platform import notify_teachers


def posts_by_channel(stand_in) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for call in stand_in.of("chat.postMessage"):
        found.setdefault(call.args["channel"], []).append(call.args)
    return found


def test_a_claim_is_taken_once_and_released_for_a_retry(school, day) -> None:
    tutor = school.tutor
    assert tutor.claim_notification(day, "slack", "ms-rivera") is True
    assert tutor.claim_notification(day, "slack", "ms-rivera") is False
    assert tutor.claim_notification(day, "teams", "ms-rivera") is True  # platforms are separate
    assert tutor.claim_notification(day + dt.timedelta(days=1), "slack", "ms-rivera") is True
    assert tutor.notifications_sent(day, "slack") == ["ms-rivera"]
    assert tutor.release_notification(day, "slack", "ms-rivera") is True
    assert tutor.release_notification(day, "slack", "ms-rivera") is False
    assert tutor.claim_notification(day, "slack", "ms-rivera") is True
    with pytest.raises(UnknownRecord, match="nobody"):
        tutor.claim_notification(day, "slack", "nobody")


def test_the_list_names_groups_reasons_and_mini_lessons_and_issues_it(school, day) -> None:
    (message,) = teacher_messages(school.tutor, "ms-rivera", day)
    assert message.title.startswith("Small groups 6A")
    assert "6.NS.2" in message.text and "mini-lesson:" in message.text
    assert "- ana:" in message.text and "- ben:" in message.text
    # Each reason as it was when flagged, beside the mastery now (as the morning page shows them).
    issued = school.tutor.issued_groups("6A", date=day)
    assert issued is not None
    for member in (m for g in issued.groups for m in g.members):
        (line,) = [x for x in message.text.splitlines() if x.startswith(f"- {member.student}:")]
        assert "(when flagged, " in line and line.endswith(f"; now {percent(member.p_mastered)}")
    assert message.image.startswith(b"\x89PNG") and "(picture: 6A mastery heatmap)" in message.text
    assert school.tutor.small_groups("6A", date=day, preview=True).students  # same day's list
    lists = dict(teacher_lists(school.tutor, day))
    assert set(lists) == {"ms-rivera", "mr-osei"}


def test_the_daily_list_holds_three_groups_and_names_who_waits_for_tomorrow(school, day) -> None:
    """Ms Rivera's students are stuck on four different competencies: her message has the three groups of
    greatest need and one line naming the student to see first tomorrow, who is not counted as pulled."""
    school.enroll("6A", ["cy", "dee", "eli"])
    for student, competency in [("cy", "6.NS.3"), ("dee", "6.RP.1"), ("eli", "6.NS.1")]:
        school.stuck(student, competency)
    (message,) = teacher_messages(school.tutor, "ms-rivera", day)
    assert message.text.count("mini-lesson:") == 3
    (waiting,) = [line for line in message.text.splitlines() if line.startswith("Not today, first tomorrow: ")]
    issued = school.tutor.small_groups("6A", date=day, preview=True, max_groups=3)
    assert [s for g in issued.later for s in g.students] and all(s in waiting for s in issued.waiting)
    assert all(f"{g.competency_name} ({g.competency}): " in waiting for g in issued.later)  # named, not a code


def test_a_list_the_teacher_issued_and_changed_is_sent_as_she_left_it(school, day) -> None:
    """Ms Rivera issued the day's list early on the web and moved Ben into Cy's group. The morning message
    that goes out afterwards sends that list, with her move, and issuing it again would have undone it."""
    school.enroll("6A", ["cy"])
    school.stuck("cy", "6.RP.1")
    issued = school.tutor.small_groups("6A", date=day)
    (ratios,) = [g.number for g in issued.groups if g.competency == "6.RP.1"]
    school.tutor.move_to_group("6A", "ben", ratios, date=day)

    (message,) = teacher_messages(school.tutor, "ms-rivera", day)

    group = message.text.split(f"Group {ratios}: ")[1].split("\nGroup")[0]
    assert "- ben:" in group and "- cy:" in group
    kept = school.tutor.issued_groups("6A", date=day)
    assert kept is not None and "ben" in next(g for g in kept.groups if g.number == ratios).students


def test_a_teacher_with_nobody_to_pull_gets_a_short_message(school, day) -> None:
    school.tutor.add_teacher("ms-quiet", "Ms Quiet")
    school.tutor.add_section("6C", "Grade 6 C", teacher="ms-quiet")
    (message,) = teacher_messages(school.tutor, "ms-quiet", day)
    assert "Nobody to pull today (6C)" in message.text and message.image is None


def test_run_one_sends_each_teacher_one_dm_run_two_nothing_next_day_again(school, day, stand_in, client) -> None:
    tutor = school.tutor
    tutor.link_chat_user("slack", "U0OSEI", teacher="mr-osei")
    first = notify_teachers(tutor, client, day)
    assert sorted(first.sent) == ["mr-osei", "ms-rivera"] and not first.skipped and not first.failed
    assert [c.args["email"] for c in stand_in.of("users.lookupByEmail")] == ["rivera@school.example"]
    assert sorted(c.args["users"] for c in stand_in.of("conversations.open")) == ["U0OSEI", "U0RIVERA"]
    posts = posts_by_channel(stand_in)
    assert set(posts) == {"D0OSEI", "D0RIVERA"} and all(len(p) == 1 for p in posts.values())
    rivera = posts["D0RIVERA"][0]
    blocks = json.loads(rivera["blocks"]) if isinstance(rivera["blocks"], str) else rivera["blocks"]
    assert "Small groups 6A" in rivera["text"] and blocks[0]["type"] == "header"
    assert len(stand_in.of("upload")) == 2  # one heatmap per teacher

    calls = len(stand_in.calls)
    second = notify_teachers(tutor, client, day)
    assert not second.sent and {(o.teacher, o.reason) for o in second.skipped} == {
        ("mr-osei", ALREADY_SENT), ("ms-rivera", ALREADY_SENT)}
    assert len(stand_in.calls) == calls  # nothing sent, nothing looked up

    third = notify_teachers(tutor, client, day + dt.timedelta(days=1))
    assert sorted(third.sent) == ["mr-osei", "ms-rivera"]


def test_a_teacher_without_a_slack_account_is_reported_not_dropped(school, day, stand_in, client) -> None:
    report = notify_teachers(school.tutor, client, day)
    assert report.sent == ("ms-rivera",)
    assert [(o.teacher, o.reason) for o in report.skipped] == [
        ("mr-osei", "no Slack account with the roster e-mail osei@school.example")]
    assert school.tutor.notifications_sent(day, "slack") == ["ms-rivera"]  # a rerun looks Mr Osei up again


def test_a_failed_post_releases_the_claim_and_a_rerun_sends_only_that_teacher(school, day, stand_in, client) -> None:
    tutor = school.tutor
    tutor.link_chat_user("slack", "U0OSEI", teacher="mr-osei")
    stand_in.refuse_posts_to.add("D0OSEI")
    report = notify_teachers(tutor, client, day)
    assert report.sent == ("ms-rivera",)
    assert [(o.teacher, o.reason) for o in report.failed] == [("mr-osei", "channel_not_found")]
    assert tutor.notifications_sent(day, "slack") == ["ms-rivera"]

    stand_in.refuse_posts_to.clear()
    before = set(posts_by_channel(stand_in))
    rerun = notify_teachers(tutor, client, day)
    assert rerun.sent == ("mr-osei",)
    assert [(o.teacher, o.reason) for o in rerun.skipped] == [("ms-rivera", ALREADY_SENT)]
    assert len(posts_by_channel(stand_in)["D0RIVERA"]) == 1 and before == {"D0OSEI", "D0RIVERA"}
