"""Reading a responses CSV (format in docs/store.md) into :class:`ResponseIn` records, validating all rows.

Rows without an ``idempotency_key`` get one derived from their content (and the how-many-th identical
row it is), so importing the same file again never counts a response twice. The timestamp enters the key in
its UTC form (``...Z``): ``10:15:00Z``, ``10:15:00+00:00`` and ``12:15:00+02:00`` are one answer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from adaptive.domain import ResponseIn, StoreError
from adaptive.domain.evidence import EvidenceError, ScoreScale
from adaptive.domain.records import SOURCES
from adaptive.domain.response_bounds import MAX_ATTEMPT, answer_time, attempt_problem, code_problem

_DIGITS = re.compile(r"[0-9]{1,12}")
COLUMNS = ("student", "competency", "item", "correct", "score", "timestamp", "source", "attempt", "idempotency_key")


MAX_PROBLEMS = 50  # problems a CsvError lists; the rest are counted


class CsvError(StoreError):
    """A file that cannot be imported. ``problems`` lists each as ``FILE:LINE: problem`` (``FILE: problem`` for
    the whole file), the first :data:`MAX_PROBLEMS` then ``FILE: ... and N more problems``; the message is
    them, one a line."""

    def __init__(self, path: Path | str, line: int | None, problem: str, *, also: Sequence[str] = ()) -> None:
        listed = [f"{path}:{line}: {problem}" if line else f"{path}: {problem}", *also]
        more = len(listed) - MAX_PROBLEMS
        self.problems = tuple(listed[:MAX_PROBLEMS]) + ((f"{path}: ... and {more} more problems",) if more > 0 else ())
        super().__init__("\n".join(self.problems))


class _RowProblem(ValueError):
    """One row's problem (the message); read_responses adds the file and line and goes on to the next row."""


def read_responses(path: Path, scale: ScoreScale) -> tuple[list[ResponseIn], list[int]]:
    """All responses of ``path`` and the line each starts on. Every row is checked: :class:`CsvError` lists
    every problem (a problem with the file itself, such as its header, stops at once)."""
    text = _text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise CsvError(path, 1, f"malformed CSV ({exc})") from None
    _check_header(path, header)
    reader.fieldnames = header
    responses: list[ResponseIn] = []
    lines: list[int] = []
    seen: Counter[str] = Counter()
    now = datetime.now(UTC).replace(tzinfo=None)
    problems: list[tuple[int, str]] = []  # (line, problem)
    line = reader.line_num + 1
    try:
        for raw in reader:
            if None in raw or any(v is None for v in raw.values()):
                problems.append((line, f"expected {len(header)} fields, got a different number"))
            elif any((row := {k: v.strip() for k, v in raw.items()}).values()):
                try:
                    responses.append(_response(row, scale, seen, now))
                    lines.append(line)
                except _RowProblem as exc:
                    problems.append((line, str(exc)))
            line = reader.line_num + 1
    except csv.Error as exc:  # the rest of the file cannot be read
        problems.append((line, f"malformed CSV ({exc})"))
    if problems:
        (first, message), rest = problems[0], problems[1:]
        raise CsvError(path, first, message, also=[f"{path}:{n}: {p}" for n, p in rest])
    if not responses:
        raise CsvError(path, None, "no response rows (only a header)")
    return responses, lines


def _text(path: Path) -> str:
    if not path.exists():
        raise CsvError(path, None, "no such file")
    if not path.is_file():
        raise CsvError(path, None, "not a file")
    data = path.read_bytes()
    if not data.strip():
        raise CsvError(path, None, "empty file")
    if b"\x00" in data:
        raise CsvError(path, data[: data.index(b"\x00")].count(b"\n") + 1, "binary data (NUL byte), not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(path, data[: exc.start].count(b"\n") + 1, "not UTF-8 text") from None


def _check_header(path: Path, header: list[str]) -> None:
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise CsvError(path, 1, f"unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)})")
    for need in (("student",), ("timestamp",), ("competency", "item"), ("correct", "score")):
        if not any(n in header for n in need):
            raise CsvError(path, 1, f"missing column {' or '.join(need)}")


def _response(row: dict[str, str], scale: ScoreScale, seen: Counter[str], now: datetime) -> ResponseIn:
    bad = _RowProblem

    get = row.get
    if not get("student"):
        raise bad("student is empty")
    if not get("competency") and not get("item"):
        raise bad("needs a competency or an item")
    for field in ("student", "competency", "item"):
        if problem := code_problem(field, get(field)):
            raise bad(problem)
    correct_text, score_text = get("correct") or "", get("score") or ""
    if bool(correct_text) == bool(score_text):
        raise bad("give exactly one of correct or score")
    correct = score = None
    if correct_text:
        if correct_text not in ("0", "1"):
            raise bad(f"correct must be 0 or 1, got {correct_text!r}")
        correct = int(correct_text)
    else:
        try:
            score = float(score_text)
            scale.evidence(score)
        except ValueError as exc:
            problem = str(exc) if isinstance(exc, EvidenceError) else f"score {score_text!r} is not a number"
            raise bad(problem) from None
    try:
        at = datetime.fromisoformat(get("timestamp") or "")
    except ValueError:
        raise bad(f"unparsable timestamp {get('timestamp')!r} (use ISO 8601, e.g. 2024-09-03T10:15:00Z)") from None
    try:
        utc = answer_time(at, now)
    except ValueError as exc:
        raise bad(str(exc)) from None
    source = get("source") or "practice"
    if source not in SOURCES:
        raise bad(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    attempt = None
    if attempt_text := get("attempt") or "":
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses; 12 digits are plenty to refuse.
        attempt = int(attempt_text) if _DIGITS.fullmatch(attempt_text) else None
        if attempt is None or attempt_problem(attempt):
            raise bad(f"attempt must be a whole number from 1 to {MAX_ATTEMPT:,}, got {attempt_text!r}")
    key = get("idempotency_key") or None
    if key is None:
        # The UTC spelling of the time: a row keeps the key it always had when already written that way.
        stamp = utc.isoformat() + "Z"
        content = "\x1f".join(stamp if c == "timestamp" else get(c) or "" for c in COLUMNS[:-1])
        seen[content] += 1
        key = "csv:" + hashlib.sha256(f"{content}\x1e{seen[content]}".encode()).hexdigest()[:40]
    elif len(key) > 200:
        raise bad("idempotency_key is longer than 200 characters")
    return ResponseIn(get("student") or "", get("competency") or None, get("item") or None, correct, score, at,
                      source, attempt, key)  # fmt: skip
