"""``adaptive report class`` and ``adaptive report student``: files written, clear errors otherwise."""

from __future__ import annotations

from typer.testing import CliRunner

from adaptive.cli import app
from tests.reports.conftest import pixels


def test_class_heatmap_and_report_card_commands(classroom, tmp_path):
    run = CliRunner().invoke
    db = ["--db", classroom.url]
    heatmap = tmp_path / "6A.png"
    done = run(app, [*db, "report", "class", "6A", "--out", str(heatmap)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == str(heatmap)
    assert pixels(heatmap.read_bytes()).shape[1] >= 700
    by_mastery = tmp_path / "6A-by-mastery.png"
    done = run(app, [*db, "report", "class", "6A", "--out", str(by_mastery), "--sort", "mastery",
                     "--course", "MATH-6"])
    assert done.exit_code == 0, done.output

    card = tmp_path / "ana.html"
    done = run(app, [*db, "report", "student", "ana", "--out", str(card)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == str(card)
    assert "<h1>Report card: Ana Lima</h1>" in card.read_text(encoding="utf-8")
    chart = tmp_path / "ana.png"
    done = run(app, [*db, "report", "student", "ana", "--out", str(chart)])
    assert done.exit_code == 0, done.output
    assert pixels(chart.read_bytes()).shape[1] >= 800


def test_errors_name_the_problem_and_write_nothing(classroom, tmp_path):
    run = CliRunner().invoke
    db = ["--db", classroom.url]
    folder = tmp_path / "out"  # the database lives in tmp_path
    folder.mkdir()
    out = folder / "x.png"
    cases = [
        (["report", "class", "ZZ", "--out", str(out)], "unknown section 'ZZ'"),
        (["report", "class", "6A", "--out", str(out), "--course", "ART"], "unknown course 'ART'"),
        (["report", "class", "6A", "--out", str(folder / "x.jpg")], "must end in .png, not '.jpg'"),
        (["report", "class", "6A", "--out", str(out), "--sort", "age"], "--sort must be 'name' or 'mastery'"),
        (["report", "student", "nobody", "--out", str(folder / "x.html")], "unknown student 'nobody'"),
        (["report", "student", "ana", "--out", str(folder / "x.pdf")], "must end in .html or .png, not '.pdf'"),
        (["report", "student", "ana", "--out", str(folder / "no" / "x.html")], "does not exist"),
    ]
    for args, message in cases:
        failed = run(app, [*db, *args])
        assert failed.exit_code == 2, (args, failed.output)
        assert message in failed.output, (args, failed.output)
        assert failed.output.startswith("error: ")
    assert list(folder.iterdir()) == []
