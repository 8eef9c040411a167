"""The student's own page: my progress (levels in words), my goals, what to do next. Own data only: the page
has no student in its path, it always shows the signed-in student."""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import STUDENT
from webapp.guard import Pages, Web

pages = Pages()


@pages.page("/me", roles=[STUDENT], nav="My progress")
def my_progress(web: Web) -> Response:
    """The report card's levels (the course's order; a competency a pre-test skipped is mastered), goals and
    first next step, read together."""
    code = web.me.code
    with web.reading():
        report = web.tutor.student_report(code, recent=0, next_steps=1, checkins=False)
    upcoming = report.next_items[0] if report.next_items else None
    names = {c.code: c.name for c in report.competencies}
    url = None
    if upcoming is not None:
        url = next((i.url for i in web.tutor.content_items() if i.code == upcoming.item), None)
    started = [c for c in report.mastery if c.attempts > 0 or c.skipped]
    return web.render("me/progress.html", mastery=started, not_started=len(report.mastery) - len(started),
                      mastered=sum(c.shown_level == "mastered" for c in started), goals=report.goals,
                      upcoming=upcoming, url=url, names=names)
