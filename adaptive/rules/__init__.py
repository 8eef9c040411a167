"""Rules: a YAML rules file curriculum leads write, compiled to durable_rules behind one engine object.

Evidence (a snapshot of one student on one competency) goes in; a Decision (actions from a closed list,
the rules that fired, the ruleset version) comes out.
"""

from adaptive.rules.decision import Action, Decision, Fired
from adaptive.rules.engine import RulesEngine
from adaptive.rules.evidence import Evidence
from adaptive.rules.loader import MAX_RULES, default_rules_text, load_default_rules, load_rules, parse_rules, read_rules
from adaptive.rules.model import Problem, RulesError, RuleSet
from adaptive.rules.testing import case_evidence, run_tests

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
