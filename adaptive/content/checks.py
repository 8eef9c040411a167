"""Checks of the prerequisite graph: dangling references, cycles, and scope-and-sequence order."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from adaptive.content.problems import did_you_mean

Report = Callable[[int, str], None]


@dataclass(frozen=True)
class Node:
    """A competency at its place in the sequence, with each prerequisite and the line it is listed on."""

    code: str
    line: int
    prerequisites: tuple[tuple[str, int], ...]


def check_prerequisites(nodes: list[Node], known: Collection[str], report: Report) -> None:
    """Report (line, message) for every bad prerequisite; ``known`` also holds codes of entries with problems."""
    index: dict[str, int] = {}
    for position, node in enumerate(nodes):
        index.setdefault(node.code, position)
    graph: dict[str, list[tuple[str, int]]] = {}
    for position, node in enumerate(nodes):
        if index[node.code] != position:
            continue  # a duplicate code, reported elsewhere
        edges = graph.setdefault(node.code, [])
        for code, line in node.prerequisites:
            if code == node.code:
                report(line, f"competency '{code}' lists itself as a prerequisite")
            elif any(code == listed for listed, _ in edges):
                report(line, f"competency '{node.code}' lists prerequisite '{code}' twice")
            elif code not in known:
                hint = did_you_mean(code, known)
                report(
                    line, f"competency '{node.code}': prerequisite '{code}' is not a competency of this course{hint}"
                )
            elif code in index:
                edges.append((code, line))
    _report_cycles(list(index), graph, report)
    for code, edges in graph.items():
        for prerequisite, line in edges:
            if index[prerequisite] > index[code] and not _reaches(graph, prerequisite, code):
                later = nodes[index[prerequisite]].line
                report(
                    line,
                    f"prerequisite '{prerequisite}' of '{code}' comes later in the sequence (line {later}); "
                    f"move '{prerequisite}' above '{code}'",
                )


def _report_cycles(order: list[str], graph: dict[str, list[tuple[str, int]]], report: Report) -> None:
    """One report per cycle found by depth-first search, at the line of the edge that closes it."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in order:
        if start in state:
            continue
        state[start], path, stack = 1, [start], [iter(graph[start])]
        while stack:
            for code, line in stack[-1]:
                if state.get(code) == 1:
                    cycle = [*path[path.index(code) :], code]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        text = " -> ".join(cycle)
                        report(line, f"prerequisite cycle {text} (each lists the next as a prerequisite)")
                elif code not in state:
                    state[code] = 1
                    path.append(code)
                    stack.append(iter(graph[code]))
                    break
            else:
                state[path.pop()] = 2
                stack.pop()


def _reaches(graph: dict[str, list[tuple[str, int]]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for code, _ in graph[todo.pop()]:
            if code == goal:
                return True
            if code not in seen:
                seen.add(code)
                todo.append(code)
    return False
