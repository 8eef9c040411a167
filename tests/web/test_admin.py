"""The school admin's pages: importing a roster upload, chat accounts, people and roles, sign-in links.

Who may open them is walked by tests/web/test_roles.py (only ``admin``); here, what they do."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest

from tests.web.web_helpers import post, use_link
from webapp import uploads
from webapp.app import all_pages, create_app

MANIFEST = ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.1", "file.orgs,bulk",
            "file.academicSessions,bulk", "file.courses,bulk", "file.classes,bulk", "file.users,bulk",
            "file.enrollments,bulk"]
EXPORT = {
    "orgs": ["sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
             "sch1,,,Lincoln Middle School,school,,DISTRICT-9"],
    "academicSessions": ["sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
                         "fall,,,Fall 2026,semester,2026-08-20,2026-12-18,,2027"],
    "courses": ["sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects",
                "math6,,,,Math 6,M6,06,sch1,Mathematics"],
    "classes": ["sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
                "schoolSourcedId,termSourcedIds,subjects,periods",
                "c1,,,Math 6 period 2,,math6,math6-p2,scheduled,,sch1,fall,,2"],
    "users": ["sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
              "familyName,identifier,email,grades",
              "u1,,,true,sch1,student,ana.lima,,Ana,Lima,,ana@lincoln.org,06",
              "u2,,,true,sch1,student,ben.ode,,Ben,Ode,,ben@lincoln.org,06",
              "t1,,,true,sch1,teacher,ms.rivera,,Rosa,Rivera,,rivera@lincoln.org,"],
    "enrollments": ["sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary",
                    "e1,,,c1,sch1,u1,student,", "e2,,,c1,sch1,u2,student,", "e3,,,c1,sch1,t1,teacher,true"],
}
BAD_ROW = "e4,,,NO-SUCH-CLASS,sch1,u2,student,"  # line 5 of enrollments.csv


def csv_files(extra_enrollment: str | None = None) -> dict[str, bytes]:
    files = {"manifest.csv": "\n".join(MANIFEST) + "\n"}
    for name, lines in EXPORT.items():
        rows = [*lines, extra_enrollment] if name == "enrollments" and extra_enrollment else lines
        files[f"{name}.csv"] = "\n".join(rows) + "\n"
    return {k: v.encode() for k, v in files.items()}


def zipped(files: dict[str, bytes], folder: str = "export/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()


def upload(client, files: list[tuple[str, bytes]], skip: bool = False):
    """Upload as the page's htmx form does: the CSRF token in the x-csrftoken header."""
    if "csrftoken" not in client.cookies:
        client.get("/sign-in")
    return client.post("/admin/roster", data={"skip_bad_rows": "on"} if skip else {},
                       files=[("files", (name, body)) for name, body in files],
                       headers={"x-csrftoken": client.cookies["csrftoken"], "hx-request": "true"})


@pytest.fixture
def admin(client_as):
    return client_as("admin")


def test_a_roster_zip_is_imported_and_the_page_counts_what_changed(admin, school):
    response = upload(admin, [("oneroster.zip", zipped(csv_files()))])
    assert response.status_code == 200, response.text
    assert "Imported: " in response.text
    assert re.search(r"<th scope=\"row\">students</th><td>2</td>", response.text)  # 2 created
    assert "orgs.csv:2: parent school &#39;DISTRICT-9&#39;" in response.text  # a warning, with file:line
    assert [s.code for s in school.students("math6-p2")] == ["ana.lima", "ben.ode"]


def test_the_csv_files_chosen_together_import_like_the_zip(admin, school):
    response = upload(admin, list(csv_files().items()))
    assert response.status_code == 200, response.text
    assert school.section_roster("M6-P2").section.code == "math6-p2"


