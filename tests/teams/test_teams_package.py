"""``adaptive teams package`` writes the zip an admin uploads to Teams: the shipped manifest with the bot's id
and the school's server filled in, and both icons, at the zip's root; bad settings are refused by name and
never leave a partial zip behind."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest
from PIL import Image
from test_teams_manifest import manifest as template
from typer.testing import CliRunner

from adaptive.cli import app
from bots.teams import package as teams_package
from bots.teams.app import MENU_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "0f3c2b1a-5d4e-4f6a-9b8c-7d6e5f4a3b2c"


def package(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["teams", "package", *args])
    return result.exit_code, result.output


def opened(path: Path) -> tuple[dict, dict[str, Image.Image]]:
    with zipfile.ZipFile(path) as zipped:
        assert sorted(zipped.namelist()) == ["color.png", "manifest.json", "outline.png"]
        icons = {name: Image.open(io.BytesIO(zipped.read(name))) for name in ("color.png", "outline.png")}
        return json.loads(zipped.read("manifest.json")), icons


def test_the_package_holds_the_manifest_with_the_bots_id_and_both_icons(tmp_path: Path) -> None:
    out = tmp_path / "tutor.zip"
    code, output = package("--app-id", APP_ID, "--domain", "Tutor.School.example", "--developer",
                           "Springfield Schools", "--out", str(out))  # fmt: skip
    assert code == 0 and f"Teams app package: {out}" in output and "warning" not in output
    manifest, icons = opened(out)
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["developer"] == {"name": "Springfield Schools", "websiteUrl": "https://tutor.school.example/",
                                     "privacyUrl": "https://tutor.school.example/privacy",
                                     "termsOfUseUrl": "https://tutor.school.example/terms"}  # fmt: skip
    assert manifest["validDomains"] == ["tutor.school.example"]
    assert "{{" not in json.dumps(manifest) and "YOUR" not in json.dumps(manifest)
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert (icons["color.png"].size, icons["outline.png"].size) == ((192, 192), (32, 32))
    assert icons["outline.png"].mode == "RGBA"


def test_only_the_ids_change_without_domain_and_developer_and_the_menu_still_matches_the_code(
    tmp_path: Path,
) -> None:
    assert package("--app-id", APP_ID, "--out", str(tmp_path / "p.zip"))[0] == 0
    manifest, _ = opened(tmp_path / "p.zip")
    shipped = template()
    [bot] = manifest["bots"]
    assert sorted(c["title"] for c in bot["commandLists"][0]["commands"]) == sorted(MENU_COMMANDS)
    for fields in (manifest, shipped):
        fields.pop("id"), fields["bots"][0].pop("botId")
    assert manifest == shipped


def test_without_domain_and_developer_it_warns_which_fields_keep_a_placeholder(tmp_path: Path) -> None:
    code, output = package("--app-id", APP_ID, "--out", str(tmp_path / "p.zip"))
    assert code == 0 and "warning: developer.name, developer.websiteUrl" in output and "--domain" in output


def test_an_updated_package_carries_the_version_given(tmp_path: Path) -> None:
    assert opened(package_at(tmp_path, "first.zip"))[0]["version"] == template()["version"]
    assert opened(package_at(tmp_path, "next.zip", "--app-version", "1.0.1"))[0]["version"] == "1.0.1"


def package_at(folder: Path, name: str, *args: str) -> Path:
    code, output = package("--app-id", APP_ID, *args, "--out", str(folder / name))
    assert code == 0, output
    return folder / name


def test_the_same_settings_give_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a.zip", "b.zip"):
        package("--app-id", APP_ID, "--domain", "tutor.school.example", "--out", str(tmp_path / name))
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.parametrize(("args", "named"), [
    (["--app-id", "28:bot-app-id"], "--app-id '28:bot-app-id' is not a GUID"),
    (["--app-id", APP_ID[:-1]], "is not a GUID"),
    (["--app-id", APP_ID, "--domain", "https://tutor.school.example/"], "--domain 'https://tutor.school.example/' "
                                                                         "is not a host name"),
    (["--app-id", APP_ID, "--developer", "x" * 33], "--developer 'xxx"),
    (["--app-id", APP_ID, "--app-version", "2"], "--app-version '2': write the version as MAJOR.MINOR.PATCH"),
])  # fmt: skip
def test_a_bad_setting_is_named_and_nothing_is_written(args: list[str], named: str, tmp_path: Path) -> None:
    code, output = package(*args, "--out", str(tmp_path / "p.zip"))
    assert code == 2 and named in output and "Teams app package" not in output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing/p.zip", "."])
def test_an_unwritable_out_is_named(where: str, tmp_path: Path) -> None:
    out = tmp_path / where
    code, output = package("--app-id", APP_ID, "--out", str(out))
    assert code == 2 and f"error: --out {out}: cannot write the package" in output
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_keeps_the_earlier_package_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "adaptive-teams.zip"
    out.write_bytes(b"the package uploaded last term")
    real = zipfile.ZipFile.writestr

    def disk_full_at_the_icons(self, info, data, *args, **kwargs):
        if info.filename.endswith(".png"):
            raise OSError(28, "No space left on device")
        return real(self, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", disk_full_at_the_icons)
    code, output = package("--app-id", APP_ID, "--out", str(out))
    assert code == 2 and "--out" in output and "No space left on device" in output
    assert out.read_bytes() == b"the package uploaded last term" and list(tmp_path.iterdir()) == [out]


def test_every_file_the_package_is_built_from_is_installed_with_the_bots_package() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["bots"]
    for source in (teams_package.TEMPLATE, *(teams_package.HERE / name for name in teams_package.ICONS)):
        inside = source.relative_to(ROOT / "bots").as_posix()
        assert source.is_file() and any(fnmatch(inside, pattern) for pattern in declared), inside
