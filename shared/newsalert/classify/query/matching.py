"""Whether a query matches an article, and which occurrences of its terms make it match.

A query is compiled once, when the taxonomy loads, into nested functions (one per node)
that read a ``Document``: no tree is walked and no text is searched per article, every term
is a dictionary lookup among the patterns already found.

Each node evaluates to the **hits** that support it, or ``None`` when it does not match:

* a term or an entity: its occurrences (in its field scope);
* ``OR``: the hits of every alternative that matched;
* ``AND``: the hits of all its parts, or ``None`` as soon as one part fails;
* ``NOT x``: no hits (``[]``) when ``x`` does not match, ``None`` when it does, so that
  excluded terms never add to a score;
* ``MENTIONS/n x``: the hits of ``x`` when they stand at ``n`` or more places, else ``None``;
* ``a NEAR/n b``: only the occurrences of each side that have one of the other side within
  ``n`` words (in the same zone, at a different place), which are the evidence of proximity.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from newsalert.classify.query.document import Document
from newsalert.classify.query.nodes import And, EntityRef, Mentions, Near, Node, Not, Or, Query, Term, leaves
from newsalert.classify.query.parser import needs_a_term
from newsalert.classify.query.patterns import Pattern

Hit = tuple[int, int, int, str, str, float]
"""One occurrence of a query term that supports a match: ``(zone, first, last, term, label, weight)``.

* ``zone``, ``first``, ``last``: where it stands (zone number, first and last word in the zone);
* ``term``: the query term it counts for (``sanction*``, ``@china``): repeats of one term decay
  together in the score;
* ``label``: what evidence calls it: the term, or ``@entity:alias`` for an entity;
* ``weight``: the term's ``^weight``.

A plain tuple, not a named one: a long article makes hundreds of hits for every topic it
touches, and a plain tuple is built by a single instruction (a named tuple costs a call, and
took about 5 % of classifying a long article).
"""

Evaluator = Callable[[Document], list[Hit] | None]

_ZONE_AND_FIRST = itemgetter(0, 1)


@dataclass(frozen=True)
class CompiledQuery:
    """A query ready to evaluate; equal queries give equal compiled queries."""

    query: Query
    keys: frozenset[Pattern | str] = field(init=False, compare=False, repr=False)
    """What must be present for the query to have any chance (its positive terms and ``@entities``):
    a document with none of them is skipped without evaluating anything."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "keys", frozenset(presence_key(leaf) for leaf in self.query.leaves(positive_only=True))
        )

    @cached_property
    def evaluate(self) -> Evaluator:
        """The query's evaluator, compiled when it is first needed: at cold start most topics have
        none of their terms in the first article, and are skipped on ``keys`` alone."""
        return compile_node(self.query.root)


def presence_key(leaf: Term | EntityRef) -> Pattern | str:
    """The key under which ``Document.present`` says whether the leaf can match at all."""
    return leaf.pattern if isinstance(leaf, Term) else leaf.written


def compile_node(node: Node) -> Evaluator:
    match node:
        case Term():
            return _term(node)
        case EntityRef():
            return _entity(node)
        case Or(children):
            return _any_of(children)
        case And(children):
            return _all_of(tuple(compile_node(child) for child in children))
        case Not(child):
            return _none_of(compile_node(child))
        case Near(left, right, distance):
            return _near(compile_node(left), compile_node(right), distance)
        case Mentions(child, count):
            return _at_least(compile_node(child), count)


def _term(term: Term) -> Evaluator:
    pattern, scope, written, weight = term.pattern, term.scope, term.written, term.weight

    def evaluate(document: Document) -> list[Hit] | None:
        places = document.found.get(pattern)
        if places is None:
            return None
        if scope:
            zones = document.index.scopes[scope]
            hits = [(zone, first, last, written, written, weight) for zone, first, last in places if zone in zones]
            return hits or None
        return [(zone, first, last, written, written, weight) for zone, first, last in places]

    return evaluate


def _entity(reference: EntityRef) -> Evaluator:
    entity, scope, written, weight = reference.entity, reference.scope, reference.written, reference.weight

    def evaluate(document: Document) -> list[Hit] | None:
        mentions = document.mentions.get(entity)
        if mentions is None:
            return None
        zones = document.index.scopes[scope] if scope else None
        hits = [
            (zone, first, last, written, f"{written}:{alias}", weight)
            for zone, first, last, alias in mentions
            if zones is None or zone in zones
        ]
        return hits or None

    return evaluate


