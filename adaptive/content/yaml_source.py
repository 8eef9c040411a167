"""YAML text → plain Python data plus the line of every mapping key and list entry (never a ruamel traceback)."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarbool import ScalarBoolean

from adaptive.input_limits import MAX_DEPTH, MAX_NODES, REFERS_TO_ITSELF, TOO_LARGE

Path_ = tuple[Any, ...]


class SourceError(Exception):
    """The text is not usable YAML; ``line`` is 1-based (None: the whole file)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineMap:
    """Lines of the nodes of a loaded document, looked up by their path (keys and list indexes)."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {(): 1}

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest ancestor with a known line."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def decode(raw: bytes) -> str:
    """UTF-8 text of ``raw`` (a byte-order mark is dropped); binary data is a :class:`SourceError`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(line, "this is not a UTF-8 text file (save it as UTF-8 text)") from None
    if "\x00" in text:
        raise SourceError(text[: text.index("\x00")].count("\n") + 1, "binary data (NUL byte) in a text file")
    return text


def load_yaml(text: str) -> tuple[Any, LineMap]:
    """The document in ``text`` as dicts, lists and scalars, and its :class:`LineMap`."""
    try:
        node = YAML(typ="rt", pure=True).load(text)
    except Exception as exc:  # ruamel raises many exception types, some not YAMLError
        raise SourceError(*_yaml_problem(exc, text)) from None
    lines = LineMap()
    return _Plain(lines).convert(node, ()), lines


def _yaml_problem(exc: Exception, text: str) -> tuple[int | None, str]:
    if isinstance(exc, RecursionError):
        return 1, "YAML nested too deeply"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    if mark is not None and problem:
        return mark.line + 1, f"YAML syntax error: {problem}"
    position = getattr(exc, "position", None)
    if isinstance(position, int):  # ReaderError: a character YAML does not allow
        character = getattr(exc, "character", None)
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        return text[:position].count("\n") + 1, f"character {shown} is not allowed in YAML (is this a text file?)"
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return (mark.line + 1 if mark is not None else None), f"YAML syntax error: {first}"


class _Plain:
    def __init__(self, lines: LineMap) -> None:
        self.lines = lines
        self.nodes = 0
        self.open: set[int] = set()

    def convert(self, node: Any, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            raise SourceError(self.lines.line(path), TOO_LARGE)
        if isinstance(node, dict | list):
            if id(node) in self.open:
                raise SourceError(self.lines.line(path), REFERS_TO_ITSELF)
            self.open.add(id(node))
            try:
                return self._mapping(node, path) if isinstance(node, dict) else self._list(node, path)
            finally:
                self.open.discard(id(node))
        if isinstance(node, bool | ScalarBoolean):
            return bool(node)
        if isinstance(node, str):
            return str(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        return node  # None, dates, binary, tagged values: the models reject what they do not expect

    def _mapping(self, node: dict, path: Path_) -> dict:
        data = getattr(getattr(node, "lc", None), "data", {})
        out: dict[Any, Any] = {}
        for key, value in node.items():
            name = key if isinstance(key, str | int) and not isinstance(key, bool) else str(key)
            where = data.get(key)
            if where:
                self.lines.lines[(*path, name)] = where[0] + 1
            out[name] = self.convert(value, (*path, name))
        return out

    def _list(self, node: list, path: Path_) -> list:
        data = getattr(getattr(node, "lc", None), "data", {})
        out = []
        for index, value in enumerate(node):
            where = data.get(index)
            if where:
                self.lines.lines[(*path, index)] = where[0] + 1
            out.append(self.convert(value, (*path, index)))
        return out
