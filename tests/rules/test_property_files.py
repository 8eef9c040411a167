"""Random and broken rules files: always a RulesError with file and line, or a ruleset that runs."""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_helpers import ev

from adaptive.rules import RulesEngine, RulesError, default_rules_text, parse_rules
from adaptive.rules.evidence import FIELDS
from adaptive.rules.vocabulary import ACTIONS, OPERATORS, STRATEGIES

WORDS = [*FIELDS, *ACTIONS, *OPERATORS, *STRATEGIES, "id", "description", "priority", "enabled", "when", "then",
         "effective_from", "effective_until", "rules", "tests", "given", "expect", "fired", "actions", "first",
         "collect", "includes", "table", "hit_policy", "mastered", "familiar", "pretest", "true", "null", "~",
         "2025-02-30", "2025-09-01", "0.8", "-1", "1e309", ".nan", "{", "[", "- ", ": ", "&a", "*a", "!!python/name:x",
         "{p_mastered}", "{nope}", "'", '"', "\t", "%", "#"]
# RULES_FUZZ_EXAMPLES=2000 for a longer hunt.
SETTINGS = settings(max_examples=int(os.environ.get("RULES_FUZZ_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def outcome(data) -> str:
    """'ok' after compiling and evaluating, or 'error' with every problem located; anything else fails."""
    try:
        ruleset = parse_rules(data, file="r.yaml")
    except RulesError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "r.yaml" and isinstance(p.line, int) and p.line >= 1 and p.message
        return "error"
    with RulesEngine(ruleset) as engine:
        engine.evaluate(ev())
        engine.evaluate(ev(event="pretest", pretest_score=0.9, wrong_streak=4, attempts=12, goal_deadline_days=1))
    return "ok"


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(data):
    outcome(data)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(WORDS))
structures = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), inner, max_size=5),
                          max_leaves=30)


@SETTINGS
@given(structures)
def test_random_yaml_structures(doc):
    outcome(json.dumps(doc))


rule = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.sampled_from(["a", "b", "a b"]), scalars), "description": scalars,
    "priority": st.one_of(st.integers(-3, 3), scalars), "enabled": scalars,
    "effective_from": st.sampled_from(["2025-09-01", "2025-13-01", 3]),
    "when": st.dictionaries(st.sampled_from(list(FIELDS) + ["nope"]),
                            st.one_of(scalars, st.dictionaries(st.sampled_from(list(OPERATORS)), st.one_of(
                                scalars, st.lists(scalars, max_size=3)), max_size=2)), max_size=3),
    "then": st.lists(st.one_of(st.sampled_from(list(ACTIONS)), st.dictionaries(
        st.sampled_from(list(ACTIONS)), st.one_of(scalars, st.dictionaries(
            st.sampled_from(["strategy", "reason", "message", "difficulty_window", "avoid_recent_days"]),
            st.one_of(scalars, st.sampled_from(list(STRATEGIES))), max_size=3)), min_size=1, max_size=1)),
        max_size=3),
})


@SETTINGS
@given(st.lists(rule, max_size=5), st.sampled_from(["first", "collect", "x"]))
def test_rules_of_random_shape(rules, policy):
    doc = {"id": "r", "version": "1", "owner": "o", "description": "d", "hit_policy": policy, "rules": rules}
    outcome(json.dumps(doc))


@SETTINGS
@given(st.data())
def test_mutated_default_file(data):
    lines = default_rules_text().splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["drop", "dup", "word", "indent", "chars"]))
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = " " * data.draw(st.integers(0, 3)) + lines[i].lstrip()
        elif kind == "word":
            parts = lines[i].split(" ")
            j = data.draw(st.integers(0, len(parts) - 1))
            parts[j] = data.draw(st.sampled_from(WORDS))
            lines[i] = " ".join(parts)
        else:
            at = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + data.draw(st.text(max_size=3)) + lines[i][at:]
        if not lines:
            break
    outcome("\n".join(lines) + "\n")


def test_deep_nesting_is_an_error_not_a_crash():
    assert outcome("[" * 5000 + "]" * 5000) == "error"
    assert outcome("a: " + "{b: " * 3000 + "1" + "}" * 3000) == "error"
