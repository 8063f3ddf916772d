"""What one article offers to every query: its words, the patterns found in them, its entity mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from newsalert.classify.query.patterns import Occurrence, Pattern
from newsalert.classify.words import TextIndex


class Mention(NamedTuple):
    """An entity named in the article: where, and by which of its names."""

    zone: int
    first: int
    last: int
    alias: str
    """The name as entities.yaml spells it."""


@dataclass(frozen=True)
class Document:
    """An article read once for all topics: built by the classifier, read by every query."""

    index: TextIndex
    found: dict[Pattern, list[Occurrence]]
    mentions: dict[str, list[Mention]]
    """Entity id to its mentions, in reading order."""
    rejected: dict[str, list[Mention]] = field(default_factory=dict)
    """Ambiguous aliases found without their context (explanations name them)."""
    present: frozenset[Pattern | str] = field(init=False)
    """The patterns found and the ``@id`` of every entity mentioned: what a query can match on."""

    def __post_init__(self) -> None:
        entities = (f"@{entity}" for entity in self.mentions)
        object.__setattr__(self, "present", frozenset((*self.found, *entities)))
