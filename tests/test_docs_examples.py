"""The worked examples in docs/ run as written."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = ["knowledge-tracing.md"]


def python_blocks(page: Path) -> str:
    return "\n".join(re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S))


@pytest.mark.parametrize("page", PAGES)
def test_worked_example_runs(page, tmp_path, monkeypatch):
    code = python_blocks(DOCS / page)
    assert code.strip(), f"{page} has no python example"
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOCS / page), "exec"), {"__name__": "__docs__"})
