"""Decision tables: a group of rules kept as a CSV spreadsheet, one row a rule.

Columns: id, description, priority, optional enabled / effective_from / effective_until, `when.<field>`
columns holding short cell tests (``>= 0.8``, ``< 3``, ``in attempted|familiar``, ``true``; blank = any),
and `then.<action>` columns. A cell that cannot be read is an error, never skipped.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from adaptive.rules.checks import Sink, build_action, build_condition, did_you_mean, parse_date, unknown
from adaptive.rules.evidence import FIELDS
from adaptive.rules.model import Rule
from adaptive.rules.vocabulary import ACTIONS, CONDITION_FIELDS, STRATEGY_SETTINGS

BASE_COLUMNS = ("id", "description", "priority", "enabled", "effective_from", "effective_until")
REQUIRED = ("id", "description", "priority")
SYMBOLS = {">=": "at_least", "<=": "at_most", ">": "more_than", "<": "less_than", "!=": "not", "=": "equals"}
YES = {"true", "yes", "y", "x"}
NO = {"false", "no", "n", ""}
_TEST = re.compile(r"^(>=|<=|!=|>|<|=)\s*(.*)$")


def known_columns() -> list[str]:
    return [*BASE_COLUMNS, *(f"when.{f}" for f in CONDITION_FIELDS), *(f"then.{a}" for a in ACTIONS)]


def read_table(data: bytes, sink: Sink, group: int, order: int) -> list[Rule]:
    """The table's rules (group ``group``), or none after reporting every problem into ``sink``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sink.error(data[: exc.start].count(b"\n") + 1, "the table is not UTF-8 text (save it as CSV UTF-8)")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        sink.error(reader.line_num or line, f"cannot read the CSV: {exc}")
        return []
    if not rows or not any(c.strip() for c in rows[0][1]):
        sink.error(1, "the table is empty: the first row names the columns")
        return []
    header = [c.strip() for c in rows[0][1]]
    before = len(sink.problems)
    _check_header(header, sink)
    if len(sink.problems) > before:
        return []
    rules = []
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            sink.error(line, f"the row has {len(row)} cells but the header has {len(header)} columns")
            continue
        rule = _row(dict(zip(header, (c.strip() for c in row), strict=True)), sink, line, group, order + len(rules))
        if rule:
            rules.append(rule)
    return rules


def _check_header(header: list[str], sink: Sink) -> None:
    known = known_columns()
    seen = set()
    for col in header:
        if col in seen:
            sink.error(1, f"column {col!r} appears twice")
        seen.add(col)
        if col not in known:
            sink.error(1, unknown("column", col, known) if did_you_mean(col, known) else
                       f"unknown column {col!r} (columns are id, description, priority, enabled, effective_from, "
                       "effective_until, when.<evidence field>, then.<action>)")
    for col in REQUIRED:
        if col not in header:
            sink.error(1, f"the table needs a {col!r} column")
    if not any(c.startswith("then.") for c in header):
        sink.error(1, "the table needs at least one then.<action> column")


