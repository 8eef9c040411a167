"""Linking many xAPI actors to students at once (docs/interop.md): by the roster's e-mail addresses, or from
a CSV file of ``actor,student`` rows that an admin keeps.

Pure: the service reads the roster and the stored links and writes what these functions decide.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adaptive.domain import StoreError
from adaptive.domain.spreadsheet import to_csv
from adaptive.interop.xapi import XapiError, XapiImportReport, ascii_lower, parse_actor

CSV_COLUMNS = ("actor", "student")


@dataclass(frozen=True)
class SharedEmail:
    """A roster e-mail address that several students have: actors writing from it are linked to nobody."""

    email: str
    students: tuple[str, ...]
    actors: tuple[str, ...]


@dataclass(frozen=True)
class ActorLinkReport:
    """What a bulk link did. ``actors`` counts the distinct actors considered; ``linked`` lists (actor,
    student) of the links written (new, or changed by a CSV file); ``replaced`` counts those among them that
    pointed to another student before; ``unchanged`` the actors already linked as asked (or, by e-mail,
    already linked at all: a link made by hand is never overwritten by an e-mail match). ``shared_emails``
    are roster addresses of two or more students (nobody linked); ``teachers`` (actor, teacher code) the
    actors whose address is a rostered teacher's (their answers are not a student's); ``unmatched`` the
    other actors, whose address is nobody's in the roster."""

    source: str
    actors: int
    linked: tuple[tuple[str, str], ...]
    replaced: int = 0
    unchanged: int = 0
    shared_emails: tuple[SharedEmail, ...] = ()
    teachers: tuple[tuple[str, str], ...] = ()
    unmatched: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "actors": self.actors,
            "linked": [{"actor": a, "student": s} for a, s in self.linked], "replaced": self.replaced,
            "unchanged": self.unchanged,
            "shared_emails": [{"email": e.email, "students": list(e.students), "actors": list(e.actors)}
                              for e in self.shared_emails],
            "teachers": [{"actor": a, "teacher": t} for a, t in self.teachers], "unmatched": list(self.unmatched),
        }  # fmt: skip


def actor_email(actor: str) -> str | None:
    """The e-mail address an actor identifier carries, A-Z in lower case: an ``mbox``, or an account whose
    name is an address (``account:https://lms.example.org|ana@school.org``, as many LMSs write it)."""
    if actor.startswith("mailto:"):
        return ascii_lower(actor.removeprefix("mailto:"))
    if actor.startswith("account:"):
        name = actor.partition("|")[2].strip()
        return ascii_lower(name) if "@" in name else None
    return None


