"""Registries that grow by adding a module: each public module of a package declares one entry under an
agreed name (``STRATEGY``, ``MODEL``), found at import and listed in a stable order."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Protocol, TypeVar


class Entry(Protocol):
    name: str
    order: int


E = TypeVar("E", bound=Entry)


def discover(package: str, path: Iterable[str], attribute: str, kind: type[E], what: str) -> Mapping[str, E]:
    """name -> entry of every module of ``package`` (not starting with ``_``), by (order, name).

    A module that declares no ``attribute`` of type ``kind``, or two entries of one name, is a programming
    error raised at import, so a registry is never silently short."""
    found: list[E] = []
    for module in pkgutil.iter_modules(path):
        if module.name.startswith("_"):
            continue
        entry = getattr(importlib.import_module(f"{package}.{module.name}"), attribute, None)
        if not isinstance(entry, kind):
            raise TypeError(f"{package}.{module.name} declares no {attribute}")
        found.append(entry)
    found.sort(key=lambda e: (e.order, e.name))
    names = [e.name for e in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two {what} share a name: {names}")
    return MappingProxyType({e.name: e for e in found})