def test_a_bad_row_is_shown_with_its_file_and_line_and_nothing_is_written(admin, school):
    before = school.roster_summary()
    response = upload(admin, [("oneroster.zip", zipped(csv_files(BAD_ROW)))])
    assert response.status_code == 422
    assert "Nothing was imported: 1 row cannot be imported" in response.text
    assert "enrollments.csv:5: class &#39;NO-SUCH-CLASS&#39;" in response.text
    assert "/tmp" not in response.text  # the server's folder is not shown
    assert school.roster_summary() == before


def test_skipping_bad_rows_imports_the_rest_and_lists_the_row_skipped(admin, school):
    response = upload(admin, [("oneroster.zip", zipped(csv_files(BAD_ROW)))], skip=True)
    assert response.status_code == 200
    assert "Rows skipped (1)" in response.text and "enrollments.csv:5:" in response.text
    assert [s.code for s in school.students("math6-p2")] == ["ana.lima", "ben.ode"]


@pytest.mark.parametrize("name", ["../manifest.csv", "export/../../etc/cron.d/x.csv", "/etc/passwd.csv",
                                  "..\\users.csv", "C:/users.csv"])
def test_a_zip_naming_a_file_outside_its_folder_is_refused_and_nothing_is_written(admin, school, name):
    files = csv_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for base, data in files.items():
            archive.writestr(base, data)
        archive.writestr(name, b"x")
    before = school.roster_summary()
    response = upload(admin, [("oneroster.zip", buffer.getvalue())])
    assert response.status_code == 422
    assert "nothing was imported" in response.text
    assert school.roster_summary() == before


