"""Near-duplicate grouping by MinHash, and exact-text grouping: the baselines story grouping is measured against.

Not used by the pipeline. ``newsalert eval --method near-duplicate`` groups articles whose texts
share most of their word 3-shingles (estimated Jaccard similarity at least ``threshold``, from
64 MinHash values, candidates found by locality-sensitive hashing in 16 bands of 4), and
``--method exact`` those with the same text (the fingerprint ingest dedups on). Both find copied
wire text; neither finds the same event told in other words, which is why newsalert does not
group stories this way (docs/stories.md has the figures).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from newsalert.models import Article

HASHES = 64
BANDS = 16
ROWS = HASHES // BANDS
_PRIME = (1 << 61) - 1
# Fixed coefficients (from a fixed generator, not Python's randomised hash) so that runs agree.
_COEFFICIENTS = [
    ((i * 0x9E3779B97F4A7C15 + 1) % _PRIME | 1, (i * 0xC2B2AE3D27D4EB4F + 7) % _PRIME) for i in range(HASHES)
]


def shingles(text: str, size: int = 3) -> set[int]:
    words = text.casefold().split()
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


def signature(values: set[int]) -> tuple[int, ...]:
    if not values:
        return (0,) * HASHES
    return tuple(min((a * value + b) % _PRIME for value in values) for a, b in _COEFFICIENTS)


def estimated_jaccard(one: tuple[int, ...], other: tuple[int, ...]) -> float:
    return sum(a == b for a, b in zip(one, other, strict=True)) / HASHES


@dataclass
class NearDuplicateGrouper:
    """Puts each article with the earlier one whose text it nearly copies, else alone; in one pass."""

    threshold: float = 0.5
    _signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _group_of: dict[str, str] = field(default_factory=dict)
    _bands: dict[tuple[int, tuple[int, ...]], list[str]] = field(default_factory=dict)

    def assign(self, article: Article) -> str:
        """The group id: the id of the first article of the group."""
        if article.id in self._group_of:
            return self._group_of[article.id]
        mine = signature(shingles(f"{article.title} {article.summary} {article.body}"))
        candidates: dict[str, None] = {}
        for band in range(BANDS):
            key = (band, mine[band * ROWS : (band + 1) * ROWS])
            candidates.update(dict.fromkeys(self._bands.get(key, ())))
            self._bands.setdefault(key, []).append(article.id)
        best = max(candidates, key=lambda other: estimated_jaccard(mine, self._signatures[other]), default=None)
        if best is not None and estimated_jaccard(mine, self._signatures[best]) >= self.threshold:
            group = self._group_of[best]
        else:
            group = article.id
        self._signatures[article.id] = mine
        self._group_of[article.id] = group
        return group


@dataclass
class ExactTextGrouper:
    """Puts articles with the same text (ingest's content fingerprint) together."""

    _group_of: dict[str, str] = field(default_factory=dict)

    def assign(self, article: Article) -> str:
        return self._group_of.setdefault(article.content_hash, article.id)
