"""The worked example in docs/rosters.md runs as written and prints what the page says."""

import re

from tests.docs_helpers import DOCS, run_example

DOC = DOCS / "rosters.md"


def test_worked_example_prints_what_the_page_says(tmp_path, monkeypatch, capsys):
    printed = re.search(r"prints\n\n```\n(.*?)```", DOC.read_text(), flags=re.S).group(1)
    run_example(DOC, tmp_path, monkeypatch)
    assert capsys.readouterr().out == printed
