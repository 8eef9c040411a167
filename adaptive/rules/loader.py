"""Read a rules file (YAML, with CSV decision tables it includes) into a checked RuleSet.

Every problem is collected and reported at once, each with its file and line; nothing from the YAML
parser leaks out except as a :class:`RulesError`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from adaptive.input_limits import IncludeError, read_included
from adaptive.rules.analysis import analyse, competing_next_items
from adaptive.rules.checks import Sink, build_action, build_condition, named, parse_date, unknown
from adaptive.rules.embedded_tests import read_test
from adaptive.rules.model import ActionSpec, Problem, Rule, RulesError, RuleSet, Table
from adaptive.rules.tables import read_table
from adaptive.rules.vocabulary import ACTIONS, HIT_POLICIES, SHORTHAND
from adaptive.rules.yaml_nodes import item_line, key_line, load_yaml, node_line, plain

MAX_RULES = 200
TOP_KEYS = ("id", "version", "owner", "description", "changelog", "hit_policy", "rules", "includes", "tests")
RULE_KEYS = ("id", "description", "priority", "enabled", "effective_from", "effective_until", "when", "then")


def default_rules_text() -> str:
    """The rules file that ships with adaptive."""
    return resources.files("adaptive.rules").joinpath("default_rules.yaml").read_text(encoding="utf-8")


def load_default_rules() -> RuleSet:
    return parse_rules(default_rules_text(), file="default_rules.yaml")


def load_rules(path: str | Path, *, curriculum: Iterable[str] | None = None) -> RuleSet:
    """Read and check a rules file; raises RulesError listing every problem."""
    ruleset, problems = read_rules(path, curriculum=curriculum)
    if problems:
        raise RulesError(problems)
    assert ruleset is not None
    return ruleset


def read_rules(path: str | Path, *, curriculum: Iterable[str] | None = None) -> tuple[RuleSet | None, list[Problem]]:
    """(the rule set or None, every problem found)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(str(path), 1, f"cannot read the file: {exc.strerror or exc}")]
    return _parse(data, str(path), path.parent, curriculum)


