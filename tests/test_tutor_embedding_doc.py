"""docs/embedding.md's worked example runs as written."""

import warnings

from adaptive.domain.errors import NoCourseWarning
from tests.docs_helpers import DOCS, python_blocks, run_example

DOC = DOCS / "embedding.md"


def test_the_worked_example_runs(tmp_path, monkeypatch, capsys):
    assert "Tutor(" in python_blocks(DOC)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoCourseWarning)  # its course is added: next items are offered
        run_example(DOC, tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert "frac.equiv" in out and "['Ana']" in out
    assert "next: ex-12 (" in out
    assert (tmp_path / "homework.db").exists()
