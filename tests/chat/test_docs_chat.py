"""The worked example in docs/chat.md prints what the page says it prints."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "chat.md"


def test_worked_example_runs(tmp_path, monkeypatch, capsys):
    text = DOC.read_text()
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, flags=re.S))
    (expected,) = re.findall(r"```text\n(.*?)```", text, flags=re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOC), "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out == expected
