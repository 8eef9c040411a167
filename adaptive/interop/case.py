"""Reading a CASE framework (1EdTech Competencies and Academic Standards Exchange: a CFPackage as JSON) into
a :class:`~adaptive.domain.curriculum.Curriculum`: competencies with their hierarchy and prerequisites, and
one course whose scope and sequence is the framework's tree order (mapping: docs/interop.md).

The package is read by :mod:`adaptive.interop.case_package` (``read_package``, re-exported here). No
database here.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from adaptive.domain import Competency
from adaptive.domain.curriculum import Course, Curriculum
from adaptive.interop.case_package import CaseError as CaseError  # re-exported with the reader
from adaptive.interop.case_package import CaseItem, CasePackage
from adaptive.interop.case_package import read_package as read_package

NAME_LENGTH = 100  # longer statements are shortened for the name; the description keeps them whole
# Association types (compared without case, spaces, "-", "_" or an "ext:" prefix) that order two competencies:
# origin before destination, or destination before origin.
BEFORE = frozenset({"precedes", "isprerequisiteof", "prerequisiteof", "isprerequisitefor", "prerequisitefor"})
AFTER = frozenset({"hasprerequisite", "requires", "isprecededby", "follows"})
# CEDS education levels in school order, for a course's grade range.
LEVELS = ("IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 14)), "PS", "UG", "AE", "Other")


@dataclass(frozen=True)
class CaseImportReport:
    """What an import made. ``depth``: levels of the competency hierarchy (1: no competency has a parent);
    ``grouping_items``: CFItems kept only as structure (no code, with children: e.g. CCSS domains);
    ``reordered``: competencies the prerequisites moved from their tree position; ``associations``: the
    package's associations by type; ``ignored``: associations (or parts) not used, by reason."""

    file: str
    course: str
    course_name: str
    competencies: int
    top_level: int
    depth: int
    prerequisites: int
    grouping_items: int
    reordered: int
    associations: dict[str, int]
    ignored: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def build_curriculum(package: CasePackage, *, course_code: str | None = None) -> tuple[Curriculum, CaseImportReport]:
    """The package as a curriculum: which CFItems become competencies, their parents, prerequisites and order.

    Competencies: every CFItem with a human coding scheme (its code), and every CFItem without one that has
    no children (code: its identifier). CFItems without a code that have children (CCSS domains, say) only
    give structure: their children's parent is the nearest ancestor that is a competency. Raises
    :class:`CaseError` for clashing codes and for cycles in the hierarchy or the prerequisites.
    """
    name = package.file
    problems: list[str] = []
    ignored: Counter[str] = Counter()
    items = {i.identifier: i for i in package.items}
    for item in package.items:
        if items[item.identifier] is not item:
            problems.append(f"{name}: CFItems[{item.index}]: identifier {item.identifier} is used twice")
    parent, sequence = _hierarchy(package, items, ignored)
    problems += _parent_cycles(name, parent)
    if problems:
        raise CaseError(problems)
    order = _tree_order(package, items, parent, sequence)
    children = {p for p in parent.values()}
    chosen = [i for i in order if items[i].code or i not in children]
    codes = {i: items[i].code or i for i in chosen}
    first: dict[str, str] = {}
    for ident in chosen:
        code = codes[ident]
        if len(code) > 200:
            problems.append(f"{name}: CFItems[{items[ident].index}] (identifier {ident}): code is longer than 200 "
                            "characters")  # fmt: skip
        elif code in first:
            problems.append(f"{name}: CFItems[{items[ident].index}] (identifier {ident}): humanCodingScheme {code!r} "
                            f"is also the code of {first[code]}; competency codes must be unique")  # fmt: skip
        first.setdefault(code, ident)
    if not chosen:
        problems.append(f"{name}: CFItems: no item becomes a competency (the package has no items)")
    if problems:
        raise CaseError(problems)
    up = {i: _competency_parent(i, parent, codes) for i in chosen}
    needs = _prerequisites(package, codes, ignored)
    sequence_order = _sequenced(name, chosen, needs, codes)
    competencies = tuple(
        Competency(
            code=codes[i], name=_short(items[i].abbreviated or items[i].statement), subject=package.subject,
            grade_level=_grades(items[i].levels), description=_description(items[i]),
            prerequisites=tuple(sorted(codes[p] for p in needs[i])), parent=codes[up[i]] if up[i] else None,
        )  # fmt: skip
        for i in sequence_order
    )
    code = _course_code(name, course_code, package.title)
    levels = sorted({lv for i in chosen for lv in items[i].levels}, key=_level_rank)
    grade = levels[0] if len(levels) == 1 else f"{levels[0]}-{levels[-1]}" if levels else None
    course = Course(code, package.title[:500], package.subject, grade, package.description)
    depth: dict[str, int] = {}
    for i in chosen:  # tree order: a parent's depth is known before its children's
        depth[i] = depth[up[i]] + 1 if up[i] else 1
    report = CaseImportReport(
        file=name, course=code, course_name=course.name, competencies=len(chosen),
        top_level=sum(1 for i in chosen if up[i] is None), depth=max(depth.values()),
        prerequisites=sum(len(v) for v in needs.values()), grouping_items=len(items) - len(chosen),
        reordered=sum(1 for a, b in zip(chosen, sequence_order, strict=True) if a != b),
        associations=dict(sorted(Counter(link.kind for link in package.links).items())),
        ignored=dict(sorted(ignored.items())),
    )  # fmt: skip
    return Curriculum(course, competencies, ()), report


