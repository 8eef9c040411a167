"""Each teacher linked to a Teams account gets their small-group list once a day in a 1:1 chat the bot opens:
text and card per section, the heatmap on the card. Unlinked teachers and refusals are reported, and a rerun
tries them again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from teams_helpers import BOT_ID, JWT_SHAPED, StandInConnector

from bots.core.daily import ALREADY_SENT
from bots.teams.platform import notify_teachers
from bots.teams.proactive import NOT_REACHED as NOT_LINKED


@pytest.fixture
def connector() -> Iterator[StandInConnector]:
    running = StandInConnector().start()
    yield running
    running.stop()


def teams_app(connector: StandInConnector):
    from microsoft_teams.apps import App

    return App(client_id=BOT_ID, token=lambda scope, tenant=None: JWT_SHAPED, service_url=connector.url.rstrip("/"))


def by_chat(connector: StandInConnector) -> dict[str, list]:
    found: dict[str, list] = {}
    for sent in connector.sent:
        found.setdefault(sent.conversation_id, []).append(sent)
    return found


def test_linked_teachers_get_one_list_each_unlinked_are_skipped_and_a_rerun_sends_nothing(school, day, connector):
    tutor = school.tutor
    tutor.link_chat_user("teams", "aad-osei", teacher="mr-osei")
    first = notify_teachers(tutor, teams_app(connector), day, tenant_id="tenant-1")
    assert first.sent == ("mr-osei",) and not first.failed
    assert [(o.teacher, o.reason) for o in first.skipped] == [("ms-rivera", NOT_LINKED)]
    [created] = connector.created
    assert created["members"] == [{"id": "aad-osei"}] and created["tenantId"] == "tenant-1"
    [osei] = by_chat(connector).values()
    assert osei[0].conversation_id == "a:chat-aad-osei" and "Small groups 6B" in osei[0].text
    [card] = osei[0].cards
    assert any(element["type"] == "Image" and element["url"].startswith("data:image/png;base64,")
               for element in card["body"])  # fmt: skip

    second = notify_teachers(tutor, teams_app(connector), day, tenant_id="tenant-1")
    assert not second.sent and {(o.teacher, o.reason) for o in second.skipped} == {
        ("mr-osei", ALREADY_SENT), ("ms-rivera", NOT_LINKED)}
    assert len(connector.created) == 1


def test_a_refused_chat_is_reported_and_released_so_a_rerun_sends_it(school, day, connector):
    tutor = school.tutor
    tutor.link_chat_user("teams", "aad-rivera", teacher="ms-rivera")
    connector.refuse.add("aad-rivera")
    first = notify_teachers(tutor, teams_app(connector), day, tenant_id=None)
    assert [o.teacher for o in first.failed] == ["ms-rivera"] and connector.sent == []
    connector.refuse.clear()
    second = notify_teachers(tutor, teams_app(connector), day, tenant_id=None)
    assert second.sent == ("ms-rivera",)
    assert "Small groups 6A" in connector.sent[0].text
