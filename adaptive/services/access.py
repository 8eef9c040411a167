"""Who may use the web app: one-time sign-in links, the people they sign in, roles granted beyond the
roster's, and the session signing secret the web servers share.

A link's token is random (256 bits) and only its SHA-256 digest is stored: a copy of the database signs no one
in. Redeeming marks the link used in the same statement that checks it, so of several servers sharing one
database, exactly one lets it in. Tokens and secrets are never logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy.orm import Session

from adaptive.domain.access import GRANTED_ROLES, SIGN_IN_MINUTES, STUDENT, RoleGrant, StaffMember, WebUser
from adaptive.domain.errors import StoreError
from adaptive.services import audit
from adaptive.services.context import Context
from adaptive.store import audit as audit_store
from adaptive.store import web_access as store

SECRET_SETTING = "session_secret"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _plausible(token: str) -> bool:
    """Whether a token could be one a link carries: an empty or overlong one is refused without a query."""
    return bool(token) and len(token) <= 200


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AccessService:
    """Sign-in links and roles of the web app (:class:`adaptive.Tutor`); the app itself lives outside the
    library and asks only these questions."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def sign_in_link_token(self, code: str, *, minutes: int = SIGN_IN_MINUTES, by: str | None = None) -> str:
        """A new one-time sign-in token for the active student or teacher ``code``, valid ``minutes`` (default
        15): the web app's link is ``BASE/sign-in/TOKEN``. Unknown or inactive code: UnknownRecord. A link
        signs in as its person, so making one is in the audit trail: who (the current actor, else ``by``) made
        one for whom (never the token)."""
        if minutes < 1:
            raise StoreError(f"minutes must be 1 or more, not {minutes}")
        token = secrets.token_urlsafe(32)
        now = _now()

        def work(session: Session) -> None:
            kind = store.add_sign_in(session, code, _digest(token), now, now + dt.timedelta(minutes=minutes))
            audit_store.record(session, actor=audit.changer(self._ctx, by), action="sign-in link",
                               student=code if kind == STUDENT else None, what="sign-in link",
                               detail=f"for {kind} {code}, valid {minutes} min")

        self._ctx.write(work)
        return token

    def redeem_sign_in(self, token: str) -> WebUser | None:
        """The person a sign-in token was made for, marking it used; None when it is unknown, expired, used
        already (on any server), or its person has left the roster."""
        if not _plausible(token):
            return None
        return self._ctx.write(lambda s: store.redeem(s, _digest(token), _now()))

    def sign_in_link_user(self, token: str) -> WebUser | None:
        """The person a sign-in token would sign in, leaving it unused (the web app asks before it signs
        anyone in: an e-mail scanner that opens the link must not use it up); None when :meth:`redeem_sign_in`
        would refuse it now."""
        if not _plausible(token):
            return None
        return self._ctx.read(lambda s: store.unused(s, _digest(token), _now()))

    def web_user(self, code: str) -> WebUser | None:
        """The active student or teacher ``code`` with their roles now (the web app asks on every request, so a
        role taken back or a student who left the roster counts at once); None when there is none."""
        return self._ctx.read(lambda s: store.user(s, code))

    def grant_role(self, code: str, role: str) -> bool:
        """Grant a teacher-table person ``role`` (``admin`` or ``lead``); False when already held."""
        self._check(role)
        return self._ctx.write(lambda s: store.grant(s, code, role), retry_integrity=True)

    def revoke_role(self, code: str, role: str) -> bool:
        """Take ``role`` back from a teacher-table person; False when it was not held."""
        self._check(role)
        return self._ctx.write(lambda s: store.revoke(s, code, role))

    def role_grants(self) -> list[RoleGrant]:
        """Every granted role, by person code."""
        return self._ctx.read(store.grants)

    def staff(self) -> list[StaffMember]:
        """Every active teacher-table person, by code, with the roles granted to them."""
        return self._ctx.read(store.staff)

    def web_session_secret(self) -> str:
        """The session signing secret kept in the database, generated on first use: every server on the same
        database signs and reads the same cookies (the web app prefers ``$ADAPTIVE_WEB_SECRET`` when set)."""

        def work(session: Session) -> str:
            found = store.setting(session, SECRET_SETTING)
            if found is None:
                found = secrets.token_urlsafe(48)
                store.add_setting(session, SECRET_SETTING, found)
                session.flush()  # a server creating it at the same time: IntegrityError, retried, read
            return found

        return self._ctx.write(work, retry_integrity=True)

    @staticmethod
    def _check(role: str) -> None:
        if role not in GRANTED_ROLES:
            raise StoreError(f"role must be one of {', '.join(GRANTED_ROLES)}, not {role!r}")
