"""The teacher's page of one student: the report card (levels in words, goals, check-in answers), the playlist
with pin / remove / undo, and the student's open flags with resolve-with-a-note. The guard has checked that
``{student}`` is enrolled in a section the teacher teaches (404 otherwise)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from adaptive.domain import StoreError
from adaptive.domain.access import TEACHER
from adaptive.domain.reports import PLAIN_LEVELS
from webapp.guard import Pages, Refused, Web
from webapp.pages.teacher import resolve_one_flag

pages = Pages()
PLAYLIST_LENGTH = 8  # what a teacher looks over in a conference; the student's page shows the first few
MAX_NOTE = 500
CHANGES = {"pin": "pinned", "remove": "removed", "restore": "put back"}


def student_path(student: str) -> str:
    return f"/teacher/students/{student}"


@pages.page("/teacher/students/{student}", roles=[TEACHER])
def student_view(web: Web) -> Response:
    student = str(web.request.path_params["student"])
    with web.reading():
        report = web.tutor.student_report(student, recent=5, next_steps=0)
        playlist = web.tutor.playlist(student, PLAYLIST_LENGTH)
    names = {c.code: c.name for c in web.tutor.competencies()}
    query = web.request.query_params
    rows = list(zip(report.competencies, report.mastery, strict=True))
    return web.render("teacher/student.html", report=report, rows=rows, playlist=playlist, names=names,
                      words=PLAIN_LEVELS, changed=query.get("changed"), item=query.get("item"),
                      resolved=query.get("resolved"))


@pages.action("/teacher/students/{student}/playlist", roles=[TEACHER])
def change_playlist(web: Web) -> Response:
    """Pin an item first, remove it from the playlist, or put it back (undo either), with an optional note."""
    student = str(web.request.path_params["student"])
    change, item = web.field("change"), web.field("item")
    if change not in CHANGES or not item:
        raise Refused(400, "Say which item to pin, remove or put back.")
    note = web.field("note")[:MAX_NOTE] or None
    try:
        with web.reading():
            if change == "pin":
                web.tutor.pin_item(student, item, by=web.actor, note=note)
            elif change == "remove":
                web.tutor.remove_item(student, item, by=web.actor, note=note)
            else:
                web.tutor.restore_item(student, item)
    except StoreError:
        raise Refused(400, "There is no such item.") from None
    return web.redirect(f"{student_path(student)}?{urlencode({'changed': change, 'item': item})}#playlist")


@pages.action("/teacher/students/{student}/flags/resolve", roles=[TEACHER])
def resolve_student_flag(web: Web) -> Response:
    """Resolve one of this student's open flags, with an optional note."""
    student = str(web.request.path_params["student"])
    flag_id = resolve_one_flag(
        web, lambda: {f.id for f in web.tutor.student_report(student, recent=0, next_steps=0, checkins=False).flags},
        "No such open flag of this student.")
    return web.redirect(f"{student_path(student)}?resolved={flag_id}#flags")
