"""Say in a sentence why a query did not match an article, for editors tuning a topic.

Not on the hot path: ``newsalert explain`` and evaluation reports call it, classify never
does, so it re-evaluates the parts of the query it talks about instead of keeping every
node's result from the first evaluation.
"""

from __future__ import annotations

from newsalert.classify.query.document import Document
from newsalert.classify.query.matching import Hit, compile_node, places_of
from newsalert.classify.query.nodes import And, EntityRef, Mentions, Near, Node, Not, Or, Query, Term, leaves, render
from newsalert.classify.words import ZONE_NAMES

SHOWN_QUERY = 90
"""Characters of a (sub)query quoted in a reason before it is cut."""
SHOWN_FINDS = 3


def why_not(node: Node, document: Document) -> str:
    """Why ``node`` does not match ``document`` (which it must not)."""
    match node:
        case Term() | EntityRef():
            return _missing(node, document)
        case Or(children):
            # An alternative that was partly found (one side of a NEAR, some parts of an AND) is
            # what an editor wants to hear about: it is the near miss.
            partly_found = [
                child for child in children if not isinstance(child, Term | EntityRef) and _any_found(child, document)
            ]
            if partly_found:
                return "; ".join(why_not(child, document) for child in partly_found)
            if len(render(node)) <= SHOWN_QUERY:
                return f"needs one of {_quote(node)}; found none"
            # A category's long list: name the first few alternatives rather than cut the text
            # mid-term; an alternative that is itself a long clause is cut like any quoted query.
            named = [_quote(child) for child in children[:SHOWN_FINDS]]
            if len(children) > SHOWN_FINDS:
                named.append("…")
            return f"found none of its {len(children)} alternatives ({', '.join(named)})"
        case And(children):
            failing = [child for child in children if compile_node(child)(document) is None]
            return "; ".join(why_not(child, document) for child in failing)
        case Not(child):
            return f"excluded by NOT {_quote(child)}: found {_finds(compile_node(child)(document) or [])}"
        case Near(left, right, distance):
            return _not_near(node, document, left, right, distance)
        case Mentions(child, count):
            hits = compile_node(child)(document)
            if hits is None:
                return why_not(child, document)
            # Salience: the terms are there, but not often enough to be what the article is about.
            return f"needs {_quote(node)}; found {places_of(hits)} of {count} mentions: {_finds(hits)}"


def found_hits(query: Query, document: Document) -> list[Hit]:
    """Every hit of the query's positive terms, matched or not: what was found of the topic."""
    return _positive_hits(query.root, document)


def _positive_hits(node: Node, document: Document) -> list[Hit]:
    hits: list[Hit] = []
    for leaf in leaves(node, positive_only=True):
        hits.extend(compile_node(leaf)(document) or [])
    return hits


def _any_found(node: Node, document: Document) -> bool:
    return bool(_positive_hits(node, document))


def _missing(leaf: Term | EntityRef, document: Document) -> str:
    if leaf.scope is not None:
        anywhere = compile_node(_unscoped(leaf))(document)
        if anywhere:
            return f"needs {_quote(leaf)}; found {_finds(anywhere)} only outside the {leaf.scope}"
    if isinstance(leaf, EntityRef) and leaf.entity in document.rejected:
        aliases = sorted({mention.alias for mention in document.rejected[leaf.entity]})
        return f"needs {_quote(leaf)}; found {', '.join(aliases)} but without the context that makes it {leaf.written}"
    return f"needs {_quote(leaf)}; not found"


def _unscoped(leaf: Term | EntityRef) -> Term | EntityRef:
    if isinstance(leaf, Term):
        return Term(leaf.pattern, leaf.written, leaf.quoted, leaf.weight)
    return EntityRef(leaf.entity, leaf.weight)


def _not_near(node: Near, document: Document, left: Node, right: Node, distance: int) -> str:
    left_hits = compile_node(left)(document)
    right_hits = compile_node(right)(document)
    if left_hits and right_hits:
        return f"needs {_quote(node)}; found both sides, but never within {distance} words in one field"
    if left_hits:
        return f"needs {_quote(node)}; found only {_finds(left_hits)}"
    if right_hits:
        return f"needs {_quote(node)}; found only {_finds(right_hits)}"
    return f"needs {_quote(node)}; found neither side"


def _quote(node: Node) -> str:
    text = render(node)
    if isinstance(node, Or | And | Near):
        text = f"({text})" if not isinstance(node, Near) else text
    return text if len(text) <= SHOWN_QUERY else text[: SHOWN_QUERY - 1] + "…"


def _finds(hits: list[Hit]) -> str:
    """The distinct things found, as evidence names them, with the zone of their first find."""
    seen: dict[str, int] = {}
    for zone, _first, _last, _term, label, _weight in sorted(hits, key=lambda hit: (hit[0], hit[1])):
        seen.setdefault(label, zone)
    shown = [f"{label} (in the {ZONE_NAMES[zone]})" for label, zone in list(seen.items())[:SHOWN_FINDS]]
    more = len(seen) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
