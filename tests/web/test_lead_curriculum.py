"""The curriculum page as a curriculum lead uses it: each course's scope and sequence with its prerequisites as
a graph and as a list, and importing a curriculum file or a CASE package by upload: what was imported, or every
problem at its file and line with nothing written."""

from __future__ import annotations

from pathlib import Path

CASE_PACKAGE = Path(__file__).resolve().parents[1] / "first_morning" / "lincoln" / "ratios-framework.json"
SMALL_COURSE = """\
course: {code: FRAC-4, name: "Fractions <4>", grade_level: "4"}
competencies:
  - code: 4.NF.1
    name: Equivalent fractions
  - code: 4.NF.2
    name: Compare <fractions>
    prerequisites: [4.NF.1]
"""


def _upload(client, name: str, data: bytes):
    """Upload as the page does: htmx sends the form (multipart) with the CSRF token in its header."""
    if "csrftoken" not in client.cookies:
        client.get("/sign-in")
    return client.post("/lead/curriculum/import", headers={"x-csrftoken": client.cookies["csrftoken"],
                                                           "hx-request": "true"},
                       files={"file": (name, data, "application/octet-stream")})


def test_the_graph_draws_an_arrow_for_each_prerequisite_and_lists_them(client_as):
    page = client_as("lead").get("/lead/curriculum").text
    assert "Grade 6 Mathematics" in page and "<svg" in page
    assert '<path class="prerequisite" data-from="6.NS.2" data-to="6.NS.1"' in page
    assert "6.NS.2 comes before 6.NS.1" in page
    assert "needs 6.NS.2" in page  # the text list says the same


def test_a_school_admin_sees_the_curriculum_too(client_as):
    assert client_as("admin").get("/lead/curriculum").status_code == 200


def test_uploading_a_curriculum_file_imports_it_and_shows_what_came_in(school, client_as):
    answer = _upload(client_as("lead"), "fractions.yaml", SMALL_COURSE.encode())
    assert answer.status_code == 200
    assert "Imported fractions.yaml" in answer.text
    assert "2 competencies in this order: 4.NF.1, 4.NF.2</li>" in answer.text
    assert "1 prerequisite link</li>" in answer.text
    assert "Fractions &lt;4&gt;" in answer.text and "Compare &lt;fractions&gt;" in answer.text  # text, not markup
    assert "<fractions>" not in answer.text
    assert [c.code for c in school.course("FRAC-4").competencies] == ["4.NF.1", "4.NF.2"]


def test_an_upload_with_an_error_shows_file_and_line_and_writes_nothing(school, client_as):
    broken = SMALL_COURSE.replace("prerequisites: [4.NF.1]", "prerequisites: [4.NF.9]")
    answer = _upload(client_as("lead"), "fractions.yaml", broken.encode())
    assert answer.status_code == 422
    assert "fractions.yaml was not imported: nothing was written" in answer.text
    assert "fractions.yaml:7:" in answer.text and "4.NF.9" in answer.text
    assert "FRAC-4" not in {c.code for c in school.courses()}


def test_uploading_a_case_package_imports_its_framework(school, client_as):
    answer = _upload(client_as("lead"), "ratios-framework.json", CASE_PACKAGE.read_bytes())
    assert answer.status_code == 200 and "Imported ratios-framework.json" in answer.text
    assert len(school.courses()) == 2


def test_a_broken_case_package_shows_its_line_and_writes_nothing(school, client_as):
    answer = _upload(client_as("lead"), "framework.json", b'{\n  "CFDocument": \n}')
    assert answer.status_code == 422 and "framework.json: line 3: not valid JSON" in answer.text
    assert len(school.courses()) == 1


def test_a_file_of_another_kind_or_too_big_is_refused(client_as):
    lead = client_as("lead")
    assert "expected a curriculum file (.yaml) or a CASE package (.json)" in _upload(lead, "notes.txt", b"x").text
    assert _upload(lead, "huge.yaml", b"#" * 2_000_001).status_code == 413


def test_a_teacher_cannot_import(school, client_as):
    assert _upload(client_as("teacher"), "fractions.yaml", SMALL_COURSE.encode()).status_code == 403
    assert len(school.courses()) == 1
