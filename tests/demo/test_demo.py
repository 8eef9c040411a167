"""`adaptive demo`: a realistic course and class, traced end to end, and safe to run again: the pre-test
skips what students know, each student gets three next items with reasons, and stuck students are flagged."""

from rich.console import Console

from adaptive import Tutor
from adaptive.demo import run_demo, sample_course, simulate_class
from tests.cli_run import adaptive


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
    course = sample_course()  # read once: it parses the course's YAML
    simulated = simulate_class(course)
    assert len(simulated.students) == 28
    by_student = {}
    for r in simulated.responses:
        by_student.setdefault(r.student, []).append(r)
    assert set(by_student) == {s.code for s in simulated.students}
    first_answers = [r for r in simulated.responses if r.attempt == 1]
    later = [r for r in simulated.responses if r.attempt > 3]
    # students get better with practice
    assert sum(r.correct for r in later) / len(later) > sum(r.correct for r in first_answers) / len(first_answers)
    assert len({r.idempotency_key for r in simulated.responses}) == len(simulated.responses)
    # everyone takes the whole pre-test, and nobody practises a competency they aced on it
    questions = {p.code for p in course.pretest}
    for pretest in simulated.pretests:
        assert set(pretest.answers) == questions
        aced = {p.competency for p in course.pretest
                if all(pretest.answers[q.code] for q in course.pretest_for(p.competency))}
        assert not aced & {r.competency for r in by_student[pretest.student]}


def test_demo_traces_the_class_and_can_be_run_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    quiet = Console(file=open(tmp_path / "out.txt", "w"), width=100)  # noqa: SIM115
    first = run_demo(url, quiet, out=tmp_path / "reports")
    assert first.recorded > 1000 and first.already_stored == 0
    again = run_demo(url, quiet, out=tmp_path / "reports")
    assert again.recorded == 0 and again.already_stored == first.recorded

    def summary(result):
        return {s: [(m.competency, m.p_mastered, m.level, m.attempts) for m in ms] for s, ms in result.mastery.items()}

    assert summary(again) == summary(first)
    with Tutor(url) as tutor:
        pretest_answers = len(sample_course().pretest) * len(first.pretests)
        assert tutor.response_count() == first.recorded + pretest_answers
        fitted = tutor.parameters("6.NS.1")
        assert not fitted.is_default and fitted.provenance.n_responses > 0
    levels = {m.level for rows in first.mastery.values() for m in rows}
    assert {"mastered", "not started"} <= levels and len(levels) >= 3
    # The pre-test: skipped competencies are never offered afterwards; the same pre-test again is a duplicate.
    skipped = {s: set(p.skipped) for s, p in first.pretests.items()}
    assert sum(map(len, skipped.values())) >= 10
    assert all(p.duplicate for p in again.pretests.values())
    assert {s: set(p.skipped) for s, p in again.pretests.items()} == skipped
    for student, items in first.playlists.items():
        assert len(items) == 3 and all(i.reason for i in items)
        assert not {i.competency for i in items} & skipped[student]
    # Stuck students are on the small-group list with the rule's reason.
    assert len({f.student for f in first.flags}) >= 5
    assert all(f.reason and f.rule_id.startswith("flag-") for f in first.flags)
    # Today's small groups: flagged students grouped by the competency they most need, with a mini-lesson.
    groups = first.groups.groups
    assert first.groups.issued and len(groups) >= 2 and all(len(g.members) <= 5 for g in groups)
    flagged = {f.student for f in first.flags}
    assert {m.student for g in groups for m in g.members if m.flag_id is not None} <= flagged
    assert all(g.mini_lesson and g.members[0].reason for g in groups)
    # The students' playlists follow the issued list: each pulled student's opens with their group's
    # competency, with the teacher; a student the list does not pull is not told they work on one with her.
    for group in groups:
        for member in group.members:
            assert f"({group.competency}) with Ms. Rivera" in first.playlists[member.student][0].reason
    on_list = {m.student for g in (*groups, *first.groups.later) for m in g.members}
    assert {s for s, items in first.playlists.items() if items[0].reason.startswith("You're working on")} <= on_list
    # "Working on it with Ms. Rivera" only for today's group; another open flag is help she knows of.
    group_of = {m.student: g.competency for g in groups for m in g.members}
    for student, items in first.playlists.items():
        for item in items:
            if item.reason.startswith("You're working on"):
                assert f"({group_of.get(student)}) with Ms. Rivera" in item.reason, (student, item.reason)
    # The station rotation: every student at every station once, the teacher-led one taking small groups.
    rotation = first.rotation
    assert rotation.model == "station" and len(rotation.stations) == 3
    for station in rotation.stations:
        at = sorted(a.student for b in rotation.blocks if b.station == station for a in b.students)
        assert at == sorted(first.mastery)
    assert any(a.activity.startswith("mini-lesson on") for b in rotation.blocks for a in b.students)
    # Its small groups are the day's list: today's three (with the waiting students the list seated in them)
    # are seen, and the note names the list's later groups for tomorrow, no others.
    later = first.groups.later
    (note,) = [n for n in rotation.notes if "not seen today" in n]
    assert note.startswith(f"{len(later)} of {len(groups) + len(later)} small groups do not fit")
    assert all(f"group {g.number} on {g.competency_name} ({g.competency}) "
               f"({', '.join(rotation.names[s] for s in g.students)})" in note for g in later)
    assert not any(f"{rotation.names[s]}" in note for g in groups for s in g.students)
    # The pictures: a heatmap PNG and a report card page.
    assert first.heatmap.read_bytes().startswith(b"\x89PNG") and first.heatmap.stat().st_size > 10_000
    assert "<html" in first.report_card.read_text() and first.report_card.name == "stu-01-report-card.html"


def test_make_demo_command_prints_the_mastery_table(tmp_path):
    result = adaptive("--db", f"sqlite:///{tmp_path / 'demo.db'}", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Mastery by competency" in result.stdout and "Ava M." in result.stdout
    assert "fitted BKT parameters with pyBKT for 14 competencies" in result.stdout
    for table in ("Start-of-year pre-test", "next three items, and why", "Open flags", "Today's small groups",
                  "Station rotation today"):
        assert table in result.stdout
    # Students seated in a group on another of their gaps are said to need their own most (the simulated class
    # has two, whose decimals group did not fit the day).
    assert result.stdout.count("(needs Operate with decimals most)") == 2
    assert f"class heatmap: {tmp_path / 'adaptive-demo' / 'MATH-6-P3-heatmap.png'}" in result.stdout.replace("\n", "")
