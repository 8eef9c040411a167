"""The teacher and curriculum-lead commands, end to end on one database."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.rules import default_rules_text


def test_next_playlist_flags_and_rules_commands(school, tmp_path):
    for _ in range(3):
        school.record_response("ana", item="ns2-practice-a", correct=False)
    run = CliRunner().invoke
    db = ["--db", school.url]

    shown = run(app, [*db, "next", "ana", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["competency"] == "6.NS.2"
    assert run(app, [*db, "playlist", "pin", "ana", "ns3-store", "--note", "Store day"]).exit_code == 0
    assert run(app, [*db, "playlist", "remove", "ana", "ns2-lesson"]).exit_code == 0
    listed = run(app, [*db, "playlist", "ana", "--n", "3", "--json"])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.stdout)
    assert len(items) == 3 and items[0]["item"] == "ns3-store" and "ns2-lesson" not in [i["item"] for i in items]
    assert "why:" in run(app, [*db, "playlist", "ana"]).stdout

    flags = json.loads(run(app, [*db, "flags", "--section", "6A", "--json"]).stdout)
    assert [f["reason"] for f in flags] == ["3 wrong in a row"]
    resolved = run(app, [*db, "flags", "resolve", str(flags[0]["id"]), "--by", "ms-rivera", "--note", "done"])
    assert resolved.exit_code == 0, resolved.output
    assert json.loads(run(app, [*db, "flags", "--json"]).stdout) == []
    assert "unknown student 'zed'" in run(app, [*db, "next", "zed"]).output

    broken = tmp_path / "broken.yaml"
    broken.write_text(default_rules_text().replace("event: pretest", "event: pre-test", 1))
    refused = run(app, [*db, "rules", "publish", str(broken), "--by", "lead"])
    assert refused.exit_code == 1 and "not published" in refused.stdout and "broken.yaml:" in refused.stdout
    good = tmp_path / "rules.yaml"
    good.write_text(default_rules_text().replace("at_least: 3}", "at_least: 2}"))
    simulated = run(app, [*db, "rules", "simulate", str(good), "--json"])
    assert simulated.exit_code == 0, simulated.output
    assert json.loads(simulated.stdout)["changed"] == 1
    assert "decisions would change" in run(app, [*db, "rules", "simulate", str(good)]).stdout
    published = run(app, [*db, "rules", "publish", str(good), "--by", "lead"])
    assert published.exit_code == 0 and "it is now active" in published.stdout
    active = json.loads(run(app, [*db, "rules", "active", "--json"]).stdout)
    assert active["published_by"] == "lead" and not active["is_default"]
