"""Peer tutoring: students who have mastered a competency paired with classmates stuck on it.

Tutees are the section's students who need help (flagged or at risk, as for small groups); tutors are
classmates who have mastered one of a tutee's needs and need no help themselves that day. Each tutee gets
at most one tutor, on the earliest need (in the scope and sequence) some free tutor has mastered; each
tutor takes at most ``max_tutees``. Among the pairings that help the most tutees on their earliest needs,
the one that spreads tutoring most evenly is chosen (an assignment problem solved with SciPy's
``linear_sum_assignment``: a tutor's k-th tutee costs k, so uneven loads cost more); the result is the
same for the same class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from adaptive.classroom.groups import reason_of
from adaptive.domain.classroom import ClassroomError, Need, PeerPair, PeerPlan


def pair(section: str, students: Sequence[str], needs: Mapping[str, Sequence[Need]],
         masters: Mapping[str, Mapping[str, float]], sequence: Sequence[str], *, max_tutees: int = 2,
         names: Mapping[str, str] | None = None) -> PeerPlan:
    """Pairs within ``students`` (the section's roster) only. ``needs``: each student's unmet needs, most
    urgent first; ``masters``: student -> mastered competency -> P(mastered); ``names``: names on the roster."""
    from scipy.optimize import linear_sum_assignment  # imported when needed: SciPy takes a while to load

    if max_tutees < 1:
        raise ClassroomError(f"a tutor takes 1 or more tutees, not {max_tutees}")
    roster = sorted(set(students))
    called = {s: (names or {}).get(s) or s for s in roster}
    tutees = [s for s in roster if needs.get(s)]
    tutors = [s for s in roster if masters.get(s) and not needs.get(s)]
    slots = [(t, k) for t in tutors for k in range(max_tutees)]
    if not tutees:
        return PeerPlan(section, max_tutees, (), (), called)
    if not slots:
        return PeerPlan(section, max_tutees, (), tuple((s, needs[s][0].competency) for s in tutees), called)
    import numpy as np  # loaded when pairs are made, not when the command line starts

    # rank of the need helped dominates (earliest need first), then the slot (balance).
    weight = len(tutees) * max_tutees + 1
    choice: dict[tuple[int, int], Need] = {}
    cost = np.full((len(tutees), len(slots)), np.inf)
    for i, s in enumerate(tutees):
        for j, (t, k) in enumerate(slots):
            for rank, need in enumerate(needs[s]):
                if need.competency in masters[t]:
                    cost[i, j] = rank * weight + k
                    choice[(i, j)] = need
                    break
    eligible = np.isfinite(cost)
    refused = (float(cost[eligible].max()) + 1.0) * len(tutees) + 1.0 if eligible.any() else 1.0
    rows, cols = linear_sum_assignment(np.where(eligible, cost, refused))
    pairs, helped = [], set()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if not eligible[i, j]:
            continue
        need, tutor = choice[(i, j)], slots[j][0]
        helped.add(i)
        flagged_on = need.raised_at.date() if need.flag_id is not None and need.raised_at is not None else None
        pairs.append(PeerPair(need.competency, tutor, round(masters[tutor][need.competency], 4), need.student,
                              round(need.p_mastered, 4), reason_of(need), called.get(tutor, tutor),
                              called.get(need.student, need.student), flagged_on))
    rank = {c: n for n, c in enumerate(sequence)}
    pairs.sort(key=lambda p: (rank.get(p.competency, len(rank)), p.competency, p.tutor, p.tutee))
    unpaired = tuple((s, needs[s][0].competency) for i, s in enumerate(tutees) if i not in helped)
    return PeerPlan(section, max_tutees, tuple(pairs), unpaired, called)
