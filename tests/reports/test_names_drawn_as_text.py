"""A student's name is drawn as typed on the class heatmap and the report card's chart: dollar signs and
backslashes are letters, never matplotlib mathtext (``Zoe $\\notacommand$ Quinn`` used to stop both reports)."""

from __future__ import annotations

from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.reports.drawing import plain
from tests.reports.conftest import at, pixels

ZOE = r"Zoe $\notacommand$ Quinn"


def test_a_name_with_dollar_signs_draws_in_both_reports(classroom, tmp_path):
    classroom.add_student("zoe", ZOE)
    classroom.enroll("6A", ["zoe"])
    classroom.record_response("zoe", item="ns2-practice-a", correct=True, at=at(2), idempotency_key="zoe-0")
    run, db = CliRunner().invoke, ["--db", classroom.url]

    heatmap = tmp_path / "6A.png"
    done = run(app, [*db, "report", "class", "6A", "--out", str(heatmap)])
    assert done.exit_code == 0, done.output
    assert pixels(heatmap.read_bytes()).shape[1] >= 700

    chart = tmp_path / "zoe.png"
    done = run(app, [*db, "report", "student", "zoe", "--out", str(chart)])
    assert done.exit_code == 0, done.output
    assert pixels(chart.read_bytes()).shape[1] >= 800
    card = tmp_path / "zoe.html"
    done = run(app, [*db, "report", "student", "zoe", "--out", str(card)])
    assert done.exit_code == 0, done.output
    assert ZOE in card.read_text(encoding="utf-8")


def test_every_dollar_sign_is_shown_as_a_dollar_sign():
    from matplotlib.figure import Figure

    for name in (ZOE, "$5 Sam", r"Al \$ Bo $x$", "$$", "Ana Lima"):
        text = Figure().text(0, 0, plain(name))
        assert text._preprocess_math(text.get_text()) == (name, False)  # plain text, and exactly the name
