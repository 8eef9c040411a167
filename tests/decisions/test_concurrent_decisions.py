"""Several writers deciding for the same class at once: every response gets its decision, no flag is raised
twice, every stored explanation is valid evidence, and mastery still equals a replay."""

from __future__ import annotations

import datetime as dt
import json
import random
import threading

from adaptive import ResponseIn, Tutor
from adaptive.rules import Evidence
from tests.conftest import replayed_states, sql

STUDENTS = ("ana", "ben", "cy")
ITEMS = ("ns2-practice-a", "ns2-practice-b", "ns3-practice-a", "ns1-practice-a")


def test_four_writers_one_class(school):
    url = school.url
    t0 = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        rng = random.Random(n)
        try:
            with Tutor(url) as tutor:
                for i in range(40):
                    student, item = rng.choice(STUDENTS), rng.choice(ITEMS)
                    at = t0 + dt.timedelta(seconds=rng.randint(0, 3600))
                    if rng.random() < 0.7:
                        tutor.record_response(student, item=item, correct=rng.random() < 0.3, at=at,
                                              idempotency_key=f"w{n}-{i}")
                    else:
                        batch = [ResponseIn(student, item=item, correct=rng.random() < 0.3,
                                            at=at + dt.timedelta(seconds=k), idempotency_key=f"w{n}-{i}-{k}")
                                 for k in range(rng.randint(2, 6))]
                        tutor.record_responses(batch)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    # Every single response has exactly one decision; batches one per (student, competency).
    singles = sql(url, "SELECT r.idempotency_key, count(d.id) FROM response r LEFT JOIN decision d "
                         "ON d.response_id = r.id WHERE r.idempotency_key NOT LIKE '%-%-%' GROUP BY r.idempotency_key")
    assert len(singles) > 50 and {n for _, n in singles} == {1}
    # One open flag at most per student, competency and rule.
    open_flags = sql(url, "SELECT student_id, competency_id, rule_id, count(*) FROM flag "
                            "WHERE resolved_at IS NULL GROUP BY student_id, competency_id, rule_id")
    assert open_flags and {n for *_, n in open_flags} == {1}
    # Every stored explanation is evidence the rules accept (with the competency's name, which is not stored:
    # its code gives it).
    names = dict(sql(url, "SELECT code, name FROM competency"))
    for (evidence,) in sql(url, "SELECT evidence FROM decision"):
        values = evidence if isinstance(evidence, dict) else json.loads(evidence)
        assert "competency_name" not in values
        Evidence(**{**values, "competency_name": names[values["competency"]],
                    "on": dt.date.fromisoformat(values["on"])})
    stored, replayed = replayed_states(url)
    assert stored == replayed
