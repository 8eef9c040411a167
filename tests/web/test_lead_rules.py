"""The rules workbench as a curriculum lead uses it: problems at their lines as the text is typed (the checks of
``adaptive rules check``), its tests run, a simulation against stored responses with examples, publishing with
a note (refused while the file has problems), the history and a rollback. Teachers and students are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.web_helpers import post

DOCS_WEB = Path(__file__).resolve().parents[2] / "docs" / "web.md"
BROKEN_FIELD = ("    then:", "    thn:")  # the first rule's 'then' misspelt


def _broken(text: str) -> tuple[str, int]:
    """The text with its first rule's ``then`` misspelt, and the line of the misspelling."""
    line = text.splitlines().index(BROKEN_FIELD[0]) + 1
    return text.replace(*BROKEN_FIELD, 1), line


def _flag_sooner(text: str) -> str:
    """The active rules with the wrong-streak flag raised after 2 wrong answers rather than 3."""
    assert "wrong_streak: {at_least: 3}" in text
    return text.replace("wrong_streak: {at_least: 3}", "wrong_streak: {at_least: 2}")


@pytest.fixture
def lead(client_as):
    return client_as("lead")


@pytest.fixture
def active_text(school) -> str:
    return school.active_rules_text()


def test_a_lead_sees_the_workbench_with_the_active_rules_and_line_numbers(lead, active_text):
    page = lead.get("/lead/rules")
    assert page.status_code == 200
    assert "Rules workbench" in page.text and "the shipped default rules" in page.text
    assert 'name="text"' in page.text and 'hx-post="/lead/rules/check"' in page.text
    assert f'<span data-line="{active_text.count(chr(10)) + 1}">' in page.text
    assert "No problems." in page.text


@pytest.mark.parametrize("who", ["teacher", "student"])
def test_a_teacher_or_a_student_is_refused_the_workbench(client_as, who):
    client = client_as(who)
    assert client.get("/lead/rules").status_code == 403
    assert post(client, "/lead/rules/check", {"text": "id: x"}).status_code == 403
    assert client.get("/lead/curriculum").status_code == 403


def test_the_check_shows_a_problem_at_its_line_and_none_once_fixed(lead, active_text):
    broken, line = _broken(active_text)
    answer = post(lead, "/lead/rules/check", {"text": broken}, headers={"hx-request": "true"})
    assert answer.status_code == 200
    assert f'data-line="{line}"' in answer.text and "unknown rule field &#39;thn&#39;" in answer.text
    assert "Cannot publish" in answer.text and "disabled" in answer.text  # the button says why
    fixed = post(lead, "/lead/rules/check", {"text": active_text}).text
    assert "No problems." in fixed and "data-line" not in fixed and "disabled" not in fixed


def test_the_tests_written_in_the_rules_run(lead, active_text):
    answer = post(lead, "/lead/rules/test", {"text": active_text}).text
    assert "0 failed" in answer and "PASS" in answer and "a pre-test at 85% skips the competency" in answer
    failing = active_text.replace("fired: [pretest-skip, next-item]", "fired: [next-item]", 1)
    assert failing != active_text
    assert "1 failed" in post(lead, "/lead/rules/test", {"text": failing}).text


def test_simulating_shows_what_would_change_with_examples_and_writes_nothing(school, lead, active_text):
    answer = post(lead, "/lead/rules/simulate", {"text": _flag_sooner(active_text)}).text
    assert "6 stored responses of 1 student replayed" in answer
    assert "Students flagged" in answer and "would change" in answer
    assert "Examples of decisions that would change" in answer and "stu-a" in answer
    assert school.ruleset_history() == []


def test_publishing_with_a_note_makes_a_version_shown_in_the_history(school, lead, active_text):
    answer = post(lead, "/lead/rules/publish", {"text": _flag_sooner(active_text), "note": "Flag after 2 <b>wrong</b>"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/lead/rules?published=1")
    (version,) = school.ruleset_history()
    assert (version.note, version.published_by, version.active) == ("Flag after 2 <b>wrong</b>",
                                                                    "web:lead-1 (teacher lead-1)", True)
    page = lead.get("/lead/rules?published=1").text
    assert "Published as version 1" in page
    assert "Flag after 2 &lt;b&gt;wrong&lt;/b&gt;" in page and "<b>wrong</b>" not in page  # a note is text
    assert "wrong_streak: {at_least: 2}" in page  # the editor now holds the active rules


def test_publishing_a_broken_file_is_refused_and_the_active_rules_stay(school, lead, active_text):
    broken, line = _broken(active_text)
    answer = post(lead, "/lead/rules/publish", {"text": broken, "note": "oops"})
    assert answer.status_code == 422
    assert "Not published: the active rules are unchanged" in answer.text
    assert f"rules.yaml:{line}: unknown rule field" in answer.text
    assert school.ruleset_history() == []


def test_publishing_needs_a_note(school, lead, active_text):
    answer = post(lead, "/lead/rules/publish", {"text": _flag_sooner(active_text), "note": ""})
    assert answer.status_code == 400 and "Say why in the note" in answer.text
    assert school.ruleset_history() == []


def test_rolling_back_publishes_an_earlier_version_again(school, lead, active_text):
    post(lead, "/lead/rules/publish", {"text": _flag_sooner(active_text), "note": "sooner"})
    later = active_text.replace("{at_least: 3}", "{at_least: 4}", 1)
    post(lead, "/lead/rules/publish", {"text": later, "note": "later"})
    answer = post(lead, "/lead/rules/rollback", {"version": "1", "note": "later was too late"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/lead/rules?rolled_back=3")
    history = school.ruleset_history()
    assert [v.version_id for v in history] == [1, 2, 3] and history[-1].active
    assert history[-1].note == "rollback to version 1: later was too late"
    assert "wrong_streak: {at_least: 2}" in school.active_rules_text()
    page = lead.get("/lead/rules").text
    assert "Roll back to 2" in page and "Roll back to 3" not in page  # the active one offers no rollback


def test_rolling_back_to_an_unknown_version_is_not_found(lead):
    assert post(lead, "/lead/rules/rollback", {"version": "99"}).status_code == 404


def test_the_pages_docs_web_md_names_for_leads_exist():
    from webapp.app import all_pages

    section = DOCS_WEB.read_text().split("## For curriculum leads")[1].split("\n## ")[0]
    named = set(re.findall(r"`(/lead/[a-z/]+)`", section))
    assert named == {"/lead/rules", "/lead/curriculum"}
    assert named <= {p.path for p in all_pages()}
    for image in re.findall(r"\]\((images/web/[\w-]+\.png)\)", section):
        assert (DOCS_WEB.parent / image).is_file(), image
