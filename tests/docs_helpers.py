"""Running a docs page's worked example: its ```python blocks, joined, in a throw-away working folder."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def python_blocks(page: Path) -> str:
    return "\n".join(re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S))


def run_example(page: Path, tmp_path: Path, monkeypatch) -> None:
    """Execute ``page``'s python blocks as one script, with ``tmp_path`` as the working folder."""
    code = python_blocks(page)
    assert code.strip(), f"{page.name} has no python example"
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(page), "exec"), {"__name__": "__docs__"})
