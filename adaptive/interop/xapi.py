"""Reading xAPI statements into plain records: who did what, how well, and when (format: docs/interop.md).

A file is a JSON array of statements, an LRS answer (``{"statements": [...]}``), one statement, or one
statement a line (JSON lines). Every statement is validated before anything is used; problems name the file,
the statement (``statement 12 (id ...)``, counted from 0 as in ``jq '.[12]'``, or ``line 13`` in JSON lines)
and the field. No database here: :mod:`adaptive.services.interop` matches actors and activities to students
and content items.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from adaptive.domain import StoreError
from adaptive.domain.chat import ascii_lower  # one comparison for chat identities and xAPI actors
from adaptive.domain.response_bounds import answer_time
from adaptive.interop.xapi_report import Unmatched, XapiImportReport  # noqa: F401 - re-exported

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ScaledConvention = Literal["fraction", "symmetric"]
SCALED_CONVENTIONS: tuple[str, ...] = ("fraction", "symmetric")


MAX_PROBLEMS = 50  # problems an XapiError lists; the rest are counted


class XapiError(StoreError):
    """A statements file that cannot be imported; ``problems`` lists every problem (nothing was written), the
    first :data:`MAX_PROBLEMS` of them then ``... and N more problems``. ``skippable``: the problems are
    statements' (invalid, or in conflict), which ``skip_bad_statements`` would set aside."""

    def __init__(self, problems: list[str], skippable: bool = False) -> None:
        self.skippable = skippable
        more = len(problems) - MAX_PROBLEMS
        self.problems = tuple(problems[:MAX_PROBLEMS]) + ((f"... and {more} more problems",) if more > 0 else ())
        super().__init__("\n".join(self.problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Account(_Model):
    homePage: str = Field(min_length=1)  # noqa: N815 - xAPI's field names
    name: str = Field(min_length=1)


class Actor(_Model):
    objectType: Literal["Agent", "Group"] | None = None  # noqa: N815
    name: str | None = None
    mbox: str | None = None
    mbox_sha1sum: str | None = None
    openid: str | None = None
    account: Account | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> Actor:
        given = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"an actor has exactly one identifier, got {' and '.join(given)}")
        if not given and self.objectType != "Group":
            raise ValueError("an actor needs one of mbox, mbox_sha1sum, openid or account")
        if self.mbox is not None and not (self.mbox.startswith("mailto:") and "@" in self.mbox):
            raise ValueError(f"mbox must be a mailto: address such as mailto:ana@school.org, got {self.mbox!r}")
        return self


class Verb(_Model):
    id: str = Field(min_length=1)


class StatementObject(_Model):
    id: str | None = None
    objectType: str = "Activity"  # noqa: N815


class Score(_Model):
    scaled: float | None = Field(None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Score:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be less than max ({self.max:g})")
        if self.raw is not None and self.min is not None and self.raw < self.min:
            raise ValueError(f"raw ({self.raw:g}) is below min ({self.min:g})")
        if self.raw is not None and self.max is not None and self.raw > self.max:
            raise ValueError(f"raw ({self.raw:g}) is above max ({self.max:g})")
        return self


class Result(_Model):
    success: StrictBool | None = None
    score: Score | None = None


class StatementSpec(_Model):
    id: str | None = Field(None, min_length=1, max_length=150)
    actor: Actor
    verb: Verb
    object: StatementObject
    result: Result | None = None
    timestamp: str | None = None
    stored: str | None = None


@dataclass(frozen=True)
class Statement:
    """One validated statement. ``key`` makes re-importing it a no-op: ``xapi:`` and its id, or a hash of
    its JSON when it has none. ``actor`` is the actor's identifier (see :func:`actor_identifier`; None for
    an anonymous group), ``codes`` the student codes it may stand for. ``fraction`` is the score as a
    share of the maximum (0 to 1); ``correct`` is ``result.success``. ``at`` is the timestamp (else the
    ``stored`` time) in UTC; ``voids`` the key of the statement a voiding statement cancels."""

    where: str
    key: str
    statement_id: str | None
    verb: str
    actor: str | None
    codes: tuple[str, ...]
    actor_name: str | None
    object_id: str | None
    object_type: str
    correct: bool | None
    fraction: float | None
    at: datetime | None
    voids: str | None



def statement_key(statement_id: str) -> str:
    return f"xapi:{statement_id.strip().lower()}"


def actor_identifier(actor: Actor) -> tuple[str | None, tuple[str, ...]]:
    """The actor's identifier as the ``xapi_actor`` table holds it, and the student codes it may be.

    ``mailto:ana@school.org`` (A-Z in lower case; codes: the address, then its local part ``ana``),
    ``account:HOMEPAGE|NAME`` (code: the account name), ``openid:URI`` (code: the URI), ``sha1:HEX``.
    """
    if actor.mbox is not None:
        address = ascii_lower(actor.mbox.removeprefix("mailto:").strip())
        return f"mailto:{address}", (address, address.split("@", 1)[0])
    if actor.account is not None:
        return f"account:{actor.account.homePage}|{actor.account.name}", (actor.account.name,)
    if actor.openid is not None:
        return f"openid:{actor.openid}", (actor.openid,)
    if actor.mbox_sha1sum is not None:
        return f"sha1:{ascii_lower(actor.mbox_sha1sum.strip())}", ()
    return None, ()


def parse_actor(text: str) -> str:
    """An actor identifier as a person types it (``ana@school.org`` also works) in its stored form."""
    text = text.strip()
    if "@" in text and ":" not in text:
        text = f"mailto:{text}"
    kind, _, rest = text.partition(":")
    if kind == "mailto" and "@" in rest:
        return f"mailto:{ascii_lower(rest)}"
    if kind == "sha1" and rest:
        return f"sha1:{ascii_lower(rest)}"
    if kind == "openid" and rest:
        return text
    if kind == "account" and "|" in rest and all(rest.split("|", 1)):
        return text
    raise StoreError(
        f"unknown actor form {text!r}; use mailto:ADDRESS, account:HOMEPAGE|NAME, openid:URI or sha1:HEX"
    )


def fraction_of(score: Score | None, scaled: ScaledConvention) -> float | None:
    """The score as a share of its maximum: from raw, min (default 0) and max when given, else from scaled.

    ``scaled`` says how the source wrote ``score.scaled``: ``fraction`` (the usual raw/max, 0 to 1; a
    negative value counts as 0) or ``symmetric`` (-1 at the minimum, 0 half way, 1 at the maximum, as the
    Moodle xAPI plugin writes it).
    """
    if score is None:
        return None
    if score.raw is not None and score.max is not None:
        low = score.min if score.min is not None else 0.0
        if score.max > low:
            return min(1.0, max(0.0, (score.raw - low) / (score.max - low)))
    if score.scaled is not None:
        return max(0.0, score.scaled) if scaled == "fraction" else (score.scaled + 1) / 2
    return None


@dataclass(frozen=True)
class StatementFile:
    """A file's valid statements, and (read with ``skip_bad``) the problems of the others (``FILE: WHERE:
    reason``, several for a statement with several problems) and how many statements those are."""

    statements: tuple[Statement, ...]
    bad: tuple[str, ...] = ()
    bad_statements: int = 0
    conflicts: int = 0  # of the bad: an id another statement of the file has with other content


def read_statements(path: Path | str, scaled: ScaledConvention = "fraction") -> list[Statement]:
    """Every statement of the file, validated; raises :class:`XapiError` listing every problem."""
    return list(read_statement_file(path, scaled).statements)


def read_statement_file(path: Path | str, scaled: ScaledConvention = "fraction", *,
                        skip_bad: bool = False) -> StatementFile:  # fmt: skip
    """The file's statements, each validated. An invalid statement, or one whose id an earlier statement of the
    file has with other content (a conflict; an identical repeat is kept, and recorded once), makes the
    file fail (:class:`XapiError` listing every problem), unless ``skip_bad``: then it is set aside and listed.
    A file that is not JSON (or JSON lines) always fails: its first syntax error, with line and column."""
    if scaled not in SCALED_CONVENTIONS:
        raise StoreError(f"scaled must be one of {', '.join(SCALED_CONVENTIONS)}, got {scaled!r}")
    name = str(path)
    entries, problems = _entries(Path(path), name)
    bad = len(problems)  # JSON-lines lines that are not JSON: one statement each
    statements: list[Statement] = []
    first: dict[str, Statement] = {}
    conflicts = 0
    for where, data in entries:
        found: list[str] = []
        statement = _statement(name, where, data, scaled, found)
        if statement is not None and statement.statement_id is not None:
            earlier = first.setdefault(statement.key, statement)
            differs = _differences(earlier, statement)
            if differs:
                found.append(f"{name}: {where}: conflict: {earlier.where} has the same id with another "
                             f"{', '.join(differs)}")
                conflicts += 1
        if found:
            problems += found
            bad += 1
        elif statement is not None:
            statements.append(statement)
    if problems and not skip_bad:
        raise XapiError(problems, skippable=True)
    if not statements and not problems:
        raise XapiError([f"{name}: no statements"])
    return StatementFile(tuple(statements), tuple(problems), bad, conflicts)


def content_of(s: Statement) -> dict[str, object]:
    """What a statement says, as the tutor reads it: two statements with one id must agree on all of it."""
    return {"actor": s.actor, "verb": s.verb, "object": (s.object_type, s.object_id, s.voids),
            "result": (s.correct, s.fraction), "time": s.at}  # fmt: skip


def _differences(a: Statement, b: Statement) -> list[str]:
    if a is b:
        return []
    one, other = content_of(a), content_of(b)
    return [name for name in one if one[name] != other[name]]


def _entries(path: Path, name: str) -> tuple[list[tuple[str, Any]], list[str]]:
    """(where, parsed JSON) of each statement in the file, and the problems of JSON-lines lines that are not
    JSON. A JSON document (an array, an LRS answer, one statement, pretty-printed or not) that is not valid
    JSON fails at once with its first error's line and column (``FILE:LINE:COLUMN: message``)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise XapiError([f"{name}: cannot read the file ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError:
        raise XapiError([f"{name}: not UTF-8 text"]) from None
    if not text.strip():
        raise XapiError([f"{name}: empty file"])
    start = text.lstrip()[0]
    if start not in "[{":
        raise XapiError([f"{name}: line 1: expected xAPI statements as JSON (a [...] array or {{...}} objects)"])
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = _json_lines(text, name) if start == "{" else None
        if lines is None:
            raise XapiError([f"{name}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"]) from None
        return lines
    if isinstance(whole, dict) and isinstance(whole.get("statements"), list):
        whole = whole["statements"]  # an LRS's GET /statements answer
    if isinstance(whole, dict):  # one statement: on one line it is a JSON-lines file of one line
        one_line = "\n" not in text.strip()
        return [(f"line {text[: text.index('{')].count(chr(10)) + 1}" if one_line else "statement 0", whole)], []
    if not isinstance(whole, list):
        raise XapiError([f"{name}: expected a JSON array of statements"])
    return [(_where_in_array(i, data), data) for i, data in enumerate(whole)], []


def _where_in_array(index: int, data: Any) -> str:
    sid = data.get("id") if isinstance(data, dict) else None
    return f"statement {index} (id {sid})" if isinstance(sid, str) and sid else f"statement {index}"


def _json_lines(text: str, name: str) -> tuple[list[tuple[str, Any]], list[str]] | None:
    """The file read as one statement a line, or None when it is not JSON lines but one JSON document spread
    over several lines (its first line is not JSON on its own and most of its lines are not either)."""
    entries, problems = [], []
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    for number, line in numbered:
        try:
            entries.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"{name}: line {number}: not valid JSON ({exc.msg}, column {exc.colno})")
    first_is_json = bool(entries) and entries[0][0] == f"line {numbered[0][0]}"
    if len(numbered) < 2 or not (first_is_json or 2 * len(entries) >= len(numbered)):
        return None
    return entries, problems


def _statement(name: str, where: str, data: Any, scaled: ScaledConvention, problems: list[str]) -> Statement | None:
    if not isinstance(data, dict):
        problems.append(f"{name}: {where}: a statement is a JSON object, got {type(data).__name__}")
        return None
    try:
        spec = StatementSpec.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field = ".".join(str(part) for part in error["loc"]) or "statement"
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {where}: {field}: {message}")
        return None
    at = None
    for field in ("timestamp", "stored"):
        text = getattr(spec, field)
        if text is not None and at is None:
            at = _time(text)
            if at is None:
                problems.append(f"{name}: {where}: {field}: {text!r} is not an ISO 8601 time with a time zone "
                                "(e.g. 2024-09-03T10:15:00Z)")  # fmt: skip
                return None
            try:  # the times a response may have, checked here so that the statement alone can be skipped
                answer_time(at, datetime.now(UTC).replace(tzinfo=None))
            except ValueError as exc:
                problems.append(f"{name}: {where}: {field}: {exc}")
                return None
    if spec.id is not None:
        key = statement_key(spec.id)
    else:
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        key = "xapi:sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:48]
    actor, codes = actor_identifier(spec.actor)
    obj = spec.object
    voids = statement_key(obj.id) if spec.verb.id == VOIDED and obj.objectType == "StatementRef" and obj.id else None
    result = spec.result
    return Statement(
        where=where, key=key, statement_id=spec.id, verb=spec.verb.id, actor=actor, codes=codes,
        actor_name=spec.actor.name, object_id=obj.id, object_type=obj.objectType,
        correct=result.success if result else None, fraction=fraction_of(result.score, scaled) if result else None,
        at=at, voids=voids,
    )  # fmt: skip


def _time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.astimezone(UTC) if value.tzinfo is not None else None
