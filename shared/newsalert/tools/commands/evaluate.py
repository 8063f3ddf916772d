"""``newsalert eval LABELLED.jsonl``: how well the taxonomy agrees with labelled articles.

So that an editor sees what a taxonomy change does before it ships. Each line is an article
(as ``newsalert classify`` reads it) with its gold answer in one or both of two keys:

- ``"label"``: one class for the whole article, in the labelled set's own vocabulary
  (AG News: ``World``, ``Sports``, ``Business``, ``Sci/Tech``). newsalert's ``category`` is
  turned into that vocabulary by a mapping (``--map FILE``, YAML or JSON
  ``{category: label, "*": label for every other category and none}``; the built-in one is
  AG News'), then counted: accuracy, precision/recall/F1 per label, and the confusion matrix.
- ``"topics"``: the ids of every topic the article is about (``["sco", "china-russia"]``).
  Each topic named anywhere in the file (or in ``--topics``) is scored as a yes/no decision
  per article: precision, recall, F1 and the four counts.

**Stories.** When the file's items carry a ``"story"`` label (or with ``--stories``), the
articles are grouped into stories in the file's order, as ``newsalert stories`` groups them, and
compared with the gold stories: B-cubed and pairwise precision, recall and F1, per source (the
label's prefix before ``:``, e.g. ``allsides:5512``) and over all. ``--method near-duplicate``
or ``exact`` measures the hashing baselines instead (``newsalert.tools.near_duplicates``).
``--orders N`` also groups the items in N shuffled orders and reports the mean over all orders
(a streaming grouping depends on the order; one order's figures are noisy).

**Halves.** ``--half 1`` or ``--half 2`` measures one half of the file only, chosen by each
item's id (``sha1(id)``: an even last byte is half 1, an odd one half 2), so that the halves
stay the same whatever the file's order and whoever runs it: tune on half 1, and quote half 2,
which was not looked at while tuning. The gap between the halves shows how much of a figure
is fitting.

Exit status: 0 when something was measured, 1 when the file held no usable labelled item,
2 for a usage error (unreadable file, bad mapping or taxonomy).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from newsalert.classify.entities import EntityCatalog
from newsalert.classify.taxonomy import Taxonomy
from newsalert.classify.topics import classify
from newsalert.tools.accuracy import (
    AG_NEWS_LABELS,
    AG_NEWS_MAPPING,
    BinaryCounts,
    CategoryMapping,
    ConfusionMatrix,
    topic_counts,
)
from newsalert.tools.article_input import InputArticle, ReadItem, RefusedInput, read_articles
from newsalert.tools.commands.common import add_taxonomy_option, load_taxonomy_or_explain
from newsalert.tools.commands.stories import add_grouping_options
from newsalert.tools.inputs import InputUnreadableError
from newsalert.tools.progress import Progress
from newsalert.tools.story_accuracy import METHODS, evaluate_stories, render_stories_json, render_stories_text


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "eval",
        help="precision, recall, F1 and accuracy of the taxonomy against labelled articles",
        description=(
            "Classify every article of a labelled JSON-lines file and compare with its gold 'label' (one class, "
            "through a category mapping; AG News' by default) and/or 'topics' (topic ids). Prints accuracy, "
            "precision, recall and F1 per label or topic, and the confusion. Exit 0 when something was measured, "
            "1 when nothing could be, 2 for a usage error."
        ),
    )
    parser.add_argument("labelled", metavar="LABELLED.jsonl", help="articles with 'label' and/or 'topics'")
    parser.add_argument(
        "--map",
        dest="mapping",
        type=Path,
        metavar="MAPPING",
        help='YAML/JSON {category: label, "*": fallback} for "label" (default: AG News\' four classes)',
    )
    parser.add_argument(
        "--topics",
        type=_topic_list,
        metavar="ID,ID...",
        help="topics to score for 'topics' (default: every topic some article is labelled with)",
    )
    add_taxonomy_option(parser, help_text="evaluate this taxonomy file instead of the bundled one")
    parser.add_argument(
        "--stories",
        action="store_true",
        help="measure story grouping against the items' 'story' labels (the default when the items carry one)",
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        default=METHODS[0],
        help="stories: newsalert's grouping (default), or a hashing baseline: near-duplicate (MinHash), exact text",
    )
    add_grouping_options(parser)
    parser.add_argument(
        "--orders",
        type=_count,
        default=0,
        metavar="N",
        help="stories: also group the items in N shuffled orders (seeds 1..N) and report the mean over all orders",
    )
    parser.add_argument(
        "--half",
        type=int,
        choices=HALVES,
        help="measure one half of the file only, chosen by sha1 of each item's id (tune on 1, quote 2)",
    )
    parser.add_argument("--errors", action="store_true", help="also list every article the taxonomy got wrong")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.set_defaults(run=run)


HALVES = (1, 2)


def half_of(item_id: str) -> int:
    """The half (1 or 2) an item belongs to, from its id alone: the parity of sha1(id)'s last byte."""
    return 1 + (hashlib.sha1(item_id.encode("utf-8"), usedforsecurity=False).digest()[-1] & 1)


