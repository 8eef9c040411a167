"""The student's own page: my progress (levels in words), my goals, what to do next. Own data only: the page
has no student in its path, it always shows the signed-in student."""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import STUDENT
from webapp.guard import Pages, Web

pages = Pages()


@pages.page("/me", roles=[STUDENT], nav="My progress")
def my_progress(web: Web) -> Response:
    code = web.me.code
    with web.reading():
        mastery = web.tutor.mastery(code)
        goals = web.tutor.goals(code)
        upcoming = web.tutor.next_item(code)
    names = {c.code: c.name for c in web.tutor.competencies()}
    taught = {code: n for n, code in enumerate(web.tutor.scope_and_sequence())}
    url = None
    if upcoming is not None:
        url = next((i.url for i in web.tutor.content_items() if i.code == upcoming.item), None)
    started = sorted((m for m in mastery if m.attempts > 0), key=lambda m: taught.get(m.competency, len(taught)))
    return web.render("me/progress.html", mastery=started, not_started=len(mastery) - len(started),
                      mastered=sum(m.level == "mastered" for m in started), goals=goals, upcoming=upcoming,
                      url=url, names=names)
