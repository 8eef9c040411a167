"""The teacher's class view: a section's students x competencies as an HTML table (sortable, in scope-and-sequence
order, flagged cells marked, every cell a link), and the evidence behind one cell (recent answers, P(mastered)
over time, open flags). Own sections only: the guard checks ``{section}`` and ``{student}``, the evidence page
also that the student is in *this* section and that the competency exists."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.responses import Response

from adaptive.domain.access import TEACHER
from adaptive.domain.evidence import LEVEL_NAMES
from adaptive.domain.reports import MasteryCell, StudentRow
from webapp.guard import Pages, Refused, Web
from webapp.mastery_chart import MasteryChart, mastery_chart

pages = Pages()
RECENT = 20  # answers listed on the evidence page, newest first
EVERY_ANSWER = 10**9  # ask the report for all of a student's answers: the page keeps one competency's
RANK = {level: n for n, level in enumerate(LEVEL_NAMES)}


@dataclass(frozen=True)
class Sorting:
    """How the table's rows are ordered: ``by`` "name" or a competency code shown, ``descending`` or not."""

    by: str = "name"
    descending: bool = False

    def link(self, column: str) -> Sorting:
        """The sorting a column header's link asks for: the other direction when it is the current column."""
        return Sorting(column, not self.descending if column == self.by else False)


def sorted_rows(rows: tuple[StudentRow, ...], codes: list[str], sorting: Sorting) -> list[StudentRow]:
    """Rows by name, or by one competency's mastery (lowest first, so who needs help is at the top; ties keep
    the name order). Skipped competencies count as mastered, as on every report."""
    if sorting.by == "name":
        return list(reversed(rows)) if sorting.descending else list(rows)
    column = codes.index(sorting.by)
    sign = -1 if sorting.descending else 1

    def key(row: StudentRow) -> tuple[int, float]:
        cell = row.cells[column]
        return sign * RANK[cell.shown_level], sign * (1.0 if cell.skipped else cell.p_mastered)

    return sorted(rows, key=key)


def class_query(everything: bool, sorting: Sorting) -> str:
    """The query string of a class-view link (defaults left out)."""
    pairs = ([("all", "1")] if everything else []) + ([("sort", sorting.by)] if sorting.by != "name" else [])
    pairs += [("order", "desc")] if sorting.descending else []
    return "?" + urlencode(pairs) if pairs else ""


@pages.page("/teacher/sections/{section}/class", roles=[TEACHER])
def class_view(web: Web) -> Response:
    """The table: only the competencies someone in the section has evidence on (``?all=1``: the whole course),
    rows sorted by ``?sort=name|CODE`` and ``?order=asc|desc``."""
    section = str(web.request.path_params["section"])
    query = web.request.query_params
    everything = query.get("all") == "1"
    with web.reading():
        data = web.tutor.class_mastery(section, with_evidence=not everything)
    codes = [c.code for c in data.competencies]
    wanted = query.get("sort", "name")
    sorting = Sorting(wanted if wanted in codes else "name", query.get("order") == "desc")
    rows = sorted_rows(data.students, codes, sorting)
    flagged = sum(c.flagged for r in rows for c in r.cells)
    return web.render("teacher/class.html", data=data, rows=rows, sorting=sorting, everything=everything,
                      flagged=flagged, query=class_query, levels=LEVEL_NAMES, section=section)


@pages.page("/teacher/sections/{section}/students/{student}/competencies/{competency}", roles=[TEACHER],
            free=("competency",))
def evidence(web: Web) -> Response:
    """One cell's evidence: the student's recent answers on the competency, P(mastered) after each of them (the
    report card's replay of the stored answers) as a chart, and the open flags with their reasons."""
    params = web.request.path_params
    section, student, competency = str(params["section"]), str(params["student"]), str(params["competency"])
    named = {c.code: c.name for c in web.tutor.competencies()}
    if competency not in named:
        raise Refused(404, "There is no such competency.")
    with web.reading():
        if student not in {s.code for s in web.tutor.students(section)}:
            raise Refused(404, "There is no such student in this section.")
        report = web.tutor.student_report(student, recent=EVERY_ANSWER, next_steps=0, checkins=False)
    cell = next((c for c in report.mastery if c.competency == competency), None)
    answers = [w for w in report.recent if w.competency == competency]
    points = [p for p in report.progress if p.competency == competency]
    chart: MasteryChart = mastery_chart(points, report.mastered_at, f"{report.name} on {competency}")
    return web.render("teacher/evidence.html", report=report, competency=competency, name=named[competency],
                      cell=cell or MasteryCell(competency, 0.0, "not started", 0), answers=answers[:RECENT],
                      total=len(answers), chart=chart, section=section,
                      flags=[f for f in report.flags if f.competency == competency])
