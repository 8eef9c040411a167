"""A Teams activity is acted on once, however often it arrives: replayed to the same server, redelivered to
a second server sharing the database, or to a server restarted in between. Every copy still gets HTTP 200.
End to end over HTTP on loopback with the real conversation core, signed as the Bot Framework signs."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from teams_helpers import RunningTeams, StandInConnector, dm, running_teams

from adaptive import Tutor
from adaptive.demo import sample_course
from bots.core.conversation import TutorConversation
from bots.core.deliveries import in_database

GOAL = "/goal master 6.NS.2 by Friday"


@pytest.fixture
def school(database_url) -> str:
    with Tutor(database_url) as tutor:
        tutor.import_curriculum(sample_course())
        tutor.add_student("ana", "Ana Diaz")
        tutor.record_response("ana", item="ns2-practice-a", correct=True)
        tutor.link_chat_user("teams", "aad-ana", student="ana")
    return database_url


@contextmanager
def teams_server(url: str) -> Iterator[tuple[RunningTeams, Tutor]]:
    """One stateless server of the school: its own tutor (as its own process would have) on the shared
    database."""
    tutor = Tutor(url)
    try:
        with running_teams(TutorConversation(tutor), signed=True, one_unit=tutor.atomically,
                           first_time=in_database(tutor, "teams")) as teams:  # fmt: skip
            yield teams, tutor
    finally:
        tutor.close()


def answered_once_more(teams: RunningTeams, connector: StandInConnector, before: int) -> int:
    """Send a new message and wait for its answer: what was sent before it has been answered by then."""
    assert teams.send(dm(connector, "/goals")) == 200
    return len(connector.wait_for(before + 1)) - 1


def test_an_activity_replayed_three_times_makes_one_goal(school):
    with teams_server(school) as (teams, tutor):
        activity = dm(teams.connector, GOAL)
        assert [teams.send(copy.deepcopy(activity)) for _ in range(4)] == [200, 200, 200, 200]
        answered = answered_once_more(teams, teams.connector, 1)
        assert answered == 1
        assert [g.competency for g in tutor.goals("ana")] == ["6.NS.2"]


def test_a_new_activity_with_the_same_text_acts_again(school):
    with teams_server(school) as (teams, tutor):
        for _ in range(2):
            assert teams.send(dm(teams.connector, GOAL)) == 200  # each with its own activity id
        teams.connector.wait_for(2)
        assert len(tutor.goals("ana")) == 2


def test_an_activity_delivered_to_one_server_and_again_to_another_acts_once(school):
    with teams_server(school) as (a, _), teams_server(school) as (b, tutor):
        activity = dm(a.connector, GOAL)  # answers go to a's connector, whichever server answers
        assert a.send(activity) == 200
        assert b.send(activity) == 200
        assert answered_once_more(b, a.connector, 1) == 1
        assert len(tutor.goals("ana")) == 1


def test_an_activity_delivered_again_after_a_restart_acts_once(school):
    connector = StandInConnector().start()
    try:
        activity = dm(connector, GOAL)
        with teams_server(school) as (before, _):
            assert before.send(activity) == 200
            connector.wait_for(1)
        with teams_server(school) as (after, tutor):  # a new process: nothing kept in memory
            assert after.send(activity) == 200
            assert answered_once_more(after, connector, 1) == 1
            assert len(tutor.goals("ana")) == 1
    finally:
        connector.stop()


def test_the_same_activity_id_in_another_conversation_is_another_activity(school):
    with teams_server(school) as (teams, tutor):
        first = dm(teams.connector, GOAL)
        other = {**copy.deepcopy(first), "conversation": {**first["conversation"], "id": "a:dm-ana-2"}}
        assert teams.send(first) == 200 and teams.send(other) == 200
        teams.connector.wait_for(2)
        assert len(tutor.goals("ana")) == 2
