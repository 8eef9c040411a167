"""How ``adaptive rules simulate`` reads on a terminal: the totals side by side, then examples of decisions
that would change and of decisions that would leave a student with no next item."""

from __future__ import annotations

from typing import Any

from adaptive.domain.decisions import SimulationReport

SHOWN = 5  # examples printed; --json has up to 20 of each


def print_report(report: SimulationReport) -> None:
    a, c = report.active, report.candidate
    print(f"{report.responses} responses of {report.students} students replayed; "
          f"{report.changed} decisions would change"
          + (f" ({report.reworded} only in the words of a reason or message)" if report.reworded else ""))
    print(f"{'':28}{'active ' + a.version:>28}{'candidate ' + c.version:>32}")
    rows = [("students flagged", a.students_flagged, c.students_flagged),
            ("pairs flagged", a.pairs_flagged, c.pairs_flagged), ("flag actions", a.flags, c.flags),
            ("competencies skipped", a.skips, c.skips), ("goal check-ins", a.checkins, c.checkins),
            ("decisions with no next item", a.no_next_item, c.no_next_item)]
    rows += [("next: " + s, a.next_item_strategies.get(s, 0), c.next_item_strategies.get(s, 0))
             for s in sorted(a.next_item_strategies.keys() | c.next_item_strategies.keys())]
    for label, x, y in rows:
        print(f"{label:28}{x:>28}{y:>32}")
    if report.examples:
        print()
        print(f"Decisions that would change ({_first(len(report.examples), report.changed)}):")
        for e in report.examples[:SHOWN]:
            print(f"  {e['student']}  {e['competency']}  answered {_when(e['answered_at'])}")
            print(f"    active:    {_actions(e['active'])}")
            print(f"    candidate: {_actions(e['candidate'])}")
    if c.no_next_item:
        print()
        print(f"Decisions with no next item under the candidate "
              f"({_first(len(report.no_next_item_examples), c.no_next_item)}):")
        for e in report.no_next_item_examples[:SHOWN]:
            fired = ", ".join(e["fired"]) or "no rule fired"
            print(f"  {e['student']}  {e['competency']}  answered {_when(e['answered_at'])}  (rules: {fired})")


def _first(listed: int, total: int) -> str:
    shown = min(listed, SHOWN)
    return f"all {total}" if shown == total else f"the first {shown} of {total}; --json for up to {listed}"


def _when(at: Any) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if hasattr(at, "strftime") else str(at)


def _actions(actions: list[dict[str, Any]]) -> str:
    """Each action in a few words: its kind and what it says (strategy, reason or message)."""
    if not actions:
        return "(nothing)"
    out = []
    for action in actions:
        detail = action.get("strategy") or action.get("reason") or action.get("message")
        out.append(f"{action['kind']} {detail!r}" if detail and action["kind"] != "next_item" else
                   f"{action['kind']} {detail}" if detail else action["kind"])
    return "; ".join(out)