def test_a_zip_unpacking_to_more_than_the_cap_is_refused(admin, school, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED", 4096)
    bomb = {**csv_files(), "demographics.csv": b"0" * 1_000_000}  # compresses to about 1 KB
    body = zipped(bomb)
    assert len(body) < 4096
    response = upload(admin, [("oneroster.zip", body)])
    assert response.status_code == 422
    assert "unpack to more than 0.00390625 MB" in response.text
    assert school.roster_summary().students == 2  # the school of conftest.py, nothing added


def test_an_upload_over_the_request_cap_is_refused_with_the_cap_named(school):
    small = [dataclasses.replace(p, upload=dataclasses.replace(p.upload, max_bytes=50_000)) if p.upload else p
             for p in all_pages()]
    from starlette.testclient import TestClient

    from tests.web.web_helpers import BASE, sign_in

    client = TestClient(create_app(school, secret="test-secret-" + "x" * 32, pages=small), base_url=BASE,
                        follow_redirects=False)
    sign_in(client, school, "admin-1")
    response = upload(client, [("oneroster.zip", b"\0" * 60_000)])
    assert response.status_code == 413
    assert "larger than this server accepts (0.0476837 MB)" in response.text


def test_an_upload_without_the_token_header_is_refused_before_anything_reads_it(admin, school):
    response = post(admin, "/admin/roster", files=[("files", ("oneroster.zip", zipped(csv_files())))])
    assert response.status_code == 403
    assert "send it with the page's upload button" in response.text
    assert school.roster_summary().students == 2


def test_an_upload_that_is_not_a_zip_or_has_no_csv_is_refused(admin):
    assert "not a readable .zip file" in upload(admin, [("export.zip", b"not a zip")]).text
    assert "no CSV files in the upload" in upload(admin, [("notes.txt", b"hello")]).text


def test_a_chat_account_is_linked_and_unlinked_from_the_page_the_removal_in_the_audit_trail(admin, school):
    response = post(admin, "/admin/chat/link", {"platform": "slack", "user_id": "U0ANA", "code": "stu-a"})
    assert response.status_code == 303
    assert school.chat_person("slack", "U0ANA").code == "stu-a"
    page = admin.get("/admin/chat").text
    assert "U0ANA" in page and "student stu-a" in page and "web:admin-1 (teacher admin-1)" in page  # linked by
    assert post(admin, "/admin/chat/unlink", {"platform": "slack", "user_id": "U0ANA"}).status_code == 303
    assert school.chat_person("slack", "U0ANA") is None
    trail = [(e.action, e.actor, e.detail) for e in school.audit_entries(student="stu-a")
             if e.what == "chat link"]
    assert trail == [("unlink", "web:admin-1 (teacher admin-1)", "slack user U0ANA (student stu-a)")]


def test_a_chat_account_linked_to_someone_else_is_refused_with_the_reason(admin, school):
    school.link_chat_user("teams", "aad-1", teacher="t-a")
    response = post(admin, "/admin/chat/link", {"platform": "teams", "user_id": "aad-1", "code": "stu-a"})
    assert response.status_code == 400
    assert "already linked to someone else: unlink it first" in response.text
    assert school.chat_person("teams", "aad-1").code == "t-a"


def test_roles_are_granted_and_taken_back_from_the_people_page(admin, school):
    assert post(admin, "/admin/people/grant", {"code": "t-a", "role": "lead"}).status_code == 303
    assert ("t-a", "lead") in {(g.code, g.role) for g in school.role_grants()}
    assert "curriculum lead" in admin.get("/admin/people?done=granted").text
    assert post(admin, "/admin/people/revoke", {"code": "t-a", "role": "lead"}).status_code == 303
    assert ("t-a", "lead") not in {(g.code, g.role) for g in school.role_grants()}


def test_an_admin_cannot_take_back_their_own_admin_role(admin, school):
    response = post(admin, "/admin/people/revoke", {"code": "admin-1", "role": "admin"})
    assert response.status_code == 400
    assert ("admin-1", "admin") in {(g.code, g.role) for g in school.role_grants()}


def test_a_sign_in_link_made_on_the_page_signs_the_person_in_once(admin, client_as):
    response = post(admin, "/admin/people/sign-in-link", {"code": "stu-b"})
    assert response.status_code == 200
    link = re.search(r'value="(https://testserver/sign-in/[^"]+)" readonly', response.text).group(1)
    visitor = client_as("nobody")
    assert use_link(visitor, link).status_code == 303
    assert "Ben B" in visitor.get("/me").text
    again = client_as("nobody").get(link)
    assert again.status_code != 303 and "cannot be used" in again.text


def test_a_sign_in_link_for_nobody_of_the_roster_is_refused(admin):
    response = post(admin, "/admin/people/sign-in-link", {"code": "no-such-person"})
    assert response.status_code == 400
    assert "no active student or teacher" in response.text


def test_the_people_page_lists_the_teacher_table_with_granted_roles(admin, school):
    assert [(p.code, sorted(p.granted)) for p in school.staff()] == [
        ("admin-1", ["admin"]), ("lead-1", ["lead"]), ("t-a", []), ("t-b", [])]
    page = admin.get("/admin/people").text
    assert "Lee Lead" in page and "curriculum lead" in page
    assert "Take back school admin" not in page  # one's own admin role is not offered


def test_the_chat_accounts_list_is_in_the_access_log_as_the_admin(admin, school):
    school.link_chat_user("slack", "U0ANA", student="stu-a", by="t-a")
    admin.get("/admin/chat")
    reads = [(e.actor, e.action, e.student) for e in school.audit_entries() if e.what == "chat links"]
    assert reads == [("web:admin-1 (teacher admin-1)", "read", "stu-a")]


def test_making_a_sign_in_link_is_in_the_audit_trail_without_the_token(school, admin):
    page = post(admin, "/admin/people/sign-in-link", {"code": "stu-a"})
    token = re.search(r'/sign-in/([^"]+)" readonly', page.text).group(1)
    [made] = [e for e in school.audit_entries(student="stu-a") if e.action == "sign-in link"]
    assert made.actor == "web:admin-1 (teacher admin-1)" and made.detail == "for student stu-a, valid 15 min"
    assert not any(token in e.detail or token in e.actor for e in school.audit_entries())
