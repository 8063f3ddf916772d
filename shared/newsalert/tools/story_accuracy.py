"""How well story grouping agrees with labelled stories: for ``newsalert eval`` on items with a ``story`` label.

The items are grouped in the order given, one pass, as the pipeline would meet them, by
newsalert's ``StoryGrouper`` or a hashing baseline, and each item's predicted story is
compared with its gold one (``newsalert.tools.accuracy.cluster_scores``), per source (the
label's prefix before ``:``) and over all.

A streaming grouping depends on the order it meets the articles in (which one opens a story
decides what the story looks like), and on a few hundred articles one order's figures can be
several points off another's. ``orders`` also groups the same items in that many other orders
(shuffled with the seeds 1, 2, ..., so that a run can be repeated), each from scratch, and
reports the mean over all the orders with the spread of B-cubed F1: the figure to tune against.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from newsalert.classify.entities import EntityCatalog
from newsalert.classify.stories import InMemoryStories, StoryGrouper
from newsalert.models import Article
from newsalert.tools.accuracy import ClusterScores, cluster_scores
from newsalert.tools.article_input import ReadItem, RefusedInput
from newsalert.tools.near_duplicates import ExactTextGrouper, NearDuplicateGrouper

METHODS = ("grouper", "near-duplicate", "exact")
ALL_SOURCES = "all"


class _Grouping(Protocol):
    def __call__(self, article: Article) -> str: ...


@dataclass(frozen=True)
class JudgedItem:
    item_id: str
    title: str
    gold: str
    predicted: str

    @property
    def source(self) -> str:
        """The label's prefix before ``:`` (``allsides`` of ``allsides:5512``), or the whole label."""
        return self.gold.split(":", 1)[0] if ":" in self.gold else ALL_SOURCES


@dataclass
class StoriesResult:
    source: str
    method: str
    threshold: float
    window: timedelta
    judged: list[JudgedItem] = field(default_factory=list)
    refused: list[RefusedInput] = field(default_factory=list)
    unlabelled: int = 0
    seconds: float = 0.0
    """Time spent grouping (the articles already read)."""
    reordered: list[list[JudgedItem]] = field(default_factory=list)
    """The same items grouped again in other orders (``orders``), each from scratch."""

    def sources(self) -> list[str]:
        return sorted({item.source for item in self.judged} - {ALL_SOURCES})

    def scores(self, source: str = ALL_SOURCES) -> ClusterScores:
        chosen = [item for item in self.judged if source == ALL_SOURCES or item.source == source]
        return cluster_scores([(item.gold, item.predicted) for item in chosen])

    def order_scores(self, source: str = ALL_SOURCES) -> list[ClusterScores]:
        """The scores of the file's order and of every other order grouped."""
        return [
            cluster_scores([(item.gold, item.predicted) for item in judged if source in (ALL_SOURCES, item.source)])
            for judged in [self.judged, *self.reordered]
        ]

    def mixed_stories(self) -> dict[str, list[JudgedItem]]:
        """Predicted stories that hold more than one gold story (what precision lost)."""
        by_story: dict[str, list[JudgedItem]] = {}
        for item in self.judged:
            by_story.setdefault(item.predicted, []).append(item)
        return {story: items for story, items in by_story.items() if len({item.gold for item in items}) > 1}

    def split_stories(self) -> dict[str, list[JudgedItem]]:
        """Gold stories spread over more than one predicted story (what recall lost)."""
        by_gold: dict[str, list[JudgedItem]] = {}
        for item in self.judged:
            by_gold.setdefault(item.gold, []).append(item)
        return {gold: items for gold, items in by_gold.items() if len({item.predicted for item in items}) > 1}


def _grouping(method: str, entities: EntityCatalog, threshold: float, window: timedelta) -> _Grouping:
    if method == "near-duplicate":
        return NearDuplicateGrouper().assign
    if method == "exact":
        return ExactTextGrouper().assign
    grouper = StoryGrouper(InMemoryStories(), entities, threshold=threshold, window=window)
    return lambda article: grouper.assign(article).story_id


def gold_story(json_object: Any) -> str | None:
    """The item's ``story`` label; ``ValueError`` when it is there but not a non-empty string."""
    label = json_object.get("story")
    if label is None:
        return None
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"story must be a non-empty string, not {label!r}")
    return label


def evaluate_stories(
    items: Iterable[ReadItem],
    entities: EntityCatalog,
    *,
    method: str,
    threshold: float,
    window: timedelta,
    source: str,
    orders: int = 0,
    progress: Callable[[int], None] | None = None,
) -> StoriesResult:
    """Group the labelled articles in order and keep, for each, its gold and predicted story; then
    again in ``orders`` shuffled orders (seeds 1 to ``orders``), each with a fresh grouping
    (``progress`` hears how many orders are done after each)."""
    result = StoriesResult(source, method, threshold, window)
    assign = _grouping(method, entities, threshold, window)
    labelled: list[tuple[str, str, Article]] = []
    for item in items:
        if isinstance(item, RefusedInput):
            result.refused.append(item)
            continue
        try:
            gold = gold_story(item.json_object)
        except ValueError as error:
            result.refused.append(RefusedInput(item.origin, str(error), "", item.item_id))
            continue
        if gold is None:
            result.unlabelled += 1
            continue
        started = time.perf_counter()
        predicted = assign(item.article)
        result.seconds += time.perf_counter() - started
        result.judged.append(JudgedItem(item.item_id, item.article.title, gold, predicted))
        labelled.append((item.item_id, gold, item.article))
    for seed in range(1, orders + 1):
        shuffled = list(labelled)
        random.Random(seed).shuffle(shuffled)  # noqa: S311 - a repeatable order, not a secret
        assign = _grouping(method, entities, threshold, window)
        result.reordered.append(
            [JudgedItem(item_id, article.title, gold, assign(article)) for item_id, gold, article in shuffled]
        )
        if progress is not None:
            progress(seed)
    return result


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _row(name: str, scores: ClusterScores) -> list[str]:
    pairs = scores.pairs
    return [
        name,
        str(scores.items),
        str(scores.gold_clusters),
        str(scores.predicted_clusters),
        _figure(scores.bcubed_precision),
        _figure(scores.bcubed_recall),
        _figure(scores.bcubed_f1),
        _figure(pairs.precision),
        _figure(pairs.recall),
        _figure(pairs.f1),
    ]


