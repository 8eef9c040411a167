"""Checks shared by the YAML file and CSV tables: conditions, actions, dates, {placeholders}."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import string
from collections.abc import Iterable
from typing import Any

from adaptive.rules.evidence import FIELDS, QUOTED_ONLY, FieldKind, check_value
from adaptive.rules.model import ActionSpec, Condition, Problem
from adaptive.rules.vocabulary import ACTIONS, CONDITION_FIELDS, STRATEGIES, operators_for

SAMPLE = {"fraction": 0.5, "number": 2.5, "count": 3, "yes/no": True, "choice": "familiar", "text": "M6.1",
          "date": dt.date(2025, 1, 1)}


class Sink:
    """Collects problems for one file."""

    def __init__(self, file: str, problems: list[Problem] | None = None, curriculum: Iterable[str] | None = None,
                 declared: set[str] | None = None):
        self.file = file
        self.problems = problems if problems is not None else []
        self.curriculum = frozenset(curriculum) if curriculum is not None else None
        # Every rule id written down, broken rules' too, so a test naming a broken rule is not a second error.
        self.declared = declared if declared is not None else set()

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, max(1, int(line)), message))

    def for_file(self, file: str) -> Sink:
        return Sink(file, self.problems, self.curriculum, self.declared)


def named(value: Any, names: Iterable[str]) -> bool:
    """value is text and one of names (False for lists, mappings and other unhashable values)."""
    return isinstance(value, str) and value in names


def did_you_mean(word: Any, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def unknown(what: str, word: Any, choices: Iterable[str]) -> str:
    choices = list(choices)
    hint = did_you_mean(word, choices)
    return f"unknown {what} {word!r}" + (hint or f" (known: {', '.join(choices)})")


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def build_condition(field: Any, op: Any, value: Any, sink: Sink, line: int) -> Condition | None:
    """A checked condition, or None after reporting why it cannot be used."""
    if field == "on":
        sink.error(line, "conditions cannot test 'on'; use effective_from / effective_until on the rule")
        return None
    if field in QUOTED_ONLY:
        sink.error(line, f"conditions cannot test {field!r} (names change); test the code: competency")
        return None
    if field not in CONDITION_FIELDS:
        sink.error(line, unknown("evidence field", field, CONDITION_FIELDS))
        return None
    ops = operators_for(field)
    if op not in ops:
        sink.error(line, f"{field}: " + unknown("test", op, ops))
        return None
    kind = FIELDS[field]
    if op in ("in", "not_in"):
        if not isinstance(value, list | tuple) or not value:
            sink.error(line, f"{field}: '{op}' needs a list of values, like [attempted, familiar]")
            return None
        checked = [_value(field, kind, v, sink, line) for v in value]
        return None if any(c is _BAD for c in checked) else Condition(field, op, tuple(checked))
    checked = _value(field, kind, value, sink, line)
    return None if checked is _BAD else Condition(field, op, checked)


_BAD = object()
TINY = 1e-4  # durable_rules cannot read numbers nearer zero: JSON writes them with an exponent


def _value(field: str, kind: FieldKind, value: Any, sink: Sink, line: int) -> Any:
    if value is None:
        sink.error(line, f"{field}: the test has no value")
        return _BAD
    if kind.kind == "count" and isinstance(value, float) and value.is_integer():
        value = int(value)
    why = check_value(kind, value)
    if why:
        hint = did_you_mean(value, kind.choices) if kind.kind == "choice" else ""
        sink.error(line, f"{field} {why}{hint}")
        return _BAD
    if isinstance(value, float) and value != 0.0 and abs(value) < TINY:
        sink.error(line, f"{field}: {value!r} is too close to 0 for the rules engine (use 0, or a number "
                         f"of at least {TINY} in size)")
        return _BAD
    if field == "competency" and sink.curriculum is not None and value not in sink.curriculum:
        sink.error(line, unknown("competency", value, sorted(sink.curriculum)) if did_you_mean(
            value, sink.curriculum) else f"unknown competency {value!r} (not in the curriculum)")
        return _BAD
    return value


def check_template(text: str) -> str | None:
    """Why a reason/message with {placeholders} cannot be filled in, or None."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        return f"cannot read the placeholders in {text!r}: {exc} (write {{{{ and }}}} for a literal brace)"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in FIELDS:
            return f"unknown placeholder {{{name}}}" + did_you_mean(name, FIELDS)
        if conversion:
            return f"placeholder {{{name}!{conversion}}}: conversions are not allowed"
        try:
            format(SAMPLE[FIELDS[name].kind], spec or "")
        except (ValueError, TypeError):
            return f"placeholder {{{name}:{spec}}}: cannot format a {FIELDS[name].kind} that way"
    return None


