"""Student data export and erasure: what an erasure removed (without saying whom) and who retention would
erase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# What one student's stored data is made of, by kind, in the order an export lists it. Each kind is one table
# of the store (adaptive.store.privacy.STUDENT_TABLES holds which).
KINDS = (
    "student", "sections", "roster_enrollments", "responses", "mastery", "decisions", "flags", "help_requests",
    "skipped_competencies", "playlist_changes", "goals", "check_ins", "small_groups", "progress_messages",
    "chat_accounts", "chat_conversations", "chat_questions", "xapi_identities", "sign_in_links", "access_log",
)  # fmt: skip


@dataclass(frozen=True)
class ErasureReceipt:
    """What an erasure removed: rows per kind, never a name or a code, so it may be logged and kept.

    ``students`` erased whole; ``kept`` students (a section's erasure) also enrolled elsewhere kept their data,
    only their enrollment in that section went. ``empty_small_groups``: issued groups left without members,
    removed with them. ``dry_run``: nothing was removed, the counts say what would be."""

    students: int
    counts: tuple[tuple[str, int], ...]
    kept: int = 0
    empty_small_groups: int = 0
    dry_run: bool = False

    @property
    def rows(self) -> int:
        """Every row removed, all kinds together."""
        return sum(n for _, n in self.counts) + self.empty_small_groups

    def count(self, kind: str) -> int:
        return dict(self.counts).get(kind, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"students": self.students, "kept": self.kept, "rows": self.rows, "dry_run": self.dry_run,
                "counts": dict(self.counts), "empty_small_groups": self.empty_small_groups}


@dataclass(frozen=True)
class InactiveStudent:
    """A student the roster removed (``left_roster_at``) who has not answered since ``last_response_at``
    (None: never): what the retention setting would erase."""

    code: str
    left_roster_at: datetime
    last_response_at: datetime | None
