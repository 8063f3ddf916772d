"""``newsalert backtest --taxonomy CANDIDATE``: which alerts a taxonomy change would add or take away.

Stored articles are classified twice, with the current taxonomy (the bundled one, or
``--current FILE``) and with the candidate, each time deciding breaking news exactly as the
classify function does (``classify_article``, with the stored publication and arrival times
and the breaking age limit). For each article the alert **appears** (breaking only with the
candidate), **disappears** (breaking only now) or is **unchanged**; the topics it matched may
change either way. For subscribers, what counts is the topics an alert carries (its SNS
``topics`` attribute: every matched topic and the category), so the report also counts, per
topic, the alerts its followers would gain and lose.

Articles come as JSON lines of the stored ``Article`` model (files, or stdin when none is
named), or straight from a deployed stack's article archive, where classify keeps every article
it read (``--stack NAME`` or ``--bucket``; ``newsalert.aws.archive``).

Exit status: 0 when the articles were compared, 1 when there was no article to compare, 2 for
a usage error (unreadable file, a taxonomy that does not load, a stack without the bucket).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from newsalert.aws.archive import ArticleArchive
from newsalert.aws.stack import MissingOutputError, stack_output
from newsalert.classify.stage import classify_article
from newsalert.classify.taxonomy import Taxonomy
from newsalert.config import ClassifySettings
from newsalert.models import Article, Classification
from newsalert.tools.article_input import (
    InputArticle,
    ReadItem,
    RefusedInput,
    read_archived_articles,
    read_stored_articles,
)
from newsalert.tools.commands.common import add_entities_option, load_taxonomy_or_explain
from newsalert.tools.inputs import InputUnreadableError

AlertChange = Literal["appear", "disappear", "unchanged"]
DEFAULT_MAX_AGE_MINUTES: int = ClassifySettings.model_fields["breaking_max_age_minutes"].default
"""The template's ``BreakingMaxAgeMinutes`` default, which the classify function uses when not told otherwise."""


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "backtest",
        help="which alerts a candidate taxonomy would add or take away, on stored articles",
        description=(
            "Re-classify stored articles with the current taxonomy and a candidate, deciding breaking news as the "
            "classify function does, and list the alerts that would appear or disappear and the topics that change. "
            "Exit 0 when compared, 1 when there was no article, 2 for a usage error."
        ),
    )
    parser.add_argument(
        "articles",
        nargs="*",
        metavar="ARTICLES",
        help="JSON lines of stored articles (the Article model; default: stdin, unless --stack or --bucket)",
    )
    parser.add_argument("--taxonomy", type=Path, required=True, metavar="CANDIDATE", help="the candidate taxonomy")
    parser.add_argument("--current", type=Path, metavar="FILE", help="the taxonomy now in use (default: bundled)")
    add_entities_option(
        parser, help_text="the candidate's entities file (default: bundled; --current keeps the bundled one)"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--stack", help="read the articles from this deployed stack's article archive")
    where.add_argument("--bucket", help="read the articles from this S3 bucket's archive/ (the stack's IngestBucket)")
    parser.add_argument("--region", help="AWS region for --stack/--bucket (default: boto3's)")
    parser.add_argument(
        "--max-age-minutes",
        type=int,
        default=DEFAULT_MAX_AGE_MINUTES,
        metavar="N",
        help=f"breaking age limit, as the stack's BreakingMaxAgeMinutes (default {DEFAULT_MAX_AGE_MINUTES})",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.set_defaults(run=run)


# ---------------------------------------------------------------------------
# Comparing two classifications of one article
# ---------------------------------------------------------------------------


def alert_topics(classification: Classification) -> frozenset[str]:
    """The topics an alert for the article would carry (who receives it), or none when it is not breaking."""
    return frozenset(classification.alert_topics) if classification.breaking else frozenset()


@dataclass(frozen=True)
class Comparison:
    """One article classified with the current taxonomy and with the candidate."""

    article: Article
    current: Classification
    candidate: Classification

    @property
    def alert(self) -> AlertChange:
        if self.candidate.breaking and not self.current.breaking:
            return "appear"
        if self.current.breaking and not self.candidate.breaking:
            return "disappear"
        return "unchanged"

    @property
    def topics_added(self) -> list[str]:
        return sorted(_topic_ids(self.candidate) - _topic_ids(self.current))

    @property
    def topics_removed(self) -> list[str]:
        return sorted(_topic_ids(self.current) - _topic_ids(self.candidate))

    @property
    def reach_gained(self) -> frozenset[str]:
        """Topics whose followers would receive an alert for this article only with the candidate."""
        return alert_topics(self.candidate) - alert_topics(self.current)

    @property
    def reach_lost(self) -> frozenset[str]:
        return alert_topics(self.current) - alert_topics(self.candidate)

    @property
    def changed(self) -> bool:
        return self.alert != "unchanged" or bool(self.topics_added or self.topics_removed or self.reach_gained)


def _topic_ids(classification: Classification) -> frozenset[str]:
    return frozenset(match.topic for match in classification.topics)


def compare(
    articles: Iterable[Article], current: Taxonomy, candidate: Taxonomy, *, max_age: timedelta
) -> Iterator[Comparison]:
    for article in articles:
        yield Comparison(
            article,
            classify_article(article, current, max_age=max_age),
            classify_article(article, candidate, max_age=max_age),
        )


@dataclass(frozen=True)
class Summary:
    comparisons: list[Comparison]

    @property
    def alert_changes(self) -> Counter[AlertChange]:
        return Counter(comparison.alert for comparison in self.comparisons)

    @property
    def alerting_under_both(self) -> int:
        return sum(1 for c in self.comparisons if c.current.breaking and c.candidate.breaking)

    @property
    def topic_changes(self) -> int:
        return sum(1 for c in self.comparisons if c.topics_added or c.topics_removed)

    def reach_by_topic(self) -> dict[str, tuple[int, int]]:
        """Per topic, the alerts its followers would gain and lose."""
        gained: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        for comparison in self.comparisons:
            gained.update(comparison.reach_gained)
            lost.update(comparison.reach_lost)
        return {topic: (gained[topic], lost[topic]) for topic in sorted(gained.keys() | lost.keys())}


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def _scores(classification: Classification) -> str:
    return ", ".join(f"{m.topic} {m.score:.2f}" for m in classification.topics) or "no topic"


def _topic_delta(comparison: Comparison) -> str:
    scores = {m.topic: m.score for m in (*comparison.current.topics, *comparison.candidate.topics)}
    added = [f"+{topic} {scores[topic]:.2f}" for topic in comparison.topics_added]
    removed = [f"-{topic} {scores[topic]:.2f}" for topic in comparison.topics_removed]
    return ", ".join(added + removed) or "no topic change"


def _render_change(comparison: Comparison) -> list[str]:
    lines = [f"  {comparison.article.id}  {comparison.article.title}", f"      topics: {_topic_delta(comparison)}"]
    if comparison.alert != "unchanged":
        lines.append(f"      now:       {comparison.current.reason}")
        lines.append(f"      candidate: {comparison.candidate.reason}")
    reach = [f"+{t}" for t in sorted(comparison.reach_gained)] + [f"-{t}" for t in sorted(comparison.reach_lost)]
    if reach:
        lines.append(f"      alert reaches followers of: {', '.join(reach)}")
    return lines


def render_text(summary: Summary, *, current: str, candidate: str) -> str:
    counts = summary.alert_changes
    lines = [
        f"newsalert backtest: {len(summary.comparisons)} articles; current taxonomy {current}, candidate {candidate}",
        f"alerts: {counts['appear']} appear, {counts['disappear']} disappear, {counts['unchanged']} unchanged "
        f"({summary.alerting_under_both} alert under both)",
        f"articles whose topics change: {summary.topic_changes}",
    ]
    reach = summary.reach_by_topic()
    if reach:
        lines.append("alerts per followed topic: " + ", ".join(f"{t} +{g} -{lost}" for t, (g, lost) in reach.items()))
    sections: tuple[tuple[str, AlertChange], ...] = (
        ("alerts that appear", "appear"),
        ("alerts that disappear", "disappear"),
        ("topic changes, same alert decision", "unchanged"),
    )
    for heading, kind in sections:
        changed = [c for c in summary.comparisons if c.alert == kind and c.changed]
        if changed:
            lines += ["", f"{heading} ({len(changed)})"]
            for comparison in changed:
                lines += _render_change(comparison)
    return "\n".join(lines)


def _classification_json(classification: Classification) -> dict[str, Any]:
    return {
        "breaking": classification.breaking,
        "reason": classification.reason,
        "category": classification.category,
        "topics": {m.topic: round(m.score, 4) for m in classification.topics},
    }


def render_json(summary: Summary, *, current: str, candidate: str, refused: list[RefusedInput]) -> str:
    counts = summary.alert_changes
    document = {
        "current": current,
        "candidate": candidate,
        "articles": len(summary.comparisons),
        "refused": [{"origin": r.origin, "reason": r.reason} for r in refused],
        "appear": counts["appear"],
        "disappear": counts["disappear"],
        "unchanged": counts["unchanged"],
        "alerting_under_both": summary.alerting_under_both,
        "topic_changes": summary.topic_changes,
        "reach_by_topic": {t: {"gained": g, "lost": lost} for t, (g, lost) in summary.reach_by_topic().items()},
        "changes": [
            {
                "id": c.article.id,
                "title": c.article.title,
                "alert": c.alert,
                "topics_added": c.topics_added,
                "topics_removed": c.topics_removed,
                "current": _classification_json(c.current),
                "candidate": _classification_json(c.candidate),
            }
            for c in summary.comparisons
            if c.changed
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def _article_archive(args: argparse.Namespace) -> ArticleArchive:
    import boto3  # here, not at import: the other commands need no AWS SDK

    session = boto3.session.Session(region_name=args.region)
    if args.bucket:
        return ArticleArchive(session.client("s3"), args.bucket)
    try:
        bucket = stack_output(session.client("cloudformation"), args.stack, "IngestBucketName")
    except MissingOutputError as error:
        raise InputUnreadableError(str(error)) from None
    return ArticleArchive(session.client("s3"), bucket)


def _read(args: argparse.Namespace) -> Iterator[ReadItem]:
    if args.stack or args.bucket:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield from read_archived_articles(_article_archive(args))
        except (BotoCoreError, ClientError) as error:
            raise InputUnreadableError(f"cannot read the stored articles: {error}") from None
        return
    if not args.articles:
        yield from read_stored_articles(sys.stdin, origin="stdin")
        return
    for location in args.articles:
        try:
            with Path(location).open(encoding="utf-8") as lines:
                yield from read_stored_articles(lines, origin=location)
        except OSError as error:
            raise InputUnreadableError(f"cannot read {location}: {error.strerror or error}") from None


def run(args: argparse.Namespace) -> int:
    current = load_taxonomy_or_explain(args.current, "backtest")
    candidate = load_taxonomy_or_explain(args.taxonomy, "backtest", args.entities)
    if current is None or candidate is None:
        return 2
    if args.max_age_minutes < 1:
        print("newsalert backtest: --max-age-minutes must be at least 1", file=sys.stderr)
        return 2
    articles: list[Article] = []
    refused: list[RefusedInput] = []
    try:
        for item in _read(args):
            if isinstance(item, InputArticle):
                articles.append(item.article)
            else:
                refused.append(item)
                print(f"newsalert backtest: {item.origin}: refused: {item.reason}", file=sys.stderr)
    except InputUnreadableError as error:
        print(f"newsalert backtest: {error}", file=sys.stderr)
        return 2
    # Scans come in no particular order; the report lists articles oldest first, whatever the source.
    articles.sort(key=lambda article: (article.received_at, article.id))
    max_age = timedelta(minutes=args.max_age_minutes)
    summary = Summary(list(compare(articles, current, candidate, max_age=max_age)))
    names = {"current": str(args.current or "bundled"), "candidate": str(args.taxonomy)}
    print(render_json(summary, refused=refused, **names) if args.json else render_text(summary, **names))
    if not articles:
        print("newsalert backtest: no stored article to compare", file=sys.stderr)
        return 1
    return 0
