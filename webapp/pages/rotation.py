"""The teacher's rotation view: today's schedule of one of their sections under a rotation model (station, lab,
individual, flex, flipped; chosen on the page), with names, printable on one page. A preview: nothing is
issued or stored (see docs/small-groups-and-rotations.md)."""

from __future__ import annotations

from starlette.responses import Response

from adaptive.domain.access import TEACHER
from adaptive.domain.classroom import ClassroomError, RotationSchedule
from webapp.guard import Pages, Web

pages = Pages()
DEFAULT_MODEL = "station"
PERIODS = (40, 45, 50, 55, 60, 70, 80, 90)  # minutes: the period lengths offered in the selector
BLOCKS = (10, 12, 15, 20, 25, 30)  # minutes: block lengths offered ("shorter blocks" see more small groups)


@pages.page("/teacher/sections/{section}/rotation", roles=[TEACHER])
def rotation(web: Web) -> Response:
    section = str(web.request.path_params["section"])
    query = web.request.query_params
    model = query.get("model", DEFAULT_MODEL)
    models = web.tutor.rotation_models()
    model = model if model in models else DEFAULT_MODEL
    minutes = int(query["minutes"]) if query.get("minutes", "").isdigit() else 60
    minutes = minutes if minutes in PERIODS else 60
    block = int(query["block"]) if query.get("block", "").isdigit() else None
    block = block if block in BLOCKS else None
    schedule, problem = None, None
    with web.reading():
        info = next(s for s in web.tutor.sections(teacher=web.me.code) if s.code == section)
        try:
            schedule = web.tutor.rotation(section, model, period_minutes=minutes, block_minutes=block)
        except ClassroomError as error:
            problem = str(error)
    slots, chart = _by_student(schedule) if schedule else ([], [])
    return web.render("teacher/rotation.html", section=info, model=model, models=models, minutes=minutes,
                      periods=PERIODS, block=block, blocks=BLOCKS, schedule=schedule, problem=problem, slots=slots,
                      chart=chart)


def _by_student(schedule: RotationSchedule) -> tuple[list[tuple[int, int]], list[tuple[str, list[str]]]]:
    """The schedule as a chart for the wall: one row a student (by name), one column a block of time (a shorter
    block inside a longer one, such as a flex check-in, is told in the longer one's cell with its minutes),
    each cell the station and the item there; homework (flipped) in a last column. What fits one printed page."""
    spans = {(b.start, b.end) for b in schedule.blocks}
    slots = sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans))
    cells: dict[str, dict[tuple[int, int], list[str]]] = {}
    for b in sorted(schedule.blocks, key=lambda b: (b.start, b.end)):
        slot = next(o for o in slots if o[0] <= b.start < o[1])
        when = "" if (b.start, b.end) == slot else f"{b.start}–{b.end}: "
        for a in b.students:
            cells.setdefault(a.student, {}).setdefault(slot, []).append(
                when + b.station + (f" {a.item}" if a.item else ""))
    homework: dict[str, list[str]] = {}
    for a in schedule.homework:
        homework.setdefault(a.student, []).append(a.item or a.activity)
    students = sorted(cells.keys() | homework.keys(), key=lambda s: (schedule.name(s).casefold(), s))
    rows = [(schedule.name(s), ["; ".join(cells.get(s, {}).get(slot, [])) for slot in slots]
             + (["; ".join(homework.get(s, []))] if schedule.homework else [])) for s in students]
    return slots, rows
