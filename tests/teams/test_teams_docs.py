"""docs/teams.md runs its examples as written and names exactly what the code reads and the manifest ships."""

from __future__ import annotations

import json
import re
import shlex
import zipfile
from pathlib import Path

import pytest
from test_teams_manifest import manifest
from typer.testing import CliRunner

import adaptive.cli  # the CLI loads bots.cli_serve as its plugin; importing that first is circular
from bots.cli_notify import TEAMS_DEFAULT_SERVICE_URL, TEAMS_SERVICE_URL
from bots.cli_serve import TEAMS_ENV, TEAMS_TENANT_ID
from bots.teams.app import MESSAGES_PATH

PATH = Path(__file__).resolve().parents[2] / "docs" / "teams.md"
PAGE = PATH.read_text()


def test_the_worked_example_runs() -> None:
    code = "".join(re.findall(r"```python\n(.*?)```", PAGE, flags=re.S))  # later blocks go on from the first
    exec(compile(code, str(PATH), "exec"), {"__name__": "__docs__"})


def test_the_environment_table_lists_the_variables_the_command_reads() -> None:
    shown = set(re.findall(r"^\| `(TEAMS_[A-Z_]+)` \|", PAGE, flags=re.M))
    assert shown == {*TEAMS_ENV, TEAMS_TENANT_ID, TEAMS_SERVICE_URL}


def test_the_command_table_is_the_manifests_command_menu_in_order() -> None:
    shown = re.findall(r"^\| `([a-z]+)` \|", PAGE, flags=re.M)
    assert shown == [c["title"] for c in manifest()["bots"][0]["commandLists"][0]["commands"]]


def test_the_endpoint_and_commands_shown_are_the_ones_the_code_uses() -> None:
    assert f"https://YOUR-SERVER{MESSAGES_PATH}" in PAGE and f"127.0.0.1:3978{MESSAGES_PATH}" in PAGE
    assert "serve teams --port 3978" in PAGE and "--allow-unauthenticated-for-local-testing" in PAGE


def test_the_daily_list_command_shown_is_the_one_the_cli_has() -> None:
    assert "notify teachers --platform teams" in PAGE and f"`{TEAMS_DEFAULT_SERVICE_URL}`" in PAGE


def test_the_package_command_shown_builds_the_package_the_page_describes(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    bash = "\n".join(re.findall(r"```bash\n(.*?)```", PAGE, flags=re.S)).replace("\\\n", " ")
    [command] = [line for line in bash.splitlines() if line.startswith("adaptive teams package ")]
    args = shlex.split(command)[1:]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(adaptive.cli.app, args)
    assert result.exit_code == 0, result.output
    out = args[args.index("--out") + 1]
    assert f"Teams app package: {out}" in result.output and f"`Teams app package: {out}`" in PAGE
    with zipfile.ZipFile(tmp_path / out) as package:
        manifest = json.loads(package.read("manifest.json"))
    host = args[args.index("--domain") + 1]
    assert manifest["id"] == args[args.index("--app-id") + 1]
    assert manifest["developer"]["name"] == args[args.index("--developer") + 1]
    shown = [link.replace("HOST", host) for link in re.findall(r"`(https://HOST/[a-z]*)`", PAGE)]
    assert shown == [manifest["developer"][key] for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl")]


def test_every_schedule_and_update_option_shown_is_one_the_commands_take() -> None:
    part = PAGE[PAGE.index("## Daily small-group list"):PAGE.index("## Trying it on your own machine")]
    shown = set(re.findall(r"(--[a-z][a-z-]+)", part)) - {"--db", "--port"}
    runner = CliRunner()
    help_text = "".join(runner.invoke(adaptive.cli.app, [*command, "--help"], terminal_width=200).output
                        for command in (["serve", "teams"], ["notify", "students"], ["notify", "teachers"]))
    assert {"--daily-list-at", "--progress-every", "--weekly-summary", "--weekly", "--platform"} <= shown
    assert all(option in help_text for option in shown), shown


def test_the_local_testing_refusal_quoted_is_the_one_the_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "app-id")
    result = CliRunner().invoke(adaptive.cli.app, ["serve", "teams", "--allow-unauthenticated-for-local-testing"])
    quoted = re.search(r"\(`(--allow-unauthenticated-for-local-testing:\s.*?)`\)", PAGE, flags=re.S)[1]
    assert " ".join(quoted.split()) in " ".join(result.output.split())
