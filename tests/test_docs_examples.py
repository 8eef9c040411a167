"""The worked examples in docs/ run as written."""

import pytest

from tests.docs_helpers import DOCS, run_example

PAGES = ["knowledge-tracing.md", "student-data.md", "security-and-privacy.md"]


@pytest.mark.parametrize("page", PAGES)
def test_worked_example_runs(page, tmp_path, monkeypatch):
    run_example(DOCS / page, tmp_path, monkeypatch)


def test_the_student_data_example_prints_what_the_page_says(tmp_path, monkeypatch, capsys):
    import re

    run_example(DOCS / "student-data.md", tmp_path, monkeypatch)
    said = re.search(r"It prints:\n\n```text\n(.*?)```", (DOCS / "student-data.md").read_text(), re.S)
    assert said is not None and capsys.readouterr().out == said.group(1)
