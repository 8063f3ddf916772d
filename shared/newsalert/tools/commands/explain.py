"""``newsalert explain FILE``: why each topic did, or did not, match one article, in words an editor reads.

For every topic of the taxonomy (or the one ``--topic`` names) it prints the verdict of
``newsalert.classify.topics.explain``: a matched topic with its score against its threshold and each
piece of evidence, quoted in its sentence; a topic that did not match with the reason. FILE is
anything ``newsalert classify`` reads; when it holds several articles, ``--id`` picks one.

Exit status: 0 when the article was explained, 1 when the file held no readable article, 2 for
a usage error (unreadable file, unknown topic or id, several articles and no ``--id``, a
taxonomy that does not load).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsalert.classify.topics import TopicVerdict, classify, explain
from newsalert.models import Article, Evidence
from newsalert.tools.article_input import InputArticle, RefusedInput, read_articles
from newsalert.tools.commands.common import add_taxonomy_option, load_taxonomy_or_explain
from newsalert.tools.inputs import InputUnreadableError

CONTEXT_CHARACTERS = 50
"""Characters of text shown on each side of a piece of evidence."""
DEFAULT_EVIDENCE_SHOWN = 8


class ExplainUsageError(Exception):
    """The command cannot tell which article or topic to explain; the message says why."""


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "explain",
        help="why each topic did or did not match one article",
        description=(
            "Classify one article and explain every topic: for a match, its score against its threshold and the "
            "evidence quoted in context; otherwise the reason it did not match. Exit 0 when explained, 1 when the "
            "file held no readable article, 2 for a usage error."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="an article file, or JSON lines (pick one with --id)")
    parser.add_argument("--id", dest="item_id", help="the article to explain, when FILE holds several")
    parser.add_argument("--topic", metavar="ID", help="explain only this topic")
    parser.add_argument(
        "--evidence",
        type=int,
        default=DEFAULT_EVIDENCE_SHOWN,
        metavar="N",
        help=f"pieces of evidence shown per topic (default {DEFAULT_EVIDENCE_SHOWN})",
    )
    add_taxonomy_option(parser)
    parser.set_defaults(run=run)


def choose_article(items: Sequence[InputArticle], item_id: str | None, origin: str) -> InputArticle:
    """The one article to explain: the only one, or the one ``item_id`` names."""
    if item_id is not None:
        for item in items:
            if item.item_id == item_id:
                return item
        raise ExplainUsageError(f"no article with id {item_id!r} in {origin}")
    if len(items) == 1:
        return items[0]
    shown = ", ".join(item.item_id for item in items[:5]) + (", ..." if len(items) > 5 else "")
    raise ExplainUsageError(f"{origin} holds {len(items)} articles; pick one with --id ({shown})")


def field_text(article: Article, field: str) -> str:
    texts = {"title": article.title, "summary": article.summary, "body": article.body}
    return texts.get(field, "")


def quote_in_context(text: str, start: int, end: int, *, width: int = CONTEXT_CHARACTERS) -> str:
    """The evidence in brackets with up to ``width`` characters either side, cut at words, on one line."""
    first, last = max(0, start - width), min(len(text), end + width)
    # Move each cut out of the middle of a word: half a word reads like a typo in the article.
    while 0 < first < start and not text[first - 1].isspace():
        first += 1
    while end < last < len(text) and not text[last].isspace():
        last -= 1
    opening = "…" if first > 0 else ""
    closing = "…" if last < len(text) else ""
    quoted = f"{text[first:start]}[{text[start:end]}]{text[end:last]}"
    return opening + " ".join(quoted.split()) + closing


def render_evidence(evidence: Evidence, article: Article) -> str:
    term = "" if evidence.term == evidence.text else f" (via {evidence.term})"
    quoted = quote_in_context(field_text(article, evidence.field), evidence.start, evidence.end)
    return f"{evidence.field:<7} {evidence.text!r}{term}: {quoted}"


def render_verdict(verdict: TopicVerdict, article: Article, *, evidence_shown: int) -> list[str]:
    lines = [f"  {verdict.topic} ({verdict.label}): {verdict.reason}"]
    if verdict.evidence and not verdict.matched:
        lines.append("      found of its terms:")
    for evidence in verdict.evidence[:evidence_shown]:
        lines.append(f"      {render_evidence(evidence, article)}")
    hidden = len(verdict.evidence) - evidence_shown
    if hidden > 0:
        lines.append(f"      ... and {hidden} more (--evidence {len(verdict.evidence)} shows them all)")
    return lines


def render_explanation(
    item: InputArticle, category: str | None, verdicts: Sequence[TopicVerdict], *, evidence_shown: int
) -> str:
    article = item.article
    matched = [verdict for verdict in verdicts if verdict.matched]
    unmatched = [verdict for verdict in verdicts if not verdict.matched]
    lines = [article.title, f"  id {item.item_id}, from {item.origin}", f"  category: {category or 'none'}", ""]
    lines.append(f"matched ({len(matched)})" if matched else "matched: no topic")
    for verdict in matched:
        lines += render_verdict(verdict, article, evidence_shown=evidence_shown)
    if unmatched:
        lines += ["", f"not matched ({len(unmatched)})"]
    for verdict in unmatched:
        lines += render_verdict(verdict, article, evidence_shown=evidence_shown)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy_or_explain(args.taxonomy, "explain", args.entities)
    if taxonomy is None:
        return 2
    items: list[InputArticle] = []
    try:
        for read in read_articles([args.file], stdin=(), sources=None, received_at=datetime.now(UTC)):
            if isinstance(read, RefusedInput):
                print(f"newsalert explain: {read.origin}: refused: {read.reason}", file=sys.stderr)
            else:
                items.append(read)
        if not items:
            print(f"newsalert explain: no readable article in {args.file}", file=sys.stderr)
            return 1
        item = choose_article(items, args.item_id, args.file)
        if args.topic is not None:
            taxonomy.topic(args.topic)  # KeyError names the unknown topic
    except (InputUnreadableError, ExplainUsageError) as error:
        print(f"newsalert explain: {error}", file=sys.stderr)
        return 2
    except KeyError as error:
        known = ", ".join(topic.id for topic in taxonomy.topics)
        print(f"newsalert explain: {error.args[0]} (known: {known})", file=sys.stderr)
        return 2
    verdicts = [v for v in explain(item.article, taxonomy) if args.topic in (None, v.topic)]
    category = classify(item.article, taxonomy).category
    print(render_explanation(item, category, verdicts, evidence_shown=max(0, args.evidence)))
    return 0
