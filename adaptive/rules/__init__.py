"""Rules: a YAML rules file curriculum leads write, compiled to durable_rules behind one engine object.

Evidence (a snapshot of one student on one competency) goes in; a Decision (actions from a closed list,
the rules that fired, the ruleset version) comes out. Names are imported on first use, so taking the
evidence or decision records does not load durable_rules or the YAML reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptive.lazy import lazy_exports

_EXPORTS = {
    **{name: "adaptive.rules.decision" for name in ("Action", "Decision", "Fired")},
    "RulesEngine": "adaptive.rules.engine",
    "Evidence": "adaptive.rules.evidence",
    **{name: "adaptive.rules.loader" for name in ("MAX_RULES", "default_rules_text", "load_default_rules",
                                                  "load_rules", "parse_rules", "read_rules")},
    **{name: "adaptive.rules.model" for name in ("Problem", "RulesError", "RuleSet")},
    **{name: "adaptive.rules.testing" for name in ("case_evidence", "run_tests")},
}  # fmt: skip

__all__ = [
    "Action",
    "Decision",
    "Evidence",
    "Fired",
    "MAX_RULES",
    "Problem",
    "RuleSet",
    "RulesEngine",
    "RulesError",
    "case_evidence",
    "default_rules_text",
    "load_default_rules",
    "load_rules",
    "parse_rules",
    "read_rules",
    "run_tests",
]

if TYPE_CHECKING:
    from adaptive.rules.decision import Action, Decision, Fired
    from adaptive.rules.engine import RulesEngine
    from adaptive.rules.evidence import Evidence
    from adaptive.rules.loader import (
        MAX_RULES,
        default_rules_text,
        load_default_rules,
        load_rules,
        parse_rules,
        read_rules,
    )
    from adaptive.rules.model import Problem, RulesError, RuleSet
    from adaptive.rules.testing import case_evidence, run_tests


__getattr__ = lazy_exports(__name__, _EXPORTS)
