"""``newsalert parse FILE|URL``: what a feed or an article file would put into the pipeline.

An operator checks a feed before adding it, or works out why a dropped file was
quarantined. The input is read as ingest reads it: a feed (any format), a raw text
article, an HTML page or pushed JSON articles, told apart by content, with the file
name's suffix as a hint when the content does not say. Each normalised article is
printed as one JSON line (with its flags), and each rejection as one JSON line
``{"rejected": ..., "reason": ..., "origin": ...}``; a summary goes to stderr.

Exit status: 0 when at least one article came out, 1 when none did (or the URL could
not be fetched), 2 for a usage error (no such file, a URL the SSRF guard refuses, a bad
option or sources file).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsalert.ingest.cleaning import clean_inline
from newsalert.ingest.errors import ParseError, UnsupportedInputError
from newsalert.ingest.fetch import FetchFailedError
from newsalert.ingest.formats.feed_document import MAX_ITEMS, parse_feed
from newsalert.ingest.formats.html_page import parse_html_article
from newsalert.ingest.formats.pushed_json import PushedBodyError, article_from_pushed, pushed_items
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.input_kind import INPUT_KINDS, InputKind, input_kind
from newsalert.ingest.sources import FeedSource, SourceCatalog, SourceConfigError, load_source_catalog
from newsalert.models import Article
from newsalert.tools.commands.common import aware_time
from newsalert.tools.inputs import Input, InputUnreadableError, read_input

SNIPPET_LENGTH = 300


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "parse",
        help="print the articles a feed or an article file would give, as JSON lines",
        description=(
            "Read a feed (RSS, Atom or JSON Feed), a raw text or HTML article, or JSON articles as ingest would, "
            "and print every normalised article as one JSON line, with its flags, and every rejection as "
            '{"rejected": ..., "reason": ..., "origin": ...}. Exit 0 if at least one article came out, 1 if none, '
            "2 for a usage error."
        ),
    )
    parser.add_argument("input", metavar="FILE|URL", help="a file, or an http(s) URL fetched through the SSRF guard")
    parser.add_argument(
        "--as", dest="kind", choices=INPUT_KINDS, help="read the input as this kind (default: by content)"
    )
    parser.add_argument(
        "--allow-loopback",
        action="store_true",
        help="let the fetch guard reach 127.0.0.1 and ::1, to check a feed served on this machine",
    )
    parser.add_argument(
        "--feed-url", help="for a feed file: the URL it is published at (resolves relative links, names origins)"
    )
    parser.add_argument("--name", help="feeds: the source, as named in the sources file (its zone and boilerplate)")
    parser.add_argument("--timezone", type=_time_zone, help="feeds: IANA zone of times written without an offset")
    parser.add_argument("--language", type=_language_code, help="feeds: language when the feed declares none")
    parser.add_argument("--sources", type=Path, help="the sources file (default: the bundled sources.yaml)")
    parser.add_argument("--now", type=aware_time, help="arrival time, ISO 8601 with a zone (default: now)")
    parser.add_argument(
        "--max-items", type=_positive, default=MAX_ITEMS, help=f"feeds: items read (default {MAX_ITEMS})"
    )
    parser.set_defaults(run=run)


def _time_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r} (use an IANA name such as 'Asia/Dhaka')"
        ) from None
    return text


def _language_code(text: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", text):
        raise argparse.ArgumentTypeError(f"not a language code: {text!r} (write en, bn, pt-BR...)")
    return text


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    origin: str
    reason: str
    raw: str = ""


@dataclass
class Outcome:
    kind: InputKind
    articles: list[Article] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    details: str = ""
    """What the summary adds for this kind: a feed's format and encoding."""


def _snippet(data: bytes | str) -> str:
    text = data if isinstance(data, str) else data[: SNIPPET_LENGTH * 4].decode("utf-8", errors="replace")
    return clean_inline(text)[:SNIPPET_LENGTH]


def _feed_source(args: argparse.Namespace, catalog: SourceCatalog, feed_url: str) -> FeedSource:
    """How the feed would be read once registered with these options (``newsalert feeds add`` takes the same)."""
    if args.name and catalog.get(args.name) is None:
        known = ", ".join(profile.name for profile in catalog.sources) or "none"
        print(
            f"newsalert parse: no source named {args.name!r} in the sources file (known: {known}); "
            "its articles carry that name, read with the default profile",
            file=sys.stderr,
        )
    return catalog.for_feed(feed_url, name=args.name, timezone=args.timezone, language=args.language)


