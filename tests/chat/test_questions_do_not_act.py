"""A question is never taken for the action it reads like. The chat's classifier hears "is flag 3 resolved?"
much as "resolve flag 3", and "did I set a goal for fractions by Friday?" much as setting one: whatever a
student or teacher asks, nothing is flagged, resolved, moved, set or started until they say so (a command,
or a button). Each question below once did, or nearly did."""

from __future__ import annotations

import datetime as dt

import pytest
from chatroom import ANA, RIVERA, TODAY


@pytest.fixture
def lesson(classroom):
    """Ben is stuck on division and Ana on decimals: both flagged, two groups on today's list (not issued)."""
    for _ in range(4):
        classroom.record_response("ben", item="ns2-practice-a", correct=False, at=dt.datetime(2025, 12, 2, 10))
    for _ in range(4):
        classroom.record_response("ana", item="ns3-practice-a", correct=False, at=dt.datetime(2025, 12, 2, 11))
    return classroom


def _state(tutor):
    """Everything an action would change: open flags, goals, today's issued list, a question waiting."""
    flags = sorted((f.id, f.reason) for f in tutor.flags())
    issued = tutor.issued_groups("p3", date=TODAY)
    groups = None if issued is None else [g.students for g in issued.groups]
    return flags, tutor.goals("ana"), groups


STUDENT_QUESTIONS = ["who is my teacher?", "is my teacher here today?", "did I set a goal for fractions by Friday?",
                     "did I check in this week?", "what is my group today?", "bye", "hi"]
TEACHER_QUESTIONS = ["is flag {flag} resolved?", "why was flag {flag} raised", "should I resolve flag {flag}?",
                     "who resolved flag {flag}", "is Ana in group 1?", "why is Ben in group 2", "should Ana be in "
                     "group 2?", "who is stuck on decimals?", "which group is Ana in"]


@pytest.mark.parametrize("question", STUDENT_QUESTIONS)
def test_a_students_question_changes_nothing(chat, lesson, question):
    before = _state(lesson)
    chat.reply(ANA, question)
    assert _state(lesson) == before
    assert lesson.take_chat_followup(ANA.platform, ANA.user_id) is None  # no question left waiting either


@pytest.mark.parametrize("question", TEACHER_QUESTIONS)
def test_a_teachers_question_changes_nothing(chat, lesson, question):
    flag = lesson.flags()[0].id
    before = _state(lesson)
    chat.reply(RIVERA, question.format(flag=flag))
    assert _state(lesson) == before
