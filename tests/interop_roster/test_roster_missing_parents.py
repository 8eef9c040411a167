"""An LMS export (OneRoster 1.2, as Moodle's plugin writes it) that leaves out the district above its school
and the school year above its term: the tutor never uses either, so both are warnings and every user is
imported. References the tutor needs (a class's term, an enrollment's user) stay problems."""

from __future__ import annotations

import json
import subprocess

import pytest

from adaptive.interop.oneroster import RosterError
from tests.cli_run import adaptive
from tests.conftest import sql

MANIFEST = """propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.orgs,bulk
file.academicSessions,bulk
file.courses,bulk
file.classes,bulk
file.users,bulk
file.enrollments,bulk
file.roles,bulk"""
ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
sch,active,2026-08-01T00:00:00.000Z,Gotham High,school,,DISTRICT-9"""
SESSIONS = """sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
fall,active,2026-08-01T00:00:00.000Z,Fall,semester,2026-09-01,2027-01-29,SY-2027,2027"""
COURSES = """sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects
bio,active,2026-08-01T00:00:00.000Z,,Biology,BIO,10,DISTRICT-9,Science"""
CLASSES = """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,\
schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
bio-1,active,2026-08-01T00:00:00.000Z,Biology P1,,bio,,scheduled,,sch,fall,,,1"""
USERS = """sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email,primaryOrgSourcedId
u1,active,2026-08-01T00:00:00.000Z,TRUE,ana,Ana,Lima,ana@gotham.org,
u2,active,2026-08-01T00:00:00.000Z,TRUE,ben,Ben,Ode,ben@gotham.org,
u3,active,2026-08-01T00:00:00.000Z,TRUE,cy,Cy,Tan,cy@gotham.org,
u4,active,2026-08-01T00:00:00.000Z,TRUE,dee,Dee,Roy,dee@gotham.org,
u5,active,2026-08-01T00:00:00.000Z,TRUE,eli,Eli,Park,eli@gotham.org,
t1,active,2026-08-01T00:00:00.000Z,TRUE,ms.rivera,Rosa,Rivera,rivera@gotham.org,DISTRICT-9"""
ROLES = """sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId
r1,active,,u1,primary,student,,,sch
r2,active,,u2,primary,student,,,sch
r3,active,,u3,primary,student,,,sch
r4,active,,u4,primary,student,,,sch
r5,active,,u5,primary,student,,,sch
r6,active,,t1,primary,teacher,,,DISTRICT-9"""
ENROLLMENTS = """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary
e1,active,,bio-1,sch,u1,student,
e2,active,,bio-1,sch,u2,student,
e3,active,,bio-1,sch,u3,student,
e4,active,,bio-1,sch,u4,student,
e5,active,,bio-1,sch,u5,student,
e6,active,,bio-1,sch,t1,teacher,true"""
FILES = {"manifest": MANIFEST, "orgs": ORGS, "academicSessions": SESSIONS, "courses": COURSES, "classes": CLASSES,
         "users": USERS, "roles": ROLES, "enrollments": ENROLLMENTS}


@pytest.fixture
def lms_export(write_folder):
    return write_folder("lms", FILES, "\r\n")


def test_a_district_and_school_year_left_out_are_warnings_and_every_user_is_imported(tutor, lms_export,
                                                                                     database_url):
    report = tutor.import_roster(lms_export)
    assert [str(w) for w in report.warnings] == [
        f"{lms_export / 'orgs.csv'}:2: parent school 'DISTRICT-9' is not in orgs.csv nor in the database; "
        "imported without a parent",
        f"{lms_export / 'academicSessions.csv'}:2: parent term 'SY-2027' is not in academicSessions.csv nor in "
        "the database; imported without a parent",
        f"{lms_export / 'courses.csv'}:2: org 'DISTRICT-9' is not in orgs.csv nor in the database; the course is "
        "imported without its org",
        f"{lms_export / 'users.csv'}:7: org 'DISTRICT-9' is not in orgs.csv nor in the database; the user is "
        "imported without it",
    ]
    assert report.skipped == ()
    assert (report.of("students").created, report.of("teachers").created, report.of("enrollments").created) == (
        5, 1, 6)
    assert [s.code for s in tutor.students(section="bio-1")] == ["ana", "ben", "cy", "dee", "eli"]
    assert sql(database_url, "SELECT sourced_id, parent_id FROM school") == [("sch", None)]
    assert sql(database_url, "SELECT sourced_id, parent_id FROM term") == [("fall", None)]
    assert report.to_dict()["warnings"] == [str(w) for w in report.warnings]
    assert tutor.import_roster(lms_export).changes == 0


def test_a_class_whose_term_is_left_out_stays_a_problem_since_the_tutor_needs_it(tutor, write_folder):
    folder = write_folder("lms", {**FILES, "classes": CLASSES.replace(",sch,fall,", ",sch,spring,")})
    with pytest.raises(RosterError) as caught:
        tutor.import_roster(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'classes.csv'}:2: term 'spring' is not in academicSessions.csv nor in the database",
        *(f"{folder / 'enrollments.csv'}:{line}: class 'bio-1' is not imported (see {folder / 'classes.csv'}:2)"
          for line in range(2, 8)),
    ]
    assert len(caught.value.warnings) == 4  # what the import would also have said
    assert tutor.roster_summary().students == 0


def test_the_cli_prints_the_warnings_and_imports(database_url, lms_export):
    done: subprocess.CompletedProcess = adaptive("--db", database_url, "roster", "import", str(lms_export))
    assert done.returncode == 0, done.stderr
    assert "4 warnings: imported without a reference the tutor does not need:" in done.stdout
    assert f"    {lms_export / 'orgs.csv'}:2: parent school 'DISTRICT-9' is not in orgs.csv" in done.stdout
    as_json = adaptive("--db", database_url, "roster", "import", str(lms_export), "--json")
    assert len(json.loads(as_json.stdout)["warnings"]) == 4
