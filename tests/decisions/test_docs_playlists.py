"""The worked example in docs/playlists-and-flags.md runs as written."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "playlists-and-flags.md"


def test_worked_example_runs(tmp_path, monkeypatch, capsys):
    code = "\n".join(re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOC), "exec"), {"__name__": "__docs__"})
    out = capsys.readouterr().out
    assert "ben 6.NS.2 3 wrong in a row on 6.NS.2" in out
    assert "PretestScore(competency='6.NS.2', score=1.0, answered=3, items=3, skipped=True)" in out