def _parse_feed(source: Input, args: argparse.Namespace, catalog: SourceCatalog) -> Outcome:
    feed_url = args.feed_url or source.origin
    feed = _feed_source(args, catalog, feed_url)
    outcome = Outcome("feed")
    try:
        result = parse_feed(
            source.data,
            feed_url=feed_url,
            received_at=args.now,
            source=feed.profile,
            outlet=feed.outlet,
            priority=feed.priority,
            max_items=args.max_items,
        )
    except ParseError as error:
        outcome.rejections.append(Rejection(feed_url, error.reason, _snippet(source.data)))
        return outcome
    outcome.articles = result.articles
    outcome.rejections = [Rejection(item.origin, item.reason, item.raw) for item in result.rejected]
    outcome.details = f"{result.feed_format}, {result.encoding}"
    return outcome


def _parse_file_article(kind: InputKind, source: Input, now: datetime, catalog: SourceCatalog) -> Outcome:
    parse = parse_html_article if kind == "html" else parse_raw_article
    try:
        article = parse(source.data, received_at=now, origin=source.origin, catalog=catalog)
    except ParseError as error:
        return Outcome(kind, rejections=[Rejection(source.origin, error.reason, _snippet(source.data))])
    return Outcome(kind, articles=[article])


def _parse_pushed(source: Input, now: datetime, catalog: SourceCatalog) -> Outcome:
    outcome = Outcome("json")
    try:
        items = pushed_items(source.data)
    except PushedBodyError as error:
        outcome.rejections.append(Rejection(source.origin, str(error), _snippet(source.data)))
        return outcome
    for index, item in enumerate(items):
        try:
            outcome.articles.append(article_from_pushed(item, now, catalog))
        except ValueError as error:
            raw = _snippet(json.dumps(item, ensure_ascii=False))
            outcome.rejections.append(Rejection(f"{source.origin}#{index}", str(error), raw))
    return outcome


def parse_input(source: Input, kind: InputKind, args: argparse.Namespace, catalog: SourceCatalog) -> Outcome:
    if kind == "feed":
        return _parse_feed(source, args, catalog)
    if kind == "json":
        return _parse_pushed(source, args.now, catalog)
    return _parse_file_article(kind, source, args.now, catalog)


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def json_lines(outcome: Outcome) -> Iterator[str]:
    for article in outcome.articles:
        yield json.dumps(article.model_dump(mode="json"), ensure_ascii=False)
    for rejection in outcome.rejections:
        line = {"rejected": rejection.raw, "reason": rejection.reason, "origin": rejection.origin}
        yield json.dumps(line, ensure_ascii=False)


def _summary(source: Input, outcome: Outcome) -> str:
    kind = f"{outcome.kind} ({outcome.details})" if outcome.details else outcome.kind
    return (
        f"newsalert parse: {source.origin}: read as {kind}: "
        f"{len(outcome.articles)} article(s), {len(outcome.rejections)} rejected"
    )


def run(args: argparse.Namespace) -> int:
    args.now = args.now or datetime.now(UTC)
    try:
        catalog = load_source_catalog(args.sources)
        source = read_input(args.input, allow_loopback=args.allow_loopback)
    except (InputUnreadableError, SourceConfigError) as error:
        print(f"newsalert parse: {error}", file=sys.stderr)
        return 2
    except FetchFailedError as error:
        print(f"newsalert parse: {error}", file=sys.stderr)
        return 1
    try:
        kind: InputKind = args.kind or input_kind(source.data, source.name)
    except UnsupportedInputError as error:  # as ingest quarantines it: one rejection, with the reason
        outcome = Outcome("text", rejections=[Rejection(source.origin, error.reason, _snippet(source.data))])
    else:
        outcome = parse_input(source, kind, args, catalog)
    for line in json_lines(outcome):
        print(line)
    print(_summary(source, outcome), file=sys.stderr)
    return 0 if outcome.articles else 1
