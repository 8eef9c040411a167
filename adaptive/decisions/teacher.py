"""Playlists as teachers and students read them: pins first, then what faces the skill the student is
stuck on (the competency of their small group, or an open flag: a review of a gap under it, else a lesson
and an easy item on it),
then the strategy of the student's latest decision anchored on that decision's competency (the scope and
sequence when there is none). Reasons are in words a parent reads, without numbers.

Pure: the store loads the latest decision, the view and the recent items, and writes teachers' changes
(pins, removals, flags, goals).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from adaptive.decisions import strategies
from adaptive.domain import StoreError
from adaptive.domain.catalogue import Item
from adaptive.domain.decisions import NextItem
from adaptive.domain.student_view import StudentView


def check_length(n: int) -> None:
    """Refuse a playlist of fewer than one item."""
    if n < 1:
        raise StoreError("a playlist needs n of 1 or more")


def settings_of(next_items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The strategy settings of a decision's first next_item action (the default strategy without one)."""
    if not next_items:
        return dict(strategies.DEFAULT_STRATEGY)
    return {k: next_items[0][k] for k in strategies.DEFAULT_STRATEGY if k in next_items[0]}


def recent_since(settings: Mapping[str, Any], now: datetime) -> datetime:
    """From when the items a student answered count as recent (and are not offered again)."""
    return now - timedelta(days=strategies.avoid_days(settings))


class Stuck(NamedTuple):
    """A competency with an open flag, and the teacher working on it with the student (None: not known);
    ``grouped`` when the day's issued list pulls the student for it (then they work on it with the teacher
    today; else the teacher has it on the list of flags)."""

    competency_id: int
    teacher: str | None = None
    grouped: bool = False


def stuck_on(view: StudentView, flagged: Sequence[int], grouped: Sequence[tuple[int, str | None, bool]] = (),
             teacher: str | None = None) -> list[Stuck]:
    """What the student works on with a teacher, most urgent first: the competency of each small group they
    are in on the day's issued list (what the teacher pulls them for, which may not be their first flag; a
    group waiting for the next school day is help the teacher knows of, not work with her today), then
    the competencies of their open flags (``flagged``, in order) that they are not proficient in yet. A flag
    on a competency the student has since caught up on stays open until mastery, but it pulls nobody onto the
    small-group list, so it does not send the student back to its lesson "with their teacher" either."""
    out = [Stuck(cid, who, grouped=not waiting) for cid, who, waiting in grouped]
    seen = {cid for cid, _, _ in grouped}
    out += [Stuck(cid, teacher) for cid in flagged if cid not in seen and needs_help(view, cid)]
    return out


def needs_help(view: StudentView, cid: int) -> bool:
    """Not caught up (:meth:`MasteryLevels.caught_up`): a flag on this competency still pulls the student."""
    return not view.levels.caught_up(view.p(cid))


# How an item is named in a reason, by kind.
KIND_WORDS = {"lesson": "lesson", "video": "video", "offline_activity": "activity", "practice": "practice",
              "assessment": "quiz"}
TEACHING_KINDS = ("lesson", "video", "offline_activity")  # what goes over a skill again, before more practice


def playlist(view: StudentView, anchor: int | None, settings: Mapping[str, Any], n: int, now: datetime,
             recent: Mapping[int, datetime], stuck: Sequence[Stuck] = ()) -> list[NextItem]:
    """The student's next ``n`` items under ``settings`` anchored on competency ``anchor``; when the student
    is stuck (``stuck``: competencies with open flags, most urgent first), the first items after the pins
    face what they are stuck on and not mastered yet (see :func:`facing`): a little over half the list at
    most, so that the rest of the course goes on too."""
    since = recent_since(settings, now)
    excluded = {item for item, at in recent.items() if at >= since} | set(view.removed)
    room = n // 2 + 1
    first: list[NextItem] = []
    for focus in stuck:
        if len(first) >= room:
            break
        if not view.mastered(focus.competency_id):
            first.extend(facing(view, focus, excluded, {i.item for i in first}))
    first = first[:room]
    found = strategies.resolve(view, settings, anchor=anchor, n=n + len(first), now=now, recent=recent)
    chosen = {i.item for i in first}
    pinned = [i for i in found if i.pinned]
    chosen.update(i.item for i in pinned)
    first = [i for i in first if i.item not in {p.item for p in pinned}]
    return [*pinned, *first, *(i for i in found if i.item not in chosen)][:n]


