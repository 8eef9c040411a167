"""Reading a CASE package (1EdTech Competencies and Academic Standards Exchange: a CFPackage as JSON) into
plain records, every field validated (pydantic) and every problem listed; :mod:`adaptive.interop.case`
makes the records a curriculum. CASE 1.0 field names and the pre-1.0 names of early OpenSALT exports
(``educationalLevel`` as a string, flat ``originNodeIdentifier``/``destinationNodeIdentifier``) are both
read. No database here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from adaptive.domain import StoreError


class CaseError(StoreError):
    """A package that cannot be imported; ``problems`` lists every problem (nothing was written)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Link(_Model):
    identifier: str | None = None


class DocumentSpec(_Model):
    identifier: str = Field(min_length=1)
    title: str = Field(min_length=1)
    subject: str | list[str] | None = None
    description: str | None = None
    notes: str | None = None


class ItemSpec(_Model):
    identifier: str = Field(min_length=1)
    fullStatement: str = Field(min_length=1)  # noqa: N815 - CASE's field names
    humanCodingScheme: str | None = None  # noqa: N815
    abbreviatedStatement: str | None = None  # noqa: N815
    listEnumeration: str | None = None  # noqa: N815
    educationLevel: list[str] | str | None = None  # noqa: N815 - CASE 1.0: a list
    educationalLevel: list[str] | str | None = None  # noqa: N815 - pre-1.0: a string such as "03"
    CFItemType: str | None = None  # noqa: N815
    notes: str | None = None


class AssociationSpec(_Model):
    associationType: str = Field(min_length=1)  # noqa: N815
    originNodeURI: _Link | None = None  # noqa: N815
    originNodeIdentifier: str | None = None  # noqa: N815 - pre-1.0
    destinationNodeURI: _Link | None = None  # noqa: N815
    destinationNodeIdentifier: str | None = None  # noqa: N815 - pre-1.0
    sequenceNumber: int | None = None  # noqa: N815

    @model_validator(mode="after")
    def _ends(self) -> AssociationSpec:
        for end in ("origin", "destination"):
            if not self.end(end):
                raise ValueError(f"{end}NodeURI.identifier is missing")
        return self

    def end(self, which: str) -> str | None:
        link: _Link | None = getattr(self, f"{which}NodeURI")
        return (link.identifier if link else None) or getattr(self, f"{which}NodeIdentifier")


@dataclass(frozen=True)
class CaseItem:
    """A CFItem: ``code`` is its human coding scheme (None when blank), ``index`` its place in the file."""

    index: int
    identifier: str
    code: str | None
    statement: str
    abbreviated: str | None
    enumeration: str | None
    levels: tuple[str, ...]
    item_type: str | None
    notes: str | None


@dataclass(frozen=True)
class CaseLink:
    """A CFAssociation: ``origin`` ``kind`` ``destination`` (e.g. child isChildOf parent), by identifier."""

    index: int
    kind: str
    origin: str
    destination: str
    sequence: int | None


@dataclass(frozen=True)
class CasePackage:
    file: str
    identifier: str
    title: str
    subject: str | None
    description: str | None
    items: tuple[CaseItem, ...]
    links: tuple[CaseLink, ...]


def read_package(path: Path | str) -> CasePackage:
    """The package in the JSON file ``path``, validated; raises :class:`CaseError` listing every problem."""
    name = str(path)
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise CaseError([f"{name}: cannot read the file ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError:
        raise CaseError([f"{name}: not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        raise CaseError([f"{name}: line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]
    if not isinstance(data, dict):
        raise CaseError([f"{name}: a CFPackage is a JSON object with CFDocument and CFItems"])
    problems: list[str] = []
    for key in ("CFDocument", "CFItems"):
        if key not in data:
            problems.append(f"{name}: {key}: missing (a CFPackage has CFDocument, CFItems and CFAssociations)")
    for key in ("CFItems", "CFAssociations"):
        if key in data and not isinstance(data[key], list):
            problems.append(f"{name}: {key}: must be a list")
    if problems:
        raise CaseError(problems)
    document = _valid(DocumentSpec, data["CFDocument"], f"{name}: CFDocument", problems)
    items = []
    for i, raw in enumerate(data["CFItems"]):
        spec = _valid(ItemSpec, raw, f"{name}: CFItems[{i}]{_named(raw)}", problems)
        if spec is not None:
            items.append(_item(i, spec))
    links = []
    for i, raw in enumerate(data.get("CFAssociations") or []):
        spec = _valid(AssociationSpec, raw, f"{name}: CFAssociations[{i}]{_named(raw)}", problems)
        if spec is not None:
            links.append(CaseLink(i, spec.associationType, spec.end("origin"), spec.end("destination"),  # type: ignore[arg-type]
                                  spec.sequenceNumber))  # fmt: skip
    if problems or document is None:
        raise CaseError(problems)
    subject = document.subject if isinstance(document.subject, str) else ", ".join(document.subject or []) or None
    return CasePackage(name, document.identifier, document.title.strip(), subject,
                       document.description or document.notes, tuple(items), tuple(links))  # fmt: skip


def _named(raw: Any) -> str:
    ident = raw.get("identifier") if isinstance(raw, dict) else None
    return f" (identifier {ident})" if isinstance(ident, str) and ident else ""


def _valid(model: type[BaseModel], raw: Any, where: str, problems: list[str]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field = ".".join(str(p) for p in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {field}: {message}" if field else f"{where}: {message}")
        return None


def _item(index: int, spec: ItemSpec) -> CaseItem:
    levels = spec.educationLevel if spec.educationLevel is not None else spec.educationalLevel
    if isinstance(levels, str):
        levels = levels.split(",")
    return CaseItem(
        index, spec.identifier.strip(), (spec.humanCodingScheme or "").strip() or None, spec.fullStatement.strip(),
        (spec.abbreviatedStatement or "").strip() or None, spec.listEnumeration,
        tuple(x.strip() for x in levels or () if x.strip()), spec.CFItemType, (spec.notes or "").strip() or None,
    )  # fmt: skip
