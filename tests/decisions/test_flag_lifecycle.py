"""The small-group flag's life, as a teacher sees it: one flag per gap naming every reason, closing itself when
the student masters (or skips) the competency, resolved by hand or in bulk, showing the mastery now beside the
reason that was true when it was raised."""

from __future__ import annotations

import datetime as dt

import pytest

from adaptive import ResponseIn
from adaptive.domain import StoreError
from adaptive.domain.evidence import percent

T0 = dt.datetime(2025, 9, 15, 9, tzinfo=dt.UTC)


def answer(school, student: str, results: str, start: dt.datetime = T0, item: str = "ns2-practice-a"):
    """Record answers one at a time, a minute apart ("x" wrong, "o" right); returns the last result."""
    result = None
    for n, mark in enumerate(results):
        result = school.record_response(student, item=item, correct=mark == "o", at=start + dt.timedelta(minutes=n))
    return result


def test_a_stuck_student_gets_one_flag_for_one_gap_naming_every_reason(school):
    last = answer(school, "ana", "x" * 13)
    (flag,) = school.flags()
    assert (flag.student, flag.competency) == ("ana", "6.NS.2")
    # Wheel-spinning is for mastery stuck between 40% and 70%: below that, low mastery already says it.
    assert flag.rules == ("flag-wrong-streak", "flag-low-mastery")
    assert flag.reasons[0] == "13 wrong in a row"  # each reason as of the newest response
    assert flag.reasons[1].startswith("Mastery ") and "after 13 attempts" in flag.reason
    assert flag.evidence["attempts"] == 13
    assert {f.id for f in last.decision.flags} == {flag.id} and not any(f.new for f in last.decision.flags)


def test_a_flag_closes_itself_when_the_student_masters_the_competency(school):
    answer(school, "ana", "xxx")
    (flag,) = school.flags()
    mastered_at = T0 + dt.timedelta(minutes=40)
    for n in range(30):
        at = mastered_at + dt.timedelta(minutes=n)
        result = school.record_response("ana", item="ns2-practice-a", correct=True, at=at)
        if result.mastery.level == "mastered":
            break
    assert result.mastery.level == "mastered"
    assert school.flags() == []
    (closed,) = school.flags(open_only=False)
    assert (closed.id, closed.resolved_by, closed.resolution) == (flag.id, "adaptive", "mastered")
    assert closed.resolved_at == at  # the time of the answer that mastered it, not the clock's
    # Neither the class heatmap nor the report card shows an open flag on the mastered competency.
    (row,) = [r for r in school.class_mastery("6A").students if r.student == "ana"]
    assert not any(c.flagged for c in row.cells)
    card = school.student_report("ana")
    assert card.flags == () and not any(c.flagged for c in card.mastery)


def test_a_flag_closes_itself_when_a_pretest_skips_the_competency(school):
    answer(school, "ana", "xxx")
    school.record_pretest("ana", {f"ns2-pre-{n}": True for n in range(1, 6)}, at=T0 + dt.timedelta(hours=1))
    (closed,) = school.flags(open_only=False)
    assert (closed.resolved_by, closed.resolution) == ("adaptive", "skipped")


def test_the_list_shows_mastery_now_beside_the_reason_from_when_it_was_flagged(school):
    answer(school, "ana", "xxxxx")
    answer(school, "ana", "o", start=T0 + dt.timedelta(hours=1))  # 17% when flagged, 55% now
    (flag,) = school.flags()
    (now,) = school.mastery("ana", ["6.NS.2"])
    assert flag.p_mastered == pytest.approx(now.p_mastered)
    assert flag.summary == f"{flag.reason} (when flagged); now {percent(now.p_mastered)}"
    assert flag.reasons[1].startswith("Mastery ") and flag.to_dict()["summary"] == flag.summary
    (on_card,) = school.student_report("ana").flags
    assert on_card.summary == flag.summary


def test_a_teacher_resolves_a_sections_flags_in_bulk_with_a_note(school):
    for student in ("ana", "ben", "cy"):  # cy is not in 6A
        answer(school, student, "xxx")
    closed = school.resolve_flags(section="6A", by="ms-rivera", note="Long division at the back table")
    assert sorted(f.student for f in closed) == ["ana", "ben"]
    assert {(f.resolved_by, f.resolution) for f in closed} == {("ms-rivera", "Long division at the back table")}
    assert [f.student for f in school.flags()] == ["cy"]
    assert [f.student for f in school.resolve_flags(rule="flag-wrong-streak", competency="6.NS.2")] == ["cy"]
    with pytest.raises(StoreError, match="needs a section, a competency or a rule"):
        school.resolve_flags()


def test_a_resolved_flag_opens_again_when_the_student_is_stuck_again(school):
    answer(school, "ana", "xxx")
    (flag,) = school.flags()
    school.resolve_flag(flag.id, by="ms-rivera")
    answer(school, "ana", "x", start=T0 + dt.timedelta(hours=1))
    (again,) = school.flags()
    assert again.id != flag.id and again.reason == "4 wrong in a row"


def test_a_batch_import_leaves_one_open_flag_per_gap(school):
    school.record_responses([ResponseIn("ana", item="ns2-practice-a", correct=False, at=T0 + dt.timedelta(minutes=n))
                             for n in range(12)], chunk_size=4)
    (flag,) = school.flags()
    assert flag.rules == ("flag-wrong-streak", "flag-low-mastery")


def test_the_flags_command_shows_mastery_now_and_resolves_a_section_in_bulk(school):
    from typer.testing import CliRunner

    from adaptive.cli import app

    for student in ("ana", "ben"):
        answer(school, student, "xxx")
    run, db = CliRunner().invoke, ["--db", school.url]
    shown = run(app, [*db, "flags", "--section", "6A"])
    assert shown.exit_code == 0, shown.output
    assert "3 wrong in a row (when flagged); now 17%" in shown.stdout
    refused = run(app, [*db, "flags", "resolve", "--by", "ms-rivera"])
    assert refused.exit_code != 0 and "--section, --competency and/or --rule" in refused.output
    done = run(app, [*db, "flags", "resolve", "--section", "6A", "--rule", "flag-wrong-streak", "--by", "ms-rivera",
                     "--note", "Long division, back table"])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[-1] == "resolved 2 flags"
    assert run(app, [*db, "flags"]).stdout.strip() == "no flags"


def test_asking_for_help_on_a_flagged_competency_joins_its_flag(school):
    answer(school, "ana", "xxx")
    school.ask_for_help("ana", "I don't get the remainders", competency="6.NS.2")
    school.ask_for_help("ana", "still stuck", competency="6.NS.2")
    (flag,) = school.flags()
    assert flag.rules == ("flag-wrong-streak", "student-asked-for-help")
    assert flag.reasons[1] == "asked for help: \u201cI don't get the remainders\u201d; \u201cstill stuck\u201d"
