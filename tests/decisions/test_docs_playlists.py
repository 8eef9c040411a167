"""The worked example in docs/playlists-and-flags.md runs as written."""

from tests.docs_helpers import DOCS, run_example

DOC = DOCS / "playlists-and-flags.md"


def test_worked_example_runs(tmp_path, monkeypatch, capsys):
    run_example(DOC, tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert "ben 6.NS.2 3 wrong in a row" in out
    assert ("ns2-lesson - Ms Rivera knows you need help with Divide multi-digit numbers (6.NS.2); this lesson "
            "goes over it again, step by step") in out
    assert "PretestScore(competency='6.NS.2', score=1.0, answered=3, items=3, skipped=True)" in out
    assert "5 wrong in a row; Mastery 17% after 5 attempts (when flagged); now 55%" in out
    assert "adaptive mastered" in out and "[('ana', '6.EE.1')]" in out
