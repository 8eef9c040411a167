"""Proactive updates: a goal met, a competency newly mastered and the weekly summary, each sent once, with
plain text; what a student had mastered before the tutor could reach them is not news."""

import datetime as dt

from chatroom import TODAY, Mailbox

from bots.core import updates


def master(tutor, student, competency):
    for _ in range(12):
        tutor.record_response(student, competency=competency, correct=True)


def deliver(tutor, mailbox, **options):
    return updates.deliver(tutor, mailbox, today=TODAY, **options)


def test_a_goal_met_before_its_deadline_is_announced_once_and_closed(classroom):
    goal_id = classroom.add_goal("ana", "Master fractions by Friday", TODAY.replace(day=5), "6.NS.1")
    mailbox = Mailbox()
    assert deliver(classroom, mailbox).sent == () and mailbox.titles() == []
    master(classroom, "ana", "6.NS.1")
    report = deliver(classroom, mailbox)
    assert report.sent == (("ana", 1),)
    assert mailbox.delivered == [("ana.diaz@school.org", "Goal met!")]
    assert [g.closed_at is not None for g in classroom.goals("ana")] == [True]
    assert classroom.goals("ana")[0].id == goal_id
    mailbox.titles()
    assert deliver(classroom, mailbox).sent == () and mailbox.titles() == []


def test_the_goal_met_message_says_how_early(classroom):
    classroom.add_goal("ana", "Master fractions by Friday", TODAY.replace(day=5), "6.NS.1")
    deliver(classroom, Mailbox())
    master(classroom, "ana", "6.NS.1")
    got = []
    mailbox = Mailbox()
    mailbox.send = lambda where, messages: got.extend(messages)
    deliver(classroom, mailbox)
    assert "You mastered Divide fractions by fractions 2 days before your deadline" in got[0].text


def test_crossing_into_mastered_without_a_goal(classroom):
    mailbox = Mailbox()
    deliver(classroom, mailbox)
    master(classroom, "ben", "6.RP.1")
    got = []
    mailbox.send = lambda where, messages: got.extend((where, m) for m in messages)
    assert deliver(classroom, mailbox).sent == (("ben", 1),)
    ((where, msg),) = got
    assert where == "ben.li@school.org" and msg.title == "New competency mastered"
    assert msg.text.startswith("New competency mastered\nYou mastered Understand ratios (6.RP.1).")


def test_what_was_mastered_before_the_student_could_be_reached_is_not_announced(classroom):
    master(classroom, "ana", "6.RP.1")
    mailbox = Mailbox(unreachable=("ana",))
    report = deliver(classroom, mailbox)
    assert [(o.student, o.reason) for o in report.skipped] == [("ana", "no chat account")]
    assert classroom.claimed_updates("ana", "slack") == []  # nothing recorded for a student not reached
    mailbox.unreachable.clear()  # Ana links her chat account
    assert deliver(classroom, mailbox).sent == () and mailbox.titles() == []
    assert classroom.claimed_updates("ana", "slack") == [("start", ""), ("mastered", "6.RP.1")]
    master(classroom, "ana", "6.NS.1")
    deliver(classroom, mailbox)
    assert mailbox.titles() == ["New competency mastered"]


def test_a_goal_past_its_deadline_is_not_met(classroom):
    classroom.add_goal("ana", "Master fractions", TODAY.replace(day=1), "6.NS.1")
    mailbox = Mailbox()
    deliver(classroom, mailbox)
    master(classroom, "ana", "6.NS.1")
    deliver(classroom, mailbox)
    assert mailbox.titles() == ["New competency mastered"]
    assert [g.closed_at for g in classroom.goals("ana")] == [None]


def test_a_failed_send_is_given_back_and_sent_next_time(classroom):
    classroom.add_goal("ana", "Master fractions by Friday", TODAY.replace(day=5), "6.NS.1")
    mailbox = Mailbox()
    deliver(classroom, mailbox)
    master(classroom, "ana", "6.NS.1")
    mailbox.down = True
    report = deliver(classroom, mailbox)
    assert [(o.student, o.reason) for o in report.failed] == [("ana", "ConnectionError: the platform is down")]
    assert [g.closed_at for g in classroom.goals("ana")] == [None]  # not met until she has heard it
    mailbox.down = False
    deliver(classroom, mailbox)
    assert mailbox.titles() == ["Goal met!"]


def test_each_platform_sends_its_own_updates(classroom):
    slack, teams = Mailbox(), Mailbox()
    teams.platform = "teams"
    for mailbox in (slack, teams):
        deliver(classroom, mailbox)
    master(classroom, "ben", "6.RP.1")
    for mailbox in (slack, teams, slack):
        deliver(classroom, mailbox)
    assert slack.titles() == ["New competency mastered"] and teams.titles() == ["New competency mastered"]


def test_since_looks_only_at_students_who_worked_since(classroom):
    deliver(classroom, Mailbox())
    start = dt.datetime.now(dt.UTC)
    master(classroom, "ben", "6.RP.1")
    assert classroom.students_active_since(start) == ["ben"]
    mailbox = Mailbox(unreachable=("ana", "cy"))
    report = deliver(classroom, mailbox, since=start)
    assert report.sent == (("ben", 1),) and report.skipped == ()  # Ana and Cy were not even looked up


def test_weekly_summary_once_a_week(classroom):
    today = dt.datetime.now(dt.UTC).date()  # "this week" is counted on the clock the updates are claimed by
    classroom.add_goal("ana", "Master ratios by next week", today + dt.timedelta(days=7), "6.RP.1")
    got = []
    mailbox = Mailbox(unreachable=("ben", "cy"))
    mailbox.send = lambda where, messages: got.extend(messages)
    updates.deliver(classroom, mailbox, today=today)
    master(classroom, "ana", "6.NS.1")
    classroom.record_response("ana", competency="6.RP.1", correct=False)
    updates.deliver(classroom, mailbox, weekly=True, today=today)
    assert [m.title for m in got] == ["New competency mastered", "Your week, Ana Diaz"]
    summary = got[-1]
    assert [b.label for b in summary.bars] == ["6.NS.1 Divide fractions by fractions", "6.RP.1 Understand ratios"]
    assert "This week you mastered 1 competency; 1 of 14 mastered in all." in summary.text
    due = today + dt.timedelta(days=7)
    assert f"Master ratios by next week, by {due:%A %B} {due.day} (7 days left, now attempted)" in summary.text
    assert "6.RP.1 Understand ratios: [" in summary.text  # bars in the plain-text fallback
    got.clear()
    updates.deliver(classroom, mailbox, weekly=True, today=today)
    assert got == []  # once per week
    updates.deliver(classroom, mailbox, weekly=True, today=today + dt.timedelta(days=7))
    assert [m.title for m in got] == ["Your week, Ana Diaz"]
    assert "This week you mastered 0 competencies" in got[0].text


def test_the_run_reports_in_lines_and_json(classroom):
    mailbox = Mailbox(unreachable=("cy",))
    deliver(classroom, mailbox)
    master(classroom, "ben", "6.RP.1")
    report = deliver(classroom, mailbox)
    assert report.lines()[0] == "Progress updates on slack: 1 message to 1 student, 1 skipped, 0 failed"
    assert report.to_dict()["sent"] == [{"student": "ben", "messages": 1}]
    assert report.to_dict()["skipped"] == [{"student": "cy", "reason": "no chat account"}]