def roster_by_email(people: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """(e-mail, code) pairs of the roster's students (or teachers) -> address (A-Z lower-cased, trimmed) ->
    the codes of the people who have it."""
    by_email: defaultdict[str, set[str]] = defaultdict(set)
    for email, code in people:
        if email and email.strip():
            by_email[ascii_lower(email.strip())].add(code)
    return {email: tuple(sorted(codes)) for email, codes in by_email.items()}


def email_links(source: str, actors: Collection[str], roster: Mapping[str, tuple[str, ...]],
                linked: Mapping[str, str], teachers: Mapping[str, tuple[str, ...]] | None = None,
                ) -> tuple[ActorLinkReport, dict[str, str]]:  # fmt: skip
    """Which of ``actors`` to link to a student by e-mail: those whose address is exactly one roster student's
    and that have no link yet (``linked``: actor -> student); ``teachers`` are the roster's teachers by
    address (:func:`roster_by_email`). Returns the report and the links to write."""
    links: dict[str, str] = {}
    shared: defaultdict[str, list[str]] = defaultdict(list)
    unmatched: list[str] = []
    teacher_actors: list[tuple[str, str]] = []
    teachers = teachers or {}
    unchanged = 0
    for actor in sorted(actors):
        if actor in linked:
            unchanged += 1
            continue
        email = actor_email(actor)
        students = roster.get(email, ()) if email else ()
        if len(students) == 1:
            links[actor] = students[0]
        elif students:
            shared[email].append(actor)  # type: ignore[index]
        elif email in teachers:
            teacher_actors.append((actor, teachers[email][0]))
        else:
            unmatched.append(actor)
    report = ActorLinkReport(
        source=source, actors=len(actors), linked=tuple(links.items()), unchanged=unchanged,
        shared_emails=tuple(SharedEmail(e, roster[e], tuple(a)) for e, a in sorted(shared.items())),
        teachers=tuple(teacher_actors), unmatched=tuple(unmatched),
    )  # fmt: skip
    return report, links


@dataclass(frozen=True)
class LinkRow:
    """One ``actor,student`` row of a links file: its line, where it is, the actor as stored, the student code."""

    line: int
    where: str
    actor: str
    student: str


def read_link_rows(path: Path | str) -> tuple[list[LinkRow], list[tuple[int, str]]]:
    """The rows of a CSV file with the columns ``actor`` and ``student`` (any order, others ignored), and the
    problems of its rows as (line, ``FILE:LINE: message``): an actor in no known form, an empty field, one
    actor given two students. Raises :class:`XapiError` for a file that cannot be read at all."""
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise XapiError([f"{name}: cannot read the file ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError:
        raise XapiError([f"{name}: not UTF-8 text (save it as CSV UTF-8)"]) from None
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise XapiError([f"{name}:1: missing column {' and '.join(map(repr, missing))} (the header is actor,student)"])
    at = {c: header.index(c) for c in CSV_COLUMNS}
    rows: list[LinkRow] = []
    problems: list[tuple[int, str]] = []
    first: dict[str, LinkRow] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        where = f"{name}:{line}"
        raw_actor, student = (values[at[c]].strip() if at[c] < len(values) else "" for c in CSV_COLUMNS)
        try:
            actor = parse_actor(raw_actor) if raw_actor else ""
        except StoreError as exc:
            problems.append((line, f"{where}: {exc}"))
            continue
        if not actor or not student:
            problems.append((line, f"{where}: {'actor' if not actor else 'student'} is empty"))
            continue
        row = LinkRow(line, where, actor, student)
        earlier = first.setdefault(actor, row)
        if earlier.student != student:
            problems.append((line, f"{where}: actor {actor} is linked to {earlier.student!r} at {earlier.where}; "
                                   "an actor is one student"))  # fmt: skip
            continue
        rows.append(row)
    if not rows and not problems:
        raise XapiError([f"{name}: no links (rows of actor,student after the header)"])
    return rows, problems


def csv_links(source: str, rows: list[LinkRow], problems: list[tuple[int, str]], known: Collection[str],
              linked: Mapping[str, str]) -> tuple[ActorLinkReport, dict[str, str]]:  # fmt: skip
    """The links a file's rows ask for, given the ``known`` student codes and the stored links. Raises
    :class:`XapiError` listing, in line order, the file's ``problems`` and each row whose student is unknown
    (all or nothing: then no link is written)."""
    problems = problems + [(r.line, f"{r.where}: unknown student {r.student!r}")
                           for r in rows if r.student not in known]  # fmt: skip
    if problems:
        raise XapiError([message for _, message in sorted(problems)])
    wanted = {r.actor: r.student for r in rows}
    links = {a: s for a, s in wanted.items() if linked.get(a) != s}
    report = ActorLinkReport(
        source=source, actors=len(wanted), linked=tuple(sorted(links.items())),
        replaced=sum(1 for a in links if a in linked), unchanged=len(wanted) - len(links),
    )  # fmt: skip
    return report, links


def links_to_fill(report: XapiImportReport) -> str:
    """A links file (CSV) of an import's unknown actors, most statements first, for an admin to complete:
    ``actor`` filled, ``student`` empty, and the actor's ``name`` and ``statements`` to help (``adaptive xapi
    link-csv`` ignores them). Rows left without a student are refused, so delete those not to link."""
    names: dict[str, str] = {}
    for u in report.unknown_actors:
        if u.name:
            names.setdefault(u.value, u.name)
    return to_csv(["actor", "student", "name", "statements"],
                ([actor, "", names.get(actor, ""), n] for actor, n in report.distinct_unknown_actors.items()))


def items_to_fill(report: XapiImportReport) -> str:
    """An item bank (CSV) of an import's unknown activities, most statements first, for an admin to complete
    (``adaptive curriculum import-items``): ``url`` the activity id and ``code`` a suggestion from it; the
    title and competencies are to write, and the rows of activities that are not questions to delete."""
    used: set[str] = set()
    rows = []
    for activity in report.distinct_unknown_items:
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", activity.rstrip("/").rsplit("/", 1)[-1]).strip("-.")[:60] or "item"
        code, n = base, 1
        while code in used:
            n += 1
            code = f"{base}-{n}"
        used.add(code)
        rows.append([code, "", "", "", activity])
    return to_csv(["code", "title", "competencies", "kind", "url"], rows)


