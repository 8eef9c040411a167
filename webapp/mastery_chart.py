"""P(mastered) of one student on one competency after each answer, as an inline SVG line chart drawn here.

Inline SVG rather than a picture: it scales on a tablet, costs no extra request, prints, and needs no plotting
library at request time. Colours and fonts are presentation attributes (the Content-Security-Policy forbids
inline ``style``). The x axis is the answers in order (dates marked where the day changes), not a time scale:
practice comes in bursts, and a time scale would draw a day's ten answers on top of each other. Every text that
comes from people is escaped; the chart has a title and a description for screen readers, and the page lists
its numbers in a table as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from adaptive.domain.evidence import percent
from adaptive.domain.reports import ProgressPoint

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 64
INK, MUTED, GRID, LINE, CUT = "#1b1f24", "#4a5560", "#c9d1d9", "#0b5cad", "#1d6b35"
MIN_LABEL_GAP = 64  # pixels between two date labels of the x axis
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class MasteryChart:
    """The chart (``svg``, to put in the page as is) and its text alternative (``summary``)."""

    svg: Markup
    summary: str


def summary(points: Sequence[ProgressPoint], mastered_at: float, who: str) -> str:
    """The chart in words: how many answers, over which days, from where to where."""
    first, last = points[0], points[-1]
    days = f"on {first.at:%d %b %Y}" if first.at.date() == last.at.date() else \
        f"from {first.at:%d %b %Y} to {last.at:%d %b %Y}"
    peak = max(p.p_mastered for p in points)
    each = "its one answer" if len(points) == 1 else f"each of {len(points)} answers"
    return (f"P(mastered) of {who} after {each} {days}: {percent(first.p_mastered)} after "
            f"the first, {percent(last.p_mastered)} now, highest {percent(peak)}; mastered is {percent(mastered_at)} "
            f"or more.")


def mastery_chart(points: Sequence[ProgressPoint], mastered_at: float, who: str) -> MasteryChart | None:
    """The line chart of ``points`` (oldest first) with the "mastered" cut point dashed; None without points."""
    if not points:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(points)

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(p: float) -> float:
        return TOP + (1 - p) * plot_h

    words = summary(points, mastered_at, who)
    parts = [Markup('<svg class="mastery-chart" viewBox="0 0 {w} {h}" role="img" '
                    'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">').format(
                 w=WIDTH, h=HEIGHT),
             Markup('<title id="chart-title">P(mastered) over time: {}</title>').format(who),
             Markup('<desc id="chart-desc">{}</desc>').format(words)]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(Markup('<line x1="{a}" x2="{b}" y1="{y:.1f}" y2="{y:.1f}" stroke="{c}" stroke-width="1"/>'
                            '<text x="{t}" y="{ty:.1f}" text-anchor="end" font-size="12" fill="{ink}" {f}>{p}</text>')
                     .format(a=LEFT, b=WIDTH - RIGHT, y=y(tick), c=GRID, t=LEFT - 6, ty=y(tick) + 4, ink=INK,
                             f=Markup(FONT), p=percent(tick)))
    cut = y(mastered_at)
    parts.append(Markup('<line x1="{a}" x2="{b}" y1="{y:.1f}" y2="{y:.1f}" stroke="{c}" stroke-width="1.5" '
                        'stroke-dasharray="6 4"/><text x="{b}" y="{ty:.1f}" text-anchor="end" font-size="12" '
                        'fill="{c}" {f}>mastered ({p})</text>')
                 .format(a=LEFT, b=WIDTH - RIGHT, y=cut, ty=cut + 14, c=CUT, f=Markup(FONT), p=percent(mastered_at)))
    last_label = -MIN_LABEL_GAP
    for i, point in enumerate(points):
        new_day = i == 0 or point.at.date() != points[i - 1].at.date()
        if new_day and x(i) - last_label >= MIN_LABEL_GAP:
            last_label = x(i)
            parts.append(Markup('<line x1="{x:.1f}" x2="{x:.1f}" y1="{a}" y2="{b}" stroke="{c}"/>'
                                '<text x="{x:.1f}" y="{t}" text-anchor="middle" font-size="12" fill="{ink}" {f}>'
                                '{d}</text>')
                         .format(x=x(i), a=TOP + plot_h, b=TOP + plot_h + 5, c=MUTED, t=TOP + plot_h + 20,
                                 ink=INK, f=Markup(FONT), d=f"{point.at:%d %b}"))
    line = " ".join(f"{x(i):.1f},{y(p.p_mastered):.1f}" for i, p in enumerate(points))
    parts.append(Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                        'stroke-linejoin="round"/>').format(line, LINE))
    if n <= 60:  # beyond that the dots are a smear: the line says it
        parts.extend(Markup('<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"/>').format(x(i), y(p.p_mastered), LINE)
                     for i, p in enumerate(points))
    parts.append(Markup('<text x="{x}" y="{y}" text-anchor="middle" font-size="13" fill="{ink}" {f}>'
                        'Answers, oldest to newest (date answered)</text>')
                 .format(x=LEFT + plot_w / 2, y=HEIGHT - 12, ink=INK, f=Markup(FONT)))
    parts.append(Markup('<text transform="translate(16 {y}) rotate(-90)" text-anchor="middle" font-size="13" '
                        'fill="{ink}" {f}>P(mastered)</text>').format(y=TOP + plot_h / 2, ink=INK, f=Markup(FONT)))
    parts.append(Markup("</svg>"))
    return MasteryChart(Markup("").join(parts), words)