def _kind(kind: str) -> str:
    return re.sub(r"[\s_-]", "", kind.lower().removeprefix("ext:"))


def _hierarchy(package: CasePackage, items: dict[str, CaseItem],
               ignored: Counter[str]) -> tuple[dict[str, str], dict[str, int | None]]:  # fmt: skip
    """Each item's parent item (top-level items have none) and the sequence number of its isChildOf link."""
    parent: dict[str, str] = {}
    sequence: dict[str, int | None] = {}
    linked: set[str] = set()
    for link in package.links:
        if _kind(link.kind) != "ischildof":
            continue
        if link.origin not in items:
            ignored["isChildOf from a node outside the CFItems"] += 1
        elif link.origin in linked:
            ignored["isChildOf beyond an item's first parent"] += 1
        else:
            linked.add(link.origin)
            sequence[link.origin] = link.sequence
            if link.destination in items:
                parent[link.origin] = link.destination
            elif link.destination != package.identifier:
                ignored["isChildOf to a node outside the package (item made top-level)"] += 1
    return parent, sequence


def _parent_cycles(name: str, parent: dict[str, str]) -> list[str]:
    problems, done = [], set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = parent.get(node)
        if node is not None and node in path:
            cycle = [*path[path.index(node):], node]
            problems.append(f"{name}: isChildOf cycle: {' -> '.join(cycle)} (each is a child of the next)")
        done.update(path)
    return problems


def _enumeration(text: str | None) -> tuple:
    """Natural order of list enumerations: "2." before "10.", "a." before "b."; none last."""
    if not text:
        return ((2, ""),)
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.findall(r"\d+|[^\W\d]+", text))


def _tree_order(package: CasePackage, items: dict[str, CaseItem], parent: dict[str, str],
                sequence: dict[str, int | None]) -> list[str]:  # fmt: skip
    """Item identifiers in depth-first (pre-)order; siblings by sequenceNumber, listEnumeration, file order."""
    kids: dict[str | None, list[str]] = defaultdict(list)
    for item in package.items:
        kids[parent.get(item.identifier)].append(item.identifier)

    def key(ident: str) -> tuple:
        seq = sequence.get(ident)
        return (seq is None, seq or 0, _enumeration(items[ident].enumeration), items[ident].index)

    order: list[str] = []
    stack = sorted(kids[None], key=key, reverse=True)
    while stack:
        ident = stack.pop()
        order.append(ident)
        stack.extend(sorted(kids[ident], key=key, reverse=True))
    return order


