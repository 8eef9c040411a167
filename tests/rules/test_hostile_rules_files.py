"""A rules file from a stranger: an alias bomb is refused at once, and included tables stay in the rules' folder."""

from __future__ import annotations

import os

import pytest
from rules_helpers import rules_yaml

from adaptive.input_limits import MAX_INCLUDED_BYTES
from adaptive.rules import read_rules

TABLE = "id,description,priority,when.p_mastered,then.flag_small_group\nlow,Low,10,< 0.4,Low mastery\n"


def alias_bomb() -> str:
    """Nine levels of nine aliases each: under 1 KB of YAML, 9**9 (387 million) nodes when expanded."""
    lines = ["changelog:", "  - &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return rules_yaml("", extra="\n".join(lines) + "\n") + "  []\n"


def problems(path) -> list[str]:
    return [str(p) for p in read_rules(path)[1]]


def with_table(name: str) -> str:
    return rules_yaml("", extra=f"includes:\n  - {{table: '{name}', hit_policy: first}}\n") + "  []\n"


def test_an_alias_bomb_is_refused_with_its_line_as_the_curriculum_refuses_it(write):
    found = problems(write("r.yaml", alias_bomb()))
    assert len(found) == 1
    assert found[0].endswith("r.yaml:7: the file is too large or nested too deeply (an alias bomb?)")


@pytest.mark.parametrize("name, reason", [
    ("/etc/passwd", "an included file is named relative to this file's folder, not an absolute path"),
    ("../secret.csv", "an included file must be inside this file's folder"),
    ("sub/../../secret.csv", "an included file must be inside this file's folder"),
    ("link.csv", "an included file must be inside this file's folder"),
    ("folder", "not a regular file"),
], ids=["absolute path", "dot-dot", "dot-dot inside a folder", "symbolic link out", "a folder"])
def test_a_table_outside_the_rules_folder_is_refused_naming_file_and_line_without_its_content(
        tmp_path, name, reason):
    rules = tmp_path / "rules"
    (rules / "sub").mkdir(parents=True)
    (rules / "folder").mkdir()
    (tmp_path / "secret.csv").write_text("TOP SECRET first line\n")
    (rules / "link.csv").symlink_to(tmp_path / "secret.csv")
    (rules / "r.yaml").write_text(with_table(name))
    found = problems(rules / "r.yaml")
    assert len(found) == 1 and found[0].startswith(f"{rules / 'r.yaml'}:7: cannot read table {name}: {reason}"), found
    assert not any("TOP SECRET" in p or "root:" in p for p in found)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_linked_into_the_folder_is_refused_not_read(tmp_path):
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    (tmp_path / "r.yaml").write_text(with_table("zero.csv"))
    found = problems(tmp_path / "r.yaml")
    assert len(found) == 1 and "cannot read table zero.csv: an included file must be inside" in found[0], found


def test_a_table_larger_than_the_cap_is_refused(write):
    write("big.csv", TABLE + "x" * MAX_INCLUDED_BYTES)
    found = problems(write("r.yaml", with_table("big.csv")))
    assert len(found) == 1 and "an included file holds at most 5,242,880" in found[0], found


def test_tables_in_a_subfolder_and_linked_within_the_folder_are_read(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "flags.csv").write_text(TABLE)
    (tmp_path / "alias.csv").symlink_to(tmp_path / "tables" / "flags.csv")
    for name in ("tables/flags.csv", "alias.csv"):
        (tmp_path / "r.yaml").write_text(with_table(name))
        ruleset, found = read_rules(tmp_path / "r.yaml")
        assert found == [] and [r.id for r in ruleset.rules] == ["low"]


def test_a_stored_version_whose_table_name_leads_out_of_the_folder_is_refused_and_nothing_is_written_outside(
        tmp_path, monkeypatch):
    import tempfile

    from adaptive.decisions.rulesets import stored_candidate
    from adaptive.domain.deciding import PublishedRules
    from adaptive.rules import RulesError

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    text = with_table("../escape.csv")
    stored = PublishedRules("t", "1+x", text, {"../escape.csv": TABLE}, "someone", None, "", True, id=3)
    with pytest.raises(RulesError) as caught:
        stored_candidate(stored)
    assert "cannot read table ../escape.csv: an included file must be inside this file's folder" in str(caught.value)
    assert not (tmp_path / "escape.csv").exists()
