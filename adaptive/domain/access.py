"""Who is signed in to the web app and what they may do: the roster says student or teacher; a teacher-table
person may also be granted ``admin`` (school admin) or ``lead`` (curriculum lead)."""

from __future__ import annotations

from dataclasses import dataclass

STUDENT = "student"
TEACHER = "teacher"
ADMIN = "admin"
LEAD = "lead"
GRANTED_ROLES = (ADMIN, LEAD)  # what `grant_role` gives; student and teacher come from the roster
ROLE_NAMES = {STUDENT: "student", TEACHER: "teacher", ADMIN: "school admin", LEAD: "curriculum lead"}
SIGN_IN_MINUTES = 15


@dataclass(frozen=True)
class WebUser:
    """A person of the roster as the web app knows them: ``kind`` is student or teacher (the roster table they
    are in), ``roles`` what they may do (``student``; or ``teacher`` plus any granted ``admin``, ``lead``)."""

    code: str
    name: str
    kind: str
    roles: frozenset[str]

    def has(self, *roles: str) -> bool:
        """True when the user holds any of ``roles``."""
        return bool(self.roles.intersection(roles))


@dataclass(frozen=True)
class RoleGrant:
    """A role granted to a teacher-table person (``adaptive web roles`` lists them)."""

    code: str
    name: str
    role: str


@dataclass(frozen=True)
class StaffMember:
    """An active person of the teacher table (teachers, and leads or admins who teach nothing) with the roles
    granted to them (the school admin's people page)."""

    code: str
    name: str
    email: str | None
    granted: frozenset[str]
