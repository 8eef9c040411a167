"""The worked examples in docs/ run as written."""

import pytest

from tests.docs_helpers import DOCS, run_example

PAGES = ["knowledge-tracing.md", "security-and-privacy.md"]


@pytest.mark.parametrize("page", PAGES)
def test_worked_example_runs(page, tmp_path, monkeypatch):
    run_example(DOCS / page, tmp_path, monkeypatch)
