"""A parsed query as plain JSON, and back: the bundled taxonomy's queries are parsed once, at build time.

Parsing the bundled taxonomy's queries (thousands of tokens: every name in ten languages) took
about a third of classify's cold start. ``make data`` writes their trees, as ``tree_of`` gives
them, to ``newsalert/data/taxonomy.queries.json``; loading the bundled taxonomy rebuilds each
query with ``query_of``, which makes the same nodes and patterns the parser makes, without
reading the text again. tests/unit/test_bundled_data.py fails when the file is not what parsing
the YAML gives.

Each node is a list, its kind first::

    ["term", words, case_sensitive, prefix, written, quoted, weight, scope, position]
    ["entity", entity, weight, scope, position]
    ["and", [node, ...]]            ["or", [node, ...]]
    ["not", node, position]         ["mentions", node, count, position]
    ["near", left, right, distance]
"""

from __future__ import annotations

from typing import Any, cast, get_args

from newsalert.classify.query.nodes import And, EntityRef, Mentions, Near, Node, Not, Or, Query, Term
from newsalert.classify.query.patterns import Pattern
from newsalert.classify.words import ScopeName

Tree = list[Any]
"""A node as JSON (see the module docstring)."""


def tree_of(node: Node) -> Tree:
    """The node as plain lists, strings and numbers, for ``json.dumps``."""
    match node:
        case Term(pattern, written, quoted, weight, scope, position):
            words, case_sensitive, prefix = list(pattern.words), pattern.case_sensitive, pattern.prefix
            return ["term", words, case_sensitive, prefix, written, quoted, weight, scope, position]
        case EntityRef(entity, weight, scope, position):
            return ["entity", entity, weight, scope, position]
        case And(children):
            return ["and", [tree_of(child) for child in children]]
        case Or(children):
            return ["or", [tree_of(child) for child in children]]
        case Not(child, position):
            return ["not", tree_of(child), position]
        case Mentions(child, count, position):
            return ["mentions", tree_of(child), count, position]
        case Near(left, right, distance):
            return ["near", tree_of(left), tree_of(right), distance]


def node_of(tree: Tree) -> Node:
    """The node ``tree_of`` wrote; a tree of an unknown kind is a ``ValueError``."""
    kind = tree[0]
    if kind == "term":
        _, words, case_sensitive, prefix, written, quoted, weight, scope, position = tree
        return Term(Pattern(tuple(words), case_sensitive, prefix), written, quoted, weight, _scope(scope), position)
    if kind == "entity":
        _, entity, weight, scope, position = tree
        return EntityRef(entity, weight, _scope(scope), position)
    if kind == "and":
        return And(tuple(node_of(child) for child in tree[1]))
    if kind == "or":
        return Or(tuple(node_of(child) for child in tree[1]))
    if kind == "not":
        return Not(node_of(tree[1]), tree[2])
    if kind == "mentions":
        return Mentions(node_of(tree[1]), tree[2], tree[3])
    if kind == "near":
        return Near(node_of(tree[1]), node_of(tree[2]), tree[3])
    raise ValueError(f"not a query node: {kind!r}")


def query_of(text: str, tree: Tree) -> Query:
    """The query of ``text`` whose parsed tree is ``tree``."""
    return Query(text, node_of(tree))


_SCOPES = frozenset(get_args(ScopeName))


def _scope(name: str | None) -> ScopeName | None:
    if name is not None and name not in _SCOPES:
        raise ValueError(f"not a field scope: {name!r}")
    return cast("ScopeName | None", name)
