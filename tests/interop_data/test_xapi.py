"""Importing xAPI statements as responses: the public ADL and Moodle samples, JSON lines, re-import,
unknown items and actors, score conventions, timestamps, voiding, and bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adaptive.domain import ContentItem, StoreError
from adaptive.interop.xapi import Score, XapiError, fraction_of
from tests.conftest import sql
from tests.interop_data.conftest import ADL_BASE, MOODLE_QUESTION, MOODLE_QUIZ

# These tests check what an import records (a competency or two with items, no course): the warning that next
# items need a course is for hosts that want next items, which these do not ask for.
pytestmark = pytest.mark.filterwarnings("ignore::adaptive.domain.errors.NoCourseWarning")

NO_RESULT = "no result (not an answer)"
FIRST_ID = "8a7abb66-c516-461b-8da7-d63c31d40ca3"  # statement 0 of the ADL sample: Gia Creech, q49, wrong


def test_the_adl_final_test_becomes_1560_responses_of_30_students(cop3223, adl_file):
    report = cop3223.import_xapi(adl_file, create_students=True)
    # 1500 answered questions, and 30 passed/failed tests on an item tagged to two competencies (2 each).
    assert (report.statements, report.recorded, report.duplicates) == (1590, 1560, 0)
    assert report.skipped == {NO_RESULT: 60}
    assert report.no_result_verbs == {"http://adlnet.gov/expapi/verbs/attempted": 30,
                                      "http://adlnet.gov/expapi/verbs/completed": 30}  # fmt: skip
    assert len(report.created_students) == 30 and "gia.creech@myschool.edu" in report.created_students
    assert report.unknown_items == report.unknown_actors == ()
    assert cop3223.response_count() == 1560
    gia = {m.competency: m for m in cop3223.mastery("gia.creech@myschool.edu")}
    assert gia["loops"].attempts == 26 and gia["arrays"].attempts == 26  # 25 questions + the test, each
    assert cop3223.students()[0].name is not None  # the actor's name


def test_importing_again_records_nothing_twice(cop3223, adl_file):
    cop3223.import_xapi(adl_file, create_students=True)
    before = cop3223.mastery("gia.creech@myschool.edu")
    again = cop3223.import_xapi(adl_file)
    assert (again.recorded, again.duplicates) == (0, 1560)
    assert cop3223.response_count() == 1560
    assert cop3223.mastery("gia.creech@myschool.edu") == before


def test_json_lines_give_the_same_responses_under_the_same_keys(cop3223, adl_file, tmp_path):
    lines = tmp_path / "final.jsonl"
    lines.write_text("\n".join(json.dumps(s) for s in json.loads(adl_file.read_text())) + "\n")
    report = cop3223.import_xapi(lines, create_students=True)
    assert (report.recorded, report.skipped) == (1560, {NO_RESULT: 60})
    assert cop3223.import_xapi(adl_file).duplicates == 1560


def test_actors_match_students_by_address_or_its_local_part_and_the_rest_are_listed(cop3223, adl_file):
    cop3223.add_student("gia.creech")
    cop3223.add_student("tia.dickens@myschool.edu")
    report = cop3223.import_xapi(adl_file)
    assert report.recorded == 2 * (50 + 2)  # each: 50 questions and the test (two competencies)
    assert report.skipped == {NO_RESULT: 60, "unknown actor": 1530 - 2 * 51}
    assert report.created_students == ()
    first = report.unknown_actors[0]
    assert first.value.startswith("mailto:") and first.where.startswith("statement ")
    assert {m.attempts for m in cop3223.mastery("gia.creech")} == {26}


def test_an_actor_is_the_student_with_that_roster_e_mail_address(cop3223, adl_file):
    cop3223.add_student("s-1042", "Gia Creech", email="Gia.Creech@MySchool.edu")  # as a roster import stores it
    report = cop3223.import_xapi(adl_file)
    assert report.recorded == 50 + 2
    assert {m.attempts for m in cop3223.mastery("s-1042")} == {26}
    cop3223.add_student("s-1042", "Gia Creech")  # added again without an address: the roster's is kept
    assert cop3223.students()[0].email == "Gia.Creech@MySchool.edu"


def test_an_actor_linked_to_a_student_counts_as_that_student(tutor, moodle_file):
    tutor.add_competency("quiz", "Quiz 1")
    tutor.add_content_item("quiz-1", "Quiz 1", kind="assessment", competencies=["quiz"], url=MOODLE_QUIZ)
    tutor.add_student("ana")
    assert tutor.link_xapi_actor("account:http://www.example.org|1", "ana") == "account:http://www.example.org|1"
    assert tutor.import_xapi(moodle_file).recorded == 1
    assert tutor.mastery("ana")[0].attempts == 1
    with pytest.raises(StoreError, match="unknown actor form"):
        tutor.link_xapi_actor("ana", "ana")


def test_unknown_items_are_listed_with_the_statement_index_and_id(tutor, adl_file):
    tutor.add_competency("exam", "Exam")
    tutor.add_content_item("final", "Final", kind="assessment", competencies=["exam"], url=ADL_BASE)
    report = tutor.import_xapi(adl_file, create_students=True)
    assert report.recorded == 30 and report.skipped == {NO_RESULT: 60, "unknown item": 1500}
    assert report.unknown_items[0].where == f"statement 0 (id {FIRST_ID})"
    assert report.unknown_items[0].value == f"{ADL_BASE}/q49"
    assert report.unknown_actors == ()  # only actors of statements that became responses were created


def test_timestamps_are_kept_in_utc(cop3223, adl_file, database_url):
    cop3223.import_xapi(adl_file, create_students=True)
    ((at,),) = sql(database_url, f"SELECT answered_at FROM response WHERE idempotency_key = 'xapi:{FIRST_ID}'")
    at = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    assert at == datetime(2014, 5, 13, 10, 3, 42, 607502)  # 05:03:42.607502-05:00


def test_moodle_fixtures_scores_from_raw_and_max_and_repeats_without_id_are_one_statement(tutor, moodle_file,
                                                                                          database_url):
    tutor.add_competency("quiz", "Quiz 1")
    tutor.add_competency("q", "Question 1")
    tutor.add_content_item("quiz-1", "Quiz 1", kind="assessment", competencies=["quiz"], url=MOODLE_QUIZ)
    tutor.add_content_item("question-1", "Question 1", competencies=["q"], url=MOODLE_QUESTION)
    tutor.add_student("1")
    report = tutor.import_xapi(moodle_file)
    # 15 identical quiz completions (no id, no timestamp) are one statement; 10 question answers have success.
    assert (report.recorded, report.duplicates) == (11, 14)
    assert report.skipped == {NO_RESULT: 153, "unknown item": 12}
    assert report.timestamps_defaulted == 25
    # raw 50 of 0..100 (written as scaled 0.0 by the plugin) is half marks: 3 on the 1-5 scale.
    rows = sql(database_url, "SELECT r.score, r.evidence, r.source FROM response r JOIN content_item i "
                             "ON i.id = r.item_id WHERE i.code = 'quiz-1'")  # fmt: skip
    assert rows == [(3.0, 0.5, "assessment")]
    q = {m.competency: m for m in tutor.mastery("1")}["q"]
    assert (q.attempts, q.correct_count) == (10, 9)
    assert tutor.import_xapi(moodle_file).recorded == 0


def test_score_conventions():
    assert fraction_of(Score(raw=50, min=0, max=100, scaled=0.0), "fraction") == 0.5  # raw and max win
    assert fraction_of(Score(raw=3, max=4), "fraction") == 0.75  # min defaults to 0
    assert fraction_of(Score(scaled=0.8), "fraction") == 0.8
    assert fraction_of(Score(scaled=-0.4), "fraction") == 0.0
    assert fraction_of(Score(scaled=0.0), "symmetric") == 0.5
    assert fraction_of(Score(scaled=-1), "symmetric") == 0.0
    assert fraction_of(Score(raw=7), "fraction") is None  # a raw score without a maximum says nothing
    assert fraction_of(None, "fraction") is None


def statement(sid: str | None, *, verb: str = "answered", result: dict | None = None, **extra) -> dict:
    out = {"actor": {"mbox": "mailto:Ana@School.org", "name": "Ana"},
           "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
           "object": {"id": "https://lms.example/item/1"},
           "timestamp": "2024-09-03T10:15:00+02:00", **extra}  # fmt: skip
    if sid is not None:
        out["id"] = sid
    if result is not None:
        out["result"] = result
    return out


@pytest.fixture
def one_item(tutor):
    tutor.add_competency("frac", "Fractions")
    tutor.add_content_item("frac-1", "Fractions 1", competencies=["frac"], url="https://lms.example/item/1")
    tutor.add_student("ana")
    return tutor


def write(path, statements: list[dict]):
    path.write_text(json.dumps(statements))
    return path


@pytest.mark.parametrize(("scaled", "score"), [("fraction", 3.0), ("symmetric", 4.0)])
def test_a_scaled_only_score_follows_the_chosen_convention(one_item, tmp_path, database_url, scaled, score):
    f = write(tmp_path / "s.json", [statement(None, result={"score": {"scaled": 0.5}})])
    assert one_item.import_xapi(f, scaled=scaled).recorded == 1
    assert sql(database_url, "SELECT score FROM response") == [(score,)]


def test_voiding_removes_a_stored_response_and_keeps_it_out(one_item, tmp_path):
    sid = "0b6f0c1e-8d1c-4d7c-9a55-6f1a2b3c4d5e"
    later = statement(None, result={"success": True}, timestamp="2024-09-03T11:00Z")
    answers = write(tmp_path / "a.json", [statement(sid, result={"success": True}), later])
    assert one_item.import_xapi(answers).recorded == 2
    void = {"actor": {"mbox": "mailto:teacher@school.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": sid.upper()}}  # fmt: skip
    report = one_item.import_xapi(write(tmp_path / "v.json", [void]))
    assert (report.voided, report.skipped) == (1, {"voiding statement": 1})
    assert one_item.response_count() == 1 and one_item.mastery("ana")[0].attempts == 1
    again = one_item.import_xapi(answers)
    assert (again.recorded, again.duplicates, again.skipped) == (0, 1, {"voided by an earlier import": 1})


def test_a_statement_voided_in_the_same_file_is_not_recorded(one_item, tmp_path):
    sid = "0b6f0c1e-8d1c-4d7c-9a55-6f1a2b3c4d5e"
    void = {"actor": {"mbox": "mailto:teacher@school.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": sid}}  # fmt: skip
    report = one_item.import_xapi(write(tmp_path / "s.json", [void, statement(sid, result={"success": False})]))
    assert (report.recorded, report.skipped) == (0, {"voided": 1, "voiding statement": 1})


def test_timestamp_missing_falls_back_to_stored(one_item, tmp_path, database_url):
    s = statement(None, result={"success": True}, stored="2024-09-04T08:00:00Z")
    del s["timestamp"]
    one_item.import_xapi(write(tmp_path / "s.json", [s]))
    ((at,),) = sql(database_url, "SELECT answered_at FROM response")
    assert (at if isinstance(at, datetime) else datetime.fromisoformat(at)) == datetime(2024, 9, 4, 8)


def test_bad_statements_are_all_listed_by_index_id_and_field_and_nothing_is_written(one_item, tmp_path):
    sid = "5f0e3c1e-8d1c-4d7c-9a55-6f1a2b3c4d5e"
    bad_time = statement(sid, result={"success": True}, timestamp="2024-09-03 10:15")
    no_verb = statement(None, result={"success": True})
    del no_verb["verb"]
    out_of_range = statement(None, result={"score": {"raw": 12, "max": 10}})
    f = write(tmp_path / "bad.json", [statement(None, result={"success": True}), bad_time, no_verb, out_of_range])
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert caught.value.problems == (
        f"{f}: statement 1 (id {sid}): timestamp: '2024-09-03 10:15' is not an ISO 8601 time with a time zone "
        "(e.g. 2024-09-03T10:15:00Z)",
        f"{f}: statement 2: verb: Field required",
        f"{f}: statement 3: result.score: raw (12) is above max (10)",
    )
    assert one_item.response_count() == 0


def test_json_lines_problems_name_the_line(one_item, tmp_path):
    f = tmp_path / "bad.jsonl"
    good = json.dumps(statement(None, result={"success": True}))
    no_actor_id = json.dumps({**statement(None), "actor": {"name": "Ana"}})
    f.write_text(f"{good}\n\n{{not json\n{no_actor_id}\n")
    with pytest.raises(XapiError) as caught:
        one_item.import_xapi(f)
    assert caught.value.problems[0].startswith(f"{f}: line 3: not valid JSON")
    needs = "an actor needs one of mbox, mbox_sha1sum, openid or account"
    assert caught.value.problems[1] == f"{f}: line 4: actor: {needs}"
    assert one_item.response_count() == 0


def test_an_lrs_answer_and_a_single_statement_are_read_too(one_item, tmp_path):
    lrs = tmp_path / "lrs.json"
    lrs.write_text(json.dumps({"statements": [statement(None, result={"success": True})], "more": ""}))
    one = tmp_path / "one.json"
    one.write_text(json.dumps(statement(None, result={"success": False}), indent=2))
    assert one_item.import_xapi(lrs).recorded == 1  # mailto:Ana@School.org is ana (e-mail case does not matter)
    assert one_item.import_xapi(one).recorded == 1


def test_a_teacher_sees_the_final_exam_in_her_class_mastery(cop3223, adl_file):
    """Scenario: Ms. Hoff's LRS exports the final exam of COP 3223. After the import every student has a
    mastery estimate for loops and arrays, students who got more questions right rank higher, and the
    attempts and launches that are not answers changed nothing."""
    report = cop3223.import_xapi(adl_file, create_students=True)
    assert report.skipped == {NO_RESULT: 60}
    levels = {}
    for student in cop3223.students():
        loops = {m.competency: m for m in cop3223.mastery(student.code)}["loops"]
        assert loops.attempts == 26
        levels[student.code] = (loops.correct_count, loops.p_mastered)
    ranked = sorted(levels.values())
    assert ranked[0][1] < ranked[-1][1]  # fewest right answers: lower P(mastered) than the most
    assert datetime(2014, 5, 14, tzinfo=UTC) > max(
        m.last_response_at for m in cop3223.mastery("gia.creech@myschool.edu")
    )


def test_an_item_tagged_to_nothing_and_objects_that_are_not_activities_are_counted(tutor, tmp_path):
    tutor.add_content_items([ContentItem("loose", "Loose", url="https://lms.example/item/1")])
    tutor.add_student("ana")
    agent_object = {**statement(None, result={"success": True}), "object": {"objectType": "Agent",
                                                                           "mbox": "mailto:b@school.org"}}  # fmt: skip
    report = tutor.import_xapi(write(tmp_path / "s.json", [statement(None, result={"success": True}), agent_object]))
    assert report.skipped == {"item tagged to no competency": 1, "object is not an activity": 1}