def _row(cells: dict[str, str], sink: Sink, line: int, group: int, order: int) -> Rule | None:
    before = len(sink.problems)
    rid = cells["id"]
    if not rid or any(c.isspace() for c in rid):
        sink.error(line, f"id must be one word (letters, digits, - _ .), not {rid!r}")
    else:
        sink.declared.add(rid)
    if not cells["description"]:
        sink.error(line, "description is empty")
    try:
        priority = int(cells["priority"])
    except ValueError:
        sink.error(line, f"priority must be a whole number, not {cells['priority']!r}")
        priority = 0
    enabled = cells.get("enabled", "").lower()
    if enabled not in YES | NO:
        sink.error(line, f"enabled must be true or false, not {cells['enabled']!r}")
    dates = {}
    for col in ("effective_from", "effective_until"):
        if cells.get(col):
            dates[col] = parse_date(cells[col])
            if dates[col] is None:
                sink.error(line, f"{col} must be a date like 2025-09-01, not {cells[col]!r}")
    if dates.get("effective_from") and dates.get("effective_until") and \
            dates["effective_from"] > dates["effective_until"]:
        sink.error(line, "effective_until is before effective_from")
    conditions = []
    for col, cell in cells.items():
        if col.startswith("when.") and cell:
            conditions += _cell_test(col[5:], cell, sink, line)
    actions = []
    for col, cell in cells.items():
        if col.startswith("then.") and cell and not (col == "then.mark_mastered" and cell.lower() in NO):
            actions.append(_cell_action(col[5:], cell, sink, line))
    if not actions and len(sink.problems) == before:
        sink.error(line, "the row has no action: fill in at least one then.<action> cell")
    if len(sink.problems) > before or None in actions or None in conditions:
        return None
    return Rule(rid, cells["description"], priority, enabled not in NO - {""}, dates.get("effective_from"),
                dates.get("effective_until"), tuple(conditions), tuple(actions), sink.file, line, group, order)


def _cell_test(field: str, cell: str, sink: Sink, line: int) -> list:
    """``>= 0.4 and < 0.7``, ``in a|b``, ``not in a|b``, ``true``, a bare value: conditions, or errors."""
    out = []
    for part in re.split(r"\s+and\s+", cell):
        op, value = _split_test(part)
        parsed = _cell_value(field, value, op in ("in", "not_in"))
        if op is None or parsed is _BAD:
            sink.error(line, f"when.{field}: cannot read {cell!r}: write a test like '>= 0.8', '< 3', "
                       "'in attempted|familiar', 'true' or a plain value (blank means any)")
            return [None]
        out.append(build_condition(field, op, parsed, sink, line))
    return out


def _split_test(part: str) -> tuple[str | None, str]:
    part = part.strip()
    low = part.lower()
    if low.startswith("not in ") or low.startswith("in "):
        op = "not_in" if low.startswith("not") else "in"
        return op, part.split(" ", 2 if op == "not_in" else 1)[-1]
    match = _TEST.match(part)
    if match:
        return SYMBOLS[match.group(1)], match.group(2).strip()
    if not part or part[0] in "<>=!":
        return None, part
    return "equals", part


_BAD = object()


def _cell_value(field: str, text: str, many: bool) -> Any:
    if many:
        items = [_cell_value(field, t, False) for t in text.split("|")]
        return _BAD if _BAD in items else items
    text = text.strip()
    kind = FIELDS[field].kind if field in FIELDS else "text"
    if not text:
        return _BAD
    if kind == "yes/no":
        low = text.lower()
        return True if low in YES - {"x"} else False if low in NO - {""} else _BAD
    if kind in ("fraction", "number", "count"):
        try:
            number = float(text)
        except ValueError:
            return _BAD
        return int(number) if kind == "count" and number.is_integer() else number
    return text


def _cell_action(kind: str, cell: str, sink: Sink, line: int):
    if kind == "mark_mastered":
        if cell.lower() in YES:
            return build_action(kind, {}, sink, line)
        if cell.lower() in NO:
            return None
        sink.error(line, f"then.mark_mastered: write 'yes' or leave blank, not {cell!r}")
        return None
    if kind != "next_item":
        key = "reason" if kind == "flag_small_group" else "message"
        return build_action(kind, {key: cell}, sink, line)
    strategy, *settings = cell.split()
    args: dict[str, Any] = {"strategy": strategy}
    for setting in settings:
        name, eq, value = setting.partition("=")
        number = _cell_value("p_mastered", value, False) if eq else _BAD
        if number is _BAD:
            sink.error(line, f"then.next_item: cannot read {setting!r}: write name=value, e.g. avoid_recent_days=3 "
                       f"(settings: {', '.join(STRATEGY_SETTINGS)})")
            return None
        args[name] = number
    return build_action(kind, args, sink, line)

