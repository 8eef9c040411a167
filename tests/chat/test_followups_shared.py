"""Follow-up questions live in the database: another server (or the same one after a restart) takes the
answer, an answer long after the question is not taken as one, and one answer is taken once."""

import datetime as dt

from chatroom import ANA, TODAY, said

from adaptive import Tutor
from adaptive.domain import FOLLOWUP_MAX_AGE
from bots.core.conversation import TutorConversation

ASKED = dt.datetime(2025, 12, 3, 15, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_question_asked_by_one_server_is_answered_through_another(classroom, database_url, model):
    first = TutorConversation(classroom, today=TODAY, model=model)
    assert "By when do you want to master Understand ratios?" in said(first.reply(ANA, "I want to get good at ratios"))
    with Tutor(database_url) as restarted:
        second = TutorConversation(restarted, today=TODAY, model=model)
        assert "Goal set" in said(second.reply(ANA, "next week"))
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.RP.1", dt.date(2025, 12, 12))
    assert "Progress: Ana Diaz" in said(first.reply(ANA, "how am I doing?"))  # taken once: nothing pending here


def test_the_choices_listed_by_one_server_are_picked_through_another(classroom, database_url, model):
    first = TutorConversation(classroom, today=TODAY, model=model)
    (asked,) = first.reply(ANA, "/goal divide by 12/5")
    with Tutor(database_url) as other:
        TutorConversation(other, today=TODAY, model=model).action(ANA, "answer", "2")
    (goal,) = classroom.goals("ana")
    assert (goal.competency, goal.deadline.date()) == ("6.NS.1", dt.date(2025, 12, 5))


def test_a_check_in_goes_on_after_a_restart(classroom, database_url, model):
    chat = TutorConversation(classroom, today=TODAY, model=model)
    chat.reply(ANA, "/goal fractions by Friday")
    chat.reply(ANA, "/checkin")
    assert "What's hard right now?" in said(chat.reply(ANA, "Khan videos"))
    with Tutor(database_url) as restarted:
        assert "Thanks for checking in" in said(TutorConversation(restarted, today=TODAY, model=model)
                                                .reply(ANA, "dividing mixed numbers"))
    (goal,) = classroom.goals("ana")
    assert [r.answer for r in classroom.reflections(goal.id)] == ["Khan videos", "dividing mixed numbers"]


def test_an_answer_after_the_age_limit_is_not_taken_as_the_follow_up(classroom, model):
    clock = Clock(ASKED)
    chat = TutorConversation(classroom, today=TODAY, model=model, clock=clock)
    chat.reply(ANA, "I want to get good at ratios")
    clock.now = ASKED + FOLLOWUP_MAX_AGE + dt.timedelta(seconds=1)
    out = said(chat.reply(ANA, "next week"))
    assert "Goal set" not in out and classroom.goals("ana") == []
    assert "Progress: Ana Diaz" in said(chat.reply(ANA, "how am I doing?"))  # the old question is gone too


def test_an_answer_within_the_age_limit_is_taken(classroom, model):
    clock = Clock(ASKED)
    chat = TutorConversation(classroom, today=TODAY, model=model, clock=clock)
    chat.reply(ANA, "I want to get good at ratios")
    clock.now = ASKED + FOLLOWUP_MAX_AGE - dt.timedelta(seconds=1)
    assert "Goal set" in said(chat.reply(ANA, "next week"))


def test_a_follow_up_is_taken_once_and_replaced_by_the_next(classroom):
    classroom.set_chat_followup("slack", "U-1", "goal", {"competency": "6.RP.1"})
    classroom.set_chat_followup("slack", "U-1", "checkin", {"goal_id": 7, "step": 1})
    assert classroom.take_chat_followup("slack", "U-1") == ("checkin", {"goal_id": 7, "step": 1})
    assert classroom.take_chat_followup("slack", "U-1") is None
    assert classroom.take_chat_followup("teams", "U-1") is None
