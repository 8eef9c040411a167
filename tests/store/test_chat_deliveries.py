"""Chat deliveries: a request a chat platform delivers more than once is claimed once, whichever server (tutor
on the same database) sees it first, and claims older than a day are forgotten."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from adaptive import Tutor
from tests.conftest import sql


def test_the_first_claim_of_a_key_wins_and_every_repeat_loses(tutor):
    assert tutor.claim_chat_delivery("slack", "event:Ev1") is True
    assert [tutor.claim_chat_delivery("slack", "event:Ev1") for _ in range(3)] == [False, False, False]


def test_keys_are_per_platform(tutor):
    assert tutor.claim_chat_delivery("slack", "Ev1") is True
    assert tutor.claim_chat_delivery("teams", "Ev1") is True


def test_a_second_tutor_on_the_same_database_sees_the_first_ones_claim(database_url):
    with Tutor(database_url) as a, Tutor(database_url) as b:
        assert a.claim_chat_delivery("slack", "event:Ev1") is True
        assert b.claim_chat_delivery("slack", "event:Ev1") is False


def test_of_concurrent_claims_of_one_key_exactly_one_wins(database_url):
    tutors = [Tutor(database_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(8) as pool:
            won = list(pool.map(lambda n: tutors[n % 4].claim_chat_delivery("slack", "event:EvRace"), range(16)))
    finally:
        for t in tutors:
            t.close()
    assert won.count(True) == 1


def test_only_a_digest_of_the_key_is_stored(tutor):
    tutor.claim_chat_delivery("teams", "a:1conversation|activity-42")
    [(platform, key)] = sql(tutor.url, "SELECT platform, key FROM chat_delivery")
    assert platform == "teams" and len(key) == 64 and "activity" not in key


def test_an_empty_key_is_refused(tutor):
    with pytest.raises(ValueError, match="non-empty key"):
        tutor.claim_chat_delivery("slack", "")


def _age(url: str, days: int) -> None:
    sql(url, f"UPDATE chat_delivery SET seen_at = seen_at - INTERVAL '{days} days'" if url.startswith("postgresql")
        else f"UPDATE chat_delivery SET seen_at = datetime(seen_at, '-{days} days')")  # fmt: skip


def test_pruning_forgets_claims_older_than_a_day_and_keeps_newer_ones(tutor):
    tutor.claim_chat_delivery("slack", "old")
    _age(tutor.url, 2)
    tutor.claim_chat_delivery("slack", "new")
    assert tutor.prune_chat_deliveries() == 1
    assert tutor.claim_chat_delivery("slack", "old") is True  # forgotten: a repeat this late acts again
    assert tutor.claim_chat_delivery("slack", "new") is False


def test_claims_prune_old_rows_themselves_without_anyone_asking(database_url):
    with Tutor(database_url) as first:
        first.claim_chat_delivery("slack", "old")
    _age(database_url, 2)
    with Tutor(database_url) as restarted:  # a process's first claim prunes, then one every few minutes
        restarted.claim_chat_delivery("slack", "new")
    assert sql(database_url, "SELECT COUNT(*) FROM chat_delivery")[0][0] == 1