_HEADER = ["source", "items", "gold", "predicted", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1"]


def _settings(result: StoriesResult) -> str:
    if result.method != "grouper":
        return f"method {result.method}"
    hours = result.window.total_seconds() / 3600
    return f"method grouper, threshold {result.threshold:g}, window {hours:g} h"


def render_stories_text(result: StoriesResult, *, with_errors: bool) -> str:
    rows = [_row(source, result.scores(source)) for source in result.sources()]
    rows.append(_row(ALL_SOURCES, result.scores()))
    widths = [max(len(row[i]) for row in [_HEADER, *rows]) for i in range(len(_HEADER))]
    table = [
        "  "
        + "  ".join([row[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))])
        for row in [_HEADER, *rows]
    ]
    speed = f", {len(result.judged) / result.seconds:,.0f} articles/s" if result.seconds else ""
    lines = [
        f"newsalert eval {result.source} (stories: {_settings(result)})",
        f"{len(result.judged)} labelled articles, {result.unlabelled} unlabelled, {len(result.refused)} refused{speed}",
        "",
        "stories (gold and predicted: how many; B3: B-cubed, item-averaged; pair: pairwise)",
        *table,
    ]
    if result.reordered:
        lines += ["", *_render_orders(result)]
    if with_errors:
        lines += ["", *_render_errors(result)]
    return "\n".join(lines)


_ORDERS_HEADER = ["source", "B3 P", "B3 R", "B3 F1", "F1 min", "F1 max", "pair F1"]


def _order_figures(scores: list[ClusterScores]) -> dict[str, float | None]:
    def mean(values: list[float | None]) -> float | None:
        known = [value for value in values if value is not None]
        return statistics.fmean(known) if known else None

    f1s = [score.bcubed_f1 for score in scores if score.bcubed_f1 is not None]
    return {
        "precision": mean([score.bcubed_precision for score in scores]),
        "recall": mean([score.bcubed_recall for score in scores]),
        "f1": mean(list(f1s)),
        "f1_min": min(f1s, default=None),
        "f1_max": max(f1s, default=None),
        "pairwise_f1": mean([score.pairs.f1 for score in scores]),
    }


def _render_orders(result: StoriesResult) -> list[str]:
    rows = []
    for source in [*result.sources(), ALL_SOURCES]:
        figures = _order_figures(result.order_scores(source))
        rows.append(
            [
                source,
                *(_figure(figures[key]) for key in ("precision", "recall", "f1", "f1_min", "f1_max", "pairwise_f1")),
            ]
        )
    widths = [max(len(row[i]) for row in [_ORDERS_HEADER, *rows]) for i in range(len(_ORDERS_HEADER))]
    table = [
        "  "
        + "  ".join([row[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))])
        for row in [_ORDERS_HEADER, *rows]
    ]
    count = len(result.reordered) + 1
    return [f"mean over {count} orders (the file's and {count - 1} shuffled, seeds 1-{count - 1})", *table]


def _render_errors(result: StoriesResult) -> list[str]:
    lines = ["predicted stories that mix gold stories"]
    for story, items in result.mixed_stories().items():
        lines.append(f"  {story}")
        lines += [f"    {item.gold}  {item.item_id}: {item.title[:90]}" for item in items]
    lines.append("gold stories split over predicted stories")
    for gold, items in result.split_stories().items():
        lines.append(f"  {gold}")
        lines += [f"    {item.predicted}  {item.item_id}: {item.title[:90]}" for item in items]
    return lines


def render_stories_json(result: StoriesResult, *, with_errors: bool) -> str:
    document: dict[str, Any] = {
        "file": result.source,
        "method": result.method,
        "threshold": result.threshold if result.method == "grouper" else None,
        "window_hours": result.window.total_seconds() / 3600 if result.method == "grouper" else None,
        "articles": len(result.judged),
        "unlabelled": result.unlabelled,
        "refused": [{"origin": refused.origin, "reason": refused.reason} for refused in result.refused],
        "stories": {source: result.scores(source).to_dict() for source in [*result.sources(), ALL_SOURCES]},
    }
    if result.reordered:
        document["orders"] = {
            "count": len(result.reordered) + 1,
            "stories": {
                source: _order_figures(result.order_scores(source)) for source in [*result.sources(), ALL_SOURCES]
            },
        }
    if with_errors:
        document["errors"] = {
            "mixed": {story: [item.item_id for item in items] for story, items in result.mixed_stories().items()},
            "split": {gold: [item.item_id for item in items] for gold, items in result.split_stories().items()},
        }
    return json.dumps(document, ensure_ascii=False, indent=2)