def in_half(item: ReadItem, half: int | None) -> bool:
    """Whether ``item`` is measured when ``half`` is asked for; a refused line without an id is always reported."""
    if half is None or item.item_id is None:
        return True
    return half_of(item.item_id) == half


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError("give a number of orders between 0 and 1000")
    return value


def _topic_list(text: str) -> tuple[str, ...]:
    topics = tuple(part.strip() for part in text.split(",") if part.strip())
    if not topics:
        raise argparse.ArgumentTypeError("give topic ids separated by commas, e.g. sco,nato")
    return topics


# ---------------------------------------------------------------------------
# Gold answers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    label: str | None
    topics: frozenset[str] | None


def gold_answer(record: Mapping[str, Any]) -> Gold:
    """The gold ``label`` and ``topics`` of a labelled line; ``ValueError`` when either is malformed."""
    label = record.get("label")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise ValueError(f"label must be a non-empty string, not {label!r}")
    topics = record.get("topics")
    if topics is not None and (not isinstance(topics, list) or not all(isinstance(t, str) for t in topics)):
        raise ValueError(f"topics must be a list of topic ids, not {topics!r}")
    return Gold(label, None if topics is None else frozenset(topics))


@dataclass(frozen=True)
class Judged:
    """One labelled article, its gold answer and what the taxonomy said."""

    item_id: str
    title: str
    gold: Gold
    category: str | None
    topics: frozenset[str]


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


@dataclass
class Report:
    source: str
    taxonomy: str
    mapping: CategoryMapping
    judged: list[Judged] = field(default_factory=list)
    refused: list[RefusedInput] = field(default_factory=list)
    unlabelled: int = 0
    topics_asked: tuple[str, ...] | None = None
    known_topics: frozenset[str] = frozenset()

    @property
    def category_items(self) -> list[Judged]:
        return [item for item in self.judged if item.gold.label is not None]

    @property
    def topic_items(self) -> list[Judged]:
        return [item for item in self.judged if item.gold.topics is not None]

    def confusion(self) -> ConfusionMatrix | None:
        items = self.category_items
        if not items:
            return None
        pairs = [(label, self.mapping.label_for(item.category)) for item in items if (label := item.gold.label)]
        # The AG classes keep their usual order whenever the built-in mapping is used.
        order = AG_NEWS_LABELS if self.mapping == AG_NEWS_MAPPING else ()
        return ConfusionMatrix.build(pairs, order)

    def scored_topics(self) -> tuple[str, ...]:
        if self.topics_asked is not None:
            return self.topics_asked
        named = {topic for item in self.topic_items for topic in item.gold.topics or ()}
        return tuple(sorted(named))

    def topic_counts(self) -> dict[str, BinaryCounts] | None:
        items = self.topic_items
        if not items:
            return None
        examples = [(item.gold.topics or frozenset(), item.topics) for item in items]
        return topic_counts(examples, self.scored_topics())

    def category_errors(self) -> list[Judged]:
        return [item for item in self.category_items if self.mapping.label_for(item.category) != item.gold.label]

    def topic_errors(self) -> list[tuple[Judged, list[str], list[str]]]:
        """Each article whose scored topics differ from its gold ones, with what was missed and what was extra.

        Topics the taxonomy lacks are left out: every article labelled with one would be listed, saying nothing new.
        """
        scored = set(self.scored_topics()) & self.known_topics
        errors = []
        for item in self.topic_items:
            gold = (item.gold.topics or frozenset()) & scored
            predicted = item.topics & scored
            if gold != predicted:
                errors.append((item, sorted(gold - predicted), sorted(predicted - gold)))
        return errors


