"""Reading the ``tests:`` written inside a rules file: given evidence, expected rules fired and actions.

A test may name any rule written in the file, one with problems of its own too: the problem is reported once,
at the rule, not again at every test that names it.
"""

from __future__ import annotations

from typing import Any, Protocol

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from adaptive.rules.checks import Sink, did_you_mean, parse_date, unknown
from adaptive.rules.evidence import FIELDS, check_value
from adaptive.rules.model import ActionSpec, RuleTest
from adaptive.rules.vocabulary import SHORTHAND
from adaptive.rules.yaml_nodes import item_line, key_line, plain

TEST_KEYS = ("name", "given", "expect")


class _Reader(Protocol):
    sink: Sink

    def text(self, node: CommentedMap, key: str, required: bool = False, where: str = "") -> str: ...

    def action(self, item: Any, line: int, where: str) -> ActionSpec | None: ...


def read_test(reader: _Reader, node: Any, line: int) -> RuleTest | None:
    """One entry of ``tests:``, or None after reporting every problem with it."""
    sink = reader.sink
    if not isinstance(node, CommentedMap):
        sink.error(line, "each test is a mapping with name, given and expect")
        return None
    before = len(sink.problems)
    for key in node:
        if key not in TEST_KEYS:
            sink.error(key_line(node, key, line), unknown("test field", key, TEST_KEYS))
    name = reader.text(node, "name", required=True, where="test: ")
    where = f"test {name!r}: "
    given = node.get("given") or CommentedMap()
    pairs = []
    if not isinstance(given, CommentedMap):
        sink.error(key_line(node, "given", line), f"{where}given must be a mapping of evidence field to value")
        given = CommentedMap()
    for field, value in given.items():
        fline = key_line(given, field, line)
        field, value = plain(field), plain(value)
        if field not in FIELDS:
            sink.error(fline, f"{where}" + unknown("evidence field", field, FIELDS))
            continue
        if field == "on":
            value = parse_date(value) or value
        if FIELDS[field].kind == "count" and isinstance(value, float) and value.is_integer():
            value = int(value)
        why = check_value(FIELDS[field], value)
        if why:
            sink.error(fline, f"{where}{field} {why}" + did_you_mean(value, FIELDS[field].choices))
            continue
        pairs.append((field, value))
    fired, actions = _expect(reader, node, line, where)
    if len(sink.problems) > before:
        return None
    return RuleTest(name, tuple(pairs), fired, actions, line)


def _expect(reader: _Reader, node: CommentedMap, line: int, where: str):
    sink = reader.sink
    expect = node.get("expect")
    eline = key_line(node, "expect", line)
    if not isinstance(expect, CommentedMap) or not ({"fired", "actions"} & set(expect)):
        sink.error(eline, f"{where}expect needs 'fired: [rule ids]' and/or 'actions: [...]'")
        return None, None
    for key in expect:
        if key not in ("fired", "actions"):
            sink.error(key_line(expect, key, eline), f"{where}" + unknown("expect field", key, ("fired", "actions")))
    fired = actions = None
    if "fired" in expect:
        value = expect["fired"]
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            sink.error(key_line(expect, "fired", eline), f"{where}fired must be a list of rule ids")
        else:
            for rid in value:
                if rid not in sink.declared:
                    sink.error(key_line(expect, "fired", eline),
                               f"{where}" + unknown("rule id", rid, sorted(sink.declared)))
            fired = tuple(str(v) for v in value)
    if "actions" in expect:
        value = expect["actions"]
        aline = key_line(expect, "actions", eline)
        if value is None:
            actions = ()
        elif not isinstance(value, CommentedSeq):
            sink.error(aline, f"{where}actions must be a list")
        else:
            actions = tuple(_expected_action(reader, v, item_line(value, i, aline), where)
                            for i, v in enumerate(value))
    return fired, actions


def _expected_action(reader: _Reader, item: Any, line: int, where: str) -> ActionSpec | None:
    """An expected action: like a `then` entry, but settings left out match anything."""
    if isinstance(item, str) and plain(item) in SHORTHAND | {"mark_mastered": ""}:
        return ActionSpec(plain(item), ())
    if isinstance(item, CommentedMap) and len(item) == 1:
        (kind, args), = item.items()
        if plain(kind) in SHORTHAND and args is None:
            return ActionSpec(plain(kind), ())
    spec = reader.action(item, line, where)
    if spec is None:
        return None
    given = set(item[next(iter(item))]) if isinstance(item, CommentedMap) and isinstance(
        item[next(iter(item))], CommentedMap) else {SHORTHAND.get(spec.kind)}
    return ActionSpec(spec.kind, tuple((k, v) for k, v in spec.args if k in given))
