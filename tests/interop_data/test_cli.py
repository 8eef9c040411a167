"""`adaptive xapi import`, `adaptive xapi link` and `adaptive curriculum import-case`, as a user runs them."""

from __future__ import annotations

import json

from tests.interop_data.conftest import MOODLE_QUIZ
from tests.test_cli_store import run


def test_import_case_then_xapi_with_json_reports(database_url, rp_file, moodle_file):
    done = run(database_url, "curriculum", "import-case", str(rp_file), "--course-code", "RP", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["course"], report["competencies"], report["prerequisites"], report["depth"]) == ("RP", 16, 2, 3)
    shown = run(database_url, "curriculum", "show", "RP", "--json")
    assert json.loads(shown.stdout)["competencies"][0]["code"] == "CCSS.Math.Content.6.RP.A"

    from adaptive import Tutor

    with Tutor(database_url) as tutor:
        tutor.add_content_item("quiz-1", "Quiz 1", kind="assessment", competencies=["CCSS.Math.Content.6.RP.A.1"],
                               url=MOODLE_QUIZ)  # fmt: skip
    done = run(database_url, "xapi", "import", str(moodle_file), "--create-students", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["recorded"], report["duplicates"], report["created_students"]) == (1, 14, ["1"])
    assert report["skipped"] == {"no result (not an answer)": 153, "unknown item": 22}
    assert report["unknown_items"][0] == {"where": "statement 14",
                                          "value": "http://www.example.org/mod/book/view.php?id=1"}  # fmt: skip
    text = run(database_url, "xapi", "import", str(moodle_file))
    assert text.returncode == 0, text.stderr
    assert "190 statements: 0 responses recorded, 15 already stored, 175 statements skipped" in text.stdout
    assert "    http://www.example.org/mod/book/view.php?id=1 (" in text.stdout  # each unknown activity once


def test_bad_files_exit_1_with_every_problem_on_stderr(database_url, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"actor": {"mbox": "ana@school.org"}, "verb": {"id": "x"}, "object": {"id": "y"}}\n')
    done = run(database_url, "xapi", "import", str(bad))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{bad}: line 1: actor: mbox must be a mailto: address such as mailto:ana@school.org, got 'ana@school.org'",
        f"{bad}: nothing was imported (fix those statements, or use --skip-bad-statements to import the others)"]
    package = tmp_path / "case.json"
    package.write_text(json.dumps({"CFDocument": {"identifier": "d", "title": "T"}, "CFItems": [{"identifier": "i"}]}))
    done = run(database_url, "curriculum", "import-case", str(package))
    assert done.returncode == 1
    assert done.stderr.strip() == f"{package}: CFItems[0] (identifier i): fullStatement: Field required"


def test_link_an_actor_to_a_student(database_url):
    from adaptive import Tutor

    with Tutor(database_url) as tutor:
        tutor.add_student("s-1042")
    done = run(database_url, "xapi", "link", "Ana@School.org", "s-1042")
    assert (done.returncode, done.stdout.strip()) == (0, "mailto:ana@school.org is student s-1042")
    done = run(database_url, "xapi", "link", "mailto:b@school.org", "nobody")
    assert done.returncode == 2 and "unknown student 'nobody'" in done.stderr
