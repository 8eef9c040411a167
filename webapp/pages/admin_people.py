"""The school admin's people and chat accounts.

``/admin/people``: every person of the teacher table with the roles granted to them (grant or take back
``admin`` and ``lead``), and a one-time sign-in link for any student or teacher, shown once on the page
that made it. ``/admin/chat``: which chat account (Slack, Teams) is linked to whom; link one to a student
or a teacher, or remove a link. Links and their removals are in the audit trail under the admin's name
(``adaptive audit``), as every read of students' data here is in the access log.
"""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain import StoreError
from adaptive.domain.access import ADMIN, GRANTED_ROLES, SIGN_IN_MINUTES
from webapp.guard import Pages, Refused, Web

pages = Pages()
PLATFORMS = {"slack": "Slack", "teams": "Microsoft Teams"}
DONE = {"granted": "The role is granted.", "revoked": "The role is taken back; it counts at the person's next click.",
        "linked": "The chat account is linked.", "unlinked": "The chat account's link is removed."}


# -- people and roles -----------------------------------------------------------------------------------
@pages.page("/admin/people", roles=[ADMIN], nav="People")
def people(web: Web) -> Response:
    return _people(web)


def _people(web: Web, status: int = 200, *, error: str = "", link: tuple[str, str] | None = None) -> Response:
    return web.render("admin/people.html", status=status, staff=web.tutor.staff(), roles=GRANTED_ROLES,
                      error=error, link=link, minutes=SIGN_IN_MINUTES, done=_done(web))


def _done(web: Web) -> str | None:
    """The confirmation of the action just done (fixed texts: the query string never puts words on the page)."""
    return DONE.get(web.request.query_params.get("done", ""))


def _role_form(web: Web) -> tuple[str, str]:
    code, role = web.field("code"), web.field("role")
    if not code or role not in GRANTED_ROLES:
        raise Refused(400, "Say whose role, and which: admin or lead.")
    return code, role


@pages.action("/admin/people/grant", roles=[ADMIN])
def grant(web: Web) -> Response:
    code, role = _role_form(web)
    try:
        web.tutor.grant_role(code, role)
    except StoreError as exc:
        return _people(web, 400, error=str(exc))
    return web.redirect("/admin/people?done=granted")


@pages.action("/admin/people/revoke", roles=[ADMIN])
def revoke(web: Web) -> Response:
    code, role = _role_form(web)
    if code == web.me.code and role == ADMIN:  # the school would be left without anyone to give it back
        return _people(web, 400, error="You cannot take back your own admin role: another admin can.")
    web.tutor.revoke_role(code, role)
    return web.redirect("/admin/people?done=revoked")


@pages.action("/admin/people/sign-in-link", roles=[ADMIN])
def sign_in_link(web: Web) -> Response:
    """A one-time link for the student or teacher ``code``, on this page only (never stored or sent)."""
    code = web.field("code")
    if not code:
        raise Refused(400, "Say whose sign-in link to make (their roster code).")
    try:
        token = web.tutor.sign_in_link_token(code, by=web.actor)
    except StoreError as exc:
        return _people(web, 400, error=str(exc))
    base = str(web.request.base_url).rstrip("/")
    return _people(web, link=(code, f"{base}/sign-in/{token}"))


# -- chat accounts --------------------------------------------------------------------------------------
@pages.page("/admin/chat", roles=[ADMIN], nav="Chat accounts")
def chat(web: Web) -> Response:
    return _chat(web)


def _chat(web: Web, status: int = 200, *, error: str = "") -> Response:
    with web.reading():
        links = web.tutor.chat_links()
    return web.render("admin/chat.html", status=status, links=links, platforms=PLATFORMS, error=error,
                      done=_done(web))


@pages.action("/admin/chat/link", roles=[ADMIN])
def link(web: Web) -> Response:
    platform, user_id, code = web.field("platform"), web.field("user_id"), web.field("code")
    if platform not in PLATFORMS or not user_id or not code:
        raise Refused(400, "Say the platform, the chat account's id and the person's roster code.")
    person = web.tutor.person(code)
    if person is None:
        return _chat(web, 400, error=f"No student or teacher has the code {code!r}.")
    kind = {"student": code} if person.role == "student" else {"teacher": code}
    try:
        with web.reading():  # the audit trail names this admin
            web.tutor.link_chat_user(platform, user_id, by=web.actor, **kind)
    except StoreError as exc:
        return _chat(web, 400, error=str(exc))
    return web.redirect("/admin/chat?done=linked")


@pages.action("/admin/chat/unlink", roles=[ADMIN])
def unlink(web: Web) -> Response:
    platform, user_id = web.field("platform"), web.field("user_id")
    if not platform or not user_id:
        raise Refused(400, "Say which chat account to unlink.")
    with web.reading():
        web.tutor.unlink_chat_user(platform, user_id, by=web.actor)
    return web.redirect("/admin/chat?done=unlinked")
