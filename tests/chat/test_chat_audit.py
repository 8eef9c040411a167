"""The chat's reads in the access log: each message's reads are logged as the chat account and the person it is
linked to, a teacher's class views list every student shown, an /unlink is in the audit trail, and what the bot
sends unasked is logged as read by its recipient."""

import datetime as dt

from chatroom import ANA, RIVERA, TODAY, Mailbox, said

from bots.core import daily, updates
from bots.core.messages import ChatUser


def trail(tutor, **filters):
    return [(e.actor, e.action, e.student, e.what) for e in tutor.audit_entries(**filters)]


def test_a_slack_student_reading_their_own_progress_is_logged_with_the_chat_account(chat, classroom):
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "how am I doing?"))
    assert set(trail(classroom)) == {("slack:U-ANA (student ana)", "read", "ana", "mastery"),
                                     ("slack:U-ANA (student ana)", "read", "ana", "mastered competencies"),
                                     ("slack:U-ANA (student ana)", "read", "ana", "goals")}


def test_a_chat_user_nobody_is_linked_to_reads_nothing_and_is_not_logged(chat, classroom):
    assert "Not linked" in said(chat.reply(ChatUser("slack", "U-NOBODY"), "how am I doing?"))
    assert classroom.audit_entries() == []


def test_the_terminal_chat_logs_who_ran_it_beside_who_they_say_they_are(chat, classroom):
    with classroom.acting_as("cli:kim"):
        chat.reply(ChatUser("local", "ana"), "how am I doing?")
    assert {e.actor for e in classroom.audit_entries()} == {"local:ana (student ana) via cli:kim"}


def test_a_teachers_home_logs_each_student_shown_as_the_teachers_account(chat, classroom):
    classroom.ask_for_help("ben", "I am lost")
    chat.home(RIVERA)
    entries = classroom.audit_entries()
    assert {e.actor for e in entries} == {"slack:U-RIVERA (teacher t-rivera)"}
    assert {(e.student, e.what) for e in entries} >= {("ben", "flags"), ("ana", "class heatmap"),
                                                      ("ben", "class heatmap")}
    assert "cy" not in {e.student for e in entries}  # another teacher's student was not shown


def test_an_unlink_is_in_the_audit_trail_with_who_did_it(chat, classroom):
    chat.reply(RIVERA, "/link slack:U-BETA ana")
    assert "Unlinked" in said(chat.reply(RIVERA, "/unlink slack:U-BETA"))
    [entry] = classroom.audit_entries(student="ana")
    assert (entry.actor, entry.action, entry.what) == ("slack:U-RIVERA (teacher t-rivera)", "unlink", "chat link")
    assert entry.detail == "slack user U-BETA (student ana)"


def test_an_unlink_through_the_library_is_logged_as_by_when_nobody_acts(classroom):
    classroom.link_chat_user("teams", "aad-ana", student="ana", by="t-rivera")
    classroom.unlink_chat_user("teams", "aad-ana", by="admin-jo")
    assert trail(classroom) == [("admin-jo", "unlink", "ana", "chat link")]
    assert classroom.unlink_chat_user("teams", "aad-ana", by="admin-jo") is None  # nothing to unlink, no entry
    assert len(classroom.audit_entries()) == 1


def test_progress_updates_are_logged_as_read_by_the_student_they_go_to(classroom):
    for _ in range(12):
        classroom.record_response("ana", competency="6.NS.1", correct=True)
    classroom.link_chat_user("slack", "U-ANA", student="ana")
    updates.deliver(classroom, Mailbox(), today=TODAY, students=["ana"])
    assert set(trail(classroom)) >= {("slack:U-ANA (student ana)", "read", "ana", "mastery")}
    assert {e.actor for e in classroom.audit_entries()} == {"slack:U-ANA (student ana)"}


def test_the_daily_list_is_logged_as_read_by_the_teacher_it_goes_to(classroom):
    for _ in range(4):
        classroom.record_response("ben", competency="6.NS.1", correct=False)

    class Teachers(Mailbox):
        def address(self, person, role="student"):
            return person.code, ""

    daily.notify_teachers(classroom, Teachers(), TODAY + dt.timedelta(days=1))
    actors = {(e.actor, e.student) for e in classroom.audit_entries()}
    assert ("slack:by e-mail (teacher t-rivera)", "ben") in actors
    assert ("slack:by e-mail (teacher t-okafor)", "ben") not in actors
