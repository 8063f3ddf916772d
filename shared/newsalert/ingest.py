"""The ingest stage: turn feeds, dropped files and pushed JSON into articles for classify.

Every input ends in exactly one ``IngestOutcome`` per article it held (or per piece that
could not be read): queued for classify, a duplicate of an article already seen, or
quarantined with the reason. Nothing is dropped without a record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from newsalert.errors import ParseError
from newsalert.feeds import parse_feed
from newsalert.fetch import FetchFailedError, FetchRefusedError, SafeFetcher
from newsalert.htmlpage import parse_html_article
from newsalert.models import Article, Fate, IngestOutcome, PushedArticle
from newsalert.ports import ArticleRepository, RecordQueue
from newsalert.published import settle_published
from newsalert.rawtext import parse_raw_article
from newsalert.sources import SourceCatalog
from newsalert.store import Claim
from newsalert.text import clean_body, clean_inline

MAX_PUSHED_ITEMS = 100
"""Articles one ``POST /articles`` request may carry."""

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}


class FeedSubscription(BaseModel):
    """One entry of the feed list that the scheduled poll reads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(min_length=1)
    name: str | None = None
    language: str | None = None
    timezone: str | None = None


FEED_LIST = TypeAdapter(list[FeedSubscription])


@dataclass(frozen=True)
class FeedPoll:
    """What polling one feed gave: its outcomes, or why the feed itself failed."""

    feed_url: str
    outcomes: list[IngestOutcome] = field(default_factory=list)
    error: str | None = None


def parse_feed_list(document: bytes) -> list[FeedSubscription]:
    try:
        return FEED_LIST.validate_json(document)
    except ValidationError as error:
        raise ValueError(
            f"the feed list is not valid: {error.errors()[0]['msg']} at {error.errors()[0]['loc']}"
        ) from None


