"""The route table: every page and action states who may use it, and the guard enforces it on each request.

A handler is declared with :meth:`Pages.page` (GET) or :meth:`Pages.action` (POST, CSRF-checked by the
middleware before it runs) and receives a :class:`Web`: the request, the Tutor, the signed-in user, the form.
Before the handler runs, the guard

1. loads the signed-in person from the session (their roles as the database has them now);
2. sends nobody to the sign-in page when the route is not :data:`PUBLIC`;
3. answers 403 when the user holds none of the route's roles;
4. answers 404 when a path parameter names something outside the user's reach (``{section}``: one they teach;
   ``{student}``: themselves, or one enrolled in a section they teach). Every path parameter must have such a
   check in :data:`SCOPES` or be declared ``free`` (a sign-in token), else the route is refused at import.

tests/web/test_roles.py walks every route of the app with every kind of user, so a new page is covered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Message

from adaptive.domain.access import ADMIN, LEAD, STUDENT, TEACHER, WebUser

if TYPE_CHECKING:
    from jinja2 import Environment

    from adaptive import Tutor

PUBLIC: frozenset[str] = frozenset()  # anyone, signed in or not
SIGNED_IN = frozenset({STUDENT, TEACHER, ADMIN, LEAD})
SESSION_KEY = "user"
SIGN_IN_PATH = "/sign-in"
_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


class Refused(Exception):
    """Raised by a handler to answer with a status page (403: not allowed, 404: not found or not yours)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Web:
    """What a handler gets: the request, the Tutor, who is signed in (None on a public page), the posted form
    (POST only), and helpers to read as that person and render a template."""

    request: Request
    tutor: Tutor
    user: WebUser | None
    form: FormData | None = None
    env: Environment | None = field(default=None, repr=False)
    form_refused: Refused | None = None  # the posted form could not be read (an upload over its cap)

    @property
    def me(self) -> WebUser:
        """The signed-in user (the guard has checked there is one on every non-public route)."""
        if self.user is None:
            raise Refused(403)
        return self.user

    @property
    def actor(self) -> str:
        """The access log's name for this person: ``web:T-KIM (teacher T-KIM)``."""
        return actor_of(self.me)

    def reading(self) -> AbstractContextManager[str]:
        """Log the Tutor calls made inside the ``with`` block as this person (the access log)."""
        return self.tutor.acting_as(self.actor)

    @property
    def htmx(self) -> bool:
        """True for a request htmx made (answer with a fragment template rather than a whole page)."""
        return self.request.headers.get("hx-request") == "true"

    def own_sections(self) -> list[str]:
        """Codes of the sections the signed-in teacher teaches (none for a student)."""
        return self.tutor.teacher_sections(self.me.code) if self.me.has(TEACHER) else []

    def field(self, name: str) -> str:
        """A posted form field, stripped ('' when absent), without NUL characters: no one types one, a crafted
        request may send it, and PostgreSQL cannot store it."""
        value = self.form.get(name) if self.form is not None else None
        return value.replace("\x00", "").strip() if isinstance(value, str) else ""

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """The template rendered (autoescaped) with ``request``, ``user`` and ``context``."""
        assert self.env is not None
        html = self.env.get_template(template).render(request=self.request, user=self.user, **context)
        return HTMLResponse(html, status_code=status)

    def redirect(self, path: str) -> RedirectResponse:
        """See other (303): where a form goes after it did its work."""
        return RedirectResponse(path, status_code=303)


def nav_links(pages: Collection[Page], user: WebUser | None) -> list[tuple[str, str]]:
    """(path, label) of the navigation's links for ``user``: the pages declared with ``nav`` they may open."""
    if user is None:
        return []
    return [(p.path, p.nav) for p in pages if p.nav and p.method == "GET" and (not p.roles or user.roles & p.roles)]


def actor_of(user: WebUser) -> str:
    return f"web:{user.code} ({user.kind} {user.code})"


def own_section(web: Web, section: str) -> bool:
    return web.user is not None and section in web.own_sections()


def own_student(web: Web, student: str) -> bool:
    user = web.user
    if user is None:
        return False
    if user.kind == STUDENT:
        return student == user.code
    return any(student in {s.code for s in web.tutor.students(section)} for section in web.own_sections())


def own_goal(web: Web, goal: str) -> bool:
    """A goal id of the signed-in student's own goals (goals belong to students only)."""
    user = web.user
    return (user is not None and user.kind == STUDENT and goal.isdigit()
            and any(g.id == int(goal) for g in web.tutor.goals(user.code)))


# A path parameter's name -> who may name it. Add one here for a new kind of parameter.
SCOPES: dict[str, Callable[[Web, str], bool]] = {"section": own_section, "student": own_student,
                                                 "goal": own_goal}

Handler = Callable[[Web], Response]