def evaluate(items: Iterable[ReadItem], taxonomy: Taxonomy, report: Report) -> Report:
    """Classify every labelled article into ``report``; malformed and unlabelled lines are counted, not fatal."""
    for item in items:
        if isinstance(item, RefusedInput):
            report.refused.append(item)
            continue
        try:
            gold = gold_answer(item.json_object)
        except ValueError as error:
            report.refused.append(RefusedInput(item.origin, str(error), "", item.item_id))
            continue
        if gold.label is None and gold.topics is None:
            report.unlabelled += 1
            continue
        result = classify(item.article, taxonomy)
        topics = frozenset(match.topic for match in result.topics)
        report.judged.append(Judged(item.item_id, item.article.title, gold, result.category, topics))
    return report


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  " + "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in rows)]


def _counts_row(name: str, counts: BinaryCounts) -> list[str]:
    return [
        name,
        figure(counts.precision),
        figure(counts.recall),
        figure(counts.f1),
        str(counts.true_positives),
        str(counts.false_positives),
        str(counts.false_negatives),
        str(counts.support),
    ]


_COUNTS_HEADER = ["precision", "recall", "F1", "TP", "FP", "FN", "support"]


def render_category(matrix: ConfusionMatrix, mapping: CategoryMapping) -> list[str]:
    mapped = ", ".join(f"{category}->{label}" for category, label in mapping.labels.items())
    lines = [
        f"category, through the mapping {mapped}" + (f", otherwise {mapping.otherwise}" if mapping.otherwise else ""),
        f"accuracy {figure(matrix.accuracy)} ({matrix.total})",
        f"macro F1 {figure(matrix.macro_f1)}",
        "",
    ]
    lines += _table(
        ["label", *_COUNTS_HEADER], [_counts_row(label, matrix.per_label(label)) for label in matrix.labels]
    )
    lines += ["", "confusion (rows: gold label, columns: predicted)"]
    rows = [[gold, *(str(matrix.count(gold, predicted)) for predicted in matrix.labels)] for gold in matrix.labels]
    lines += _table(["", *matrix.labels], rows)
    return lines


def render_topics(counts: Mapping[str, BinaryCounts], items: int, known: frozenset[str]) -> list[str]:
    rows = [_counts_row(topic, counts[topic]) for topic in counts]
    lines = [f"topics ({items} labelled articles)", *_table(["topic", *_COUNTS_HEADER], rows)]
    missing = [topic for topic in counts if topic not in known]
    if missing:
        lines.append(f"  not in the taxonomy, so never predicted: {', '.join(missing)}")
    return lines


def render_errors(report: Report) -> list[str]:
    lines: list[str] = []
    for item in report.category_errors():
        predicted = report.mapping.label_for(item.category)
        lines.append(f"  {item.item_id}: {item.gold.label} taken for {predicted} ({item.category}): {item.title}")
    for item, missed, extra in report.topic_errors():
        parts = ([f"missed {', '.join(missed)}"] if missed else []) + ([f"extra {', '.join(extra)}"] if extra else [])
        lines.append(f"  {item.item_id}: {'; '.join(parts)}: {item.title}")
    return ["errors", *lines] if lines else ["errors: none"]


