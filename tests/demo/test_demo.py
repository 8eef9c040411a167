"""`adaptive demo`: a realistic course and class, traced end to end, and safe to run again."""

import subprocess
import sys

from rich.console import Console

from adaptive import Tutor
from adaptive.demo import run_demo, sample_course, simulate_class


def test_the_sample_course_is_a_real_scope_and_sequence():
    course = sample_course()
    codes = [c.code for c in course.competencies]
    assert len(codes) >= 12 and len(set(codes)) == len(codes)
    for position, competency in enumerate(course.competencies):
        # prerequisites come earlier in the sequence
        assert all(codes.index(p) < position for p in competency.prerequisites)
        tagged = [i for i in course.items if competency.code in i.competencies]
        assert len(tagged) >= 5
    assert sum(bool(c.prerequisites) for c in course.competencies) >= 6


def test_the_simulated_class_answers_like_bkt_students():
    simulated = simulate_class(sample_course())
    assert len(simulated.students) == 28
    by_student = {}
    for r in simulated.responses:
        by_student.setdefault(r.student, []).append(r)
    assert set(by_student) == {s.code for s in simulated.students}
    first_answers = [r for r in simulated.responses if r.source == "pretest"]
    later = [r for r in simulated.responses if r.source == "practice"]
    # students get better with practice
    assert sum(r.correct for r in later) / len(later) > sum(r.correct for r in first_answers) / len(first_answers)
    assert len({r.idempotency_key for r in simulated.responses}) == len(simulated.responses)


def test_demo_traces_the_class_and_can_be_run_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    quiet = Console(file=open(tmp_path / "out.txt", "w"), width=100)  # noqa: SIM115
    first = run_demo(url, quiet)
    assert first.recorded > 1000 and first.already_stored == 0
    again = run_demo(url, quiet)
    assert again.recorded == 0 and again.already_stored == first.recorded

    def summary(result):
        return {s: [(m.competency, m.p_mastered, m.level, m.attempts) for m in ms] for s, ms in result.mastery.items()}

    assert summary(again) == summary(first)
    with Tutor(url) as tutor:
        assert tutor.response_count() == first.recorded
        fitted = tutor.parameters("6.NS.1")
        assert not fitted.is_default and fitted.provenance.n_responses > 0
    levels = {m.level for rows in first.mastery.values() for m in rows}
    assert {"mastered", "not started"} <= levels and len(levels) >= 3


def test_make_demo_command_prints_the_mastery_table(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "adaptive", "--db", f"sqlite:///{tmp_path / 'demo.db'}", "demo"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Mastery by competency" in result.stdout and "Ava M." in result.stdout
    assert "fitted BKT parameters with pyBKT for 14 competencies" in result.stdout