@dataclass(frozen=True)
class Page:
    """One route of the table: path, method, who may use it, and the handler."""

    path: str
    method: str
    roles: frozenset[str]
    handler: Handler
    name: str
    free: tuple[str, ...] = ()
    nav: str | None = None  # the label of its link in the layout's navigation (shown to those who may open it)
    upload: Upload | None = None  # an action taking files: its caps (other forms: Starlette's defaults)

    @property
    def params(self) -> list[str]:
        return _PARAM.findall(self.path)


class Pages:
    """The app's route table (one per module of pages; :func:`webapp.app.create_app` joins them)."""

    def __init__(self) -> None:
        self.pages: list[Page] = []

    def page(self, path: str, *, roles: Collection[str], free: tuple[str, ...] = (),
             nav: str | None = None) -> Callable[[Handler], Handler]:
        """Declare a GET page usable by ``roles`` (:data:`PUBLIC`: anyone); ``nav``: its link's label in the
        navigation of those who may open it (a page without path parameters)."""
        return self._add(path, "GET", roles, free, nav)

    def action(self, path: str, *, roles: Collection[str], free: tuple[str, ...] = (),
               upload: Upload | None = None) -> Callable[[Handler], Handler]:
        """Declare a POST action (a form or htmx request; the CSRF middleware has checked its token).
        ``upload``: the action takes files (``multipart/form-data``), within these caps."""
        return self._add(path, "POST", roles, free, None, upload)

    def _add(self, path: str, method: str, roles: Collection[str], free: tuple[str, ...],
             nav: str | None, upload: Upload | None = None) -> Callable[[Handler], Handler]:
        def declare(handler: Handler) -> Handler:
            page = Page(path, method, frozenset(roles), handler, handler.__name__, free, nav, upload)
            unchecked = [p for p in page.params if p not in SCOPES and p not in free]
            if unchecked:
                raise ValueError(f"{method} {path}: path parameter(s) {', '.join(unchecked)} have no scope check")
            self.pages.append(page)
            return handler

        return declare

    def __iter__(self) -> Iterator[Page]:
        return iter(self.pages)


@dataclass(frozen=True)
class Upload:
    """Caps of an action taking files: the whole request body (bytes, counted as it arrives, whatever
    Content-Length says) and how many files. Over a cap the form is not read and the user (once the guard
    has let them in) sees ``413`` saying what the cap is."""

    max_bytes: int
    max_files: int = 32


class _TooLarge(Exception):
    pass


async def _read_form(request: Request, upload: Upload | None) -> FormData:
    if upload is None:
        return await request.form()
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > upload.max_bytes:
        raise _TooLarge
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await request.receive()
        seen += len(message.get("body", b""))
        if seen > upload.max_bytes:
            raise _TooLarge
        return message

    return await Request(request.scope, counting).form(max_files=upload.max_files, max_fields=upload.max_files + 16)


def route(page: Page, tutor: Tutor, env: Environment) -> Route:
    """The Starlette route running ``page`` behind the guard."""

    async def endpoint(request: Request) -> Response:
        form, refused = None, None
        if page.method == "POST":
            try:
                form = await _read_form(request, page.upload)
            except _TooLarge:
                cap = page.upload.max_bytes if page.upload else 0
                refused = Refused(413, f"The upload is larger than this server accepts ({cap / 2**20:g} MB).")
            except HTTPException as exc:  # a malformed form, or more files than the cap
                refused = Refused(400, f"The form could not be read: {exc.detail}")
        try:
            return await run_in_threadpool(_guarded, page, Web(request, tutor, None, form, env, refused))
        finally:
            if form is not None:
                await form.close()  # uploaded files' temporary copies

    return Route(page.path, endpoint, methods=[page.method], name=page.name)


def _guarded(page: Page, web: Web) -> Response:
    code = web.request.session.get(SESSION_KEY)
    web.user = tutor_user = web.tutor.web_user(code) if isinstance(code, str) else None
    if code is not None and tutor_user is None:
        web.request.session.clear()  # left the roster since: signed out
    try:
        if page.roles:
            if tutor_user is None:
                wanted = web.request.url.path if page.method == "GET" else "/"
                return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(wanted)}", status_code=302)
            if not tutor_user.roles & page.roles:
                raise Refused(403, "This page is not for your role.")
            with web.reading():
                for name in page.params:
                    if name in SCOPES and not SCOPES[name](web, str(web.request.path_params[name])):
                        raise Refused(404, "There is no such page, or it is not yours to see.")
        if web.form_refused is not None:
            raise web.form_refused
        return page.handler(web)
    except Refused as refused:
        message = refused.message or ("Not allowed." if refused.status == 403 else "Not found.")
        return web.render("refused.html", status=refused.status, code=refused.status, message=message)
