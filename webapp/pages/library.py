"""The content library search, for students and teachers: the Tutor's full-text search (docs/content-library.md)
with its filters, results with titles, kinds, competencies by name and links. The catalogue is not student
data, so nothing here is an access-log read. The layout's nav carries a search box for everyone signed in."""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import ADMIN, LEAD, STUDENT, TEACHER
from adaptive.domain.errors import StoreError
from webapp.guard import Pages, Web

pages = Pages()
KINDS = ("lesson", "video", "practice", "assessment", "project", "offline activity")  # docs/content-library.md
RESULTS = 25
MAX_QUERY = 200


@pages.page("/library", roles=[STUDENT, TEACHER, LEAD, ADMIN], nav="Content library")
def library(web: Web) -> Response:
    params = web.request.query_params
    query = params.get("q", "").strip()[:MAX_QUERY]
    kind = params.get("kind", "").strip()
    competency = params.get("competency", "").strip()
    catalogue = web.tutor.competencies()
    names = {c.code: c.name for c in catalogue}
    searched = bool(query or kind or competency)
    hits, problem = [], None
    if kind and kind not in KINDS:
        problem = f"There is no kind of item called \u201c{kind}\u201d. Choose one from the list."
    elif competency and competency not in names:
        problem = f"There is no competency \u201c{competency}\u201d. Choose one from the list."
    elif searched:
        try:
            hits = web.tutor.search_content(query, kind=kind or None, competency=competency or None, limit=RESULTS)
        except StoreError as error:  # the library's own refusal, in its words
            problem = f"That search could not be run: {error}."
    note = None
    if searched and not problem and query and not any(ch.isalnum() for ch in query):
        note = "Your search has no letters or digits, so every item is listed."
    return web.render("library/search.html", status=400 if problem else 200, query=query, kind=kind, note=note,
                      competency=competency, kinds=KINDS, names=names, hits=hits, problem=problem,
                      searched=searched, competencies=sorted(catalogue, key=lambda c: c.name.casefold()),
                      limit=RESULTS)