def parse_rules(text: str | bytes, *, file: str = "<rules>", base_dir: str | Path | None = None,
                curriculum: Iterable[str] | None = None) -> RuleSet:
    """Check rules given as text; tables are looked up under ``base_dir``. Raises RulesError."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    ruleset, problems = _parse(data, file, Path(base_dir) if base_dir is not None else None, curriculum)
    if problems:
        raise RulesError(problems)
    assert ruleset is not None
    return ruleset


def _parse(data: bytes, file: str, base_dir: Path | None, curriculum) -> tuple[RuleSet | None, list[Problem]]:
    sink = Sink(file, curriculum=curriculum)
    doc = load_yaml(data, sink)
    if sink.problems:
        return None, sink.problems
    if not isinstance(doc, CommentedMap):
        sink.error(1, "a rules file is a mapping with id, version, owner, description, hit_policy and rules")
        return None, sink.problems
    return _Reader(sink, base_dir, data).read(doc)


class _Reader:
    def __init__(self, sink: Sink, base_dir: Path | None, data: bytes):
        self.sink = sink
        self.base_dir = base_dir
        self.hash = hashlib.sha256(data)

    def read(self, doc: CommentedMap) -> tuple[RuleSet | None, list[Problem]]:
        sink = self.sink
        for key in doc:
            if key not in TOP_KEYS:
                sink.error(key_line(doc, key, 1), unknown("top-level field", key, TOP_KEYS))
        head = {k: self.text(doc, k, required=k in ("id", "version", "owner", "description")) for k in
                ("id", "version", "owner", "description")}
        policy = plain(doc.get("hit_policy"))
        if "hit_policy" not in doc:
            sink.error(1, "hit_policy is missing: write 'hit_policy: first' or 'hit_policy: collect'")
        elif not named(policy, HIT_POLICIES):
            sink.error(key_line(doc, "hit_policy", 1), unknown("hit_policy", policy, HIT_POLICIES))
        changelog = self.seq(doc, "changelog")
        rules: list[Rule] = []
        for i, node in enumerate(self.seq(doc, "rules", required=True)):
            rule = self.rule(node, item_line(doc["rules"], i, key_line(doc, "rules", 1)), len(rules))
            if rule:
                rules.append(rule)
        tables = []
        for i, node in enumerate(self.seq(doc, "includes")):
            table = self.include(node, item_line(doc["includes"], i, 1), len(tables) + 1, rules)
            if table:
                tables.append(table)
        self.check_ids(rules)
        if len(rules) > MAX_RULES:
            sink.error(key_line(doc, "rules", 1), f"{len(rules)} rules (with tables); the limit is {MAX_RULES}: "
                       "split the file or merge rules")
        tests = [t for i, node in enumerate(self.seq(doc, "tests"))
                 if (t := read_test(self, node, item_line(doc["tests"], i, 1))) is not None]
        if sink.problems:
            return None, sink.problems
        ruleset = RuleSet(
            id=head["id"], version=head["version"], owner=head["owner"], description=head["description"],
            changelog=tuple(self.to_plain(c) for c in changelog), hit_policy=policy, rules=tuple(rules),
            tables=tuple(tables), tests=tuple(tests), file=sink.file, content_hash=self.hash.hexdigest())
        analyse(ruleset, sink)
        if sink.problems:
            return None, sink.problems
        return dataclasses.replace(ruleset, warnings=tuple(competing_next_items(ruleset))), []

    # -- small readers -------------------------------------------------------------------------------
    def text(self, node: CommentedMap, key: str, required: bool = False, where: str = "") -> str:
        value = plain(node.get(key))
        line = key_line(node, key, node_line(node, 1))
        if key not in node:
            if required:
                self.sink.error(node_line(node, 1), f"{where}'{key}' is missing")
            return ""
        if isinstance(value, float) and key == "version":
            self.sink.error(line, f"version: put it in quotes, e.g. version: \"{value}\"")
            return ""
        if isinstance(value, int) and not isinstance(value, bool) and key == "version":
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.sink.error(line, f"{where}{key} must be text")
            return ""
        return value.strip()

    def seq(self, node: CommentedMap, key: str, required: bool = False) -> list[Any]:
        if key not in node:
            if required:
                self.sink.error(1, f"'{key}' is missing")
            return []
        value = node[key]
        if value is None:
            return []
        if not isinstance(value, CommentedSeq):
            self.sink.error(key_line(node, key, 1), f"{key} must be a list (each entry starting with '- ')")
            return []
        return list(value)

    def to_plain(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): self.to_plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.to_plain(v) for v in value]
        return plain(value) if isinstance(value, str | int | float | bool) or value is None else str(value)

    # -- rules ---------------------------------------------------------------------------------------
    def rule(self, node: Any, line: int, order: int) -> Rule | None:
        sink = self.sink
        if not isinstance(node, CommentedMap):
            sink.error(line, "each rule is a mapping with id, description, priority, when and then")
            return None
        before = len(sink.problems)
        for key in node:
            if key not in RULE_KEYS:
                sink.error(key_line(node, key, line), unknown("rule field", key, RULE_KEYS))
        rid = self.rule_id(node, line)
        where = f"rule {rid}: " if rid else ""
        description = self.text(node, "description", required=True, where=where)
        priority = plain(node.get("priority"))
        if "priority" not in node:
            sink.error(line, f"{where}'priority' is missing (a whole number; lower acts first)")
        elif isinstance(priority, bool) or not isinstance(priority, int):
            sink.error(key_line(node, "priority", line), f"{where}priority must be a whole number, not {priority!r}")
        enabled = plain(node.get("enabled", True))
        if not isinstance(enabled, bool):
            sink.error(key_line(node, "enabled", line), f"{where}enabled must be true or false, not {enabled!r}")
        dates = {}
        for key in ("effective_from", "effective_until"):
            if node.get(key) is not None:
                dates[key] = parse_date(plain(node[key]))
                if dates[key] is None:
                    sink.error(key_line(node, key, line), f"{where}{key} must be a date like 2025-09-01, "
                               f"not {plain(node[key])!r}")
        if dates.get("effective_from") and dates.get("effective_until") and \
                dates["effective_from"] > dates["effective_until"]:
            sink.error(key_line(node, "effective_until", line), f"{where}effective_until is before effective_from")
        conditions = self.when(node, line, where)
        actions = self.then(node, line, where)
        if len(sink.problems) > before:
            return None
        return Rule(rid, description, priority, enabled, dates.get("effective_from"), dates.get("effective_until"),
                    tuple(conditions), tuple(actions), sink.file, line, 0, order)

    def rule_id(self, node: CommentedMap, line: int) -> str:
        rid = plain(node.get("id"))
        if "id" not in node:
            self.sink.error(line, "a rule has no 'id'")
            return ""
        if not isinstance(rid, str) or not rid.strip() or any(c.isspace() for c in rid.strip()):
            self.sink.error(key_line(node, "id", line),
                            f"rule id must be one word (letters, digits, - _ .), not {rid!r}")
            return ""
        self.sink.declared.add(rid.strip())
        return rid.strip()

    def when(self, node: CommentedMap, line: int, where: str) -> list:
        if "when" not in node:
            self.sink.error(line, f"{where}'when' is missing (write 'when: {{}}' for a rule that always applies)")
            return []
        when = node["when"]
        if when is None:
            return []
        wline = key_line(node, "when", line)
        if not isinstance(when, CommentedMap):
            self.sink.error(wline, f"{where}when must be a mapping of evidence field to test")
            return []
        out = []
        for field, test in when.items():
            fline = key_line(when, field, wline)
            field = plain(field)
            if isinstance(test, CommentedMap):
                if not test:
                    self.sink.error(fline, f"{where}{field}: the test is empty")
                for op, value in test.items():
                    value = plain(value)
                    value = [plain(v) for v in value] if isinstance(value, list) else value
                    out.append(build_condition(field, plain(op), value, self.sink, key_line(test, op, fline)))
            elif isinstance(test, CommentedSeq):
                out.append(build_condition(field, "in", [plain(v) for v in test], self.sink, fline))
            else:
                out.append(build_condition(field, "equals", plain(test), self.sink, fline))
        return [c for c in out if c is not None]

    def then(self, node: CommentedMap, line: int, where: str) -> list[ActionSpec]:
        if "then" not in node:
            self.sink.error(line, f"{where}'then' is missing: list at least one action")
            return []
        then = node["then"]
        tline = key_line(node, "then", line)
        if not isinstance(then, CommentedSeq) or not then:
            self.sink.error(tline, f"{where}then must be a list of actions (each starting with '- ')")
            return []
        return [a for i, item in enumerate(then) if (a := self.action(item, item_line(then, i, tline), where))]

    def action(self, item: Any, line: int, where: str) -> ActionSpec | None:
        sink = self.sink
        if isinstance(item, str):
            return build_action(plain(item), {}, sink, line)
        if not isinstance(item, CommentedMap) or len(item) != 1:
            sink.error(line, f"{where}an action is one name, like '- mark_mastered' or '- flag_small_group: ...'")
            return None
        (kind, args), = item.items()
        kind = plain(kind)
        if not named(kind, ACTIONS):  # a misspelt name is the mistake, whatever its settings look like
            sink.error(line, where + unknown("action", kind, ACTIONS))
            return None
        if isinstance(args, CommentedMap):
            args = {plain(k): plain(v) for k, v in args.items()}
        elif args is None or args is True:
            args = {}
        elif kind in SHORTHAND and not isinstance(args, CommentedSeq):
            args = {SHORTHAND[kind]: plain(args)}
        else:
            sink.error(line, f"{where}{kind}: its settings must be a mapping like {{reason: ...}}")
            return None
        return build_action(kind, args, sink, line)

    def include(self, node: Any, line: int, group: int, rules: list[Rule]) -> Table | None:
        sink = self.sink
        if not isinstance(node, CommentedMap):
            sink.error(line, "an include is a mapping like {table: flags.csv, hit_policy: first}")
            return None
        for key in node:
            if key not in ("table", "hit_policy"):
                sink.error(key_line(node, key, line), unknown("include field", key, ("table", "hit_policy")))
        name, policy = plain(node.get("table")), plain(node.get("hit_policy"))
        if not named(policy, HIT_POLICIES):
            sink.error(key_line(node, "hit_policy", line), "the table needs its own hit_policy: first or collect"
                       if policy is None else unknown("hit_policy", policy, HIT_POLICIES))
        if not isinstance(name, str) or not name.strip():
            sink.error(line, "an include needs 'table: FILE.csv'")
            return None
        if self.base_dir is None:
            sink.error(line, f"cannot read table {name}: these rules were not read from a file")
            return None
        try:
            path, data = read_included(self.base_dir, name)
        except IncludeError as exc:
            sink.error(key_line(node, "table", line), f"cannot read table {name}: {exc.reason}")
            return None
        self.hash.update(b"\0" + name.encode() + b"\0" + data)
        rules.extend(read_table(data, sink.for_file(str(path)), group, len(rules)))
        return Table(str(path), policy if named(policy, HIT_POLICIES) else "first", line)

    def check_ids(self, rules: list[Rule]) -> None:
        seen: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in seen:
                self.sink.problems.append(Problem(rule.file, rule.line,
                                                  f"duplicate rule id {rule.id!r} (first at {seen[rule.id].source})"))
            else:
                seen[rule.id] = rule
