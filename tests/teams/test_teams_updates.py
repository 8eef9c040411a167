"""The Teams bot writes first where people last talked with it: a student hears about a competency she has
just mastered in her chat with the bot, and a teacher who wrote to the bot once gets the morning list there
without being linked by hand. Someone the bot never talked with, and not linked, is reported, not guessed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from teams_helpers import RunningTeams, dm, running_teams

from bots.core.conversation import TutorConversation
from bots.teams import proactive
from bots.teams.platform import deliver_async, notify_teachers_async


@pytest.fixture
def teams(school) -> Iterator[RunningTeams]:
    tutor = school.tutor
    with running_teams(TutorConversation(tutor), remember=proactive.remembering(tutor), signed=True) as running:
        yield running


def on_the_server(teams: RunningTeams, work):
    return proactive.on_loop(teams.server.loop, work)


def test_a_student_hears_in_her_chat_with_the_bot_when_she_masters_a_competency(school, teams) -> None:
    tutor = school.tutor
    tutor.link_chat_user("teams", "aad-ana", student="ana")
    teams.send(dm(teams.connector, "how am I doing?"))
    teams.connector.wait_for(1)
    stored = tutor.chat_conversation("teams", student="ana")
    assert (stored.conversation_id, stored.service_url, stored.tenant_id) == ("a:dm-ana", teams.connector.url,
                                                                              "tenant-1")  # fmt: skip

    app = teams.server.app
    first = on_the_server(teams, deliver_async(tutor, app, tenant_id="tenant-1"))
    assert first.sent == ()  # what she had before is not news
    assert {o.student for o in first.skipped} == {"ben", "cara"}
    assert {o.reason for o in first.skipped} == {proactive.NOT_REACHED}

    school.fluent("ana", "6.RP.1")
    second = on_the_server(teams, deliver_async(tutor, app, tenant_id="tenant-1"))
    assert second.sent == (("ana", 1),)
    news = teams.connector.sent[-1]
    assert news.conversation_id == "a:dm-ana" and news.text.startswith("New competency mastered")
    [card] = news.cards
    assert card["body"][0]["text"] == "New competency mastered"
    assert teams.connector.created == []  # no new chat: the one she uses
    on_the_server(teams, deliver_async(tutor, app, tenant_id="tenant-1"))
    assert teams.connector.sent[-1] is news  # said once


def test_a_linked_student_the_bot_never_talked_with_gets_a_new_chat(school, teams) -> None:
    tutor = school.tutor
    tutor.link_chat_user("teams", "aad-ben", student="ben")
    on_the_server(teams, deliver_async(tutor, teams.server.app, tenant_id="tenant-1", students=["ben"]))
    school.fluent("ben", "6.RP.1")
    report = on_the_server(teams, deliver_async(tutor, teams.server.app, tenant_id="tenant-1", students=["ben"]))
    assert report.sent == (("ben", 1),)
    [created] = teams.connector.created
    assert created["members"] == [{"id": "aad-ben"}] and created["tenantId"] == "tenant-1"
    assert teams.connector.sent[-1].conversation_id == "a:chat-aad-ben"


def test_a_teacher_who_wrote_to_the_bot_gets_the_morning_list_there_unlinked(school, day, teams) -> None:
    tutor = school.tutor
    teams.connector.members["29:rivera"] = {"id": "29:rivera", "name": "Ms Rivera", "aadObjectId": "aad-rivera",
                                            "email": "Rivera@School.Example"}  # fmt: skip
    teams.send(dm(teams.connector, "who do I pull today?", user="29:rivera", aad="aad-rivera", name="Ms Rivera",
                  conversation_id="a:dm-rivera"))  # fmt: skip
    teams.connector.wait_for(1)
    report = on_the_server(teams, notify_teachers_async(tutor, teams.server.app, day, tenant_id="tenant-1"))
    assert report.sent == ("ms-rivera",)
    assert [(o.teacher, o.reason) for o in report.skipped] == [("mr-osei", proactive.NOT_REACHED)]
    listed = teams.connector.sent[1:]
    assert listed and all(s.conversation_id == "a:dm-rivera" for s in listed)
    assert "Small groups 6A" in listed[0].text and teams.connector.created == []


def test_a_message_served_as_one_unit_of_work_keeps_its_reference_and_answers_in_one_transaction(school) -> None:
    from sqlalchemy import event

    tutor = school.tutor
    tutor.link_chat_user("teams", "aad-ana", student="ana")
    began = []
    event.listen(tutor._database._engine, "begin", lambda *_: began.append(1))
    with running_teams(TutorConversation(tutor), remember=proactive.remembering(tutor), signed=True,
                       one_unit=tutor.atomically) as running:
        running.send(dm(running.connector, "how am I doing?"))
        running.connector.wait_for(1)
    assert len(began) == 1  # where she talked with the bot, and her progress: one transaction
    assert tutor.chat_conversation("teams", student="ana").conversation_id == "a:dm-ana"
