"""A real course is big (a CASE framework of Common Core math has 664 competencies): a student's mastery and the
class heatmap show what the class has worked on, in scope-and-sequence order, and stay readable and quick."""

from __future__ import annotations

import csv
import io
import json

import pytest

from adaptive.domain import Competency, ContentItem, Course, ResponseIn
from adaptive.domain.curriculum import Curriculum
from tests.cli_run import adaptive
from tests.names.school_export import LINCOLN_P3
from tests.reports.conftest import pixels

PETER, MAXI = "604918", "604919"
# 300 competencies across six domains; the scope and sequence is NOT the codes' alphabetical order.
DOMAINS = ("RP", "NS", "EE", "G", "SP", "F")
CODES = [f"6.{d}.{n}" for d in DOMAINS for n in range(1, 51)]
WORKED = ["6.RP.3", "6.RP.1", "6.NS.12", "6.NS.2", "6.EE.40"]  # what period 3 has done (any order)


def big_course() -> Curriculum:
    competencies = tuple(Competency(code, f"Standard {code}") for code in CODES)
    items = tuple(ContentItem(f"q-{code}", f"Question on {code}", "practice", (code,)) for code in CODES)
    return Curriculum(Course("CCSS-6", "Common Core Grade 6"), competencies, items)


@pytest.fixture(scope="module")
def big(district):
    district.import_curriculum(big_course())
    district.record_responses([ResponseIn(student, competency=code, correct=(n % 2 == 0), idempotency_key=f"{k}")
                               for k, (student, code, n) in enumerate(
                                   (s, c, n) for n, c in enumerate(WORKED) for s in (PETER, MAXI))])
    district.record_responses([ResponseIn(PETER, competency="6.RP.1", correct=False, idempotency_key=f"w{n}")
                               for n in range(3)])  # three wrong in a row: flagged
    return district


def in_sequence(codes):
    return sorted(codes, key=CODES.index)


def test_the_heatmap_shows_only_what_the_class_has_worked_on_in_scope_and_sequence_order(big):
    data = big.class_mastery("MATH6-P5", with_evidence=True)  # Ana, in period 5, has done nothing: the course
    assert len(data.competencies) == 300 and data.shown == "nobody has evidence yet"
    data = big.class_mastery(LINCOLN_P3, with_evidence=True)
    assert [c.code for c in data.competencies] == in_sequence(WORKED)
    assert data.of == 300 and data.shown == "with evidence"
    assert len(big.class_mastery(LINCOLN_P3).competencies) == 300  # the record asked without a filter: every one
    ratios = big.class_mastery(LINCOLN_P3, competency="6.RP")
    assert [c.code for c in ratios.competencies] == [f"6.RP.{n}" for n in range(1, 51)]


def test_before_anyone_has_worked_the_heatmap_is_one_image_of_the_start_of_the_course(big, tmp_path):
    out = tmp_path / "p5.png"
    done = adaptive("--db", big.url, "report", "class", "MATH6-P5", "--out", out, "--per-image", "10")
    assert done.returncode == 0 and done.stdout.splitlines() == [str(out)], done.stderr


def test_the_heatmap_image_is_as_wide_as_the_competencies_with_evidence(big, tmp_path):
    out = tmp_path / "heat.png"
    done = adaptive("--db", big.url, "report", "class", "MATH6-P3", "--out", out)
    assert done.returncode == 2 and "could be any of 2 sections" in done.stderr  # two schools have a MATH6-P3
    done = adaptive("--db", big.url, "report", "class", LINCOLN_P3, "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(out)]
    height, width, _ = pixels(out.read_bytes()).shape
    assert width <= 1000 and height <= 1000  # 5 columns; every column of the course was over 10,000 pixels


def test_more_competencies_than_fit_are_drawn_as_several_images(big, tmp_path):
    out = tmp_path / "all.png"  # 6.RP.1 and 6.RP.10 to 6.RP.19: eleven competencies, five an image
    done = adaptive("--db", big.url, "report", "class", LINCOLN_P3, "--out", out, "--all", "--competency", "6.RP.1",
                    "--per-image", "5")
    assert done.returncode == 0, done.stderr
    written = [tmp_path / name for name in ("all.png", "all-2.png", "all-3.png")]
    assert done.stdout.splitlines() == [str(p) for p in written]
    widths = [pixels(p.read_bytes()).shape[1] for p in written]
    assert widths[0] == widths[1] and all(w <= 1000 for w in widths)


def test_a_students_mastery_lists_what_they_worked_on_in_scope_and_sequence_order(big):
    shown = adaptive("--db", big.url, "mastery", PETER, "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    assert [r["competency"] for r in csv.DictReader(io.StringIO(shown.stdout))] == in_sequence(WORKED)
    table = adaptive("--db", big.url, "mastery", PETER).stdout
    assert "295 other competencies not shown (no evidence or filtered out); --all lists them" in table


def test_mastery_can_be_filtered_by_code_prefix_and_level_or_list_everything(big):
    ratios = json.loads(adaptive("--db", big.url, "mastery", PETER, "--competency", "6.RP", "--json").stdout)
    assert [r["competency"] for r in ratios] == ["6.RP.1", "6.RP.3"]
    every = json.loads(adaptive("--db", big.url, "mastery", PETER, "--all", "-f", "json").stdout)
    assert [r["competency"] for r in every] == CODES
    started = json.loads(adaptive("--db", big.url, "mastery", PETER, "--all", "--level", "not started",
                                  "-f", "json").stdout)
    assert len(started) == 295
    bad = adaptive("--db", big.url, "mastery", PETER, "--level", "great")
    assert bad.returncode == 2 and "choose among not started" in bad.stderr
    nothing = adaptive("--db", big.url, "mastery", "604920")
    assert "no evidence yet; --all lists every competency" in nothing.stdout
