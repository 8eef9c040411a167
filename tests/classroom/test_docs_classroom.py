"""The worked example in docs/small-groups-and-rotations.md runs as written and prints what it says."""

import re
from datetime import date

import pytest

from tests.docs_helpers import DOCS, run_example

DOC = DOCS / "small-groups-and-rotations.md"


def _run_example(tmp_path, monkeypatch) -> None:
    run_example(DOC, tmp_path, monkeypatch)


def test_worked_example_runs(tmp_path, monkeypatch, capsys):
    _run_example(tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert "1 6.NS.2 shared gap ('ana', 'ben', 'cy', 'dee', 'eli')" in out
    assert "2 6.NS.3 shared gap ('fay',)" in out
    assert "eli flag-wrong-streak 3 wrong in a row pulled 1 school day ago" in out
    assert "{'gus': 2, 'hal': 2}" in out
    assert "0 20 teacher-led A ['ana', 'ben', 'cy', 'dee', 'eli']" in out
    assert re.search(r"^Fay Lin - 3 wrong in a row \(when flagged, [A-Z][a-z]{2} \d{1,2}\)$", out, re.M)
    assert "\n'=HYPERLINK(\"http://evil.example\")\n" in out  # a name like a formula is text in the CSV


def test_the_error_messages_shown_are_the_ones_the_example_class_gets(tmp_path, monkeypatch):
    from adaptive import Tutor
    from adaptive.domain.classroom import ClassroomError

    _run_example(tmp_path, monkeypatch)
    got = []
    with Tutor(f"sqlite:///{tmp_path / 'class.db'}") as tutor:
        for options in ({"max_size": 1, "all_groups": True}, {"devices": 4}):
            with pytest.raises(ClassroomError) as raised:
                tutor.rotation("6A", "station", date=date(2031, 3, 4), **options)
            got.append(str(raised.value))
    assert re.findall(r"^error: (.*)$", DOC.read_text(), flags=re.M) == got


def test_every_rotation_model_is_documented_and_offered_by_the_cli():
    """The registry (adaptive/classroom/rotations/, one module per model) is what the guide and the help list."""
    from typer.testing import CliRunner

    from adaptive.classroom.rotations import MODELS
    from adaptive.cli import app

    section = DOC.read_text().split("## Rotation schedules", 1)[1].split("\n## ", 1)[0]
    assert list(dict.fromkeys(re.findall(r"--model (\w+)", section))) == list(MODELS)
    assert [b.lower() for b in re.findall(r"^- \*\*(\w+)", section, flags=re.M)] == list(MODELS)
    shown = CliRunner().invoke(app, ["rotation", "--help"], env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
    assert shown.exit_code == 0, shown.output
    help_text = " ".join(shown.output.split())
    assert f"{', '.join(list(MODELS)[:-1])} or {list(MODELS)[-1]}." in help_text
    for name, model in MODELS.items():
        assert f"{name}: {model.description}." in help_text
