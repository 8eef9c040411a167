"""Signing in and out, and the home page that sends each person to their own page.

One-time links (``adaptive web sign-in-link --as CODE``) are redeemed here, by the button of the page the
link opens (a GET uses nothing up: mail scanners open links). OpenID Connect sign-in
(``webapp/oidc.py``) adds its routes to its own table and its button to ``sign_in.html``'s ``oidc`` block.
"""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import ADMIN, LEAD, STUDENT, WebUser
from webapp.guard import PUBLIC, SESSION_KEY, SIGN_IN_PATH, SIGNED_IN, Pages, Web

pages = Pages()


def home_of(web: Web) -> str:
    """Where a signed-in person starts: a student's progress, a teacher's morning page; a school admin or
    curriculum lead who teaches no section starts on their own pages (the roster, the rules), not on an
    empty morning page."""
    if web.me.kind == STUDENT:
        return "/me"
    if web.me.has(ADMIN, LEAD):
        with web.reading():
            teaches = bool(web.tutor.sections(teacher=web.me.code))
        if not teaches:
            return "/admin/roster" if web.me.has(ADMIN) else "/lead/rules"
    return "/teacher"


@pages.page("/", roles=SIGNED_IN)
def home(web: Web) -> Response:
    return web.redirect(home_of(web))


@pages.page(SIGN_IN_PATH, roles=PUBLIC)
def sign_in_page(web: Web) -> Response:
    if web.user is not None:
        return web.redirect(home_of(web))
    return web.render("sign_in.html")


@pages.page(SIGN_IN_PATH + "/{token}", roles=PUBLIC, free=("token",))
def open_link(web: Web) -> Response:
    """A one-time link opened: a page naming its person with a button that signs in. Opening it does not use
    it, so an e-mail scanner that opens links before the person does leaves it working; a used, expired or
    unknown link gets a page saying so."""
    person = web.tutor.sign_in_link_user(str(web.request.path_params["token"]))
    if person is None:
        return web.render("sign_in.html", status=400, failed=True)
    return web.render("sign_in_link.html", person=person)


@pages.action(SIGN_IN_PATH + "/{token}", roles=PUBLIC, free=("token",))
def redeem_link(web: Web) -> Response:
    """The link's button: uses the link, signs its person in (a fresh session) and goes home; a link used or
    expired meanwhile gets the page saying so."""
    user = web.tutor.redeem_sign_in(str(web.request.path_params["token"]))
    if user is None:
        return web.render("sign_in.html", status=400, failed=True)
    return sign_in_as(web, user)


def sign_in_as(web: Web, user: WebUser) -> Response:
    """Start a fresh session for ``user`` (nothing of the one before is kept) and go to their home page."""
    web.request.session.clear()
    web.request.session[SESSION_KEY] = user.code
    web.user = user
    return web.redirect(home_of(web))


@pages.action("/sign-out", roles=SIGNED_IN)
def sign_out(web: Web) -> Response:
    web.request.session.clear()
    return web.redirect(SIGN_IN_PATH + "?signed_out=1")
