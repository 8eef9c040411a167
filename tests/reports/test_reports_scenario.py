"""Ms Rivera's Friday with the reports, as she would tell it.

She opens the heatmap of 6A: Ben's division cell is marked for small-group time, Cy's division is shown as
mastered because his pre-test showed he knew it, and the student who has not started is all grey. After
working with Ben she resolves the flag and the mark is gone. Ana's parents then read Ana's report card:
her skills with their levels, her goal, what she did lately and what she does next.
"""

from __future__ import annotations

from adaptive.reports.drawing import FLAG_COLOUR
from tests.reports.conftest import count_colour
from tests.reports.test_report_card import Page


def test_a_week_of_reports_for_ms_rivera_and_anas_parents(classroom):
    data = classroom.class_mastery("6A")
    division = [c.code for c in data.competencies].index("6.NS.2")
    cells = {row.student: row.cells[division] for row in data.students}
    assert cells["ben"].flagged and cells["ben"].shown_level == "attempted"
    assert cells["cy"].shown_level == "mastered" and cells["cy"].skipped
    assert cells["ana"].shown_level in ("proficient", "mastered")
    assert {c.shown_level for row in data.students if row.student == "zed" for c in row.cells} == {"not started"}
    marked = count_colour(classroom.class_heatmap_png("6A"), FLAG_COLOUR)

    (flag,) = classroom.flags(section="6A")
    classroom.resolve_flag(flag.id, by="ms-rivera", note="Long division with base-ten blocks")
    assert not any(c.flagged for row in classroom.class_mastery("6A").students for c in row.cells)
    assert count_colour(classroom.class_heatmap_png("6A"), FLAG_COLOUR) < marked - 50  # the cell's mark is gone

    page = Page(classroom.student_report_html("ana"))
    text = "".join(page.text)
    assert "Report card: Ana Lima" in text and "Grade 6 A" in text
    assert "Finish <decimals> & check my work" in text
    assert "Decimal products and quotients" in text  # her latest answer
    assert classroom.next_item("ana").title in text