def facing(view: StudentView, stuck: Stuck, excluded: Collection[int],
           taken: Collection[str] = ()) -> list[NextItem]:
    """What faces the skill a student is stuck on: where it builds on a gap (not started or below proficient,
    see :func:`_gaps_before`), a review of the weakest such gap (a lesson or video, then its easiest practice)
    and nothing on the skill itself yet; else a lesson or video on the skill itself and its easiest
    practice. Items in ``excluded`` (ids: seen lately, removed) or ``taken`` (codes: already on the list) are
    not offered."""
    cat = view.catalogue
    excluded = set(excluded) | {i.id for found in cat.items.values() for i in found if i.code in taken} \
        if taken else excluded
    cid = stuck.competency_id
    skill, whose = f"{cat.names[cid]} ({cat.codes[cid]})", stuck.teacher or "your teacher"
    # Only a small group on today's list is work with the teacher; a flag alone is help the teacher knows of.
    working = f"You're working on {skill} with {whose}" if stuck.grouped else \
        f"{whose[0].upper()}{whose[1:]} knows you need help with {skill}"
    out = []
    before = sorted(_gaps_before(view, cid), key=lambda p: (view.p(p), p))
    for pre in before:
        item = _teaching(cat.items.get(pre, ()), excluded)
        if item is not None:
            out.append(NextItem(item.code, item.title, cat.codes[pre], item.kind, item.difficulty,
                                f"{working}; this {KIND_WORDS.get(item.kind, item.kind)} reviews "
                                f"{cat.names[pre]} ({cat.codes[pre]}) first"))
            break
    if before:  # a gap under it first: nothing on the skill itself until the student catches up on it
        pre = before[0]
        item = _easiest([i for i in cat.items.get(pre, ()) if i.kind not in (*TEACHING_KINDS, "assessment")
                         and i.code not in {o.item for o in out}], excluded)
        if item is not None:
            out.append(NextItem(item.code, item.title, cat.codes[pre], item.kind, item.difficulty,
                                f"{working}; this {KIND_WORDS.get(item.kind, item.kind)} practises "
                                f"{cat.names[pre]} ({cat.codes[pre]}) first, which it builds on"))
        return out
    own = cat.items.get(cid, ())
    lesson = _teaching(own, excluded)
    practice = _easiest([i for i in own if i.kind not in TEACHING_KINDS and i.kind != "assessment"], excluded)
    for item, what in ((lesson, "goes over it again, step by step"), (practice, "starts again from an easier step")):
        if item is not None:
            out.append(NextItem(item.code, item.title, cat.codes[cid], item.kind, item.difficulty,
                                f"{working}; this {KIND_WORDS.get(item.kind, item.kind)} {what}"))
    return out


def _gaps_before(view: StudentView, cid: int) -> set[int]:
    """The gaps under ``cid`` (what it builds on, directly or not, see :func:`_gap`), keeping the deepest (no
    gap under them), where a review starts."""
    cat = view.catalogue
    gaps = {p for p in cat.builds_on(cid) if _gap(view, p)}
    return {p for p in gaps if gaps.isdisjoint(cat.builds_on(p))}


def _gap(view: StudentView, cid: int) -> bool:
    """Not mastered or skipped, and either not started or below proficient. A skill the student is proficient
    in is no gap (the small-group list does not pull them for it either), so a student stuck on what builds
    on it works on that itself; one never started still comes first."""
    if view.mastered(cid):
        return False
    state = view.states.get(cid)
    return state is None or not state.attempts or needs_help(view, cid)


def _teaching(items: Sequence[Item], excluded: Collection[int]) -> Item | None:
    """The first lesson (then video, then activity) not seen lately, easiest first."""
    rank = {k: i for i, k in enumerate(TEACHING_KINDS)}
    found = [i for i in items if i.kind in rank and i.id not in excluded]
    return min(found, key=lambda i: (rank[i.kind], i.difficulty or 0.0, i.code)) if found else None


def _easiest(items: Sequence[Item], excluded: Collection[int]) -> Item | None:
    found = [i for i in items if i.id not in excluded]
    return min(found, key=lambda i: (i.difficulty if i.difficulty is not None else 0.5, i.code)) if found else None
