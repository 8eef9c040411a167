"""Limits on files a teacher or a stranger may write: YAML size after aliases are expanded, and files a document
includes (decision tables, item banks), which must stay in the including file's folder.

Shared by the curriculum loader (adaptive.content) and the rules loader (adaptive.rules), so both refuse the same
alias bombs and the same ``/etc/passwd``, ``../`` and ``/dev/zero`` includes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

MAX_NODES = 200_000  # nodes of a YAML document with every alias expanded
MAX_DEPTH = 50  # nesting of mappings and lists
MAX_INCLUDED_BYTES = 5 * 1024 * 1024
TOO_LARGE = "the file is too large or nested too deeply (an alias bomb?)"
REFERS_TO_ITSELF = "an alias (*name) refers to itself"


class IncludeError(ValueError):
    """An included file that may not or cannot be read; ``reason`` says why (never with the file's content)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def yaml_size_problem(root: Any) -> tuple[Any, str] | None:
    """(the mapping or list where it went wrong, why) when the loaded YAML ``root`` is too big once aliases are expanded
    (more than MAX_NODES nodes or MAX_DEPTH levels) or contains itself; None when it is fine.

    Stops as soon as a limit is passed, so an alias bomb costs at most MAX_NODES steps."""
    nodes = 0
    open_: set[int] = set()
    stack: list[tuple[Any, Any, int, bool]] = [(root, root, 0, False)]
    while stack:
        node, parent, depth, leaving = stack.pop()
        if leaving:
            open_.discard(id(node))
            continue
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            return (node if isinstance(node, dict | list) else parent), TOO_LARGE
        if isinstance(node, dict | list):
            if id(node) in open_:
                return parent, REFERS_TO_ITSELF
            open_.add(id(node))
            stack.append((node, parent, depth, True))
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, node, depth + 1, False) for child in children)
    return None


def read_included(base_dir: Path, name: str, max_bytes: int = MAX_INCLUDED_BYTES) -> tuple[Path, bytes]:
    """(path, content) of the file ``name`` included by a document in ``base_dir``.

    ``name`` is relative to ``base_dir`` and must stay inside it (no absolute path, no ``..`` out, no symbolic
    link out), name a regular file (not a device or a folder) and hold at most ``max_bytes``. Raises
    :class:`IncludeError`."""
    if Path(name).is_absolute() or name.startswith(("~", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise IncludeError(name, "an included file is named relative to this file's folder, not an absolute path")
    path = base_dir / name
    try:  # where it leads is checked before whether it exists: no probing for files outside the folder
        folder = base_dir.resolve()
        if not path.resolve().is_relative_to(folder):
            raise IncludeError(name, "an included file must be inside this file's folder")
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise IncludeError(name, f"{getattr(exc, 'strerror', None) or 'cannot be found'}") from None
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise IncludeError(name, f"{exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        raise IncludeError(name, "not a regular file" if not stat.S_ISREG(info.st_mode) else
                           f"{info.st_size:,} bytes; an included file holds at most {max_bytes:,}")
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IncludeError(name, f"more than {max_bytes:,} bytes; an included file holds at most {max_bytes:,}")
    return path, data
