"""Say what is wrong with a configuration document that a pydantic model refused, in an operator's words.

pydantic places a problem by position (``topics.3.threshold``) and words it for
programmers (``Value error, ...``); an operator knows the entries of a file by their
names and wants the check's own sentence. Each loader says how to name the part of
its document a problem is in; the rest of the wording is the same for every file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


IdentifiedT = TypeVar("IdentifiedT", bound=_Identified)

Location = tuple[int | str, ...]

Locate = Callable[[Location, object], tuple[str, Location]]
"""Given where pydantic found a problem and the document, the words that name the part of the
document it is in (``"topic 'sco'"``, or ``""``) and where the problem is within that part."""


def describe_problems(error: ValidationError, document: object, *, locate: Locate) -> str:
    """Every problem in ``error`` as ``part: field.path: message``, joined with ``"; "``."""
    problems = []
    for detail in error.errors():
        part, location = locate(tuple(detail["loc"]), document)
        # pydantic puts the union branch or validator it tried into the location
        # ("function-before[...]"); that means nothing to whoever wrote the file.
        field = ".".join(str(step) for step in location if "[" not in str(step))
        message = str(detail["msg"]).removeprefix("Value error, ")
        problems.append(": ".join(text for text in (part, field, message) if text))
    return "; ".join(problems)


def located_entry(location: Location, document: object, collection: str) -> tuple[int, Mapping[str, Any]] | None:
    """The entry of the document's ``collection`` list that a problem at ``location`` is in.

    Returns its index and its fields (none when the entry is not a mapping), or None when
    the problem is not inside that list. The document was refused, so it may be shaped any
    way at all: nothing about it is assumed.
    """
    if len(location) < 2 or location[0] != collection or not isinstance(location[1], int):
        return None
    index = location[1]
    entries = document.get(collection) if isinstance(document, dict) else None
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    return index, entry if isinstance(entry, dict) else {}


def read_versioned_yaml(
    text: str, *, source: str, collection: str, version: int, error: type[ValueError]
) -> dict[str, Any]:
    """The mapping of a versioned YAML file (``version`` and ``collection`` keys), or ``error``
    saying what is wrong with it and naming ``source``."""
    import yaml  # only for an operator's file: the bundled ones are read from JSON (newsalert.bundled_data)

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{source}: not valid YAML: {exc}") from exc
    return versioned_document(raw, source=source, collection=collection, version=version, error=error)


def versioned_document(
    raw: object, *, source: str, collection: str, version: int, error: type[ValueError]
) -> dict[str, Any]:
    """``raw`` if it is the mapping of a versioned file (``version`` and ``collection`` keys), else ``error``."""
    if not isinstance(raw, dict):
        raise error(f"{source}: expected a mapping with 'version' and '{collection}'")
    if raw.get("version", version) != version:
        raise error(f"{source}: unsupported version {raw.get('version')!r} (expected {version})")
    return raw


def unique_by_id(items: Iterable[IdentifiedT], kind: str) -> dict[str, IdentifiedT]:
    """``items`` by their ``id``; raises ``ValueError`` naming the first id given twice."""
    by_id: dict[str, IdentifiedT] = {}
    for item in items:
        if item.id in by_id:
            raise ValueError(f"{kind} {item.id!r}: duplicate id")
        by_id[item.id] = item
    return by_id
