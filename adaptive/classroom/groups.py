"""The day's "pull for small group" list: students who need help, grouped by the competency they most need.

Who needs help: students with an open flag, and students *at risk* on a competency (mastery below the
"familiar" level after :data:`AT_RISK_ATTEMPTS` or more attempts, with no flag on it yet; the store finds
them, this module only groups). A student's most-needed competency is the earliest of their needs in the
scope and sequence (a prerequisite gap blocks what comes after it). Students sharing that gap form a group;
students whose gap nobody else shares are clustered on their mastery vectors (scikit-learn's agglomerative
clustering with Ward linkage: deterministic, and fast on a class's handful of students) so the teacher does
not run one mini-lesson per student. Groups above the size limit are
split (similar mastery together; students pulled in the last :data:`RECENT_SCHOOL_DAYS` school days go
last). Largest need first: need = the sum over members of (1 - P(mastered)) on the group's competency,
recently pulled members counting half.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from adaptive.domain.classroom import (
    MINI_LESSON_KINDS,
    ClassroomError,
    GroupMember,
    Item,
    Need,
    SmallGroup,
    SmallGroupList,
)

RECENT_SCHOOL_DAYS = 3
RECENT_WEIGHT = 0.5


def school_days_between(earlier: date, later: date) -> int:
    """School days (Monday to Friday) from ``earlier`` up to ``later``: Friday to Monday is 1."""
    import numpy as np  # numpy loads when a list is built, not when the command line starts

    return int(np.busday_count(earlier, later))


def needs_by_student(needs: Iterable[Need], sequence: Sequence[str]) -> dict[str, list[Need]]:
    """Each student's needs, one per competency (a flag wins over at-risk, the earliest flag over later
    ones), in scope-and-sequence order (competencies outside it last, by code)."""
    rank = {c: i for i, c in enumerate(sequence)}
    last = len(rank)
    best: dict[tuple[str, str], Need] = {}
    for n in needs:
        key = (n.student, n.competency)
        old = best.get(key)
        if old is None or _priority(n) < _priority(old):
            best[key] = n
    out: dict[str, list[Need]] = {}
    for (student, _), n in best.items():
        found = out.get(student)
        if found is None:
            out[student] = [n]
        else:
            found.append(n)
    for found in out.values():
        if len(found) > 1:
            found.sort(key=lambda n: (rank.get(n.competency, last), n.competency))
    return out


def _priority(n: Need) -> tuple:
    return (n.flag_id is None, n.raised_at is None, n.raised_at or 0, n.flag_id or 0)


def unshared(needs: Mapping[str, Sequence[Need]]) -> list[str]:
    """Students whose most-needed competency no classmate on the list shares (they are clustered)."""
    counts: dict[str, int] = {}
    for found in needs.values():
        counts[found[0].competency] = counts.get(found[0].competency, 0) + 1
    return sorted(s for s, found in needs.items() if counts[found[0].competency] == 1)


def build(section: str, day: date, needs: Mapping[str, Sequence[Need]], sequence: Sequence[str], *,
          names: Mapping[str, str], lessons: Mapping[str, tuple[Item, ...]], pulls: Mapping[str, date],
          vectors: Mapping[str, Sequence[float]], max_size: int = 5, issued: bool = False) -> SmallGroupList:
    """The day's list from each student's needs (:func:`needs_by_student`), each competency's mini-lesson
    content (:func:`mini_lessons`), the day each student was last pulled, and mastery vectors (P(mastered)
    per competency of ``sequence``) of the :func:`unshared` students."""
    if max_size < 1:
        raise ClassroomError(f"max size must be 1 or more, not {max_size}")
    ago = {at: school_days_between(at, day) for at in set(pulls.values())}  # a few distinct days
    recent = {s: ago[at] for s, at in pulls.items() if 0 < ago[at] <= RECENT_SCHOOL_DAYS}
    rank = {c: i for i, c in enumerate(sequence)}
    lonely = set(unshared(needs))
    drafts: list[tuple[str, str, list[GroupMember], list[float]]] = []  # competency, method, members, gaps
    by_gap: dict[str, list[str]] = {}
    for student in sorted(needs):
        if student not in lonely:
            by_gap.setdefault(needs[student][0].competency, []).append(student)
    for competency, students in by_gap.items():
        members = [_member(needs[s][0], recent.get(s)) for s in students]
        drafts.append((competency, "shared gap", members, [m.p_mastered for m in members]))
    if len(lonely) == 1:
        (student,) = lonely
        need = needs[student][0]
        drafts.append((need.competency, "shared gap", [_member(need, recent.get(student))], [need.p_mastered]))
    elif lonely:
        drafts.extend(_clusters(sorted(lonely), needs, sequence, vectors, recent, max_size))
    groups: list[tuple[float, int, str, str, tuple[GroupMember, ...]]] = []
    for competency, method, members, ps in drafts:
        order = sorted(range(len(members)), key=lambda i: (members[i].pulled_days_ago is not None, ps[i],
                                                           members[i].student))
        for part in _even_parts(order, math.ceil(len(order) / max_size)):
            chosen = [members[i] for i in part]
            need = sum((1.0 - ps[i]) * (RECENT_WEIGHT if members[i].pulled_days_ago is not None else 1.0)
                       for i in part)
            groups.append((round(need, 3), rank.get(competency, len(rank)), competency, method, tuple(chosen)))
    groups.sort(key=lambda g: (-g[0], g[1], g[2], g[4][0].student))
    made = tuple(SmallGroup(n, competency, names.get(competency, competency), method, need, members,
                            lessons.get(competency, ()))
                 for n, (need, _, competency, method, members) in enumerate(groups, 1))
    return SmallGroupList(section, day, max_size, made, issued)


def _even_parts(order: list[int], n: int) -> list[list[int]]:
    """``order`` cut into ``n`` consecutive parts whose sizes differ by one at most (larger parts first)."""
    size, extra = divmod(len(order), n)
    parts, start = [], 0
    for k in range(n):
        end = start + size + (k < extra)
        parts.append(order[start:end])
        start = end
    return parts


def _member(need: Need, pulled_days_ago: int | None) -> GroupMember:
    evidence = need.evidence_json if need.evidence_json is not None else json.dumps(dict(need.evidence))
    return GroupMember(need.student, need.competency, need.p_mastered, need.rule_id, need.reason, evidence,
                       need.flag_id, pulled_days_ago)


def _clusters(students: list[str], needs: Mapping[str, Sequence[Need]], sequence: Sequence[str],
              vectors: Mapping[str, Sequence[float]], recent: Mapping[str, int],
              max_size: int) -> list[tuple[str, str, list[GroupMember], list[float]]]:
    """Ward clustering of the mastery vectors of students with no shared gap, into groups of about ``max_size``;
    each cluster is named by its weakest shared competency: the need most of its members have, then the
    one with the lowest mean mastery over them."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering  # imported only when needed: it takes a second to load

    missing = [s for s in students if s not in vectors]
    if missing:
        raise ClassroomError(f"no mastery vector for {', '.join(missing)}")
    x = np.array([vectors[s] for s in students], dtype=float)
    k = math.ceil(len(students) / max_size)
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x) if k > 1 \
        else np.zeros(len(students), dtype=int)
    col = {c: i for i, c in enumerate(sequence)}
    out = []
    for label in sorted(set(labels.tolist())):
        members = [s for s, lab in zip(students, labels, strict=True) if lab == label]
        counts: dict[str, int] = {}
        for s in members:
            for n in needs[s]:
                counts[n.competency] = counts.get(n.competency, 0) + 1

        def mean_mastery(c: str, members: list[str] = members) -> float:
            return float(np.mean([vectors[s][col[c]] for s in members])) if c in col else 1.0

        competency = min(counts, key=lambda c: (-counts[c], mean_mastery(c), col.get(c, len(col)), c))
        rows = [_member(needs[s][0], recent.get(s)) for s in members]
        ps = [vectors[s][col[competency]] if competency in col else needs[s][0].p_mastered for s in members]
        out.append((competency, "clustered", rows, ps))
    return out


def mini_lessons(items: Mapping[str, Sequence[Item]]) -> dict[str, tuple[Item, ...]]:
    """Each competency's mini-lesson content: its lessons, offline activities and videos, in that order."""
    order = {k: i for i, k in enumerate(MINI_LESSON_KINDS)}
    return {c: tuple(sorted((i for i in found if i.kind in order), key=lambda i: (order[i.kind], i.item)))
            for c, found in items.items()}
