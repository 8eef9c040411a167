"""The curriculum's shape as deciding reads it: competency codes, prerequisites, the scope and sequence of
every course, BKT parameters and content items, in one immutable :class:`Catalogue`.

The store loads it in bulk (``adaptive.store.evidence``) and a Tutor keeps one in memory between
transactions while the catalogue revision is unchanged; the engines only read it.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from adaptive.domain.tracing import BKTParams

K = TypeVar("K", bound=Hashable)


def builds_on(prerequisites: Mapping[K, Collection[K]], competency: K) -> frozenset[K]:
    """Every competency ``competency`` builds on: its prerequisites, theirs, and so on (by id or by code, as
    ``prerequisites`` is keyed)."""
    out: set[K] = set()
    todo = list(prerequisites.get(competency, ()))
    while todo:
        p = todo.pop()
        if p not in out:
            out.add(p)
            todo.extend(prerequisites.get(p, ()))
    return frozenset(out)


@dataclass(frozen=True)
class Item:
    id: int
    code: str
    title: str
    kind: str
    difficulty: float | None
    competency_id: int | None
    pretest_scoring: str | None = None  # pre-test items: "correct" (0/1) or "scale"


@dataclass(frozen=True)
class Catalogue:
    """The curriculum's shape as decisions need it; never changed once loaded (it is shared between threads)."""

    codes: dict[int, str]
    names: dict[int, str]
    prerequisites: dict[int, tuple[int, ...]]
    courses: dict[int, tuple[int, ...]]  # course id -> competency ids in position order
    params: dict[int, BKTParams]
    items: dict[int, tuple[Item, ...]]  # competency id -> its practice items (not pre-test items), by code
    by_id: dict[int, Item]  # every item, pre-test items too, with its first competency (by code)
    pretest_items: dict[int, frozenset[int]]  # competency id -> ids of its pre-test items
    token: str | None = None
    _single: list[int] | None = field(default=None, compare=False, repr=False)
    competency_ids: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    item_tags: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict, compare=False, repr=False)
    priors: dict[int, float] = field(default_factory=dict, compare=False, repr=False)  # P(mastered) before evidence
    _builds_on: dict[int, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.priors.update({cid: p.initial_mastery for cid, p in self.params.items()})
        if len(self.courses) <= 1:  # the usual case: one course, one order
            object.__setattr__(self, "_single", [c for course in self.courses.values() for c in course])
        self.competency_ids.update({code: cid for cid, code in self.codes.items()})

    def builds_on(self, cid: int) -> frozenset[int]:
        """Every competency ``cid`` builds on: its prerequisites, theirs, and so on (worked out once per loaded
        catalogue; a playlist facing a stuck skill asks for it at every decision)."""
        found = self._builds_on.get(cid)
        if found is None:
            found = self._builds_on[cid] = builds_on(self.prerequisites, cid)
        return found

    def sequence(self, first: int | None, started: Collection[int]) -> list[int]:
        """Competencies in scope-and-sequence order: the course(s) holding ``first``, then courses the student
        has started, then the rest; each competency once."""
        if self._single is not None:
            return self._single

        def rank(course: tuple[int, ...]) -> int:
            return 0 if first in course else 1 if any(c in started for c in course) else 2

        order = sorted(self.courses.values(), key=rank)
        return list(dict.fromkeys(c for course in order for c in course))
