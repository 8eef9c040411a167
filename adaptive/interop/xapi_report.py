"""What an xAPI import did (:class:`XapiImportReport`), for the library, the command line and the files an
admin completes (unknown actors and activities)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Unmatched:
    """A statement whose actor or activity matched nothing: where it is, the identifier, and (for an actor)
    the name the statement gives it, which helps an admin tell who it is."""

    where: str
    value: str
    name: str | None = None


@dataclass(frozen=True)
class XapiImportReport:
    """What an import did. ``recorded``/``duplicates`` count responses (a statement on an item tagged to
    two competencies gives two); ``skipped`` counts statements by reason, ``no_result_verbs`` the skipped
    statements without a usable result by verb; ``voided`` the responses already stored that voiding
    statements removed; ``timestamps_defaulted`` the statements with neither timestamp nor stored time
    (given the import time). With ``skip_bad_statements``, ``bad_statements`` lists the problems of the
    statements set aside (``FILE: WHERE: reason``): invalid ones, and ``conflicts``, those whose id another
    statement of the file, or one imported before, has with other content."""

    file: str
    statements: int
    recorded: int
    duplicates: int
    skipped: dict[str, int]
    no_result_verbs: dict[str, int]
    unknown_items: tuple[Unmatched, ...]
    unknown_actors: tuple[Unmatched, ...]
    created_students: tuple[str, ...]
    voided: int
    timestamps_defaulted: int
    bad_statements: tuple[str, ...] = ()
    conflicts: int = 0

    @property
    def distinct_unknown_items(self) -> dict[str, int]:
        """Each unknown activity id once, with how many statements named it, most first: what to map."""
        return _distinct(self.unknown_items)

    @property
    def distinct_unknown_actors(self) -> dict[str, int]:
        """Each unknown actor once, with how many statements it made, most first: whom to link."""
        return _distinct(self.unknown_actors)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("unknown_items", "unknown_actors"):
            out[name] = [{"where": u.where, "value": u.value} for u in out[name]]
        out["created_students"] = list(self.created_students)
        out["bad_statements"] = list(self.bad_statements)
        out["distinct_unknown_items"] = self.distinct_unknown_items
        out["distinct_unknown_actors"] = self.distinct_unknown_actors
        return out


def _distinct(rows: tuple[Unmatched, ...]) -> dict[str, int]:
    counts = Counter(u.value for u in rows)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
