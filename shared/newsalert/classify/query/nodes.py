"""A parsed query: the tree of operators over terms, and how to write it back as text.

Field scopes are pushed down onto the terms when parsing (``title:(a OR b)`` becomes
``title:a OR title:b``), so that every leaf knows where it may look and no evaluation
needs to carry a scope down the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from newsalert.classify.query.patterns import Pattern
from newsalert.classify.words import ScopeName


@dataclass(frozen=True, slots=True)
class Term:
    """A word, a phrase or a prefix, looked for in the article's words."""

    pattern: Pattern
    written: str
    """As the editor wrote it (without quotes, scope or weight): ``sanction*``, ``export controls``, ``SCO``.
    Evidence names the term by this, and repeats of one ``written`` term decay together in the score."""
    quoted: bool = False
    weight: float = 1.0
    scope: ScopeName | None = None
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class EntityRef:
    """``@id``: any mention of an entity (its aliases, demonyms, metonyms, ambiguous aliases in context)."""

    entity: str
    weight: float = 1.0
    scope: ScopeName | None = None
    position: int = field(default=0, compare=False)

    @property
    def written(self) -> str:
        return f"@{self.entity}"


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Mentions:
    """``MENTIONS/n x``: ``x`` matches at ``count`` or more places (repeated mentions make a subject)."""

    child: Node
    count: int
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Near:
    """Both sides within ``distance`` words of each other, in either order, in one zone."""

    left: Node
    right: Node
    distance: int


Leaf = Term | EntityRef
Node = Term | EntityRef | And | Or | Not | Near | Mentions


@dataclass(frozen=True)
class Query:
    """A topic's query, parsed once when the taxonomy loads."""

    text: str
    root: Node

    def __str__(self) -> str:
        return self.text

    def leaves(self, *, positive_only: bool = False) -> Iterator[Leaf]:
        """Every term and entity reference; with ``positive_only``, those not under a NOT."""
        return iter(self._positive_leaves if positive_only else self._leaves)

    # Walked once each: loading a taxonomy reads every query's leaves three times (its patterns,
    # its entities, what must be present), and the watch topics' queries have hundreds of leaves.

    @cached_property
    def _leaves(self) -> tuple[Leaf, ...]:
        return tuple(leaves(self.root))

    @cached_property
    def _positive_leaves(self) -> tuple[Leaf, ...]:
        return tuple(leaves(self.root, positive_only=True))


def leaves(node: Node, *, positive_only: bool = False) -> Iterator[Leaf]:
    match node:
        case Term() | EntityRef():
            yield node
        case And(children) | Or(children):
            for child in children:
                yield from leaves(child, positive_only=positive_only)
        case Not(child):
            if not positive_only:
                yield from leaves(child)
        case Mentions(child):
            yield from leaves(child, positive_only=positive_only)
        case Near(left, right, _):
            yield from leaves(left, positive_only=positive_only)
            yield from leaves(right, positive_only=positive_only)


def render(node: Node) -> str:
    """The node as query text, with the parentheses its meaning needs (and no more)."""
    match node:
        case Term():
            text = f'"{node.written}"' if node.quoted else node.written
            return _decorate(text, node.scope, node.weight)
        case EntityRef():
            return _decorate(node.written, node.scope, node.weight)
        case Or(children):
            return " OR ".join(render(child) for child in children)
        case And(children):
            return " AND ".join(_grouped(child, Or) for child in children)
        case Not(child):
            return "NOT " + _grouped(child, Or, And)
        case Mentions(child, count):
            return f"MENTIONS/{count} " + _grouped(child, Or, And, Not, Mentions)
        case Near(left, right, distance):
            # NEAR chains to the left: a NEAR on the left needs no parentheses, one on the right does.
            return f"{_grouped(left, Or, And, Not)} NEAR/{distance} {_grouped(right, Or, And, Not, Near)}"


def _grouped(node: Node, *needs_parentheses: type) -> str:
    text = render(node)
    return f"({text})" if isinstance(node, needs_parentheses) else text


def _decorate(text: str, scope: ScopeName | None, weight: float) -> str:
    scoped = f"{scope}:{text}" if scope else text
    return scoped if weight == 1.0 else f"{scoped}^{weight:g}"
