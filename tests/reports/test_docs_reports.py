"""The worked example in docs/reports.md runs as written and makes the files it names."""

from html.parser import HTMLParser

from tests.docs_helpers import DOCS, run_example
from tests.reports.conftest import pixels

DOC = DOCS / "reports.md"


def test_worked_example_runs_and_writes_the_heatmap_and_the_report_card(tmp_path, monkeypatch, capsys):
    run_example(DOC, tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert "b'\\x89PNG'" in out and "['6.NS.2']" in out
    assert "[('6.NS.2', 'mastered'), ('6.NS.3', 'attempted')]" in out
    assert "['6.NS.2', '6.NS.3'] 14 with evidence\n3\n" in out  # the heatmap's columns: those with evidence
    assert "Multiply decimals without a calculator - Multiplying decimals with area models" in out
    assert pixels((tmp_path / "6A.png").read_bytes()).shape[1] >= 700
    assert pixels((tmp_path / "ana-progress.png").read_bytes()).shape[1] >= 800
    HTMLParser().feed((tmp_path / "ana.html").read_text(encoding="utf-8"))
    assert "<h1>Report card: Ana Lima</h1>" in (tmp_path / "ana.html").read_text(encoding="utf-8")
