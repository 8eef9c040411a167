"""The teacher's morning page: today's small groups of each of their sections (the issued list once issued,
else a preview), issuing the day's list, moving a student to another group of the issued list, and the open
flags with resolve-with-a-note, one or several at once; printable on one page. Own sections only (the guard
checks ``{section}``; flags are looked up among the teacher's own sections' flags)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import Response

from adaptive.domain import StoreError
from adaptive.domain.access import TEACHER
from adaptive.domain.classroom import GROUPS_A_DAY, ClassroomError, SmallGroupList
from adaptive.domain.decisions import FlagInfo
from adaptive.domain.roster import SectionInfo
from webapp.guard import Pages, Refused, Web

pages = Pages()
MAX_NOTE = 500


@dataclass(frozen=True)
class SectionMorning:
    """One section's part of the morning page."""

    section: SectionInfo
    groups: SmallGroupList
    flags: list[FlagInfo]


@pages.page("/teacher", roles=[TEACHER], nav="Morning")
def morning(web: Web) -> Response:
    code = web.me.code
    with web.reading():
        sections = web.tutor.sections(teacher=code)
        mornings = [SectionMorning(s, web.tutor.day_list(s.code),
                                   sorted(web.tutor.flags(section=s.code), key=_by_student)) for s in sections]
    catalogue = web.tutor.competencies()
    urls = {i.code: i.url for i in web.tutor.content_items() if i.url} if any(
        g.mini_lesson for m in mornings for g in m.groups.groups) else {}
    return web.render("teacher/morning.html", mornings=mornings, names={c.code: c.name for c in catalogue},
                      urls=urls, levels=web.tutor.levels, issued=web.request.query_params.get("issued"),
                      resolved=web.request.query_params.get("resolved"),
                      moved=web.request.query_params.get("moved"))


@pages.action("/teacher/sections/{section}/issue", roles=[TEACHER])
def issue_list(web: Web) -> Response:
    """Issue today's list: stored as the day's groups (tomorrow's list knows who was pulled)."""
    section = str(web.request.path_params["section"])
    with web.reading():
        web.tutor.small_groups(section, max_groups=GROUPS_A_DAY)
    return web.redirect(f"/teacher?issued={section}")


def resolve_one_flag(web: Web, open_ids: Callable[[], set[int]], not_there: str) -> int:
    """Resolve the flag the form names, with its optional note, when it is among ``open_ids()`` (read as the
    teacher); ``not_there`` is the 404's message otherwise. Returns the flag's id."""
    try:
        flag_id = int(web.field("flag"))
    except ValueError:
        raise Refused(400, "Say which flag to resolve.") from None
    note = web.field("note")[:MAX_NOTE] or None
    with web.reading():
        if flag_id not in open_ids():
            raise Refused(404, not_there)
        web.tutor.resolve_flag(flag_id, by=web.actor, note=note)
    return flag_id


@pages.action("/teacher/flags/resolve", roles=[TEACHER])
def resolve_flag(web: Web) -> Response:
    """Resolve one open flag of the teacher's own students, with an optional note."""
    flag_id = resolve_one_flag(web, lambda: {f.id for s in web.own_sections() for f in web.tutor.flags(section=s)},
                               "No such open flag among your students.")
    return web.redirect(f"/teacher?resolved={flag_id}")


@pages.action("/teacher/sections/{section}/move", roles=[TEACHER])
def move_student(web: Web) -> Response:
    """Move a student to another group of the section's list issued today (the teacher knows best)."""
    section, student = str(web.request.path_params["section"]), web.field("student")
    try:
        group = int(web.field("group"))
    except ValueError:
        raise Refused(400, "Say which student to move and to which group.") from None
    with web.reading():
        try:
            web.tutor.move_to_group(section, student, group)
        except (ClassroomError, StoreError) as error:
            raise Refused(400, f"The student was not moved: {error}.") from None
    return web.redirect(f"/teacher?moved={section}")


@pages.action("/teacher/flags/resolve-selected", roles=[TEACHER])
def resolve_selected(web: Web) -> Response:
    """Resolve the flags ticked on the page, all with the same note, together (all or none)."""
    assert web.form is not None
    try:
        chosen = sorted({int(str(v)) for v in web.form.getlist("flag")})
    except ValueError:
        raise Refused(400, "Say which flags to resolve.") from None
    if not chosen:
        raise Refused(400, "Tick the flags to resolve.")
    note = web.field("note")[:MAX_NOTE] or None
    with web.reading():
        mine = {f.id for s in web.own_sections() for f in web.tutor.flags(section=s)}
        if not set(chosen) <= mine:
            raise Refused(404, "No such open flag among your students.")
        web.tutor.atomically(lambda: [web.tutor.resolve_flag(f, by=web.actor, note=note) for f in chosen])
    return web.redirect(f"/teacher?resolved={','.join(map(str, chosen))}")


def _by_student(flag: FlagInfo) -> tuple[str, str]:
    """Flags listed student by student (by name, as the page shows them), each student's together."""
    return ((flag.name or flag.student).casefold(), flag.competency)
