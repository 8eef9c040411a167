"""The real conversation core behind the Teams app, end to end over HTTP on loopback: Bot Framework activities
in, what a stand-in Teams connector receives out. A student found by her roster e-mail gets her progress as a
card and text; a student linked with /link is answered too; someone the roster does not know is told they are
not linked; a student asking for another student's progress is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from teams_helpers import RunningTeams, dm, running_teams

from adaptive.demo import sample_course
from bots.core.conversation import TutorConversation


@pytest.fixture
def school_on_teams(tutor) -> Iterator[RunningTeams]:
    tutor.import_curriculum(sample_course())
    tutor.add_student("ana", "Ana Diaz", email="Ana@School.Example")
    tutor.add_student("ben", "Ben Li")
    tutor.record_response("ana", item="ns2-practice-a", correct=True)
    tutor.record_response("ben", item="ns2-practice-a", correct=False)
    tutor.link_chat_user("teams", "aad-ben", student="ben")
    tutor.add_teacher("t-rivera", "Ms. Rivera")
    tutor.add_section("p3", "Math 6, period 3", teacher="t-rivera")
    tutor.enroll("p3", ["ana", "ben"])
    tutor.link_chat_user("teams", "aad-rivera", teacher="t-rivera")
    with running_teams(TutorConversation(tutor)) as teams:
        teams.connector.members["29:ana-bf-id"] = {"id": "29:ana-bf-id", "name": "Ana Diaz", "aadObjectId": "aad-ana",
                                                   "email": "ana@school.example"}  # fmt: skip
        yield teams


def test_a_student_found_by_roster_email_gets_her_progress_as_a_card_and_text(school_on_teams: RunningTeams):
    teams = school_on_teams
    assert teams.send(dm(teams.connector, "how am I doing?")) == 200
    [progress] = teams.connector.wait_for(1)
    assert progress.conversation_id == "a:dm-ana"
    assert "Progress: Ana Diaz" in progress.text and "6.NS.2" in progress.text
    [card] = progress.cards
    assert card["version"] == "1.5" and card["body"][0]["text"].startswith("Progress: Ana Diaz")
    assert any(element["type"] == "ColumnSet" for element in card["body"])


def test_a_student_linked_with_the_link_command_is_known_by_her_entra_id(school_on_teams: RunningTeams):
    teams = school_on_teams
    teams.send(dm(teams.connector, "how am I doing?", user="29:ben-bf-id", aad="aad-ben", name="Ben Li",
                  conversation_id="a:dm-ben"))  # fmt: skip
    [progress] = teams.connector.wait_for(1)
    assert progress.conversation_id == "a:dm-ben" and "Progress: Ben Li" in progress.text


def test_a_reading_over_teams_is_in_the_access_log_as_the_teams_account(school_on_teams: RunningTeams, tutor):
    teams = school_on_teams
    teams.send(dm(teams.connector, "how am I doing?", user="29:ben-bf-id", aad="aad-ben", name="Ben Li",
                  conversation_id="a:dm-ben"))  # fmt: skip
    teams.connector.wait_for(1)
    read = {(e.actor, e.student, e.what) for e in tutor.audit_entries()}
    assert ("teams:aad-ben (student ben)", "ben", "mastery") in read


def test_a_teams_user_the_roster_does_not_know_is_told_they_are_not_linked(school_on_teams: RunningTeams):
    teams = school_on_teams
    teams.send(dm(teams.connector, "how am I doing?", user="29:stranger", aad="aad-stranger", name="Zed",
                  conversation_id="a:dm-zed"))  # fmt: skip
    [answer] = teams.connector.wait_for(1)
    assert "not linked" in answer.text.lower() and "Ana" not in answer.text and "Ben" not in answer.text


def test_a_student_asking_for_another_students_progress_is_refused(school_on_teams: RunningTeams):
    teams = school_on_teams
    teams.send(dm(teams.connector, "/progress ben"))
    answers = teams.connector.wait_for(1)
    said = " ".join(answer.text for answer in answers)
    assert "Only your own progress" in said and "Ben" not in said


def test_a_teacher_reading_a_students_progress_gets_teacher_buttons_only(school_on_teams: RunningTeams):
    teams = school_on_teams
    teams.send(dm(teams.connector, "/progress ben", user="29:rivera-bf-id", aad="aad-rivera", name="Ms. Rivera",
                  conversation_id="a:dm-rivera"))  # fmt: skip
    [progress] = teams.connector.wait_for(1)
    assert "Progress: Ben Li" in progress.text
    [card] = progress.cards
    assert [a["data"]["action"] for a in card["actions"]] == ["checkins", "groups"]