def render_text(report: Report, *, with_errors: bool) -> str:
    lines = [f"newsalert eval {report.source} (taxonomy: {report.taxonomy})"]
    lines.append(
        f"{len(report.judged)} labelled articles, {report.unlabelled} unlabelled, {len(report.refused)} refused"
    )
    matrix = report.confusion()
    if matrix is not None:
        lines += ["", *render_category(matrix, report.mapping)]
    counts = report.topic_counts()
    if counts is not None:
        lines += ["", *render_topics(counts, len(report.topic_items), report.known_topics)]
    if with_errors:
        lines += ["", *render_errors(report)]
    return "\n".join(lines)


def render_json(report: Report, *, with_errors: bool) -> str:
    matrix = report.confusion()
    counts = report.topic_counts()
    document: dict[str, Any] = {
        "file": report.source,
        "taxonomy": report.taxonomy,
        "articles": len(report.judged),
        "unlabelled": report.unlabelled,
        "refused": [{"origin": r.origin, "reason": r.reason} for r in report.refused],
        "category": None if matrix is None else {"mapping": report.mapping.to_dict(), **matrix.to_dict()},
        "topics": None
        if counts is None
        else {topic: c.to_dict() | {"in_taxonomy": topic in report.known_topics} for topic, c in counts.items()},
    }
    if with_errors:
        document["errors"] = {
            "category": [
                {"id": i.item_id, "gold": i.gold.label, "predicted": report.mapping.label_for(i.category)}
                for i in report.category_errors()
            ],
            "topics": [{"id": i.item_id, "missed": m, "extra": e} for i, m, e in report.topic_errors()],
        }
    return json.dumps(document, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def load_mapping(path: Path | None) -> CategoryMapping:
    """The mapping in a YAML or JSON file, or AG News' without one; ``ValueError`` saying what is wrong."""
    if path is None:
        return AG_NEWS_MAPPING
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read the mapping {path}: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise ValueError(f"the mapping {path} is not YAML or JSON: {error}") from None
    try:
        return CategoryMapping.from_document(document)
    except ValueError as error:
        raise ValueError(f"the mapping {path}: {error}") from None


def _run_stories(args: argparse.Namespace, items: list[ReadItem], entities: EntityCatalog) -> int:
    shuffled = Progress("eval: shuffled orders grouped", args.orders)
    result = evaluate_stories(
        items,
        entities,
        method=args.method,
        threshold=args.threshold,
        window=args.window_hours,
        source=args.labelled,
        orders=args.orders,
        progress=shuffled.reached,
    )
    shuffled.done()
    for refused in result.refused:
        print(f"newsalert eval: {refused.origin}: refused: {refused.reason}", file=sys.stderr)
    rendered = render_stories_json(result, with_errors=args.errors) if args.json else None
    print(rendered or render_stories_text(result, with_errors=args.errors))
    if not result.judged:
        print("newsalert eval: no article with a 'story' label to measure", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy_or_explain(args.taxonomy, "eval", args.entities)
    if taxonomy is None:
        return 2
    try:
        mapping = load_mapping(args.mapping)
    except ValueError as error:
        print(f"newsalert eval: {error}", file=sys.stderr)
        return 2
    report = Report(
        source=args.labelled if args.half is None else f"{args.labelled} (half {args.half})",
        taxonomy=str(args.taxonomy) if args.taxonomy else "bundled",
        mapping=mapping,
        topics_asked=args.topics,
        known_topics=frozenset(topic.id for topic in taxonomy.topics),
    )
    try:
        read = read_articles([args.labelled], stdin=(), sources=None, received_at=datetime.now(UTC))
        items = [item for item in read if in_half(item, args.half)]
    except InputUnreadableError as error:
        print(f"newsalert eval: {error}", file=sys.stderr)
        return 2
    if args.stories or any(isinstance(item, InputArticle) and "story" in item.json_object for item in items):
        return _run_stories(args, items, taxonomy.entities)
    evaluate(items, taxonomy, report)
    for refused in report.refused:
        print(f"newsalert eval: {refused.origin}: refused: {refused.reason}", file=sys.stderr)
    print(render_json(report, with_errors=args.errors) if args.json else render_text(report, with_errors=args.errors))
    if not report.judged:
        print("newsalert eval: no labelled article to measure ('label' or 'topics' on each line)", file=sys.stderr)
        return 1
    return 0
