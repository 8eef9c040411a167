"""Reading a rules file's YAML: the parser set up so every problem is reported at its line, and the line of
any mapping key, list entry or node."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor

from adaptive.input_limits import yaml_size_problem
from adaptive.rules.checks import Sink


class _Constructor(RoundTripConstructor):
    """Round-trip YAML, but dates stay text so a bad date is reported at its line, not as a parse failure."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def load_yaml(data: bytes, sink: Sink) -> Any:
    """The document, or None after reporting why it cannot be read."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        sink.error(data[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text")
        return None
    if "\x00" in text:
        sink.error(text[: text.index("\x00")].count("\n") + 1, "the file contains a NUL character")
        return None
    try:
        yaml = YAML(typ="rt", pure=True)
        yaml.Constructor = _Constructor
        doc = yaml.load(io.StringIO(text))
    except RecursionError:
        sink.error(1, "cannot read YAML: nested too deeply")
        return None
    except Exception as exc:  # ruamel raises many kinds; all mean "not readable YAML"
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        what = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        sink.error(line, f"cannot read YAML: {what}")
        return None
    # Aliases share one object, so loading is quick; walking an alias bomb's expansion is not (the curriculum's
    # limits, before any code walks the rules).
    problem = yaml_size_problem(doc)
    if problem is not None:
        node, message = problem
        sink.error(node_line(node, 1), message)
        return None
    return doc


def plain(value: Any) -> Any:
    """ruamel's round-trip scalars as plain Python values (mappings and lists stay as they are)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def key_line(node: Any, key: Any, default: int) -> int:
    try:
        return node.lc.key(key)[0] + 1
    except Exception:
        return default


def item_line(node: Any, index: int, default: int) -> int:
    try:
        return node.lc.item(index)[0] + 1
    except Exception:
        return default


def node_line(node: Any, default: int) -> int:
    try:
        return node.lc.line + 1
    except Exception:
        return default
