"""`adaptive curriculum import/show/import-items` and `adaptive content search`, as a teacher runs them."""

from __future__ import annotations

import json

from tests.conftest import sql

BANK = """code,title,competencies,kind,minutes,scoring
nf1-bank-a,Equivalent fractions with egg cartons,5.NF.1,offline activity,25,
nf2-bank-b,Which is bigger?,5.NF.2,,10,
pre-nf2-bank,Order 1/3 2/5 and 3/8,5.NF.2,,,scale
"""


def count(url: str, table: str) -> int:
    ((n,),) = sql(url, f"SELECT count(*) FROM {table}")
    return n


def test_import_then_show_the_course(adaptive, tmp_path, library_text):
    course = tmp_path / "math5.yaml"
    course.write_text(library_text)
    result = adaptive("curriculum", "import", str(course))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{course}: course MATH-5 imported: 5 competencies, 11 items, 1 pre-test items"
    shown = adaptive("curriculum", "show", "MATH-5")
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    assert text.index("1. 5.NF.1 Equivalent fractions") < text.index("2. 5.NF.2 Compare fractions")
    assert "prerequisites: 5.NF.1" in text and "pre-test (correct)" in text and "offline activity" in text


def test_show_as_json_lists_the_scope_and_sequence(adaptive, tmp_path, library_text):
    (tmp_path / "math5.yaml").write_text(library_text)
    adaptive("curriculum", "import", str(tmp_path / "math5.yaml"))
    result = adaptive("curriculum", "show", "MATH-5", "--json")
    assert result.exit_code == 0, result.output
    course = json.loads(result.stdout)
    assert [c["code"] for c in course["competencies"]] == ["5.NF.1", "5.NF.2", "5.NBT.6", "5.G.1", "5.MD.1"]
    nf1, nf2 = course["competencies"][:2]
    assert nf2["prerequisites"] == ["5.NF.1"] and nf2["position"] == 2
    assert [i["code"] for i in nf1["items"]] == ["nf1-practice", "nf1-strips", "nf1-video"]
    assert nf1["pretest_items"][0] | {"competencies": None} == {
        "code": "pre-nf1", "title": "Is 2/4 equivalent to 1/2?", "kind": "assessment", "competencies": None,
        "url": None, "grade_level": "5", "minutes": None, "difficulty": None, "pretest_scoring": "correct"}  # fmt: skip


def test_an_unknown_course_is_a_one_line_error(adaptive):
    result = adaptive("curriculum", "show", "NOPE")
    assert result.exit_code != 0
    assert result.stderr.strip() == "error: unknown course 'NOPE'"


def test_a_bad_curriculum_file_lists_every_problem_and_writes_nothing(adaptive, tmp_path, library_text, database_url):
    bad = library_text.replace("name: Compare fractions", "nme: Compare fractions").replace(
        "minutes: 8,", "minutes: eight,"
    )
    (tmp_path / "bad.yaml").write_text(bad)
    result = adaptive("curriculum", "import", str(tmp_path / "bad.yaml"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 2
    assert all(line.startswith(f"{tmp_path / 'bad.yaml'}:") for line in lines)
    assert any(":14: " in line and "nme" in line for line in lines)
    assert any(":22: " in line and "minutes must be a number" in line for line in lines)
    assert adaptive("curriculum", "show", "MATH-5").exit_code != 0
    assert count(database_url, "content_item") == 0


def test_import_items_adds_a_bank_to_the_stored_competencies(adaptive, tmp_path, library_text):
    (tmp_path / "math5.yaml").write_text(library_text)
    adaptive("curriculum", "import", str(tmp_path / "math5.yaml"))
    (tmp_path / "bank.csv").write_text(BANK)
    result = adaptive("curriculum", "import-items", str(tmp_path / "bank.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{tmp_path / 'bank.csv'}: 2 items, 1 pre-test items imported"
    hits = json.loads(adaptive("content", "search", "egg cartons", "--json").stdout)
    assert hits[0]["code"] == "nf1-bank-a" and hits[0]["grade_level"] == "5" and hits[0]["kind"] == "offline_activity"
    course = json.loads(adaptive("curriculum", "show", "MATH-5", "--json").stdout)
    assert [i["code"] for i in course["competencies"][1]["pretest_items"]] == ["pre-nf2-bank"]
    again = adaptive("curriculum", "import-items", str(tmp_path / "bank.csv"))  # upsert: same rows, no copies
    assert again.exit_code == 0
    assert len(json.loads(adaptive("content", "search", "", "--json", "--limit", "100").stdout)) == 13


def test_a_bad_item_bank_lists_every_problem_and_writes_nothing(adaptive, tmp_path, library_text, database_url):
    (tmp_path / "math5.yaml").write_text(library_text)
    adaptive("curriculum", "import", str(tmp_path / "math5.yaml"))
    bank = tmp_path / "bank.csv"
    bank.write_text(BANK + "x-typo,Tagged wrong,5.NF.9,,,\nx-kind,Bad kind,5.NF.1,vidoe,,\n")
    before = count(database_url, "content_item")
    result = adaptive("curriculum", "import-items", str(bank))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"{bank}:5: item 'x-typo' is tagged to '5.NF.9', which is not a competency in the database"
        " (did you mean '5.NF.2'?)",
        f"{bank}:6: item 'x-kind': unknown kind 'vidoe' (did you mean 'video'?); use one of: lesson, video, "
        "practice, assessment, project, offline_activity",
    ]
    assert count(database_url, "content_item") == before


def test_search_prints_a_table_or_json(adaptive, tmp_path, library_text):
    (tmp_path / "math5.yaml").write_text(library_text)
    adaptive("curriculum", "import", str(tmp_path / "math5.yaml"))
    table = adaptive("content", "search", "equivalent fractions")
    assert table.exit_code == 0, table.output
    assert "nf1-practice" in table.stdout
    hits = json.loads(adaptive("content", "search", "fractions", "--competency", "5.NF.2", "--json").stdout)
    assert {h["code"] for h in hits} == {"nf2-lesson", "nf2-line"}
    assert set(hits[0]) == {"code", "title", "kind", "competencies", "grade_level", "minutes", "difficulty", "url",
                            "score"}  # fmt: skip
    for args in (["--grade", "6"], ["--kind", "project"]):
        assert len(json.loads(adaptive("content", "search", "", *args, "--json").stdout)) >= 1
    assert adaptive("content", "search", '"[/bold] NEAR(*', "--json").exit_code == 0
    assert adaptive("content", "search", "zebra").stdout.strip() == "no matching items"
    bad = adaptive("content", "search", "x", "--competency", "9.Q.9")
    assert bad.exit_code != 0 and bad.stderr.strip() == "error: unknown competency '9.Q.9'"