class Ingestor:
    """Ingest's domain. Receives its adapters; creates no AWS client."""

    def __init__(
        self, store: ArticleRepository, classify_queue: RecordQueue, sources: SourceCatalog, *, deadline: float
    ) -> None:
        """``deadline`` (epoch seconds) is when this attempt will have ended, at the latest."""
        self._store = store
        self._queue = classify_queue
        self._sources = sources
        self._deadline = deadline

    # ------------------------------------------------------------------ outcomes
    def admit(self, article: Article, *, origin: str) -> IngestOutcome:
        """Store a new article and hand it to classify; report a known one as a duplicate."""
        claim = self._store.claim(article, lease_until=self._deadline)
        if claim.claim is Claim.DUPLICATE:
            return IngestOutcome(
                fate=Fate.DUPLICATE,
                article_id=article.id,
                title=article.title,
                origin=origin,
                reason=f"already ingested as {claim.duplicate_of}",
                duplicate_of=claim.duplicate_of,
            )
        # New, or stored by an earlier attempt that failed before the hand-over: finish it.
        self._queue.send(article, article_id=article.id)
        self._store.set_fate(article.id, Fate.QUEUED)
        return IngestOutcome(fate=Fate.QUEUED, article_id=article.id, title=article.title, origin=origin)

    def refuse(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> IngestOutcome:
        quarantine_id = self._store.quarantine(origin=origin, reason=reason, raw=raw, received_at=received_at)
        return IngestOutcome(fate=Fate.QUARANTINED, origin=origin, reason=reason, article_id=quarantine_id)

    # -------------------------------------------------------------------- inputs
    def ingest_file(self, data: bytes, *, key: str, received_at: datetime) -> list[IngestOutcome]:
        """A file dropped in the inbox: a raw text or HTML article, a feed document, or JSON articles."""
        suffix = PurePosixPath(key).suffix.lower()
        try:
            if suffix in JSON_SUFFIXES:
                return self.ingest_pushed(data, origin=key, received_at=received_at)
            if suffix in FEED_SUFFIXES:
                return self._admit_feed_document(data, feed_url=key, received_at=received_at)
            if suffix in HTML_SUFFIXES:
                article = parse_html_article(data, received_at=received_at, origin=key, catalog=self._sources)
            elif suffix in TEXT_SUFFIXES:
                article = parse_raw_article(data, received_at=received_at, origin=key, catalog=self._sources)
            else:
                raise ParseError(f"unsupported file type {suffix!r}: expected .txt, .html, .xml or .json")
        except ParseError as error:
            return [self.refuse(origin=key, reason=error.reason, raw=data, received_at=received_at)]
        return [self.admit(article, origin=key)]

    def ingest_pushed(self, body: bytes | str, *, origin: str, received_at: datetime) -> list[IngestOutcome]:
        """JSON articles: one object, an array, or JSON lines. Each item stands or falls alone."""
        try:
            items = _json_items(body)
        except ValueError as error:
            return [self.refuse(origin=origin, reason=str(error), raw=body, received_at=received_at)]
        if len(items) > MAX_PUSHED_ITEMS:
            reason = f"{len(items)} articles in one request; at most {MAX_PUSHED_ITEMS} are accepted"
            return [self.refuse(origin=origin, reason=reason, raw=body, received_at=received_at)]
        outcomes = []
        for index, item in enumerate(items):
            item_origin = f"{origin}#{index}"
            try:
                article = _from_pushed(PushedArticle.model_validate_json(json.dumps(item)), received_at)
            except (ValidationError, ValueError) as error:
                reason = _validation_reason(error)
                outcomes.append(
                    self.refuse(origin=item_origin, reason=reason, raw=json.dumps(item), received_at=received_at)
                )
                continue
            outcomes.append(self.admit(article, origin=item_origin))
        return outcomes

    def poll_feeds(
        self, feeds: Iterable[FeedSubscription], fetcher: SafeFetcher, *, received_at: datetime
    ) -> list[FeedPoll]:
        polls = []
        for feed in feeds:
            try:
                fetched = fetcher.fetch(feed.url)
            except (FetchRefusedError, FetchFailedError) as error:
                polls.append(FeedPoll(feed_url=feed.url, error=str(error)))
                continue
            outcomes = self._admit_feed_document(fetched.body, feed_url=feed.url, received_at=received_at, feed=feed)
            polls.append(FeedPoll(feed_url=feed.url, outcomes=outcomes))
        return polls

    def _admit_feed_document(
        self, data: bytes, *, feed_url: str, received_at: datetime, feed: FeedSubscription | None = None
    ) -> list[IngestOutcome]:
        profile = self._sources.get(feed.name) if feed and feed.name else None
        try:
            result = parse_feed(data, feed_url=feed_url, received_at=received_at, source=profile)
        except ParseError as error:
            return [self.refuse(origin=feed_url, reason=error.reason, raw=data, received_at=received_at)]
        outcomes = [self.admit(article, origin=feed_url) for article in result.articles]
        outcomes += [
            self.refuse(origin=item.origin, reason=item.reason, raw=item.raw, received_at=received_at)
            for item in result.rejected
        ]
        return outcomes


def _json_items(body: bytes | str) -> list[Any]:
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    if not text.strip():
        raise ValueError("the request body is empty: expected a JSON article or a list of them")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as first_error:
        try:  # JSON lines: one article per line
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise ValueError(f"not valid JSON: {first_error}") from None
    if document == []:
        raise ValueError("the request holds an empty list: expected at least one article")
    return document if isinstance(document, list) else [document]


def _from_pushed(pushed: PushedArticle, received_at: datetime) -> Article:
    # A newsroom system's clock or zone can be as wrong as a feed's, and a time after arrival
    # cannot be true: it is clamped and flagged exactly as for feeds and files.
    published, flags = settle_published(pushed.published, received_at)
    try:
        published = published.astimezone(UTC)
    except OverflowError:  # within hours of year 1 in a zone ahead of UTC: no UTC equivalent
        raise ValueError(f"published: {pushed.published.isoformat()} is out of range") from None
    return Article.create(
        title=clean_inline(pushed.title),
        source=clean_inline(pushed.source),
        published=published,
        received_at=received_at,
        url=pushed.url,
        summary=clean_inline(pushed.summary),
        body=clean_body(pushed.body),
        language=pushed.language,
        flags=flags,
    )


def _validation_reason(error: ValidationError | ValueError) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or 'article'}: {issue['msg']}" for issue in error.errors()
        )
    return str(error)
