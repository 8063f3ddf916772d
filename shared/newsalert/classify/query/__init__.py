"""The topic query language: parse a query once, evaluate it on many articles.

``parse_query`` reads a query (docs/topic-queries.md) into a ``Query``;
``CompiledQuery`` evaluates it on a ``Document`` (an article's ``TextIndex``,
the ``PatternSet`` finds in it and its entity mentions) into ``Hit``s, which
``scoring`` turns into a score and ``explain`` into a reason when it fails.
"""

from newsalert.classify.query.document import Document, Mention
from newsalert.classify.query.errors import QuerySyntaxError
from newsalert.classify.query.matching import CompiledQuery, Hit
from newsalert.classify.query.nodes import And, EntityRef, Mentions, Near, Node, Not, Or, Query, Term, render
from newsalert.classify.query.parser import parse_query
from newsalert.classify.query.patterns import Occurrence, Pattern, PatternSet

__all__ = [
    "And",
    "CompiledQuery",
    "Document",
    "EntityRef",
    "Hit",
    "Mention",
    "Mentions",
    "Near",
    "Node",
    "Not",
    "Occurrence",
    "Or",
    "Pattern",
    "PatternSet",
    "Query",
    "QuerySyntaxError",
    "Term",
    "parse_query",
    "render",
]
