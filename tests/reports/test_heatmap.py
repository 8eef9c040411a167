"""The class heatmap PNG: opens, grows with the class, shows the levels in colour and marks flags."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from adaptive.domain.evidence import LEVEL_NAMES
from adaptive.domain.reports import ClassMastery, CompetencyLabel, MasteryCell, StudentRow
from adaptive.reports import heatmap_png
from adaptive.reports.drawing import FLAG_COLOUR, LEVEL_COLOURS
from adaptive.reports.heatmap import sorted_rows
from tests.reports.conftest import colours, count_colour, pixels


def synthetic_class(students: int, competencies: int, flagged: bool = True) -> ClassMastery:
    """Every level in turn across the grid; every seventh cell flagged (when ``flagged``)."""
    labels = tuple(CompetencyLabel(f"7.C.{n}", f"Competency {n}") for n in range(competencies))
    rows = []
    for s in range(students):
        cells = []
        for c in range(competencies):
            level = LEVEL_NAMES[(s + c) % len(LEVEL_NAMES)]
            cells.append(MasteryCell(labels[c].code, 0.5, level, 0 if level == "not started" else 3,
                                     flagged=flagged and (s * competencies + c) % 7 == 0))
        rows.append(StudentRow(f"s{s:02d}", f"Student number {s:02d}", tuple(cells)))
    return ClassMastery("7B", "Grade 7 B", ("MATH-7",), labels, tuple(rows), datetime(2026, 9, 14, tzinfo=UTC))


def test_the_class_heatmap_is_a_png_with_every_level_colour_and_the_flag_mark(classroom, tmp_path):
    path = tmp_path / "6A.png"
    png = classroom.class_heatmap_png("6A", path)
    assert path.read_bytes() == png
    height, width, _ = pixels(png).shape
    assert width >= 700 and height >= 350
    # Ana and Ben practised, Cy skipped, <script> has not started: those levels' colours are all drawn.
    for level in ("not started", "attempted", "mastered"):
        assert count_colour(png, LEVEL_COLOURS[level], tolerance=2) > 200, level
    assert count_colour(png, FLAG_COLOUR) > 50


def test_flags_are_marked_in_their_own_colour():
    with_flags, without = heatmap_png(synthetic_class(6, 8)), heatmap_png(synthetic_class(6, 8, flagged=False))
    assert pixels(with_flags).shape == pixels(without).shape
    # Without flags the orange appears only in the legend's flag swatch.
    assert count_colour(with_flags, FLAG_COLOUR) > 3 * count_colour(without, FLAG_COLOUR)
    assert len(colours(with_flags)) > 10


def test_the_picture_grows_with_the_class_and_stays_legible_at_35_by_40():
    small = pixels(heatmap_png(synthetic_class(5, 6))).shape
    big = pixels(heatmap_png(synthetic_class(35, 40))).shape
    assert big[0] > small[0] + 35 * 20 and big[1] > small[1] + 30 * 20  # at least 20 px a row and a column
    cells = count_colour(heatmap_png(synthetic_class(35, 40, flagged=False)), LEVEL_COLOURS["mastered"], 2)
    assert cells > 35 * 40 / 5 * 20 * 20  # each mastered cell keeps at least 20 x 20 pixels


def test_an_empty_section_still_renders():
    empty = replace(synthetic_class(1, 3), students=())
    assert len(colours(heatmap_png(empty))) > 2


def test_rows_by_name_or_by_mastery():
    base = synthetic_class(3, 4, flagged=False)
    mastered = (4, 0, 2)  # competencies mastered by s00, s01, s02

    def row(n: int, row: StudentRow) -> StudentRow:
        return replace(row, cells=tuple(replace(c, level="mastered" if k < mastered[n] else "attempted")
                                        for k, c in enumerate(row.cells)))

    data = replace(base, students=tuple(row(n, r) for n, r in enumerate(base.students)))
    assert [r.student for r in sorted_rows(data)] == ["s00", "s01", "s02"]
    assert [r.student for r in sorted_rows(data, "mastery")] == ["s01", "s02", "s00"]  # fewest mastered first
    assert not np.array_equal(pixels(heatmap_png(data, sort="mastery")), pixels(heatmap_png(data)))
    with pytest.raises(ValueError, match="sort must be"):
        sorted_rows(data, "age")  # type: ignore[arg-type]


def test_two_threads_rendering_at_once_draw_what_one_thread_draws():
    jobs = [synthetic_class(12, 10), synthetic_class(20, 15, flagged=False)]
    alone = [pixels(heatmap_png(j)) for j in jobs]
    together: list[bytes] = [b"", b""]

    def render(n: int) -> None:
        for _ in range(3):
            together[n] = heatmap_png(jobs[n])

    threads = [threading.Thread(target=render, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for expected, got in zip(alone, together, strict=True):
        assert np.array_equal(expected, pixels(got))


def test_a_narrow_heatmaps_title_wraps_between_words_never_inside_the_date():
    from adaptive.reports.heatmap import heatmap_figure

    title = heatmap_figure(synthetic_class(3, 2)).get_suptitle()
    assert "14\u00a0September\u00a02026" in title and "mastery by competency\n" in title
