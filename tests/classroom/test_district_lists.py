"""A district's lists (small_groups_all) leave the host's garbage collector alone, and the lists issued with
COPY on PostgreSQL are stored row for row as INSERT statements store them."""

from __future__ import annotations

import gc

import sqlalchemy as sa

from adaptive.classroom import groups as engine
from adaptive.domain.classroom import AT_RISK_RULE, GAP_RULE
from adaptive.store import classroom as store
from adaptive.store import issued_groups
from tests.classroom.school import school_day


def _class_with_needs(school) -> None:
    school.enroll("6A", ["ana", "ben", "cy", "fay", "gus"])
    for student in ("ana", "ben", "cy"):
        school.stuck(student, "6.NS.2")
    school.stuck("fay", "6.NS.3")
    school.stuck("gus", "6.NS.1")


def test_small_groups_all_never_pauses_the_garbage_collector(school, monkeypatch):
    """The collector stays on while the lists are built (seen from inside the engine), and gc.disable is
    never called: a library must not change how the embedding app's process collects."""
    _class_with_needs(school)
    seen: list[bool] = []
    build = engine.build

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    def refuse() -> None:
        raise AssertionError("gc.disable called")

    monkeypatch.setattr(engine, "build", watched)
    monkeypatch.setattr(gc, "disable", refuse)
    assert gc.isenabled()
    for preview in (True, False):
        lists = school.tutor.small_groups_all(date=school_day(1), preview=preview)
        assert [g.students for g in lists["6A"].groups]
    assert seen and all(seen)
    assert gc.isenabled()


def _stored(tutor) -> tuple[list[tuple], list[tuple]]:
    groups = tutor._ctx.read(lambda s: [tuple(r) for r in s.execute(sa.text(
        "SELECT g.section_id, g.day, g.position, g.competency_id, g.method, g.need, g.waiting "
        "FROM small_group g ORDER BY g.section_id, g.day, g.position"))])
    members = tutor._ctx.read(lambda s: [tuple(r) for r in s.execute(sa.text(
        "SELECT g.section_id, g.day, g.position, m.student_id, m.position, m.rule_id, m.reason "
        "FROM small_group_member m JOIN small_group g ON g.id = m.group_id "
        "ORDER BY g.section_id, g.day, g.position, m.position"))])
    return groups, members


def test_lists_issued_with_copy_are_stored_as_insert_statements_store_them(school):
    """The same lists issued both ways (COPY is PostgreSQL's; SQLite checks the INSERT path against itself
    and the lists read back) give the same rows, and reading them back gives the lists issued."""
    _class_with_needs(school)
    tutor, day = school.tutor, school_day(1)
    lists = tutor.small_groups_all(date=day, max_groups=1)
    copied = _stored(tutor)
    postgres = tutor._ctx.read(lambda s: s.connection().dialect.name) == "postgresql"

    def again(copy: bool):
        def work(session) -> None:
            issued_groups.issue(session, store.section_ids(session, lists), list(lists.values()),
                                tutor._ctx.catalogue(session), copy=copy)
        tutor._ctx.write(work)
        return _stored(tutor)

    inserted = again(False)
    assert inserted == copied and len(inserted[1]) == 5
    if postgres:
        assert again(True) == inserted
    back = tutor.issued_groups("6A", date=day)
    assert [(g.number, g.competency, g.students, [(m.rule_id, m.reason) for m in g.members])
            for g in (*back.groups, *back.later)] == [
        (g.number, g.competency, g.students, [(m.rule_id, m.reason) for m in g.members])
        for g in (*lists["6A"].groups, *lists["6A"].later)]


def test_the_needs_a_district_reads_leave_the_collectors_watch(school):
    """A district reads hundreds of thousands of needs: as plain tuples of plain values the collector stops
    watching them at its first pass, so its full passes (which walk every watched object of the host's
    process) stay short. A tuple holding any dict, even an empty one, stays watched: evidence comes as text."""
    _class_with_needs(school)
    school.tutor.record_response("gus", competency="6.NS.2", correct=False)  # an earlier gap for gus

    def read(session):
        cat = school.tutor._ctx.catalogue(session)
        levels = school.tutor._ctx.settings.levels
        return store.needs(session, None, school_day(1), levels.familiar, cat, levels.mastered, levels.proficient)

    found = [n for needs in school.tutor._ctx.read(read).values() for n in needs]
    gc.collect()
    kinds = {n[3] for n in found}
    assert {AT_RISK_RULE, GAP_RULE} <= kinds and any(k.startswith("flag-") for k in kinds)
    assert not [n for n in found if gc.is_tracked(n)]


def test_at_risk_evidence_is_the_json_the_single_section_path_wrote():
    """The at-risk evidence text, written directly, equals json.dumps of the evidence mapping."""
    import json
    import math

    for p, attempts, streak in [(0.123456789, 3, 0), (0.5, 10, 4), (1e-7, 3, 1), (0.99995, 4, 2), (math.nan, 3, 1),
                                (0.25, 3, None), (1 / 3, 1_000_000, 999)]:  # fmt: skip
        want = json.dumps({"p_mastered": round(p, 4), "attempts": attempts, "wrong_streak": streak})
        assert store._risk_evidence(p, attempts, streak) == want
