"""What to do next: the signed-in student's next items (a link when the item has one, its title, why it is
there in plain words) and "I'm stuck": their note becomes a help flag on the teacher's morning page. Own data
only: no student in the path."""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import STUDENT
from adaptive.domain.errors import StoreError
from webapp.guard import Pages, Web

pages = Pages()
NEXT_ITEMS = 5  # the playlist a student can take in at a glance (the chat shows the same few)
MAX_NOTE = 500


@pages.page("/me/next", roles=[STUDENT], nav="What to do next")
def what_next(web: Web) -> Response:
    return render_next(web)


def render_next(web: Web, *, error: str | None = None, note: str = "", status: int = 200) -> Response:
    code = web.me.code
    with web.reading():
        items = web.tutor.playlist(code, NEXT_ITEMS)
    catalogue = web.tutor.competencies()
    urls = {i.code: i.url for i in web.tutor.content_items() if i.url} if items else {}
    return web.render("me/next.html", status=status, items=items, urls=urls,
                      names={c.code: c.name for c in catalogue},
                      competencies=sorted(catalogue, key=lambda c: c.name.casefold()), error=error, note=note,
                      asked=web.request.query_params.get("asked"))


@pages.action("/me/next/help", roles=[STUDENT])
def im_stuck(web: Web) -> Response:
    """Ask a teacher for help: a flag with the student's words, on the competency they name or on what they
    are working on (asking again while it is open adds the words to the same flag)."""
    note = web.field("note")[:MAX_NOTE]
    competency = web.field("competency") or None
    if competency is not None and competency not in {c.code for c in web.tutor.competencies()}:
        return render_next(web, error="Choose a competency from the list, or leave it on what you're working on.",
                           note=note, status=400)
    try:
        with web.reading():
            web.tutor.ask_for_help(web.me.code, note or "I'm stuck", competency=competency)
    except StoreError as error:
        return render_next(web, error=f"Your teacher could not be told: {error}.", note=note, status=400)
    return web.redirect("/me/next?asked=1")
