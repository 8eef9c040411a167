"""The worked example in docs/interop.md runs as written and prints what the page says it prints."""

import re

from tests.docs_helpers import DOCS, run_example

DOC = DOCS / "interop.md"


def test_worked_example_runs_and_prints_what_the_page_shows(tmp_path, monkeypatch, capsys):
    printed = re.search(r"It prints:\n\n```\n(.*?)```", DOC.read_text(), flags=re.S).group(1)
    run_example(DOC, tmp_path, monkeypatch)
    assert capsys.readouterr().out == printed
