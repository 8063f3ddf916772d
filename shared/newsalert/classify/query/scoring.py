"""How strongly a topic's hits say the article is about it: a score in [0, 1].

1. Every hit gives ``weight x zone weight`` (title 2.0, lead 1.5, body 1.0): a headline that
   names a subject says more than a passing mention deep in the text.
2. Repeats of one query term add with diminishing returns: the strongest counts in full, the
   next half, the next a quarter... so a body that says "Russia" twenty times is not twenty
   times more Russian. All the names of one ``@entity`` are one term.
3. The lead and the body each add at most ``ZONE_CAP`` (3.0): a long text alone cannot reach a
   high score; to score near 1 the subject must also be in the headline.
4. The total ``E`` saturates: ``score = 1 - exp(-E / 2)``. One body mention gives 0.39, a
   headline mention 0.63, a headline mention with a body about it above 0.9.

Hits that overlap (``"prime minister"`` and ``minister`` on the same words) count once, for
the longest: a phrase is one piece of evidence, not two. The same hits always give the same
float: they are summed in a fixed order.
"""

from __future__ import annotations

import math
from operator import itemgetter

from newsalert.classify.query.matching import Hit
from newsalert.classify.words import BODY, LEAD, TITLE

ZONE_WEIGHT = (2.0, 1.5, 1.0)
"""Per zone number: title, lead, body."""
ZONE_CAP = (math.inf, 3.0, 3.0)
"""Per zone number: the title is not capped (it is short anyway)."""
REPEAT_DECAY = 0.5
SATURATION = 2.0


_BY_END = itemgetter(2)
_BY_START = itemgetter(0, 1)


def weigh(hits: list[Hit]) -> tuple[float, list[Hit]]:
    """The score of a topic's hits (see the module docstring), and the hits that count for it.

    Of overlapping hits the leftmost, then the longest, counts (duplicates are dropped too); of
    hits on exactly the same words, the one evaluated first (the term written first in the query).
    The hits that count are returned in reading order.
    """
    # Two stable sorts by C-level keys (longest first, then by start) are quicker than one by a
    # computed tuple; this runs for every topic of every article, so overlaps are dropped and each
    # term's hits gathered in the same pass. Most terms of a topic occur once: only repeated ones
    # get a list.
    ordered = sorted(hits, key=_BY_END, reverse=True)
    ordered.sort(key=_BY_START)
    kept: list[Hit] = []
    first_hits: dict[str, Hit] = {}
    repeated: dict[str, list[Hit]] = {}
    zone, reached = -1, -1
    for hit in ordered:
        if hit[0] != zone:
            zone, reached = hit[0], -1
        if hit[1] > reached:
            kept.append(hit)
            reached = hit[2]
            term = hit[3]
            first = first_hits.get(term)
            if first is None:
                first_hits[term] = hit
            else:
                group = repeated.get(term)
                if group is None:
                    repeated[term] = [first, hit]
                else:
                    group.append(hit)
    return _saturated(first_hits, repeated), kept


def without_overlaps(hits: list[Hit]) -> list[Hit]:
    """The hits of ``hits`` that count, as ``weigh`` picks them, in reading order."""
    return weigh(hits)[1]


def _saturated(first_hits: dict[str, Hit], repeated: dict[str, list[Hit]]) -> float:
    # Each term's hits, strongest first (then in zone order), decay one after the other. Terms are
    # summed in the order of their first hit, so the same hits always give the same float.
    weights = ZONE_WEIGHT
    per_zone = [0.0, 0.0, 0.0]
    for term, hit in first_hits.items():
        group = repeated.get(term)
        if group is None:
            zone = hit[0]
            per_zone[zone] += hit[5] * weights[zone]
            continue
        weight = hit[5]
        factor = 1.0
        if all(other[5] == weight for other in group):
            # One weight (the usual case): in reading order the hits are already strongest first,
            # as zones weigh less and less from the title to the body (and weights are above 0).
            for zone, _first, _last, _term, _label, _weight in group:
                per_zone[zone] += weight * weights[zone] * factor
                factor *= REPEAT_DECAY
            continue
        strengths = sorted([(-other[5] * weights[other[0]], other[0]) for other in group])
        for negative_strength, zone in strengths:
            per_zone[zone] -= negative_strength * factor
            factor *= REPEAT_DECAY
    evidence = per_zone[TITLE] + min(per_zone[LEAD], ZONE_CAP[LEAD]) + min(per_zone[BODY], ZONE_CAP[BODY])
    return 1.0 - math.exp(-evidence / SATURATION)
