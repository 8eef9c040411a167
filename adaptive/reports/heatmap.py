"""The class heatmap: students (rows) x competencies (columns, scope-and-sequence order), one colour per
mastery level, open small-group flags hatched and marked "!"; the figure grows with the class, and a course of
hundreds of competencies is drawn as several images of at most ``PER_IMAGE`` columns each (one image of every
column of a 664-competency course was 22,788 pixels wide and took 40 s)."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from adaptive.domain.evidence import LEVEL_NAMES
from adaptive.domain.reports import ClassMastery, Sort, StudentRow
from adaptive.reports.drawing import FLAG_COLOUR, LEVEL_COLOURS, plain, png_bytes

CELL_WIDTH, CELL_HEIGHT = 0.34, 0.30  # inches
CHAR = 0.075  # inches per character of a tick label
TITLE_CHAR = 0.1  # inches per character of the title (11 points)
PER_IMAGE = 40  # competency columns per image: about 16 inches (1,600 pixels) wide


def split(data: ClassMastery, per_image: int = PER_IMAGE) -> list[ClassMastery]:
    """The heatmap's columns in images of at most ``per_image`` competencies (one image when it has none)."""
    if per_image < 1:
        raise ValueError(f"per_image must be 1 or more, got {per_image}")
    n = len(data.competencies)
    parts = []
    for start in range(0, max(n, 1), per_image):
        stop = min(start + per_image, n)
        rows = tuple(replace(r, cells=r.cells[start:stop]) for r in data.students)
        parts.append(replace(data, competencies=data.competencies[start:stop], students=rows))
    return parts


def _subtitle(data: ClassMastery, part: int, parts: int, first: int) -> str:
    courses = ", ".join(data.courses) or "no course"
    n = len(data.competencies)
    words = f"course {courses}"
    if parts > 1 or data.shown:
        which = f"competencies {first + 1}-{first + n}" if parts > 1 else f"{n} competencies"
        words += f"; {which}" + (f" ({data.shown})" if data.shown else "")
        if data.of is not None:
            words += f" of the course's {data.of}"
    if parts > 1:
        words += f"; image {part} of {parts}"
    return words

def sorted_rows(data: ClassMastery, sort: Sort = "name") -> list[StudentRow]:
    """Rows by name (as gathered), or ``mastery``: fewest competencies mastered first (ties by name), so the
    students who need the teacher most are at the top."""
    if sort == "name":
        return list(data.students)
    if sort == "mastery":
        return sorted(data.students, key=lambda r: r.overall)  # stable: ties keep the name order
    raise ValueError(f"sort must be 'name' or 'mastery', got {sort!r}")


def heatmap_figure(data: ClassMastery, *, sort: Sort = "name", part: int = 1, parts: int = 1,
                   first: int = 0) -> Figure:
    """One image of the heatmap (``part`` of ``parts``, its first column being the ``first`` one shown)."""
    rows = sorted_rows(data, sort)
    codes = [c.code for c in data.competencies]
    names = [r.name for r in rows]
    label_width = CHAR * max((len(n) for n in names), default=8) + 0.4
    code_height = CHAR * max((len(c) for c in codes), default=4) + 0.3
    width = max(7.0, label_width + CELL_WIDTH * len(codes) + 0.6)
    height = max(3.5, code_height + CELL_HEIGHT * len(rows) + 1.8)
    figure = Figure(figsize=(width, height), layout="constrained")
    # The date goes with the subtitle, its words joined by no-break spaces: a narrow image wraps the title
    # between words, never inside the date ("07 / December 2026").
    day = "\u00a0".join(f"{data.made_at:%d %B %Y}".split())
    title = [f"{data.section_name} ({data.section}): mastery by competency",
             f"{day}; {_subtitle(data, part, parts, first)}"]
    fits = max(20, int(width / TITLE_CHAR))  # a narrow image wraps its title rather than cutting it
    figure.suptitle(plain("\n".join(textwrap.fill(line, fits) for line in title)), fontsize=11)
    ax = figure.add_subplot()
    if not rows or not codes:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No students in this section" if not rows else "No competencies to show",
                ha="center", va="center", fontsize=12)
        return figure

    levels = np.array([[LEVEL_NAMES.index(c.shown_level) for c in r.cells] for r in rows])
    colours = ListedColormap([LEVEL_COLOURS[name] for name in LEVEL_NAMES])
    ax.imshow(levels, cmap=colours, norm=BoundaryNorm(np.arange(len(LEVEL_NAMES) + 1) - 0.5, len(LEVEL_NAMES)),
              aspect="auto", interpolation="nearest")
    flagged = [(j, i) for i, row in enumerate(rows) for j, cell in enumerate(row.cells) if cell.flagged]
    if flagged:  # one artist for every flag's hatching and one for the marks: a cell each was slow to draw
        ax.add_collection(PatchCollection([Rectangle((j - 0.5, i - 0.5), 1, 1) for j, i in flagged],
                                          facecolor="none", hatch="///", edgecolor=FLAG_COLOUR, linewidth=1.5))
        xs, ys = zip(*flagged, strict=True)
        ax.scatter(xs, ys, marker=r"$\mathbf{!}$", s=110, color=FLAG_COLOUR, linewidths=0)

    ax.set_xticks(range(len(codes)), [plain(c) for c in codes], rotation=90 if len(codes) > 8 else 45, ha="center",
                  fontsize=8)
    ax.set_yticks(range(len(rows)), [plain(n) for n in names], fontsize=8)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    # White lines between the cells: two line collections (minor ticks for a grid cost a tick object a line).
    ax.vlines(np.arange(len(codes) + 1) - 0.5, -0.5, len(rows) - 0.5, colors="white", linewidth=1.2)
    ax.hlines(np.arange(len(rows) + 1) - 0.5, -0.5, len(codes) - 0.5, colors="white", linewidth=1.2)
    for spine in ax.spines.values():
        spine.set_visible(False)

    handles = [Patch(facecolor=LEVEL_COLOURS[name], label="mastered or skipped" if name == "mastered" else name)
               for name in LEVEL_NAMES]
    handles.append(Patch(facecolor="white", edgecolor=FLAG_COLOUR, hatch="///", label="! small-group flag"))
    figure.legend(handles=handles, loc="outside lower center", ncols=max(1, min(len(handles), int(width / 1.8))),
                  fontsize=8,
                  frameon=False)
    return figure


def heatmap_png(data: ClassMastery, *, sort: Sort = "name", dpi: int = 100) -> bytes:
    """The heatmap as one PNG (every column: see :func:`heatmap_pngs` for a big course)."""
    return png_bytes(heatmap_figure(data, sort=sort), dpi)


def heatmap_pngs(data: ClassMastery, *, sort: Sort = "name", dpi: int = 100, per_image: int = PER_IMAGE,
                 images: int | None = None) -> list[bytes]:
    """The heatmap as PNGs of at most ``per_image`` competency columns each (the first ``images`` only, when
    given: a chat bot uploads one), every image with the same rows, titled "image 2 of 5"."""
    parts = split(replace(data, students=tuple(sorted_rows(data, sort))), per_image)  # the same rows in each
    drawn = parts if images is None else parts[:images]
    return [png_bytes(heatmap_figure(p, sort="name", part=n, parts=len(parts), first=(n - 1) * per_image), dpi)
            for n, p in enumerate(drawn, 1)]
