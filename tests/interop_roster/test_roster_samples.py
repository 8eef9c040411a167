"""The two real public OneRoster samples import with the counts their files hold, and importing again
changes nothing."""

from __future__ import annotations

from roster_samples import V11, V12

from tests.conftest import sql


def counts(report) -> dict[str, tuple[int, int, int, int]]:
    return {c.kind: (c.created, c.updated, c.unchanged, c.removed) for c in report.counts}


def test_the_1_1_sample_imports_every_row(tutor, samples):
    report = tutor.import_roster(V11)
    assert report.version == "1.1"
    assert counts(report) == {"schools": (2, 0, 0, 0), "terms": (3, 0, 0, 0), "courses": (2, 0, 0, 0),
                              "sections": (2, 0, 0, 0), "students": (8, 0, 0, 0), "teachers": (2, 0, 0, 0),
                              "enrollments": (24, 0, 0, 0)}  # fmt: skip
    assert report.skipped == () and report.ignored == ()
    summary = tutor.roster_summary()
    # 20 student enrollments list each student-class pair twice (once per semester): 10 students in classes.
    assert (summary.students, summary.teachers, summary.sections, summary.enrollments) == (8, 2, 2, 10)
    assert summary.section_teachers == 2
    (school,) = summary.schools
    assert (school.school, school.name, school.students, school.sections) == ("255901001", "Grand Bend High School",
                                                                               8, 2)
    english = "25590100101Trad120ENG112011"
    assert [s.code for s in tutor.students(section=english)] == ["604863", "604874", "604969", "604974", "605015"]


def test_the_1_1_sample_keeps_people_names_emails_grades_and_the_primary_teacher(tutor, samples, database_url):
    tutor.import_roster(V11)
    # "Mary Archer" (a username with a space) is no code: the student's code is the sourcedId.
    rows = sql(database_url, "SELECT code, name, email, given_name, family_name, grade_level, username FROM student "
                             "WHERE sourced_id = '604863'")
    assert rows == [("604863", "Mary Archer", "Mary.Archer@studentgps.org", "Mary", "Archer", "09", "Mary Archer")]
    rows = sql(database_url, "SELECT s.name, s.subject, s.grade_level, t.code, c.title FROM section s "
                             "JOIN teacher t ON t.id = s.teacher_id JOIN roster_course c ON c.id = s.course_id "
                             "ORDER BY s.code")
    assert rows == [("ENG-1", "English/Language Arts I (9th grade)", "09", "207268", "English I"),
                    ("ALG-1", "Algebra I", "09", "207270", "Algebra I")]
    terms = sql(database_url, "SELECT t.sourced_id FROM section_term st JOIN term t ON t.id = st.term_id "
                              "JOIN section s ON s.id = st.section_id WHERE s.code = '25590100101Trad120ENG112011' "
                              "ORDER BY t.start_date")
    assert terms == [("255901001_2021_2020-2021_Fall",), ("255901001_2021_2020-2021_Spring",)]


def test_the_1_2_delta_sample_with_crlf_and_roles_csv_imports(tutor, samples, database_url):
    report = tutor.import_roster(V12)
    assert report.version == "1.2"
    assert {k: v[0] for k, v in counts(report).items()} == {"schools": 1, "terms": 1, "courses": 1, "sections": 1,
                                                            "students": 1, "teachers": 0, "enrollments": 1}
    # users.csv has no role column: roles.csv says USER_0 is a student; the username becomes the code.
    assert [s.code for s in tutor.students(section="CLASS_001")] == ["brucewayne"]
    assert sql(database_url, "SELECT name, school_id IS NOT NULL FROM student") == [("Bruce Wayne", True)]


def test_importing_the_same_export_again_changes_nothing(tutor, samples):
    tutor.import_roster(V11)
    tutor.import_roster(V12)
    again = tutor.import_roster(V11)
    assert again.changes == 0
    assert counts(again)["enrollments"] == (0, 0, 24, 0)
    assert tutor.import_roster(V12).changes == 0
    assert tutor.roster_summary().enrollments == 11
