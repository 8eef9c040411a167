"""The day's "pull for small group" list: students who need help, grouped by the competency they most need.

Who needs help: students with an open flag, and students *at risk* on a competency (mastery below the
"familiar" level after :data:`AT_RISK_ATTEMPTS` or more attempts, with no flag on it yet; the store finds
them, this module only groups). What a student is grouped for is their most urgent unmet need: among the
competencies with evidence that are not yet proficient (below the top of "familiar"), the earliest in the
scope and sequence, a prerequisite before what builds on it. That may be an earlier gap than the flagged
competency (a wheel-spinning flag at 92% does not hide a gap at 51%), and a flag on a competency the
student has since caught up on pulls nobody. Students sharing that gap form a group; students whose gap
nobody else shares are clustered on their mastery vectors (scikit-learn's agglomerative clustering with
Ward linkage: deterministic, and fast on a class's handful of students) so the teacher does not run one
mini-lesson per student, but a cluster's mini-lesson is always on a need all its members have: a cluster
with none in common is split by what its members do share. Groups above the size limit are
split (similar mastery together; students pulled in the last :data:`RECENT_SCHOOL_DAYS` school days go
last). Largest need first: need = the sum over members of (1 - P(mastered)) on the group's competency,
recently pulled members counting half; a group of recently pulled students only comes after the others, and
a group with a student who waited on an earlier list (it did not fit the teacher's day) before them.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from adaptive.domain.catalogue import builds_on
from adaptive.domain.classroom import (
    GAP_RULE,
    MINI_LESSON_KINDS,
    ClassroomError,
    GroupMember,
    Item,
    Need,
    SmallGroup,
    SmallGroupList,
)
from adaptive.domain.evidence import percent

RECENT_SCHOOL_DAYS = 3
RECENT_WEIGHT = 0.5


@functools.lru_cache(maxsize=1024)
def school_days_between(earlier: date, later: date) -> int:
    """School days (Monday to Friday) from ``earlier`` up to ``later``: Friday to Monday is 1 (remembered:
    every section of a district asks about the same few days)."""
    import numpy as np  # numpy loads when a list is built, not when the command line starts

    return int(np.busday_count(earlier, later))


def needs_by_student(needs: Iterable[Need | tuple[Any, ...]], sequence: Sequence[str], *, below: float = 1.0,
                     prerequisites: Mapping[str, Collection[str]] | None = None,
                     names: Mapping[str, str] | None = None) -> dict[str, list[Need]]:
    """Each listed student's unmet needs, one per competency (a flag wins over at-risk and an earlier gap, the
    earliest flag over later ones), most urgent first: earliest in the scope and sequence, a prerequisite
    before what needs it. A student is listed for a flag or at-risk evidence; what they are grouped for is
    their most urgent competency below ``below`` (P(mastered), the top of "familiar"), which may be an
    earlier gap (:data:`GAP_RULE`) than the flagged one: its reason then names the flag too. A student whose
    flags are all on competencies at or above ``below`` and who has no gap is not listed. ``prerequisites``:
    every competency each one builds on, directly or not (:func:`ancestry`). ``needs`` may also be plain
    tuples of a Need's fields (what the store reads); the needs returned are Needs. ``names``: competency
    code -> name, for an earlier gap's reason. A district runs this over
    hundreds of thousands of needs: the loop builds one small dict per student and compares the costlier
    priorities only on a tie."""
    rank = {c: i for i, c in enumerate(sequence)}
    last = len(rank)
    new = tuple.__new__  # a plain tuple of Need's fields (as the store reads them) made a Need, in C
    best: dict[str, dict[str, Need]] = {}  # student -> competency -> the need that wins
    listed: dict[str, Need] = {}  # what put each student on the list (their first flag, or being at risk)
    for n in needs:
        student, competency = n[0], n[1]
        mine = best.get(student)
        if mine is None:
            mine = best[student] = {competency: n}
        else:
            old = mine.get(competency)
            if old is None or _priority(n) < _priority(old):
                mine[competency] = n
        if n[3] != GAP_RULE:
            why = listed.get(student)
            if why is None:
                listed[student] = n
                continue
            mine_first, theirs_first = n[6] is None, why[6] is None
            if mine_first != theirs_first:
                if mine_first < theirs_first:
                    listed[student] = n
                continue
            at, other = rank.get(competency, last), rank.get(why[1], last)
            if at < other or (at == other and _priority(n) < _priority(why)):
                listed[student] = n
    before = prerequisites or {}
    in_order = before.sequence_first(sequence) if isinstance(before, Ancestry) else _prerequisites_first(rank, before)
    out: dict[str, list[Need]] = {}
    for student, mine in best.items():
        why = listed.get(student)
        if why is None:
            continue
        found = [n if type(n) is Need else new(Need, n) for n in mine.values() if n[2] < below]
        if not found:
            continue
        if len(found) > 1:
            found = _urgent_first(found, rank, before, in_order)
        first = found[0]
        if first[3] == GAP_RULE:
            found[0] = _gap_before(first, why if type(why) is Need else new(Need, why), names or {})
        out[student] = found
    return out


def _prerequisites_first(rank: Mapping[str, int], before: Mapping[str, Collection[str]]) -> bool:
    """Whether the sequence puts every competency of ``rank`` after all it builds on (then sorting by it is
    the whole of :func:`_urgent_first`)."""
    return all(c in rank and all(p in rank and rank[p] < rank[c] for p in found) for c, found in before.items())


def _priority(n: Need) -> tuple:
    return (n[6] is None, n[3] == GAP_RULE, n[7] is None, n[7] or 0, n[6] or 0)  # flag_id, rule_id, raised_at


class Ancestry(dict[str, frozenset[str]]):
    """Every competency each competency builds on (:func:`ancestry`), remembering whether a sequence already
    puts them all first (asked once per section of a district: worked out once)."""

    __slots__ = ("_first",)

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self._first: dict[tuple[str, ...], bool] = {}

    def sequence_first(self, sequence: Sequence[str]) -> bool:
        key = tuple(sequence)
        found = self._first.get(key)
        if found is None:
            found = self._first[key] = _prerequisites_first({c: i for i, c in enumerate(key)}, self)
        return found


def ancestry(prerequisites: Mapping[str, Collection[str]]) -> Ancestry:
    """Every competency each competency builds on: its prerequisites, theirs, and so on (worked out once for
    a district's lists, not per section)."""
    out = Ancestry()
    for code in prerequisites:
        out[code] = builds_on(prerequisites, code)
    return out


def _urgent_first(found: list[Need], rank: Mapping[str, int], before: Mapping[str, Collection[str]],
                  in_order: bool = False) -> list[Need]:
    """Scope-and-sequence order (codes outside it last), except that a gap on a prerequisite of a competency
    comes before it, wherever the sequence puts it (``in_order``: the sequence is known to do so)."""
    last = len(rank)
    remaining = sorted(found, key=lambda n: (rank.get(n[1], last), n[1]))
    if in_order:
        return remaining
    later: set[str] = set()
    for n in reversed(remaining):
        needed = before.get(n.competency)
        if needed and not later.isdisjoint(needed):
            break
        later.add(n.competency)
    else:
        return remaining  # the usual case: the sequence already puts prerequisites first
    out = []
    while remaining:
        chosen, seen = remaining[0], set()
        while chosen.competency not in seen:
            seen.add(chosen.competency)
            earlier = next((n for n in remaining if n.competency in before.get(chosen.competency, ())
                            and n.competency not in seen), None)
            if earlier is None:
                break
            chosen = earlier
        out.append(chosen)
        remaining.remove(chosen)
    return out


def recently_pulled(pulls: Mapping[str, date], day: date) -> dict[str, int]:
    """The students pulled for a small group in the last :data:`RECENT_SCHOOL_DAYS` school days before ``day``
    (``pulls``: each one's latest day), with how many school days ago."""
    ago = {at: school_days_between(at, day) for at in set(pulls.values())}  # a few distinct days
    return {s: ago[at] for s, at in pulls.items() if 0 < ago[at] <= RECENT_SCHOOL_DAYS}


def reason_of(need: Need) -> str:
    """The need's reason; an earlier gap's is written here, when it is shown. Like the rules' reasons it leaves
    out the competency: every list shows it beside the reason, by name."""
    if need.reason or need.rule_id != GAP_RULE:
        return need.reason
    return f"Mastery {percent(need.p_mastered)} after {need.attempts} attempt{'s' if need.attempts != 1 else ''}"


def _gap_before(gap: Need, why: Need, names: Mapping[str, str]) -> Need:
    """The earlier gap a student is grouped for, with the reason naming what put them on the list (the
    flagged competency, which no list shows beside this gap's row)."""
    when = f" (when flagged, {why.raised_at:%b} {why.raised_at.day})" if why.raised_at is not None else ""
    on = why.competency if why.competency not in names else f"{names[why.competency]} ({why.competency})"
    reason = f"{reason_of(gap)}; {on}, which builds on it: {why.reason}{when}"
    return gap._replace(reason=reason, flag_id=why.flag_id)


def unshared(needs: Mapping[str, Sequence[Need]]) -> list[str]:
    """Students whose most-needed competency no classmate on the list shares (they are clustered)."""
    counts: dict[str, int] = {}
    for found in needs.values():
        counts[found[0].competency] = counts.get(found[0].competency, 0) + 1
    return sorted(s for s, found in needs.items() if counts[found[0].competency] == 1)


def build(section: str, day: date, needs: Mapping[str, Sequence[Need]], sequence: Sequence[str], *,
          names: Mapping[str, str], lessons: Mapping[str, tuple[Item, ...]], pulls: Mapping[str, date],
          vectors: Mapping[str, Sequence[float]], max_size: int = 5, issued: bool = False,
          student_names: Mapping[str, str] | None = None, max_groups: int | None = None,
          waited: Collection[str] = ()) -> SmallGroupList:
    """The day's list from each student's needs (:func:`needs_by_student`), each competency's mini-lesson
    content (:func:`mini_lessons`), the day each student was last pulled, mastery vectors (P(mastered)
    per competency of ``sequence``) of the :func:`unshared` students and the students' names. With
    ``max_groups``, the groups of greatest need are today's and the rest wait in the list's ``later``;
    groups with a student who ``waited`` on an earlier list (and was not pulled since) come first."""
    if max_size < 1:
        raise ClassroomError(f"max size must be 1 or more, not {max_size}")
    if max_groups is not None and max_groups < 1:
        raise ClassroomError(f"max groups must be 1 or more, not {max_groups}")
    recent = recently_pulled(pulls, day)
    rank = {c: i for i, c in enumerate(sequence)}
    lonely = set(unshared(needs))
    drafts: list[tuple[str, str, list[GroupMember], list[float]]] = []  # competency, method, members, gaps
    by_gap: dict[str, list[str]] = {}
    for student in sorted(needs):
        if student not in lonely:
            by_gap.setdefault(needs[student][0].competency, []).append(student)
    called = student_names or {}
    for competency, students in by_gap.items():
        members = [_member(needs[s], 0, recent.get(s), called) for s in students]
        drafts.append((competency, "shared gap", members, [m.p_mastered for m in members]))
    if len(lonely) == 1:
        (student,) = lonely
        need = needs[student][0]
        drafts.append((need.competency, "shared gap", [_member(needs[student], 0, recent.get(student), called)],
                       [need.p_mastered]))
    elif lonely:
        drafts.extend(_clusters(sorted(lonely), needs, sequence, vectors, recent, max_size, called))
    groups: list[tuple[float, int, str, str, tuple[GroupMember, ...]]] = []
    for competency, method, members, ps in drafts:
        order = sorted(range(len(members)), key=lambda i: (members[i].pulled_days_ago is not None, ps[i],
                                                           members[i].student))
        for part in _even_parts(order, math.ceil(len(order) / max_size)):
            chosen = [members[i] for i in part]
            need = sum((1.0 - ps[i]) * (RECENT_WEIGHT if members[i].pulled_days_ago is not None else 1.0)
                       for i in part)
            groups.append((round(need, 3), rank.get(competency, len(rank)), competency, method, tuple(chosen)))
    # A group whose students were all pulled in the last few school days goes after the others: those who
    # waited (or are new to the list) are seen first, most of all when a teacher takes only a few groups.
    groups.sort(key=lambda g: (not (waited and any(m.student in waited for m in g[4])),
                               all(m.pulled_days_ago is not None for m in g[4]), -g[0], g[1], g[2], g[4][0].student))
    made = tuple(SmallGroup(n, competency, names.get(competency, competency), method, need, members,
                            lessons.get(competency, ()))
                 for n, (need, _, competency, method, members) in enumerate(groups, 1))
    if max_groups is None or len(made) <= max_groups:
        return SmallGroupList(section, day, max_size, made, issued, max_groups)
    today, later = _seat_the_waiting(list(made[:max_groups]), list(made[max_groups:]), needs, recent, called,
                                     max_size)
    return SmallGroupList(section, day, max_size, today, issued, max_groups, later)


def _seat_the_waiting(today: list[SmallGroup], later: list[SmallGroup], needs: Mapping[str, Sequence[Need]],
                      recent: Mapping[str, int], names: Mapping[str, str],
                      max_size: int) -> tuple[tuple[SmallGroup, ...], tuple[SmallGroup, ...]]:
    """Fill today's groups' free seats with waiting students who need that group's competency too (one of
    their other gaps), those of the greatest-need groups first: a teacher sees more students in the same
    groups. Whoever is left waits; groups left empty are dropped and the rest renumbered."""
    waiting = [m.student for g in later for m in g.members]
    seated: set[str] = set()
    for n, group in enumerate(today):
        room = max_size - len(group.members)
        joining = []
        for student in waiting:
            if room == 0:
                break
            at = next((i for i, x in enumerate(needs[student]) if x.competency == group.competency), None)
            if student not in seated and at is not None:
                joining.append(replace(_member(needs[student], at, recent.get(student), names), seated=True))
                seated.add(student)
                room -= 1
        if joining:
            today[n] = replace(group, members=group.members + tuple(joining))
    left = [replace(g, members=tuple(m for m in g.members if m.student not in seated)) for g in later]
    numbered = [replace(g, number=n) for n, g in enumerate((g for g in left if g.members), len(today) + 1)]
    return tuple(today), tuple(numbered)


def _even_parts(order: list[int], n: int) -> list[list[int]]:
    """``order`` cut into ``n`` consecutive parts whose sizes differ by one at most (larger parts first)."""
    size, extra = divmod(len(order), n)
    parts, start = [], 0
    for k in range(n):
        end = start + size + (k < extra)
        parts.append(order[start:end])
        start = end
    return parts


def _member(needs: Sequence[Need], at: int, pulled_days_ago: int | None, names: Mapping[str, str]) -> GroupMember:
    """The student's row for their need ``needs[at]``; ``also``: the other needs, most urgent first."""
    need = needs[at]
    if need.evidence_json is not None:
        evidence = need.evidence_json
    elif need.rule_id == GAP_RULE and not need.evidence:
        evidence = _gap_evidence(need.p_mastered, need.attempts)
    else:
        evidence = json.dumps(dict(need.evidence or {}))
    flagged_on = need.raised_at.date() if need.flag_id is not None and need.raised_at is not None else None
    others = needs[1:] if at == 0 else [n for i, n in enumerate(needs) if i != at]
    return GroupMember(need.student, need.competency, need.p_mastered, need.rule_id, reason_of(need), evidence,
                       need.flag_id, pulled_days_ago, names.get(need.student) or need.student, flagged_on,
                       tuple([n[1] for n in others]))


def _gap_evidence(p: float, attempts: int) -> str:
    """``json.dumps({"p_mastered": round(p, 4), "attempts": attempts})``, written directly (a district writes
    tens of thousands)."""
    p = round(p, 4)
    if not math.isfinite(p) or type(attempts) is not int:
        return json.dumps({"p_mastered": p, "attempts": attempts})
    return f'{{"p_mastered": {float.__repr__(p)}, "attempts": {attempts}}}'


Draft = tuple[str, str, list[GroupMember], list[float]]  # competency, method, members, P(mastered) on it


def _clusters(students: list[str], needs: Mapping[str, Sequence[Need]], sequence: Sequence[str],
              vectors: Mapping[str, Sequence[float]], recent: Mapping[str, int], max_size: int,
              names: Mapping[str, str]) -> list[Draft]:
    """Ward clustering of the mastery vectors of students with no shared gap, into groups of about
    ``max_size``. A cluster's mini-lesson serves a need all its members have (the earliest in the scope and
    sequence); a cluster with no need in common is split by the needs its members do share (most members
    first), and a student who shares none with the others is a group of one on their own gap."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering  # imported only when needed: it takes a second to load

    missing = [s for s in students if s not in vectors]
    if missing:
        raise ClassroomError(f"no mastery vector for {', '.join(missing)}")
    x = np.array([vectors[s] for s in students], dtype=float)
    k = math.ceil(len(students) / max_size)
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x) if k > 1 \
        else np.zeros(len(students), dtype=int)
    rank = {c: i for i, c in enumerate(sequence)}
    out: list[Draft] = []
    for label in sorted(set(labels.tolist())):
        left = [s for s, lab in zip(students, labels, strict=True) if lab == label]
        while left:
            counts: dict[str, int] = {}
            for s in left:
                for n in needs[s]:
                    counts[n.competency] = counts.get(n.competency, 0) + 1
            competency = min(counts, key=lambda c: (-counts[c], rank.get(c, len(rank)), c))
            if counts[competency] < 2:  # nothing in common: each on their own most urgent gap
                out.extend((needs[s][0].competency, "shared gap", [_member(needs[s], 0, recent.get(s), names)],
                            [needs[s][0].p_mastered]) for s in left)
                break
            sharing = [s for s in left if any(n.competency == competency for n in needs[s])]
            at = {s: next(i for i, n in enumerate(needs[s]) if n.competency == competency) for s in sharing}
            rows = [_member(needs[s], at[s], recent.get(s), names) for s in sharing]
            out.append((competency, "clustered", rows, [needs[s][at[s]].p_mastered for s in sharing]))
            left = [s for s in left if s not in at]
    return out


def mini_lessons(items: Mapping[str, Sequence[Item]]) -> dict[str, tuple[Item, ...]]:
    """Each competency's mini-lesson content: its lessons, offline activities and videos, in that order."""
    order = {k: i for i, k in enumerate(MINI_LESSON_KINDS)}
    return {c: tuple(sorted((i for i in found if i.kind in order), key=lambda i: (order[i.kind], i.item)))
            for c, found in items.items()}