def _any_of(children: tuple[Node, ...]) -> Evaluator:
    # Most ORs are long lists of terms of which an article has none or a few: the terms' keys are
    # intersected with what the document holds (in C), and only those found are evaluated, in the
    # order written so that hits always come out in the same order.
    evaluators = tuple(compile_node(child) for child in children)
    leaf_slots: dict[Pattern | str, list[int]] = {}
    others = []
    # A group (a NEAR, an AND, a scoped group) none of whose terms is in the article cannot match
    # either: with long ORs of such groups (the watch topics' clauses in ten languages), most are
    # ruled out by one set comparison in C instead of being evaluated.
    gates: dict[int, frozenset[Pattern | str]] = {}
    for slot, child in enumerate(children):
        if isinstance(child, Term | EntityRef):
            leaf_slots.setdefault(presence_key(child), []).append(slot)
        else:
            others.append(slot)
            if needs_a_term(child):
                gates[slot] = frozenset(presence_key(leaf) for leaf in leaves(child, positive_only=True))
    leaf_keys = frozenset(leaf_slots)
    # The usual OR: leaves only, each key once. Its slots are then picked with a C-level map.
    one_slot_each = not others and all(len(slots) == 1 for slots in leaf_slots.values())
    slot_of = {key: slots[0] for key, slots in leaf_slots.items()} if one_slot_each else None

    def evaluate(document: Document) -> list[Hit] | None:
        present = leaf_keys & document.present
        if not present and not others:
            return None
        if slot_of is not None:
            if len(present) == 1:  # the usual case: one of its terms is there, and its hits are the OR's
                for key in present:
                    return evaluators[slot_of[key]](document)
            slots = sorted(map(slot_of.__getitem__, present))
        else:
            possible = [slot for slot in others if slot not in gates or not gates[slot].isdisjoint(document.present)]
            if not present and not possible:
                return None
            slots = sorted([slot for key in present for slot in leaf_slots[key]] + possible)
        hits: list[Hit] = []
        matched = False
        for slot in slots:
            found = evaluators[slot](document)
            if found is not None:
                matched = True
                hits.extend(found)
        return hits if matched else None

    return evaluate


def _all_of(evaluators: tuple[Evaluator, ...]) -> Evaluator:
    def evaluate(document: Document) -> list[Hit] | None:
        hits: list[Hit] = []
        for part in evaluators:
            found = part(document)
            if found is None:
                return None
            hits.extend(found)
        return hits

    return evaluate


def _none_of(excluded: Evaluator) -> Evaluator:
    def evaluate(document: Document) -> list[Hit] | None:
        return [] if excluded(document) is None else None

    return evaluate


def places_of(hits: list[Hit]) -> int:
    """How many distinct places the hits stand at (two terms on one word are one mention)."""
    return len({(hit[0], hit[1]) for hit in hits})


def _at_least(child: Evaluator, count: int) -> Evaluator:
    def evaluate(document: Document) -> list[Hit] | None:
        hits = child(document)
        if hits is None or places_of(hits) < count:
            return None
        return hits

    return evaluate


def _near(left: Evaluator, right: Evaluator, distance: int) -> Evaluator:
    def evaluate(document: Document) -> list[Hit] | None:
        left_hits = left(document)
        if left_hits is None:
            return None
        right_hits = right(document)
        if right_hits is None:
            return None
        return near_hits(left_hits, right_hits, distance)

    return evaluate


def near_hits(left: list[Hit], right: list[Hit], distance: int) -> list[Hit] | None:
    """The hits of each side that have a hit of the other side within ``distance`` words, or None.

    Two hits are within ``distance`` when they stand in one zone, do not overlap (a word is not
    near itself), and at most ``distance - 1`` words stand between them.
    """
    right_sorted = sorted(right, key=_ZONE_AND_FIRST)
    keys = list(map(_ZONE_AND_FIRST, right_sorted))
    longest = max([hit[2] - hit[1] for hit in right_sorted])
    kept_left = []
    kept_right: set[int] = set()
    for hit in left:
        zone, first, last = hit[0], hit[1], hit[2]
        # Candidates start from `distance` words (plus the longest right hit) before this hit to
        # `distance` words after it; bisect finds them without comparing every pair.
        low = bisect_left(keys, (zone, first - distance - longest))
        high = bisect_right(keys, (zone, last + distance))
        near = [
            index
            for index in range(low, high)
            if last < right_sorted[index][1] or right_sorted[index][2] < first
            if right_sorted[index][2] >= first - distance
        ]
        if near:
            kept_left.append(hit)
            kept_right.update(near)
    if not kept_left:
        return None
    return kept_left + [right_sorted[index] for index in sorted(kept_right)]
