"""Publishing and simulating rules files: versions recorded, the cache per tutor, read-only simulation."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from adaptive import Tutor
from adaptive.domain import ResponseIn
from adaptive.rules import default_rules_text, load_default_rules

STRICTER = default_rules_text().replace("wrong_streak: {at_least: 3}", "wrong_streak: {at_least: 2}").replace(
    'version: "1.1"', 'version: "1.2"')


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
               for t in ("decision", "flag", "competency_skip", "ruleset_version", "response", "mastery_state")}
    engine.dispose()
    return out


def test_decisions_record_the_version_that_made_them(school, tmp_path):
    default_version = load_default_rules().full_version
    first = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert school.active_ruleset().is_default and first.decision.ruleset_version == default_version
    path = tmp_path / "stricter.yaml"
    path.write_text(STRICTER)
    info = school.publish_rules(path, by="ms-lead")
    assert info.version.startswith("1.2+") and info.published_by == "ms-lead" and info.active
    assert "-      wrong_streak: {at_least: 3}" in info.diff and "+      wrong_streak: {at_least: 2}" in info.diff
    second = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert (second.decision.ruleset_id, second.decision.ruleset_version) == ("default", info.version)
    engine = sa.create_engine(school.url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT ruleset_version, ruleset_version_id FROM decision ORDER BY id")).all()
    engine.dispose()
    assert rows == [(default_version, None), (info.version, info.version_id)]
    assert [r.version for r in school.ruleset_history()] == [info.version]


def test_two_tutors_on_two_databases_each_have_their_own_rules(new_database, tmp_path):
    path = tmp_path / "stricter.yaml"
    path.write_text(STRICTER)
    with Tutor(new_database()) as one, Tutor(new_database()) as two:
        for t in (one, two):
            t.add_competency("C", "A competency")
            t.add_student("s")
        one.publish_rules(path, by="lead")
        a = one.record_response("s", competency="C", correct=False)
        b = two.record_response("s", competency="C", correct=False)
        assert a.decision.ruleset_version.startswith("1.2+") and b.decision.ruleset_version.startswith("1.1+")


def test_simulate_reports_how_decisions_would_change_and_writes_nothing(school, tmp_path):
    old = dt.datetime(2025, 1, 6, 9)
    school.record_responses([ResponseIn("cy", item="ns2-practice-a", correct=False, at=old)])
    for n, student in enumerate(("ana", "ben")):
        school.record_responses([ResponseIn(student, item="ns2-practice-a", correct=c,
                                            at=dt.datetime(2025, 3, 3, 9, m + n)) for m, c in enumerate([1, 0, 0])])
    path = tmp_path / "stricter.yaml"
    path.write_text(STRICTER)
    before = counts(school.url)
    report = school.simulate_rules(path, since=dt.date(2025, 2, 1))
    assert counts(school.url) == before
    assert report.responses == 6 and report.students == 2
    assert report.active.students_flagged == 0 and report.candidate.students_flagged == 2
    assert report.changed == 2 and report.candidate.rules_fired["flag-wrong-streak"] == 2
    assert report.active.next_item_strategies == {"scope_and_sequence": 6}
    assert {e["student"] for e in report.examples} == {"ana", "ben"}
    everything = school.simulate_rules(path)
    assert everything.responses == 7 and everything.students == 3


def test_simulate_counts_the_flags_a_teacher_would_see_apart_from_each_time_a_rule_flags(school, tmp_path):
    """Ana gets five wrong in a row: under the stricter rules the wrong-streak rule flags her at the second,
    third, fourth and fifth answers, but her teacher would see one flag (one open flag a student and
    competency): the lead reads both numbers."""
    school.record_responses([ResponseIn("ana", item="ns2-practice-a", correct=False,
                                        at=dt.datetime(2025, 3, 3, 9, m)) for m in range(5)])
    path = tmp_path / "stricter.yaml"
    path.write_text(STRICTER)
    report = school.simulate_rules(path)
    assert (report.candidate.students_flagged, report.candidate.pairs_flagged) == (1, 1)
    assert report.candidate.flags >= 4
