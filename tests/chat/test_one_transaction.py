"""One chat message is one unit of work: whatever the bot reads and writes to answer it commits together."""

from chatroom import ANA, RIVERA, said
from sqlalchemy import event


def _transactions(tutor) -> list[int]:
    began = [0]

    def count(*_):
        began[0] += 1

    event.listen(tutor._database._engine, "begin", count)
    return began


def test_a_student_setting_a_goal_costs_one_transaction(chat, classroom):
    began = _transactions(classroom)
    assert "Goal set" in said(chat.reply(ANA, "I want to master fractions by Friday"))
    assert began[0] == 1
    assert len(classroom.goals("ana")) == 1  # committed


def test_a_teacher_asking_for_progress_and_a_home_page_cost_one_transaction_each(chat, classroom):
    began = _transactions(classroom)
    said(chat.reply(RIVERA, "how is Ana doing?"))
    assert began[0] == 1
    chat.home(RIVERA)
    assert began[0] == 2


def test_a_question_answered_in_two_messages_commits_each_message(chat, classroom):
    began = _transactions(classroom)
    said(chat.reply(ANA, "I want to get good at ratios"))
    said(chat.reply(ANA, "next week"))
    assert began[0] == 2 and len(classroom.goals("ana")) == 1