def _competency_parent(ident: str, parent: dict[str, str], codes: dict[str, str]) -> str | None:
    node = parent.get(ident)
    while node is not None and node not in codes:
        node = parent.get(node)
    return node


def _prerequisites(package: CasePackage, codes: dict[str, str], ignored: Counter[str]) -> dict[str, set[str]]:
    """Each competency's prerequisites (identifiers) from precedes and prerequisite-like associations."""
    needs: dict[str, set[str]] = {i: set() for i in codes}
    for link in package.links:
        kind = _kind(link.kind)
        if kind in BEFORE:
            first, then = link.origin, link.destination
        elif kind in AFTER:
            first, then = link.destination, link.origin
        else:
            if kind != "ischildof":
                ignored[f"{link.kind} (not used)"] += 1
            continue
        if first not in codes or then not in codes:
            ignored[f"{link.kind} with an end that is not a competency of the package"] += 1
        elif first == then:
            ignored[f"{link.kind} from an item to itself"] += 1
        else:
            needs[then].add(first)
    return needs


def _sequenced(name: str, order: list[str], needs: dict[str, set[str]], codes: dict[str, str]) -> list[str]:
    """Tree order, changed only as far as needed to put every prerequisite before its competency."""
    position = {ident: n for n, ident in enumerate(order)}
    waiting = {i: len(needs[i]) for i in order}
    unlocks: dict[str, list[str]] = defaultdict(list)
    for ident, before in needs.items():
        for p in before:
            unlocks[p].append(ident)
    ready = [(position[i], i) for i in order if not waiting[i]]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        _, ident = heapq.heappop(ready)
        out.append(ident)
        for nxt in unlocks[ident]:
            waiting[nxt] -= 1
            if not waiting[nxt]:
                heapq.heappush(ready, (position[nxt], nxt))
    if len(out) < len(order):
        raise CaseError(_prerequisite_cycles(name, [i for i in order if waiting[i]], needs, codes))
    return out


def _prerequisite_cycles(name: str, stuck: list[str], needs: dict[str, set[str]], codes: dict[str, str]) -> list[str]:
    problems, done, rank = [], set(), {ident: n for n, ident in enumerate(stuck)}
    for start in stuck:
        if start in done:
            continue
        path, node = [start], start
        while True:  # every stuck competency waits on a stuck one: walking back closes a cycle or meets a walk done
            node = min((p for p in needs[node] if p in rank), key=rank.__getitem__)
            if node in path or node in done:
                break
            path.append(node)
        done.update(path)
        if node in path:
            cycle = [*path[path.index(node):], node][::-1]
            shown = " -> ".join(f"{i} ({codes[i]})" if codes[i] != i else i for i in cycle)
            problems.append(f"{name}: prerequisite cycle: {shown} (each comes before the next)")
    return problems


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= NAME_LENGTH:
        return text
    cut = text[: NAME_LENGTH - 1]
    return (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"


def _description(item: CaseItem) -> str:
    return f"{item.statement}\n\n{item.notes}" if item.notes else item.statement


def _level_rank(level: str) -> tuple[int, str]:
    return (LEVELS.index(level), level) if level in LEVELS else (len(LEVELS), level)


def _grades(levels: tuple[str, ...]) -> str | None:
    ordered = sorted(set(levels), key=_level_rank)
    joined = ",".join(ordered)
    return joined if len(joined) <= 50 else f"{ordered[0]}-{ordered[-1]}"


def _course_code(name: str, given: str | None, title: str) -> str:
    code = given.strip() if given is not None else re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:60].strip("-")
    if not code or len(code) > 200 or re.search(r"\s", code):
        raise CaseError([f"{name}: course code {code!r} must be 1 to 200 characters without spaces; "
                         "give one with course_code (--course-code)"])  # fmt: skip
    return code
