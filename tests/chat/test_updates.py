"""Proactive updates: a goal met, a competency newly mastered, and the weekly summary, each with plain text."""

from chatroom import TODAY

from bots.core import updates


def master(tutor, student, competency):
    for _ in range(12):
        tutor.record_response(student, competency=competency, correct=True)


def test_a_goal_met_before_its_deadline(classroom):
    goal_id = classroom.add_goal("ana", "Master fractions by Friday", TODAY.replace(day=5), "6.NS.1")
    before = updates.levels(classroom, ["ana", "ben"])
    assert updates.collect(classroom, ["ana", "ben"], before, today=TODAY) == []
    master(classroom, "ana", "6.NS.1")
    ((who, msg),) = updates.collect(classroom, ["ana", "ben"], before, today=TODAY)
    assert who == "ana" and msg.title == "Goal met!"
    assert "You mastered Divide fractions by fractions 2 days before your deadline" in msg.text
    classroom.close_goal(goal_id)
    assert updates.collect(classroom, ["ana"], before, today=TODAY)[0][1].title == "New competency mastered"
    assert updates.collect(classroom, ["ana"], updates.levels(classroom, ["ana"]), today=TODAY) == []


def test_crossing_into_mastered_without_a_goal(classroom):
    before = updates.levels(classroom, ["ben"])
    master(classroom, "ben", "6.RP.1")
    ((who, msg),) = updates.collect(classroom, ["ben"], before, today=TODAY)
    assert (who, msg.title) == ("ben", "New competency mastered")
    assert msg.text.startswith("New competency mastered\nYou mastered Understand ratios (6.RP.1).")


def test_a_goal_past_its_deadline_is_not_met(classroom):
    classroom.add_goal("ana", "Master fractions", TODAY.replace(day=1), "6.NS.1")
    before = updates.levels(classroom, ["ana"])
    master(classroom, "ana", "6.NS.1")
    ((_, msg),) = updates.collect(classroom, ["ana"], before, today=TODAY)
    assert msg.title == "New competency mastered"


def test_weekly_summary(classroom):
    classroom.add_goal("ana", "Master ratios by next week", TODAY.replace(day=10), "6.RP.1")
    before = updates.levels(classroom, ["ana"])
    master(classroom, "ana", "6.NS.1")
    classroom.record_response("ana", competency="6.RP.1", correct=False)
    sent = updates.collect(classroom, ["ana"], before, today=TODAY, weekly=True)
    assert [m.title for _, m in sent] == ["New competency mastered", "Your week, Ana Diaz"]
    summary = sent[-1][1]
    assert [b.label for b in summary.bars] == ["6.NS.1 Divide fractions by fractions", "6.RP.1 Understand ratios"]
    assert "This week you mastered 1 competency; 1 of 14 mastered in all." in summary.text
    assert "Master ratios by next week (7 days left, now attempted)" in summary.text
    assert "6.RP.1 Understand ratios: [" in summary.text  # bars in the plain-text fallback
