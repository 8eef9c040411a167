"""The teacher's rotation view: today's schedule of one of their sections under a rotation model (station, lab,
individual, flex, flipped; chosen on the page), with names, printable on one page. A preview: nothing is
issued or stored (see docs/small-groups-and-rotations.md)."""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import TEACHER
from adaptive.domain.classroom import ClassroomError
from webapp.guard import Pages, Web

pages = Pages()
DEFAULT_MODEL = "station"
PERIODS = (40, 45, 50, 55, 60, 70, 80, 90)  # minutes: the period lengths offered in the selector


@pages.page("/teacher/sections/{section}/rotation", roles=[TEACHER])
def rotation(web: Web) -> Response:
    section = str(web.request.path_params["section"])
    query = web.request.query_params
    model = query.get("model", DEFAULT_MODEL)
    models = web.tutor.rotation_models()
    model = model if model in models else DEFAULT_MODEL
    minutes = int(query["minutes"]) if query.get("minutes", "").isdigit() else 60
    minutes = minutes if minutes in PERIODS else 60
    schedule, problem = None, None
    with web.reading():
        info = next(s for s in web.tutor.sections(teacher=web.me.code) if s.code == section)
        try:
            schedule = web.tutor.rotation(section, model, period_minutes=minutes)
        except ClassroomError as error:
            problem = str(error)
    slots = sorted({(b.start, b.end) for b in schedule.blocks}) if schedule else []
    return web.render("teacher/rotation.html", section=info, model=model, models=models, minutes=minutes,
                      periods=PERIODS, schedule=schedule, problem=problem, slots=slots)
