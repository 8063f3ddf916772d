"""How well classification agrees with labelled articles: precision, recall, F1, accuracy, confusion.

Pure arithmetic on gold and predicted labels; it knows nothing of articles or taxonomies.
Two shapes of question:

- **One label per article** (an article's category against AG News' World, Sports,
  Business, Sci/Tech): a confusion matrix, from which come accuracy and, per label,
  precision, recall and F1. ``CategoryMapping`` turns newsalert's category into the
  labelled set's vocabulary first.
- **Any number of topics per article** (watch topics: an article can be ``sco`` and
  ``china-russia`` at once): per topic, the four counts of a yes/no decision.

A ratio with nothing to divide (precision of a topic never predicted) is ``None``, shown as
"n/a", rather than 0 or 1: either would claim something the data does not say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NO_CATEGORY = "(none)"
"""How an article without a category is named where a label is needed."""
OTHERWISE = "*"
"""The key of a mapping's fallback: every category not named, and no category."""


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class BinaryCounts:
    """The four outcomes of one yes/no decision (is this article about topic X?) over a set of articles."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0

    @property
    def support(self) -> int:
        """Articles that truly are positive."""
        return self.true_positives + self.false_negatives

    @property
    def predicted(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float | None:
        return ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float | None:
        return ratio(self.true_positives, self.support)

    @property
    def f1(self) -> float | None:
        # 2TP / (2TP + FP + FN) is the harmonic mean of precision and recall, and stays defined
        # (as 0) when one of them is not: a topic that is never predicted but should be has F1 0.
        return ratio(2 * self.true_positives, 2 * self.true_positives + self.false_positives + self.false_negatives)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "true_negatives": self.true_negatives,
            "support": self.support,
        }


def binary_counts(pairs: Iterable[tuple[bool, bool]]) -> BinaryCounts:
    """Counts from ``(truly positive, predicted positive)`` pairs."""
    tally = Counter(pairs)
    return BinaryCounts(
        true_positives=tally[(True, True)],
        false_positives=tally[(False, True)],
        false_negatives=tally[(True, False)],
        true_negatives=tally[(False, False)],
    )


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the defined values, or None when none is."""
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None


