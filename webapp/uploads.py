"""Uploaded roster files written into a folder the importer reads: a OneRoster .zip, or several .csv files.

An upload is untrusted. Nothing is ever extracted by the name the archive gives: each file's name is checked
(no folder going up ``..``, no absolute path or drive, no backslash or control character, a plain
``name.csv`` once its folders are dropped) and written by that plain name into a new folder, so a crafted
zip cannot write outside it (path traversal). Sizes are counted as the bytes are decompressed, not as the
archive declares them, and stop at caps (a zip bomb stops at the cap, not at the end of the disk).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

MB = 2**20
MAX_UPLOAD = 64 * MB  # the request body: a 100,000-student export (benchmarks/bench_roster.py) zips to 4.3 MB
MAX_UNPACKED = 512 * MB  # all files together, once unzipped (that export is 30 MB of CSV)
MAX_FILES = 32  # CSV files in one upload (OneRoster has 7 the tutor reads, 15 in all)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.csv", re.IGNORECASE)
_CHUNK = 64 * 1024


class UploadRefused(Exception):
    """The upload is not written: the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Unpacked:
    """Where the upload's CSV files are now, and the names of the files left aside (not CSV)."""

    folder: Path
    files: tuple[str, ...]
    ignored: tuple[str, ...]


def plain_name(name: str) -> str | None:
    """The file's plain name when it may be written (``export/users.csv`` -> ``users.csv``); None for a file
    that is not a CSV (left aside). A name going outside the folder refuses the whole upload."""
    if not name or "\\" in name or any(ord(c) < 32 for c in name) or re.match(r"[A-Za-z]:", name):
        raise UploadRefused(f"{name!r}: not a plain file name; nothing was imported")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise UploadRefused(f"{name!r}: a file name going outside the folder; nothing was imported")
    base = path.name
    if "__MACOSX" in path.parts or base.startswith("._") or not base.lower().endswith(".csv"):
        return None
    if not _PLAIN.fullmatch(base):
        raise UploadRefused(f"{name!r}: not a plain file name; nothing was imported")
    return base


def _copy(source: BinaryIO, target: Path, budget: int, shown: str) -> int:
    """Copy at most ``budget`` bytes; returns how many. Over the budget: UploadRefused."""
    written = 0
    with target.open("xb") as out:  # never overwrite: two members with one plain name are refused first
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > budget:
                raise UploadRefused(f"{shown}: the files unpack to more than {_cap()}, the most "
                                    "this server accepts; nothing was imported")
            out.write(chunk)
    return written


def unpack(uploads: Iterable[tuple[str, BinaryIO]], folder: Path) -> Unpacked:
    """Write each upload (``(file name, its bytes)``) into ``folder``: a ``.zip`` unpacked, a ``.csv`` as is.

    Raises UploadRefused (and leaves ``folder`` empty) for an unsafe name, a file name given twice, too many
    files, a damaged zip, or more than :data:`MAX_UNPACKED` bytes in all."""
    budget = MAX_UNPACKED
    files: list[str] = []
    ignored: list[str] = []
    try:
        for name, data in uploads:
            if name.lower().endswith(".zip"):
                budget -= _unzip(name, data, folder, budget, files, ignored)
                continue
            base = plain_name(PurePosixPath(name.replace("\\", "/")).name)
            if base is None:
                ignored.append(name)
                continue
            _claim(base, files)
            budget -= _copy(data, folder / base, budget, name)
    except BaseException:
        for child in folder.iterdir():
            child.unlink() if child.is_file() else shutil.rmtree(child)
        raise
    if not files:
        raise UploadRefused("no CSV files in the upload: choose the roster export's .zip, or its .csv files")
    return Unpacked(folder, tuple(files), tuple(ignored))


def _cap() -> str:
    return f"{MAX_UNPACKED / MB:g} MB"


def _claim(base: str, files: list[str]) -> None:
    if base.lower() in (f.lower() for f in files):
        raise UploadRefused(f"{base}: in the upload twice; nothing was imported")
    if len(files) >= MAX_FILES:
        raise UploadRefused(f"more than {MAX_FILES} CSV files in the upload; nothing was imported")
    files.append(base)


def _unzip(name: str, data: BinaryIO, folder: Path, budget: int, files: list[str], ignored: list[str]) -> int:
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(f"{name}: not a readable .zip file; nothing was imported") from None
    used = 0
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > 4 * MAX_FILES:
            raise UploadRefused(f"{name}: {len(members)} files in the zip, more than a roster export has")
        for member in members:
            base = plain_name(member.filename)
            if base is None:
                ignored.append(member.filename)
                continue
            if member.file_size > budget - used:  # what it says it holds; the copy counts what it really does
                raise UploadRefused(f"{name}: the files unpack to more than {_cap()}, the most "
                                    "this server accepts; nothing was imported")
            _claim(base, files)
            try:
                with archive.open(member) as source:
                    used += _copy(source, folder / base, budget - used, name)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
                raise UploadRefused(f"{name}: {member.filename} cannot be unpacked ({exc})") from None
    return used