class _Shown:
    """An evidence value in a message: formatted as asked when it can be, else as is; unknown shows n/a."""

    def __init__(self, value: Any):
        self.value = value

    def __format__(self, spec: str) -> str:
        if self.value is None:
            return "n/a"
        try:
            if spec.endswith("%") and type(self.value) is float and math.isfinite(self.value):
                return format(_rounded_down(self.value, spec), spec)
            return format(self.value, spec)
        except (ValueError, TypeError):
            return str(self.value)


def _rounded_down(value: float, spec: str) -> float:
    """``value`` cut to the digits a percent ``spec`` shows, so that "{p_mastered:.0%}" writes 39.7% as 39%, as
    mastery reads everywhere (:func:`adaptive.domain.evidence.percent`): a reason never shows the cut point its
    rule's condition is below."""
    scale = _percent_scale(spec)
    return math.floor(value * scale + 1e-9) / scale


@functools.lru_cache(maxsize=256)
def _percent_scale(spec: str) -> float:
    digits = re.search(r"\.(\d+)%$", spec)
    return 10.0 ** ((int(digits.group(1)) if digits else 6) + 2)


def render(text: str, values: dict[str, Any]) -> str:
    """Fill in {placeholders} with evidence values (``text`` has passed :func:`check_template`)."""
    out = []
    for literal, name, spec in _parts(text):
        out.append(literal)
        if name is not None:
            out.append(format(_Shown(values[name]), spec))
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _parts(text: str) -> tuple[tuple[str, str | None, str], ...]:
    # A checked template has plain field names, literal specs and no conversions.
    return tuple((literal, name, spec or "") for literal, name, spec, _ in string.Formatter().parse(text))


def build_action(kind: Any, args: dict[str, Any], sink: Sink, line: int) -> ActionSpec | None:
    """A checked action with its settings in a fixed order, or None after reporting why."""
    if not named(kind, ACTIONS):
        sink.error(line, unknown("action", kind, ACTIONS))
        return None
    spec = ACTIONS[kind]
    ok = True
    for name in args:
        if name not in spec:
            known = list(spec) or ["(none: it takes no settings)"]
            sink.error(line, f"{kind}: " + unknown("setting", name, known))
            ok = False
    out: list[tuple[str, Any]] = []
    for name, (skind, required) in spec.items():
        if name not in args or args[name] is None:
            if required:
                sink.error(line, f"{kind} needs '{name}'")
                ok = False
            continue
        value = args[name]
        if skind == "strategy":
            if not named(value, STRATEGIES):
                sink.error(line, "next_item: " + unknown("strategy", value, STRATEGIES))
                ok = False
        elif skind == "text":
            why = "must be text" if not isinstance(value, str) or not value.strip() else check_template(value)
            if why:
                sink.error(line, f"{kind} {name}: {why}")
                ok = False
        else:
            if skind == "count" and isinstance(value, float) and value.is_integer():
                value = int(value)
            why = check_value(FieldKind(skind), value)
            if why:
                sink.error(line, f"{kind} {name} {why}")
                ok = False
        out.append((name, value))
    return ActionSpec(kind, tuple(out)) if ok else None
