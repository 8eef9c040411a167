"""The report card HTML (parsed with html.parser) and the progress chart PNG."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

from adaptive.domain.reports import PLAIN_LEVELS
from tests.reports.conftest import colours, pixels


class Page(HTMLParser):
    """Tags, the text under each heading level, table cells by row, and images."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.rows: list[list[tuple[str, str]]] = []  # (tag, text) per cell
        self.images: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self._buffer = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "tr":
            self.rows.append([])
        if tag in ("h1", "h2", "h3", "th", "td"):
            self._open.append(tag)
            self._buffer = ""

    def handle_endtag(self, tag):
        if self._open and tag == self._open[-1]:
            self._open.pop()
            if tag in ("th", "td"):
                self.rows[-1].append((tag, self._buffer.strip()))
            else:
                self.headings.append((tag, self._buffer.strip()))

    def handle_data(self, data):
        self.text.append(data)
        self._buffer += data


def test_the_report_card_has_its_sections_with_headings_tables_and_alt_text(classroom, tmp_path):
    path = tmp_path / "ana.html"
    html = classroom.student_report_html("ana", path)
    assert path.read_text(encoding="utf-8") == html
    page = Page(html)
    assert ("h1", "Report card: Ana Lima") in page.headings
    assert [text for tag, text in page.headings if tag == "h2"] == [
        "What I have learned", "My progress over time", "My goals", "Recent work", "Next steps"]
    assert "th" in page.tags and "caption" in page.tags and "main" in page.tags
    (image,) = page.images
    assert image["alt"] and "Ana Lima" in image["alt"]
    src = image["src"] or ""
    assert src.startswith("data:image/png;base64,")
    assert pixels(base64.b64decode(src.split(",", 1)[1])).shape[0] > 300  # the chart is inside the page
    assert "http" not in html  # self-contained: nothing is fetched


def test_competencies_are_listed_with_levels_in_plain_words(classroom):
    page = Page(classroom.student_report_html("ana"))
    levels = {row[0][1]: row[1][1] for row in page.rows if row and row[0][0] == "th" and len(row) == 3
              and row[1][0] == "td"}
    report = classroom.student_report("ana")
    names = {c.code: c.name for c in report.competencies}
    for cell in report.mastery:
        assert levels[f"{names[cell.competency]} ({cell.competency})"] == PLAIN_LEVELS[cell.level]
    assert levels["Divide multi-digit numbers (6.NS.2)"] in PLAIN_LEVELS.values()
    assert "P(" not in "".join(page.text) and "p_mastered" not in "".join(page.text)


def test_the_goal_recent_work_and_next_steps_are_listed(classroom):
    page = Page(classroom.student_report_html("ana"))
    cells = [[text for _, text in row] for row in page.rows]
    assert ["Finish <decimals> & check my work", "Operate with decimals (6.NS.3)", "01 Oct 2026",
            "working on it"] in cells
    assert ["13 Sep 2026", "Decimal products and quotients", "Operate with decimals (6.NS.3)", "wrong"] in cells
    text = "".join(page.text)
    for item in classroom.playlist("ana", n=3):
        assert item.title in text and f"Why: {item.reason}" in text


def test_a_flagged_student_reads_about_time_with_the_teacher(classroom):
    page = Page(classroom.student_report_html("ben"))
    assert ("h3", "Help from my teacher") in page.headings
    assert "Divide multi-digit numbers (6.NS.2): 3 wrong in a row" in "".join(page.text)
    assert any("my teacher knows I need help" in text for row in page.rows for _, text in row)


def test_a_student_who_caught_up_on_a_flag_is_not_told_they_work_on_it_with_the_teacher(classroom):
    """Ben answered well since his flag: proficient, the flag still open (it closes at mastery), but the
    teacher no longer pulls him for it, so his card says neither "my teacher knows I need help" nor lists it
    under time with the teacher."""
    from tests.reports.conftest import at

    for n in range(10):
        classroom.record_response("ben", item="ns2-practice-b", correct=True, at=at(2, n), idempotency_key=f"b{n}")
        if classroom.mastery("ben", ["6.NS.2"])[0].level == "proficient":
            break
    assert classroom.mastery("ben", ["6.NS.2"])[0].level == "proficient"
    (flag,) = classroom.flags(section="6A")
    assert flag.caught_up
    page = Page(classroom.student_report_html("ben"))
    assert ("h3", "Help from my teacher") not in page.headings
    assert not any("my teacher knows I need help" in text for row in page.rows for _, text in row)


def test_names_goals_and_titles_are_escaped(classroom):
    classroom.add_goal("zed", "<b>bold</b> goal", None)
    html = classroom.student_report_html("zed")
    page = Page(html)
    assert "script" not in page.tags and "b" not in page.tags
    assert ("h1", "Report card: <script>") in page.headings
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt; goal" in html
    assert "No answers yet." in "".join(page.text)


def test_the_progress_chart_alone(classroom, tmp_path):
    path = tmp_path / "ana.png"
    png = classroom.student_progress_png("ana", path)
    assert path.read_bytes() == png
    height, width, _ = pixels(png).shape
    assert width >= 800 and height >= 400
    assert len(colours(png)) > 20  # lines in several colours, text, grid: not blank
    nothing = classroom.student_progress_png("zed")
    assert len(colours(nothing)) < len(colours(png))
