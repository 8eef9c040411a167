"""Scenario: a school sets up its classes from the SIS in August, and a delta in October moves a student."""

from __future__ import annotations

MANIFEST = """propertyName,value
oneroster.version,1.2
file.orgs,{mode}
file.academicSessions,absent
file.courses,{mode}
file.classes,{mode}
file.users,{mode}
file.enrollments,{mode}
file.roles,absent"""
ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
sch,,,Lincoln Middle,school,,"""
COURSES = """sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects
m6,,,,Math 6,M6,06,sch,Mathematics"""
CLASSES = """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,\
schoolSourcedId,termSourcedIds
p1,,,Math 6 period 1,,m6,math6-p1,scheduled,,sch,
p2,,,Math 6 period 2,,m6,math6-p2,scheduled,,sch,"""
USERS = """sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName,email
ana,,,true,sch,student,ana,Ana,Lima,ana@lincoln.org
ben,,,true,sch,student,ben,Ben,Ode,ben@lincoln.org
rivera,,,true,sch,teacher,ms.rivera,Rosa,Rivera,rivera@lincoln.org
kim,,,true,sch,aide,mr.kim,Jo,Kim,kim@lincoln.org"""
ENROLLMENTS = """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary
e1,,,p1,sch,ana,student,
e2,,,p1,sch,ben,student,
e3,,,p1,sch,kim,aide,false
e4,,,p1,sch,rivera,teacher,true
e5,,,p2,sch,rivera,teacher,true"""


def test_august_setup_then_an_october_delta_moves_ben_to_period_2(tutor, write_folder, database_url):
    from tests.conftest import sql

    august = write_folder("august", {"manifest": MANIFEST.format(mode="bulk"), "orgs": ORGS, "courses": COURSES,
                                     "classes": CLASSES, "users": USERS, "enrollments": ENROLLMENTS})
    report = tutor.import_roster(august)
    assert report.of("enrollments").created == 5
    assert [s.code for s in tutor.students(section="math6-p1")] == ["ana", "ben"]
    # Period 1 has two adults: Ms Rivera teaches it (its primary teacher), Mr Kim is its aide.
    assert sql(database_url, "SELECT t.code, st.role, st.is_primary FROM section_teacher st "
                             "JOIN teacher t ON t.id = st.teacher_id JOIN section s ON s.id = st.section_id "
                             "WHERE s.code = 'math6-p1' ORDER BY t.code") in (
        [("mr.kim", "aide", 0), ("ms.rivera", "teacher", 1)],
        [("mr.kim", "aide", False), ("ms.rivera", "teacher", True)])
    assert sql(database_url, "SELECT t.code FROM section s JOIN teacher t ON t.id = s.teacher_id "
                             "WHERE s.code = 'math6-p1'") == [("ms.rivera",)]
    assert sql(database_url, "SELECT subject FROM section WHERE code = 'math6-p2'") == [("Mathematics",)]

    october = write_folder("october", {
        "manifest": MANIFEST.format(mode="delta").replace("file.orgs,delta", "file.orgs,absent")
        .replace("file.courses,delta", "file.courses,absent").replace("file.classes,delta", "file.classes,absent")
        .replace("file.users,delta", "file.users,absent"),
        "enrollments": """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary
e2,tobedeleted,2026-10-01,,,,,
e6,active,2026-10-01,p2,sch,ben,student,"""})
    moved = tutor.import_roster(october)
    assert (moved.of("enrollments").created, moved.of("enrollments").removed) == (1, 1)
    assert [s.code for s in tutor.students(section="math6-p1")] == ["ana"]
    assert [s.code for s in tutor.students(section="math6-p2")] == ["ben"]
    assert tutor.roster_summary().enrollments == 2