@dataclass(frozen=True)
class ConfusionMatrix:
    """How often each gold label was predicted as each label (one label per article)."""

    labels: tuple[str, ...]
    """Gold labels in the order first seen, then labels only ever predicted."""
    counts: Mapping[tuple[str, str], int]
    """``(gold, predicted)`` to the number of articles."""

    @classmethod
    def build(cls, pairs: Sequence[tuple[str, str]], labels: Sequence[str] = ()) -> ConfusionMatrix:
        """From ``(gold, predicted)`` pairs; ``labels`` fixes the order of those it names."""
        ordered = dict.fromkeys(labels)
        ordered.update(dict.fromkeys(gold for gold, _ in pairs))
        ordered.update(dict.fromkeys(predicted for _, predicted in pairs))
        return cls(tuple(ordered), Counter(pairs))

    def count(self, gold: str, predicted: str) -> int:
        return self.counts.get((gold, predicted), 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def correct(self) -> int:
        return sum(self.count(label, label) for label in self.labels)

    @property
    def accuracy(self) -> float | None:
        return ratio(self.correct, self.total)

    def per_label(self, label: str) -> BinaryCounts:
        """The label as a yes/no decision: "is it ``label``?" against "was it predicted ``label``?"."""
        hits = self.count(label, label)
        predicted = sum(self.count(gold, label) for gold in self.labels)
        actual = sum(self.count(label, other) for other in self.labels)
        return BinaryCounts(
            true_positives=hits,
            false_positives=predicted - hits,
            false_negatives=actual - hits,
            true_negatives=self.total - predicted - actual + hits,
        )

    @property
    def gold_labels(self) -> tuple[str, ...]:
        return tuple(label for label in self.labels if any(self.count(label, other) for other in self.labels))

    @property
    def macro_f1(self) -> float | None:
        """The mean F1 over the gold labels: every class weighs the same, however many items it has."""
        return mean(self.per_label(label).f1 for label in self.gold_labels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "n": self.total,
            "correct": self.correct,
            "macro_f1": self.macro_f1,
            "labels": {label: self.per_label(label).to_dict() for label in self.labels},
            "confusion": {gold: {pred: self.count(gold, pred) for pred in self.labels} for gold in self.labels},
        }


@dataclass(frozen=True)
class CategoryMapping:
    """newsalert's top-level category to a labelled set's label; unnamed categories fall to ``otherwise``."""

    labels: Mapping[str, str]
    otherwise: str | None = None
    """The label of every category not in ``labels``, and of no category; None keeps the category's own id."""

    def label_for(self, category: str | None) -> str:
        if category is not None and category in self.labels:
            return self.labels[category]
        if self.otherwise is not None:
            return self.otherwise
        # Shown as itself in the confusion matrix, so the editor sees what the mapping lacks.
        return category or NO_CATEGORY

    @classmethod
    def from_document(cls, document: object) -> CategoryMapping:
        """From a YAML or JSON mapping ``{category: label, "*": fallback label}``; ``ValueError`` if malformed."""
        if not isinstance(document, dict) or not document:
            raise ValueError('expected a mapping of newsalert categories to labels, e.g. {sport: Sports, "*": World}')
        for key, value in document.items():
            if not isinstance(key, str) or not isinstance(value, str) or not value:
                raise ValueError(f"category {key!r} must map to a label (a string), not {value!r}")
        labels = {key: value for key, value in document.items() if key != OTHERWISE}
        return cls(labels, document.get(OTHERWISE))

    def to_dict(self) -> dict[str, str]:
        return dict(self.labels) | ({OTHERWISE: self.otherwise} if self.otherwise is not None else {})


AG_NEWS_MAPPING = CategoryMapping(
    labels={"sport": "Sports", "economy": "Business", "science-technology": "Sci/Tech", "health": "Sci/Tech"},
    otherwise="World",
)
"""The mapping of the AG News dev set's README: sport, economy and science/health; everything else is World."""
AG_NEWS_LABELS = ("World", "Sports", "Business", "Sci/Tech")


def topic_counts(
    examples: Sequence[tuple[frozenset[str], frozenset[str]]], topics: Iterable[str]
) -> dict[str, BinaryCounts]:
    """Per topic, the counts over ``(gold topics, predicted topics)`` of each article (any number of topics each)."""
    return {
        topic: binary_counts((topic in gold, topic in predicted) for gold, predicted in examples) for topic in topics
    }


# ---------------------------------------------------------------------------
# Clusterings: articles grouped into stories, against the gold grouping
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterScores:
    """How well a predicted grouping of items agrees with the gold one.

    **B-cubed** (Bagga and Baldwin 1998), averaged over items: an item's precision is the share
    of its predicted cluster that is in its gold cluster, its recall the share of its gold
    cluster that is in its predicted cluster (the item itself counts in both). **Pairwise**:
    over all pairs of items, a pair put together is a true positive when gold has it together too.
    """

    items: int
    gold_clusters: int
    predicted_clusters: int
    bcubed_precision: float | None
    bcubed_recall: float | None
    pairs: BinaryCounts
    """Pairs of items: together in both, only in the prediction, only in gold (true negatives not counted)."""

    @property
    def bcubed_f1(self) -> float | None:
        return harmonic_mean(self.bcubed_precision, self.bcubed_recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "gold_stories": self.gold_clusters,
            "predicted_stories": self.predicted_clusters,
            "bcubed": {"precision": self.bcubed_precision, "recall": self.bcubed_recall, "f1": self.bcubed_f1},
            "pairwise": {
                "precision": self.pairs.precision,
                "recall": self.pairs.recall,
                "f1": self.pairs.f1,
                "true_positives": self.pairs.true_positives,
                "false_positives": self.pairs.false_positives,
                "false_negatives": self.pairs.false_negatives,
            },
        }


def harmonic_mean(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def cluster_scores(assignments: Sequence[tuple[str, str]]) -> ClusterScores:
    """Scores of ``(gold cluster, predicted cluster)`` per item (each item once, any order)."""
    both = Counter(assignments)
    gold = Counter(gold for gold, _ in assignments)
    predicted = Counter(predicted for _, predicted in assignments)
    items = len(assignments)
    # An item in the cell (g, p) shares its predicted cluster with the cell's n items of gold g:
    # summed over the cell's items that is n * n / |p| for precision, n * n / |g| for recall.
    precision = sum(n * n / predicted[p] for (_, p), n in both.items())
    recall = sum(n * n / gold[g] for (g, _), n in both.items())

    def pairs_in(sizes: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in sizes)

    together = pairs_in(both.values())
    pairs = BinaryCounts(
        true_positives=together,
        false_positives=pairs_in(predicted.values()) - together,
        false_negatives=pairs_in(gold.values()) - together,
    )
    return ClusterScores(
        items=items,
        gold_clusters=len(gold),
        predicted_clusters=len(predicted),
        bcubed_precision=ratio_or_none(precision, items),
        bcubed_recall=ratio_or_none(recall, items),
        pairs=pairs,
    )


def ratio_or_none(part: float, whole: int) -> float | None:
    return part / whole if whole else None
