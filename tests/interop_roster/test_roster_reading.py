"""Reading real exports as they are: CRLF, no final newline, BOM, short rows, blank status, extra empty field."""

from __future__ import annotations

import pytest

from adaptive.domain.roster import StoredRoster
from adaptive.interop.oneroster import RosterError, plan, read_export

MANIFEST = """propertyName,value
manifest.version,1.0
oneroster.version,1.1
file.orgs,bulk
file.users,bulk
file.academicSessions,absent
file.courses,absent
file.classes,absent
file.enrollments,absent"""
ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
d1,,,District,district,,
s1,,,School,school,,d1"""
USERS = """sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,\
email,grades
u1,,,true,s1,student,ana,,Ana,Lima,ana@school.org,"05,06"
u2,active,,true,s1,Teacher,mr.b,,Bob,Brown,bob@school.org,,
u3,,,true,s1,student,cy,,Cy
u4,,,true,s1,administrator,boss,,Pat,Head,,"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_crlf_or_lf_no_final_newline_short_rows_blank_status_and_an_extra_empty_field(write_folder, newline):
    folder = write_folder("export", {"manifest": MANIFEST, "orgs": ORGS, "users": USERS}, newline)
    export = read_export(folder)
    assert export.problems == ()
    by_id = {p.sourced_id: p for p in export.people}
    assert by_id["u1"].grade_level == "05,06" and by_id["u1"].email == "ana@school.org"
    assert by_id["u2"].kind == "teacher" and by_id["u2"].role == "teacher"  # roles in any case
    assert by_id["u3"].family_name is None and by_id["u3"].email is None  # a short row: the rest is blank
    assert "u4" not in by_id
    assert export.ignored == {f"{folder / 'users.csv'}: administrator": 1}
    assert [s.parent for s in export.schools] == [None, "d1"]


def test_a_bom_and_column_names_in_another_case_are_read(write_folder):
    folder = write_folder("export", {"manifest": MANIFEST, "orgs": "\ufeff" + ORGS.replace("sourcedId", "SourcedId"),
                                     "users": USERS})
    assert [s.sourced_id for s in read_export(folder).schools] == ["d1", "s1"]


def test_row_problems_are_all_collected_with_file_and_line(write_folder):
    users = USERS + "\n,,,true,s1,student,x,,X,Y,,\nu1,,,true,s1,student,again,,A,B,,"
    users += "\nu6,gone,,true,s1,student,z,,Z,Z,,"
    users += "\nu7,,,true,s1,wizard,w,,W,W,,\nu8,,,true,s1,student,q,,Q,Q,,,,surprise"
    folder = write_folder("export", {"manifest": MANIFEST, "orgs": ORGS, "users": users})
    path = folder / "users.csv"
    assert [str(p) for p in read_export(folder).problems] == [
        f"{path}:6: blank sourcedId",
        f"{path}:7: sourcedId 'u1' is already on line 2",
        f"{path}:8: status must be active or tobedeleted (or blank), not 'gone'",
        f"{path}:9: unknown role 'wizard' (students: student; teachers: aide, proctor, teacher)",
        f"{path}:10: 14 fields, but the header has 12",
    ]


def test_a_user_org_that_is_not_there_is_a_warning_and_the_user_is_kept_without_it(write_folder):
    folder = write_folder("export", {"manifest": MANIFEST, "orgs": ORGS,
                                     "users": USERS + "\nu5,,,true,\"s9,s1\",student,eve,,Eve,Ng,,"})
    planned = plan(read_export(folder), StoredRoster())
    assert planned.skipped == ()
    assert [str(p) for p in planned.warnings] == [
        f"{folder / 'users.csv'}:6: org 's9' is not in orgs.csv nor in the database; the user is imported "
        "without it"]
    assert [(p.code, p.schools) for p in planned.students] == [("ana", ("s1",)), ("cy", ("s1",)), ("eve", ("s1",))]


def test_a_folder_without_users_csv_or_a_column_is_refused_listing_both(write_folder):
    folder = write_folder("export", {"manifest": MANIFEST, "orgs": ORGS.replace(",name,", ",title,")})
    with pytest.raises(RosterError) as caught:
        read_export(folder)
    assert caught.value.structural
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'users.csv'}: missing (manifest.csv line 5 says file.users is bulk)",
        f"{folder / 'orgs.csv'}:1: missing column name",
    ]


def test_a_folder_without_a_manifest_or_with_an_unknown_version_is_refused(write_folder):
    folder = write_folder("nomanifest", {"orgs": ORGS})
    with pytest.raises(RosterError, match="manifest.csv: missing"):
        read_export(folder)
    folder = write_folder("v3", {"manifest": MANIFEST.replace("oneroster.version,1.1", "oneroster.version,3.0"),
                                 "orgs": ORGS, "users": USERS})
    with pytest.raises(RosterError, match=r"manifest.csv:3: OneRoster version '3.0' is not supported"):
        read_export(folder)
