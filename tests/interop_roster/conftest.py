"""The two public OneRoster samples beside the repository, and tmp copies of them to change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from roster_samples import SAMPLES, V11, V12


@pytest.fixture
def samples() -> Path:
    if not V11.is_dir() or not V12.is_dir():
        pytest.skip(f"the OneRoster samples are not at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def copy_of(samples, tmp_path):
    """copy_of(V11) -> a tmp copy of that sample folder, to change."""

    def make(folder: Path, name: str | None = None) -> Path:
        target = tmp_path / (name or folder.name)
        shutil.copytree(folder, target)
        return target

    return make


@pytest.fixture
def write_folder(tmp_path):
    """write_folder(name, {file: text}, newline) -> a folder of those CSV files (text lines joined by newline;
    no final newline unless the text ends with a blank line)."""

    def make(name: str, files: dict[str, str], newline: str = "\n") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        for file, text in files.items():
            (folder / f"{file}.csv").write_bytes(newline.join(text.strip("\n").split("\n")).encode())
        return folder

    return make
