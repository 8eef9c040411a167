"""The worked example in docs/chat.md prints what the page says it prints."""

import re

from tests.docs_helpers import DOCS, run_example

DOC = DOCS / "chat.md"


def test_worked_example_runs(tmp_path, monkeypatch, capsys):
    (expected,) = re.findall(r"```text\n(.*?)```", DOC.read_text(), flags=re.S)
    run_example(DOC, tmp_path, monkeypatch)
    assert capsys.readouterr().out == expected
