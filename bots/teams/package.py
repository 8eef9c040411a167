"""The Teams app package a school admin uploads: ``manifest.json`` with the bot's id (and optionally the
school's server and name) filled in, plus ``color.png`` and ``outline.png``, all at the root of one zip."""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from contextlib import suppress
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.json"
ICONS = ("color.png", "outline.png")
APP_ID = "{{TEAMS_APP_ID}}"
SERVER = "YOUR-SERVER"
DEVELOPER = "YOUR SCHOOL OR DISTRICT"
DEVELOPER_URLS = ("websiteUrl", "privacyUrl", "termsOfUseUrl")
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
HOST = re.compile(r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]", re.I)
VERSION = re.compile(r"\d{1,9}\.\d{1,9}\.\d{1,9}")  # the manifest's semantic version, MAJOR.MINOR.PATCH
NAME_LIMIT = 32  # developer.name, in the v1.19 schema
STAMP = (2026, 1, 1, 0, 0, 0)  # every zip entry's time, so the same settings give the same bytes


class BadSetting(ValueError):
    """A setting the package cannot be built with; ``setting`` names it (``app_id``, ``domain``, ``developer``)."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting


def build_manifest(app_id: str, *, domain: str | None = None, developer: str | None = None,
                   version: str | None = None) -> dict[str, Any]:
    """The shipped manifest with the app and bot id set to ``app_id``; ``domain`` (a host name) fills the
    developer links and ``validDomains``, ``developer`` the developer name, ``version`` the app's version
    (Teams takes an updated package only with a higher one)."""
    if not GUID.fullmatch(app_id):
        raise BadSetting("app_id", f"{app_id!r} is not a GUID: give the bot's Microsoft App ID (Azure Bot > "
                                   "Configuration), e.g. 0f3c2b1a-5d4e-4f6a-9b8c-7d6e5f4a3b2c")  # fmt: skip
    if domain is not None and not HOST.fullmatch(domain):
        raise BadSetting("domain", f"{domain!r} is not a host name: give only the server's name, e.g. "
                                   "tutor.school.example (no https://, port or path)")  # fmt: skip
    if developer is not None and not 0 < len(developer.strip()) <= NAME_LIMIT:
        raise BadSetting("developer", f"{developer!r}: give a name of 1 to {NAME_LIMIT} characters")
    if version is not None and not VERSION.fullmatch(version):
        raise BadSetting("version", f"{version!r}: write the version as MAJOR.MINOR.PATCH, e.g. 1.0.1")
    result = json.loads(TEMPLATE.read_text())
    result["id"] = app_id
    if version is not None:
        result["version"] = version
    for bot in result["bots"]:
        bot["botId"] = app_id
    if domain is not None:
        for key in DEVELOPER_URLS:
            result["developer"][key] = result["developer"][key].replace(SERVER, domain.lower())
        result["validDomains"] = [domain.lower()]
    if developer is not None:
        result["developer"]["name"] = developer.strip()
    return result


def placeholders(manifest: dict[str, Any]) -> list[str]:
    """The manifest's fields that still hold a placeholder to replace, e.g. ``developer.websiteUrl``."""
    marks = (APP_ID, SERVER, DEVELOPER)
    return [f"developer.{key}" for key, value in manifest["developer"].items() if any(m in value for m in marks)]


def write(path: Path, manifest: dict[str, Any]) -> Path:
    """Write the package zip to ``path`` (via a temporary file in the same folder, then renamed: a failure
    leaves no partial zip and any earlier file as it was); raises OSError when it cannot."""
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder; give the zip's file name", str(path))
    files = {"manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n",
             **{name: (HERE / name).read_bytes() for name in ICONS}}  # fmt: skip
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w") as package:
            for name, data in files.items():
                entry = zipfile.ZipInfo(name, date_time=STAMP)
                entry.external_attr = 0o644 << 16
                package.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path
