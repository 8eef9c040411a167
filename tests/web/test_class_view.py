"""The teacher's class view as a teacher uses it: the section's students x competencies as a table (names and
levels in words, scope-and-sequence order, only competencies with evidence unless asked for all, sortable by
name or by a competency, flagged cells marked), each cell a link to its evidence (answers, a chart of
P(mastered) over time, the open flags); own sections only, never for a student, typed names shown as text."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from tests.web.conftest import T0

CLASS = "/teacher/sections/SEC-A/class"
EVIDENCE = "/teacher/sections/SEC-A/students/{student}/competencies/{competency}"


@pytest.fixture
def classroom(school):
    """SEC-A of the web tests' school (Ana A, flagged on 6.NS.2) with two more students: Cara, who knows 6.NS.1
    well, and a student whose typed name holds markup, who answered on 6.NS.3 and 6.NS.1."""
    school.add_student("stu-c", "Cara C")
    school.add_student("stu-z", "Zoe <b>Z</b>")
    school.enroll("SEC-A", ["stu-c", "stu-z"])
    for n in range(8):
        school.record_response("stu-c", item="ns1-practice-a", correct=True, at=T0 + dt.timedelta(hours=1, minutes=n))
    school.record_response("stu-z", item="ns3-practice-a", correct=True, at=T0 + dt.timedelta(days=1))
    school.record_response("stu-z", item="ns1-practice-a", correct=False, at=T0 + dt.timedelta(days=1, minutes=1))
    return school


class Table(HTMLParser):
    """The class table of a page: column headers (their codes), and per row the row header and each cell's classes
    and text (as a screen reader reads it: without what is aria-hidden)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[tuple[str, list[tuple[str, str]]]] = []
        self.sorted_by: dict[str, str] = {}
        self._in: str | None = None
        self._classes = ""
        self._text: list[str] = []
        self._hidden = 0
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("th", "td"):
            self._in, self._classes, self._text = (a.get("scope") or tag), a.get("class") or "", []
            if a.get("aria-sort"):
                self.sorted_by[str(a.get("aria-sort"))] = ""
                self._sorted = str(a.get("aria-sort"))
        if tag == "tr" and self.columns:
            self.rows.append(("", []))
        if tag == "span" and ("competency-name" in (a.get("class") or "") or a.get("aria-hidden") == "true"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._hidden:
            self._hidden -= 1
        if tag not in ("th", "td") or self._in is None:
            return
        text = " ".join("".join(self._text).split())
        if self._in == "col":
            self.columns.append(text)
            if getattr(self, "_sorted", None):
                self.sorted_by[self._sorted] = text
                self._sorted = None
        elif self._in == "row":
            self.rows[-1] = (text, [])
        else:
            self.rows[-1][1].append((self._classes, text))
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and not self._hidden:
            self._text.append(data)

    def names(self) -> list[str]:
        return [name for name, _ in self.rows]

    def cell(self, name: str, competency: str) -> tuple[str, str]:
        row = dict(self.rows)[name]
        return row[self.columns.index(competency) - 1]


def table(client, path: str = CLASS) -> Table:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return Table(response.text)


def test_the_class_view_lists_the_sections_students_with_their_levels_in_words(classroom, client_as):
    found = table(client_as("teacher"))
    assert found.names() == ["Ana A", "Cara C", "Zoe <b>Z</b>"]
    classes, text = found.cell("Ana A", "6.NS.2")
    assert "cell-attempted" in classes and "attempted" in text and "%" in text
    classes, text = found.cell("Cara C", "6.NS.1")
    assert "cell-mastered" in classes and "mastered" in text
    assert "not started" in found.cell("Cara C", "6.NS.2")[1]


def test_each_cell_says_whose_and_which_competency_it_is_to_a_screen_reader(classroom, client_as):
    _, text = table(client_as("teacher")).cell("Cara C", "6.NS.1")
    assert text.startswith("Cara C, 6.NS.1: mastered")


def test_competencies_follow_the_scope_and_sequence_and_only_those_with_evidence_by_default(classroom, client_as):
    client = client_as("teacher")
    assert table(client).columns == ["Student", "6.NS.2", "6.NS.3", "6.NS.1"]  # the course's order, not A to Z
    everything = table(client, CLASS + "?all=1").columns
    assert everything[:5] == ["Student", "6.NS.2", "6.NS.3", "6.NS.1", "6.RP.1"]
    assert len(everything) == 1 + len(classroom.course("MATH-6").competencies)


def test_rows_sort_by_name_or_by_a_competency_lowest_first(classroom, client_as):
    client = client_as("teacher")
    assert table(client, CLASS + "?order=desc").names() == ["Zoe <b>Z</b>", "Cara C", "Ana A"]
    by_fractions = table(client, CLASS + "?sort=6.NS.1")
    assert by_fractions.names() == ["Ana A", "Zoe <b>Z</b>", "Cara C"]  # not started, one wrong, mastered
    assert by_fractions.sorted_by == {"ascending": "6.NS.1"}
    assert table(client, CLASS + "?sort=6.NS.1&order=desc").names() == ["Cara C", "Zoe <b>Z</b>", "Ana A"]
    assert table(client, CLASS + "?sort=no-such-column").sorted_by == {"ascending": "Student"}


def test_a_column_header_links_to_sorting_by_it_and_again_to_the_other_direction(classroom, client_as):
    page = client_as("teacher").get(CLASS + "?sort=6.NS.1").text
    assert 'href="/teacher/sections/SEC-A/class?sort=6.NS.1&amp;order=desc"' in page
    assert 'href="/teacher/sections/SEC-A/class?sort=6.NS.3"' in page


def test_a_flagged_cell_is_marked_with_an_icon_and_words(classroom, client_as):
    found = table(client_as("teacher"))
    classes, text = found.cell("Ana A", "6.NS.2")
    assert "flagged" in classes.split() and text.endswith(", flagged")
    others = [c for name, row in found.rows for c in row if (name, c) != ("Ana A", found.cell("Ana A", "6.NS.2"))]
    assert not any("flagged" in classes.split() for classes, _ in others)


def test_every_cell_links_to_its_evidence(classroom, client_as):
    page = client_as("teacher").get(CLASS).text
    assert f'href="{EVIDENCE.format(student="stu-c", competency="6.NS.1")}"' in page
    assert page.count('href="/teacher/sections/SEC-A/students/') == 3 * 3


def test_the_morning_page_links_each_section_to_its_class_view(client_as):
    assert f'href="{CLASS}"' in client_as("teacher").get("/teacher").text


def test_another_teachers_section_and_its_evidence_are_not_found(classroom, client_as):
    client = client_as("other teacher")
    assert client.get(CLASS).status_code == 404
    assert client.get(EVIDENCE.format(student="stu-a", competency="6.NS.2")).status_code == 404


def test_a_student_may_not_open_the_class_view_or_the_evidence(classroom, client_as):
    client = client_as("student")
    assert client.get(CLASS).status_code == 403
    assert client.get(EVIDENCE.format(student="stu-a", competency="6.NS.2")).status_code == 403


def test_the_evidence_page_shows_the_answers_a_chart_and_the_open_flag(classroom, client_as):
    page = client_as("teacher").get(EVIDENCE.format(student="stu-a", competency="6.NS.2")).text
    assert page.count("Dividing by two-digit divisors") == 6 and page.count("> wrong</span>") == 6
    assert "<td>15 Sep 2026 09:05</td>" in page and "<td>practice</td>" in page  # newest first, with its source
    assert '<svg class="mastery-chart"' in page and 'role="img"' in page
    assert "P(mastered) of Ana A on 6.NS.2 after each of 6 answers on 15 Sep 2026: 17% after the first, 17% now" \
        in page  # the text alternative
    assert page.count("<circle") == 6 and "mastered (95%)" in page
    assert "wrong in a row" in page  # the open flag's reason


def test_the_evidence_page_without_answers_says_so_and_draws_nothing(classroom, client_as):
    page = client_as("teacher").get(EVIDENCE.format(student="stu-c", competency="6.NS.2")).text
    assert "No answers on this competency yet" in page and "<svg class=\"mastery-chart\"" not in page
    assert "No open flag on this competency." in page


def test_the_evidence_of_a_student_of_another_of_ones_sections_is_not_found_here(classroom, client_as):
    classroom.add_section("SEC-A2", "Grade 6 A, second period", teacher="t-a")
    classroom.add_student("stu-x", "Xia X")
    classroom.enroll("SEC-A2", ["stu-x"])
    client = client_as("teacher")
    assert client.get(EVIDENCE.format(student="stu-x", competency="6.NS.2")).status_code == 404
    assert client.get("/teacher/sections/SEC-A2/students/stu-x/competencies/6.NS.2").status_code == 200


def test_an_unknown_competency_is_not_found(classroom, client_as):
    assert client_as("teacher").get(EVIDENCE.format(student="stu-a", competency="9.ZZ.9")).status_code == 404


def test_a_students_typed_name_with_markup_is_shown_as_text(classroom, client_as):
    client = client_as("teacher")
    for page in (client.get(CLASS).text, client.get(EVIDENCE.format(student="stu-z", competency="6.NS.3")).text):
        assert "<b>Z</b>" not in page
        assert "Zoe &lt;b&gt;Z&lt;/b&gt;" in page


def test_the_reads_are_in_the_access_log_under_the_teacher(classroom, client_as):
    client = client_as("teacher")
    client.get(CLASS)
    client.get(EVIDENCE.format(student="stu-a", competency="6.NS.2"))
    entries = [(e.actor, e.what) for e in classroom.audit_entries()]
    assert ("web:t-a (teacher t-a)", "class mastery") in entries
    assert ("web:t-a (teacher t-a)", "report card") in entries


def test_a_long_history_is_drawn_as_a_line_with_dates_far_enough_apart_to_read():
    from adaptive.domain.reports import ProgressPoint
    from webapp.mastery_chart import MIN_LABEL_GAP, mastery_chart

    points = [ProgressPoint("6.NS.1", T0 + dt.timedelta(hours=12 * n), min(1.0, n / 150)) for n in range(120)]
    chart = mastery_chart(points, 0.95, "Zoe <b>Z</b>")
    assert chart is not None and "<circle" not in chart.svg  # 120 dots would be a smear: the line alone
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="middle" font-size="12"', chart.svg)]
    assert len(xs) > 3 and all(b - a >= MIN_LABEL_GAP for a, b in pairwise(xs))
    assert "Zoe &lt;b&gt;Z&lt;/b&gt;" in chart.svg and "<b>" not in chart.svg
    assert chart.summary.startswith("P(mastered) of Zoe <b>Z</b> after each of 120")  # plain text, escaped in the page
    assert mastery_chart([], 0.95, "nobody") is None
