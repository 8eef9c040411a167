"""Importing into the database: missing references, deltas that delete, bulk files that leave rows out,
folders that cannot be read (nothing written), and people added by hand before the first import."""

from __future__ import annotations

import pytest
from roster_samples import V11, V12

from adaptive.interop.oneroster import RosterError
from tests.conftest import sql

ENGLISH, ALGEBRA = "25590100101Trad120ENG112011", "25590100102Trad220ALG112011"


def append(path, line: str) -> None:
    text = path.read_text()
    path.write_text(text + ("" if text.endswith("\n") else "\n") + line + "\n")


def test_a_row_with_a_missing_reference_is_reported_with_its_file_and_line_and_nothing_is_written(tutor, copy_of):
    folder = copy_of(V11)
    append(folder / "enrollments.csv", "E-NEW,,,NO-SUCH-CLASS,255901001,604863,student,,2020-08-17,2020-12-18")
    append(folder / "enrollments.csv", "E-NEW2,,,25590100101Trad120ENG112011,255901001,999999,student,,,")
    with pytest.raises(RosterError) as caught:
        tutor.import_roster(folder)
    path = folder / "enrollments.csv"
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:26: class 'NO-SUCH-CLASS' is not in classes.csv nor in the database",
        f"{path}:27: user '999999' is not in users.csv nor in the database",
    ]
    assert not caught.value.structural
    assert tutor.roster_summary().students == 0


def test_skip_bad_rows_imports_the_rest_and_a_skipped_class_takes_its_enrollments_along(tutor, copy_of):
    folder = copy_of(V11)
    classes = folder / "classes.csv"
    classes.write_text(classes.read_text().replace(",03100500,Algebra I,", ",NO-COURSE,Algebra I,"))
    report = tutor.import_roster(folder, skip_bad_rows=True)
    assert str(report.skipped[0]) == f"{classes}:3: course 'NO-COURSE' is not in courses.csv nor in the database"
    assert len(report.skipped) == 1 + 12  # the class, then its 10 student and 2 teacher enrollments
    assert str(report.skipped[1]).endswith(f"class '{ALGEBRA}' is not imported (see {classes}:3)")
    assert report.of("sections").created == 1 and report.of("enrollments").created == 12
    assert tutor.roster_summary().enrollments == 5


def test_a_1_2_delta_with_tobedeleted_removes_enrollments_and_deactivates_people(tutor, copy_of, database_url):
    tutor.import_roster(V12)
    delta = copy_of(V12, "delta")
    for name in ("orgs", "academicSessions", "courses", "classes", "demographics", "roles", "userProfiles"):
        (delta / f"{name}.csv").unlink()
        manifest = delta / "manifest.csv"
        manifest.write_text(manifest.read_text().replace(f"file.{name},delta", f"file.{name},absent"))
    for name in ("users", "enrollments"):
        path = delta / f"{name}.csv"
        path.write_text(path.read_text().replace(",active,", ",tobedeleted,"))
    report = tutor.import_roster(delta)
    assert report.of("enrollments").removed == 1 and report.of("students").removed == 1
    assert report.of("sections").unchanged == 0  # classes.csv is absent: sections are left as they are
    summary = tutor.roster_summary()
    assert (summary.students, summary.inactive_students, summary.sections, summary.enrollments) == (0, 1, 1, 0)
    assert sql(database_url, "SELECT code, active FROM student") in ([("brucewayne", 0)], [("brucewayne", False)])
    assert tutor.import_roster(delta).changes == 0
    # The student comes back with the next full export, under the same code.
    back = tutor.import_roster(V12)
    assert back.of("students").updated == 1 and back.of("enrollments").created == 1
    assert [s.code for s in tutor.students(section="CLASS_001")] == ["brucewayne"]


def test_a_bulk_export_that_leaves_a_student_out_deactivates_them_and_their_enrollments(tutor, copy_of):
    tutor.import_roster(V11)
    folder = copy_of(V11)
    for name in ("users", "enrollments"):
        path = folder / f"{name}.csv"
        path.write_text("\n".join(line for line in path.read_text().splitlines() if ",604863," not in
                                  f",{line}"))  # fmt: skip
    report = tutor.import_roster(folder)
    assert report.of("students").removed == 1 and report.of("enrollments").removed == 4
    assert "604863" not in [s.code for s in tutor.students(section=ENGLISH)]
    assert "604863" not in [s.code for s in tutor.students()]  # kept with their history, but not listed
    assert tutor.roster_summary().inactive_students == 1


def test_a_student_added_by_hand_is_taken_over_by_the_roster_row_with_the_same_code(tutor, samples):
    tutor.add_student("brucewayne", "Bruce")
    report = tutor.import_roster(V12)
    assert report.of("students").updated == 1 and report.of("students").created == 0
    assert [(s.code, s.name) for s in tutor.students()] == [("brucewayne", "Bruce Wayne")]


def test_a_folder_without_users_csv_or_with_a_missing_column_writes_nothing(tutor, copy_of):
    folder = copy_of(V11)
    (folder / "users.csv").unlink()
    classes = folder / "classes.csv"
    classes.write_text(classes.read_text().replace("schoolSourcedId", "school"))
    with pytest.raises(RosterError) as caught:
        tutor.import_roster(folder)
    assert caught.value.structural
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'users.csv'}: missing (manifest.csv line 10 says file.users is bulk)",
        f"{classes}:1: missing column schoolSourcedId",
    ]
    assert tutor.roster_summary().sections == 0
