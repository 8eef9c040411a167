"""``adaptive student export|erase|retention`` as an administrator runs them."""

from __future__ import annotations

import json

from tests.cli_run import adaptive
from tests.conftest import sql
from tests.privacy.conftest import ZED


def students(url: str) -> list[str]:
    return [c for c, in sql(url, "SELECT code FROM student ORDER BY code")]


def test_export_writes_the_students_json_file(school, tmp_path):
    out = tmp_path / "zed.json"
    done = adaptive("--db", school.url, "student", "export", ZED["code"], "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"exported student {ZED['code']} to {out}: sections 1, roster enrollments 1, "
                                  "responses 6, ")
    data = json.loads(out.read_text())
    assert data["student"]["name"] == ZED["name"] and len(data["responses"]) == 6


def test_export_refuses_to_replace_a_file_unless_forced(school, tmp_path):
    out = tmp_path / "zed.json"
    out.write_text("keep me")
    refused = adaptive("--db", school.url, "student", "export", ZED["code"], "--out", out)
    assert (refused.returncode, refused.stderr) == (2, f"error: {out} exists: nothing written (--force replaces it)\n")
    assert out.read_text() == "keep me"
    forced = adaptive("--db", school.url, "student", "export", ZED["code"], "--out", out, "--force")
    assert forced.returncode == 0 and json.loads(out.read_text())["student"]["code"] == ZED["code"]


def test_export_into_a_missing_folder_or_of_an_unknown_student_is_a_clear_error(school, tmp_path):
    missing = adaptive("--db", school.url, "student", "export", ZED["code"], "--out", tmp_path / "no" / "z.json")
    assert (missing.returncode, missing.stderr) == (
        2, f"error: {tmp_path / 'no' / 'z.json'}: folder {tmp_path / 'no'} does not exist\n")
    unknown = adaptive("--db", school.url, "student", "export", "nobody", "--out", tmp_path / "n.json")
    assert (unknown.returncode, unknown.stderr) == (2, "error: unknown student 'nobody'\n")
    assert not (tmp_path / "n.json").exists()


def test_erase_without_yes_says_what_it_would_erase_and_erases_nothing(school):
    done = adaptive("--db", school.url, "student", "erase", ZED["code"])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"would erase student {ZED['code']}: ") and "responses 6" in lines[0]
    assert lines[-1] == "nothing was erased: add --yes to erase"
    assert students(school.url) == ["ana", "cy", ZED["code"]]


def test_erase_with_yes_erases_the_student(school):
    done = adaptive("--db", school.url, "student", "erase", ZED["code"], "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"erased student {ZED['code']}: ") and "nothing was erased" not in done.stdout
    assert students(school.url) == ["ana", "cy"]


def test_erase_a_section_says_who_keeps_their_data(school):
    done = adaptive("--db", school.url, "student", "erase", "--section", "4B", "--yes")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("erased 1 student enrolled only in section 4B: ")
    assert lines[1] == ("1 student also enrolled in another section keeps their data: only their enrollment in 4B "
                        "was removed")
    assert students(school.url) == ["ana", "cy"]


def test_erase_all_erases_every_student_and_says_what_stays(school):
    done = adaptive("--db", school.url, "student", "erase", "--all", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    receipt = json.loads(done.stdout)
    assert (receipt["students"], receipt["dry_run"], receipt["counts"]["responses"]) == (3, False, 12)
    assert students(school.url) == []
    said = adaptive("--db", school.url, "student", "erase", "--all")
    assert said.stdout.splitlines()[1:] == ["kept: curriculum, content, rules, teachers and sections",
                                            "nothing was erased: add --yes to erase"]


def test_erase_needs_exactly_one_target(school):
    for args in ((), (ZED["code"], "--all"), ("--section", "4B", "--all")):
        done = adaptive("--db", school.url, "student", "erase", *args, "--yes")
        assert (done.returncode, done.stderr) == (2, "error: name exactly one of: a student's CODE, --section SECTION,"
                                                     " --all\n")
    assert students(school.url) == ["ana", "cy", ZED["code"]]


def test_retention_lists_then_erases(school):
    sql(school.url, "UPDATE student SET active = false, left_roster_at = '2026-01-05 08:00:00' "
                    f"WHERE code = '{ZED['code']}'")
    listed = adaptive("--db", school.url, "student", "retention", "--days", "30")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[:2] == ["1 student left the roster at least 30 days ago and have not answered since:",
                         f"  {ZED['code']}  left the roster 2026-01-05, last answer 2026-09-07"]
    assert lines[-1].endswith("nothing was erased: add --yes to erase")
    assert students(school.url) == ["ana", "cy", ZED["code"]]
    done = adaptive("--db", school.url, "student", "retention", "--days", "30", "--yes")
    assert done.stdout.startswith("erased 1 student the roster removed at least 30 days ago: ")
    assert students(school.url) == ["ana", "cy"]


def test_retention_needs_a_positive_number_of_days(school):
    done = adaptive("--db", school.url, "student", "retention", "--days", "0")
    assert done.returncode == 2 and "--days" in done.stderr and "Traceback" not in done.stderr
