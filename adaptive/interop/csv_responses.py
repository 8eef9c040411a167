"""Reading a responses CSV (format in docs/store.md) into :class:`ResponseIn` records, validating all rows.

Rows without an ``idempotency_key`` get one derived from their content (and the how-many-th identical
row it is), so importing the same file again never counts a response twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from datetime import datetime
from pathlib import Path

from adaptive.domain import ResponseIn, StoreError
from adaptive.domain.evidence import EvidenceError, ScoreScale
from adaptive.domain.records import SOURCES

COLUMNS = ("student", "competency", "item", "correct", "score", "timestamp", "source", "attempt", "idempotency_key")


class CsvError(StoreError):
    """A file that cannot be imported; the message names the file, the line and the problem."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        super().__init__(f"{path}: line {line}: {problem}" if line else f"{path}: {problem}")


def read_responses(path: Path, scale: ScoreScale) -> tuple[list[ResponseIn], list[int]]:
    """All responses of ``path`` and the line each starts on; raises :class:`CsvError` on the first problem."""
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
    line = reader.line_num + 1
    try:
        for raw in reader:
            if None in raw or any(v is None for v in raw.values()):
                raise CsvError(path, line, f"expected {len(header)} fields, got a different number")
            row = {k: v.strip() for k, v in raw.items()}
            if any(row.values()):
                responses.append(_response(path, line, row, scale, seen))
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CsvError(path, line, f"malformed CSV ({exc})") from None
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


def _response(path: Path, line: int, row: dict[str, str], scale: ScoreScale, seen: Counter[str]) -> ResponseIn:
    def bad(problem: str) -> CsvError:
        return CsvError(path, line, problem)

    get = row.get
    if not get("student"):
        raise bad("student is empty")
    if not get("competency") and not get("item"):
        raise bad("needs a competency or an item")
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
    source = get("source") or "practice"
    if source not in SOURCES:
        raise bad(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    attempt = None
    if get("attempt"):
        if not (get("attempt") or "").isdigit() or int(get("attempt") or 0) < 1:
            raise bad(f"attempt must be a positive integer, got {get('attempt')!r}")
        attempt = int(get("attempt") or 0)
    key = get("idempotency_key") or None
    if key is None:
        content = "\x1f".join(get(c) or "" for c in COLUMNS[:-1])
        seen[content] += 1
        key = "csv:" + hashlib.sha256(f"{content}\x1e{seen[content]}".encode()).hexdigest()[:40]
    elif len(key) > 200:
        raise bad("idempotency_key is longer than 200 characters")
    return ResponseIn(get("student") or "", get("competency") or None, get("item") or None, correct, score, at,
                      source, attempt, key)  # fmt: skip
