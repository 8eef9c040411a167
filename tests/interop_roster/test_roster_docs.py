"""The worked example in docs/rosters.md runs as written and prints what the page says."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "rosters.md"


def test_worked_example_prints_what_the_page_says(tmp_path, monkeypatch, capsys):
    text = DOC.read_text()
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, flags=re.S))
    printed = re.search(r"prints\n\n```\n(.*?)```", text, flags=re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOC), "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out == printed
