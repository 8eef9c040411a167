"""Teachers' changes are respected by later decisions; batches and retries decide sensibly."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from adaptive.domain import ResponseIn


def test_pinned_items_come_first_until_answered_and_removed_items_never_appear(school):
    school.pin_item("ana", "ns3-store", by="ms-rivera", note="Classroom store today")
    school.remove_item("ana", "ns2-practice-b", by="ms-rivera")
    playlist = school.playlist("ana", n=5)
    assert playlist[0].item == "ns3-store" and playlist[0].pinned
    assert playlist[0].reason == "Pinned by ms-rivera: Classroom store today"
    assert "ns2-practice-b" not in [i.item for i in school.playlist("ana", n=40)]
    result = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert result.decision.next_item.item == "ns3-store"  # later decisions respect the pin
    school.record_response("ana", item="ns3-store", score=4)  # answered: the pin is done
    assert school.playlist("ana", n=1)[0].item != "ns3-store"
    school.restore_item("ana", "ns2-practice-b")
    assert "ns2-practice-b" in [i.item for i in school.playlist("ana", n=40)]


def test_items_answered_recently_are_not_offered_again(school):
    school.record_response("ben", item="ns2-practice-b", correct=True)
    assert "ns2-practice-b" not in [i.item for i in school.playlist("ben", n=40)]
    school.record_response("cy", item="ns2-practice-b", correct=True, at=dt.datetime(2020, 1, 1))
    assert "ns2-practice-b" in [i.item for i in school.playlist("cy", n=40)]


def test_a_resolved_flag_closes_and_a_new_one_can_open_later(school):
    for _ in range(3):
        school.record_response("ana", item="ns2-practice-a", correct=False)
    (flag,) = school.flags()
    done = school.resolve_flag(flag.id, by="ms-rivera", note="Worked with her at the back table")
    assert done.resolved_by == "ms-rivera" and done.resolved_at is not None
    assert school.flags() == [] and len(school.flags(open_only=False)) == 1
    result = school.record_response("ana", item="ns2-practice-a", correct=False)
    assert [f.new for f in result.decision.flags] == [True]
    assert len(school.flags()) == 1


def test_goal_deadlines_suggest_a_check_in(school):
    school.add_goal("ben", "Finish long division", dt.date.today() + dt.timedelta(days=2), competency="6.NS.2")
    result = school.record_response("ben", item="ns2-practice-a", correct=False)
    assert result.decision.checkins == ("Goal deadline in 2 days; Divide multi-digit numbers is at attempted.",)


def test_a_batch_decides_once_per_student_and_competency_on_the_final_state(school):
    base = dt.datetime(2025, 3, 3, 9)
    rows = [ResponseIn(s, item="ns2-practice-a", correct=False, at=base + dt.timedelta(minutes=m))
            for s in ("ana", "ben") for m in range(4)]
    rows += [ResponseIn("ana", item="ns3-practice-a", correct=True, at=base)]
    school.record_responses(rows, chunk_size=100)
    engine = sa.create_engine(school.url)
    with engine.connect() as conn:
        decided = conn.execute(sa.text("SELECT evidence FROM decision ORDER BY id")).scalars().all()
    engine.dispose()
    decided = [d if isinstance(d, dict) else json.loads(d) for d in decided]
    assert sorted((d["student"], d["competency"], d["attempts"]) for d in decided) == [
        ("ana", "6.NS.2", 4), ("ana", "6.NS.3", 1), ("ben", "6.NS.2", 4)]
    flagged = sorted((f.student, f.rule_id) for f in school.flags())
    assert flagged == [("ana", "flag-wrong-streak"), ("ben", "flag-wrong-streak")]


def test_a_retried_response_returns_the_first_decision(school):
    first = school.record_response("ana", item="ns2-pre-1", correct=True, source="pretest", idempotency_key="k1")
    again = school.record_response("ana", item="ns2-pre-1", correct=True, source="pretest", idempotency_key="k1")
    assert again.duplicate and again.decision == first.decision
