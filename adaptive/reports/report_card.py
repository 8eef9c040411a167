"""The student report card: one self-contained HTML page (the progress chart embedded as a PNG) in words a
student or parent reads, and the progress chart on its own."""

from __future__ import annotations

import base64
from collections import defaultdict
from datetime import datetime
from html import escape

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from adaptive.domain.reports import PLAIN_LEVELS, MasteryCell, StudentReport
from adaptive.reports.drawing import LEVEL_COLOURS, plain, png_bytes


def progress_figure(report: StudentReport) -> Figure:
    """One line per competency practised: how sure the tutor is that it is mastered after each answer, over
    the student's answers in order (answer 1 is the first; the dates of the first and latest are given)."""
    lines: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, point in enumerate(report.progress, start=1):
        lines[point.competency].append((number, 100 * point.p_mastered))
    order = [c.code for c in report.competencies if c.code in lines] + sorted(
        code for code in lines if code not in {c.code for c in report.competencies})
    figure = Figure(figsize=(9.0, max(4.5, 1.6 + 0.24 * len(order))), layout="constrained")
    ax = figure.add_subplot()
    ax.set_title(plain(f"{report.name}: progress over time"), fontsize=12)
    if not order:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No answers yet", ha="center", va="center", fontsize=12)
        return figure
    names = {c.code: c.name for c in report.competencies}
    for n, code in enumerate(order):
        numbers, values = zip(*lines[code], strict=True)
        ax.plot(numbers, values, marker="o", markersize=3, linewidth=1.6, color=f"C{n % 10}",
                linestyle="-" if n < 10 else "--", label=plain(_short(f"{code} {names.get(code, '')}".strip())))
    ax.axhline(100 * report.mastered_at, color=LEVEL_COLOURS["mastered"], linestyle=":", linewidth=1.2)
    ax.annotate("mastered", (0, 100 * report.mastered_at), xycoords=("axes fraction", "data"), ha="left",
                va="bottom", fontsize=8, color=LEVEL_COLOURS["mastered"])
    ax.set_ylim(0, 105)
    ax.set_xlim(0.5, len(report.progress) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("how sure we are it is mastered (%)")
    first, last = report.progress[0].at, report.progress[-1].at
    ax.set_xlabel(f"answers in order: the first on {_date(first)}, the latest on {_date(last)}")
    ax.grid(axis="y", color="#dddddd")
    figure.legend(loc="outside right upper", fontsize=8, frameon=False)
    return figure


def progress_png(report: StudentReport, *, dpi: int = 100) -> bytes:
    return png_bytes(progress_figure(report), dpi)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_level(cell: MasteryCell) -> str:
    if cell.skipped:
        return "mastered (already known)"
    return PLAIN_LEVELS[cell.level]


def _date(value: datetime | None) -> str:
    return f"{value:%d %b %Y}" if value is not None else "-"


def _alt_text(report: StudentReport) -> str:
    practised = [c for c in report.mastery if c.attempts]
    if not practised:
        return f"Chart of {report.name}'s progress: no answers yet."
    names = {c.code: c.name for c in report.competencies}
    latest = "; ".join(f"{_skill(c.competency, names)} {plain_level(c)}" for c in practised)
    return (f"Line chart of {report.name}'s progress over time on {len(practised)} skills, one line per skill, "
            f"rising as answers show the skill is learned. Now: {latest}.")


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.level { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.6rem; }
.l-not-started { background: #e6e6e6; } .l-attempted { background: #c6dbef; } .l-familiar { background: #6baed6; }
.l-proficient { background: #2171b5; color: #fff; } .l-mastered { background: #08306b; color: #fff; }
img { max-width: 100%; height: auto; }
.note { color: #555; }
"""


def _level_badge(cell: MasteryCell) -> str:
    css = "l-" + cell.shown_level.replace(" ", "-")
    return f'<span class="level {css}">{escape(plain_level(cell))}</span>'


def _result(correct: bool | None, score: float | None) -> str:
    if correct is not None:
        return "right" if correct else "wrong"
    return f"score {score:g}"


def report_card_html(report: StudentReport) -> str:
    """The report card as one HTML document; every text that comes from people (names, goals, titles,
    reasons) is escaped."""
    e = escape
    name = e(report.name)
    names = {c.code: c.name for c in report.competencies}
    chart = base64.b64encode(progress_png(report)).decode("ascii")
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>Report card: {name}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>", "<main>",
        f"<h1>Report card: {name}</h1>",
        f'<p class="note">{e(", ".join(report.sections) or "No class")} · '
        f"{e(', '.join(report.courses) or 'no course')} · made on {_date(report.made_at)}</p>",
        '<section id="mastery">', "<h2>What I have learned</h2>",
        '<table><caption>Each skill of the course, in the order it is taught</caption>',
        '<thead><tr><th scope="col">Skill</th><th scope="col">Level</th>'
        '<th scope="col">Answers so far</th></tr></thead><tbody>',
    ]
    # A flag the student has caught up on (proficient) is open until mastery, but the teacher no longer pulls
    # them for it: the card does not say the teacher knows they need help with it.
    caught_up = {f.competency for f in report.flags if f.caught_up}
    for cell in report.mastery:
        answers = f"{cell.attempts}" if cell.attempts else "none yet"
        flag = " (my teacher knows I need help)" if cell.flagged and cell.competency not in caught_up else ""
        parts.append(f'<tr><th scope="row">{e(_skill(cell.competency, names))}</th>'
                     f"<td>{_level_badge(cell)}{e(flag)}</td><td>{answers}</td></tr>")
    parts += ["</tbody></table>", _key(), "</section>",
              '<section id="progress">', "<h2>My progress over time</h2>",
              f'<img src="data:image/png;base64,{chart}" alt="{e(_alt_text(report))}">', "</section>",
              '<section id="goals">', "<h2>My goals</h2>"]
    if report.goals:
        parts.append('<table><thead><tr><th scope="col">Goal</th><th scope="col">Skill</th>'
                     '<th scope="col">By</th><th scope="col">Status</th></tr></thead><tbody>')
        for g in report.goals:
            skill = _skill(g.competency, names) if g.competency else "-"
            status = f"done {_date(g.closed_at)}" if g.closed_at else "working on it"
            parts.append(f"<tr><td>{e(g.description)}</td><td>{e(skill)}</td><td>{_date(g.deadline)}</td>"
                         f"<td>{status}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No goals set yet.</p>")
    parts += ["</section>", *_checkins(report)]
    parts += ['<section id="recent">', "<h2>Recent work</h2>"]
    if report.recent:
        parts.append('<table><thead><tr><th scope="col">Date</th><th scope="col">Activity</th>'
                     '<th scope="col">Skill</th><th scope="col">Result</th></tr></thead><tbody>')
        for w in report.recent:
            title = w.item_title or ("pre-test question" if w.source == "pretest" else "teacher's check")
            parts.append(f"<tr><td>{_date(w.at)}</td><td>{e(title)}</td><td>{e(_skill(w.competency, names))}</td>"
                         f"<td>{_result(w.correct, w.score)}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No answers yet.</p>")
    parts += ["</section>", '<section id="next-steps">', "<h2>Next steps</h2>"]
    if report.next_items:
        parts.append("<ol>")
        for item in report.next_items:
            pinned = " (chosen by my teacher)" if item.pinned else ""
            parts.append(f"<li><strong>{e(item.title)}</strong>{e(pinned)} - {e(_skill(item.competency, names))}"
                         f"<br><span class=\"note\">Why: {e(item.reason)}</span></li>")
        parts.append("</ol>")
    else:
        parts.append("<p>Nothing left to practise: every skill is mastered.</p>")
    with_teacher = [f for f in report.flags if not f.caught_up]
    if with_teacher:
        parts.append("<h3>Help from my teacher</h3><ul>")
        for f in with_teacher:
            parts.append(f"<li>{e(_skill(f.competency, names))}: {e(f.reason)}</li>")
        parts.append("</ul>")
    parts += ["</section>", "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _skill(code: str, names: dict[str, str]) -> str:
    """A skill as the family reads it, its name first: "Divide multi-digit numbers (6.NS.2)"."""
    name = names.get(code)
    return f"{name} ({code})" if name else code


def _checkins(report: StudentReport) -> list[str]:
    """The student's check-in answers under their goals, oldest first; nothing when the card leaves them out
    or there are none."""
    if not report.checkins:
        return []
    e = escape
    parts = ['<section id="checkins">', "<h2>My check-ins</h2>",
             '<table><thead><tr><th scope="col">Date</th><th scope="col">Goal</th><th scope="col">Question</th>'
             '<th scope="col">My answer</th></tr></thead><tbody>']
    for c in report.checkins:
        parts.append(f"<tr><td>{_date(c.answered_at)}</td><td>{e(c.goal)}</td><td>{e(c.prompt)}</td>"
                     f"<td>{e(c.answer)}</td></tr>")
    return [*parts, "</tbody></table>", "</section>"]


_MEANINGS = {
    "not started": "no answers on this skill yet",
    "attempted": "the first answers are in; there is a lot still to learn",
    "familiar": "some of it is learned",
    "proficient": "most of it is learned",
    "mastered": "learned: the answers show it clearly",
}


def _key() -> str:
    items = "".join(f"<dt>{PLAIN_LEVELS[level]}</dt><dd>{meaning}</dd>" for level, meaning in _MEANINGS.items())
    return f"<details><summary>What the levels mean</summary><dl>{items}</dl></details>"
