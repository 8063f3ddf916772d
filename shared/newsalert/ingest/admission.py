"""Admitting articles: stored and handed to classify, reported as duplicates, or quarantined with the reason.

Every input ends in exactly one ``IngestOutcome`` per article it held (or per piece that
could not be read): queued for classify, a duplicate of an article already seen, or
quarantined with the reason. Nothing is dropped without a record. (An item that a feed listed
at its previous poll is skipped before any write: it had its outcome then.)

Each reader (feeds with feedparser, HTML pages, raw text, pushed JSON) is imported by the method
that first needs it, not with this module: one handler takes all four of ingest's triggers, and a
push to the API, which reads JSON only, need not import feedparser (~50 ms of a cold start).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import BaseModel

from newsalert.ingest.errors import ParseError
from newsalert.ingest.sources import FeedSource, SourceCatalog
from newsalert.models import Article, Fate, IngestOutcome
from newsalert.ports import ArticleRepository, Claim, ClaimResult, MessageQueue

FEED_MEMORY = 2000
"""How many of a feed's latest items its registry entry remembers (12 characters each)."""


def item_fingerprint(article_id: str) -> str:
    """What a feed's registry entry remembers of an item it listed: 48 bits of its id's hash.

    Two items of one feed share a fingerprint about once in 10^12 pairs; the memory only saves
    writes, the articles table still refuses a duplicate.
    """
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class FeedAdmission:
    """What one feed document gave: an outcome per item, and why the document was refused, if it was.

    ``listed`` is the fingerprints of the articles it listed, for the registry to remember;
    ``already_seen`` counts those skipped because the feed listed them at an earlier poll.
    """

    outcomes: list[IngestOutcome] = field(default_factory=list)
    refused: str | None = None
    listed: tuple[str, ...] = ()
    already_seen: int = 0


class Ingestor:
    """Ingest's domain. Receives its adapters; creates no AWS client.

    Each input (a feed document, a file, a request) is admitted as a whole: every article is
    claimed, the new ones go to classify in batches of ten, and the input's outcomes are added to
    the intake ledger together, once they are all known.
    """

    def __init__(
        self, store: ArticleRepository, classify_queue: MessageQueue, sources: SourceCatalog, *, deadline: float
    ) -> None:
        """``deadline`` (epoch seconds) is when this attempt will have ended, at the latest."""
        self._store = store
        self._queue = classify_queue
        self._sources = sources
        self._deadline = deadline
        self._to_classify: list[tuple[BaseModel, str]] = []
        self._claimed: set[str] = set()
        """Articles this attempt claimed: meeting one again (an input listing it twice) is a plain duplicate."""
        self._entries: list[tuple[IngestOutcome, int]] = []

    # ------------------------------------------------------------------ outcomes
    def admit(self, article: Article, *, origin: str, occurrence: int = 0) -> IngestOutcome:
        """Store a new article and hand it to classify, or report a known one as a duplicate.

        Either way the outcome goes into the intake ledger of the input it came through.
        """
        outcome = self._admit(article, origin=origin, occurrence=occurrence)
        self._hand_over(article.received_at)
        return outcome

    def refuse(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> IngestOutcome:
        """Quarantine unusable input with the reason, and note it in the intake ledger."""
        outcome = self._refuse(origin=origin, reason=reason, raw=raw, received_at=received_at)
        self._hand_over(received_at)
        return outcome

    def _admit(self, article: Article, *, origin: str, occurrence: int = 0) -> IngestOutcome:
        claim = self._store.claim(article, lease_until=self._deadline)
        if claim.claim is Claim.IN_PROGRESS and article.id in self._claimed:
            claim = ClaimResult(Claim.DUPLICATE, duplicate_of=article.id)
        if claim.claim in (Claim.DUPLICATE, Claim.IN_PROGRESS):
            outcome = IngestOutcome(
                fate=Fate.DUPLICATE,
                article_id=article.id,
                title=article.title,
                origin=origin,
                reason=_duplicate_reason(claim),
                duplicate_of=claim.duplicate_of,
            )
        else:
            # New, or stored by an earlier attempt that failed before the hand-over: finish it.
            # The article's item stays "received" until classify gives it its fate: no write
            # for the hand-over itself (the lease tells a live attempt from a dead one).
            self._to_classify.append((article, article.id))
            self._claimed.add(article.id)
            outcome = IngestOutcome(fate=Fate.QUEUED, article_id=article.id, title=article.title, origin=origin)
        self._entries.append((outcome, occurrence))
        return outcome

    def _refuse(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> IngestOutcome:
        quarantine_id = self._store.quarantine(origin=origin, reason=reason, raw=raw, received_at=received_at)
        outcome = IngestOutcome(fate=Fate.QUARANTINED, origin=origin, reason=reason, article_id=quarantine_id)
        self._entries.append((outcome, 0))
        return outcome

    def _hand_over(self, received_at: datetime) -> None:
        """Send the new articles to classify (``SendMessageBatch``), then write the input's intake ledger."""
        to_classify, self._to_classify = self._to_classify, []
        entries, self._entries = self._entries, []
        if to_classify:
            try:
                self._queue.send_many(to_classify)
            except Exception:
                # Not all of them reached classify (which ones, a failure half-way does not say):
                # release them all, so that a retry finishes the job instead of calling each a
                # duplicate of itself. One sent twice is classified once and alerted once.
                for _, article_id in to_classify:
                    self._store.release(article_id)
                raise
        if entries:
            self._store.record_intake(entries, received_at)

    # -------------------------------------------------------------------- inputs
    def ingest_file(self, data: bytes, *, key: str, received_at: datetime) -> list[IngestOutcome]:
        """A file dropped in the inbox: a raw text or HTML article, a feed document, or JSON articles.

        Which of these it is, the content says (``newsalert.ingest.input_kind``); the key's suffix is a hint.
        """
        from newsalert.ingest.input_kind import input_kind

        try:
            kind = input_kind(data, key)
            if kind == "feed":
                return self.admit_feed(data, feed_url=key, received_at=received_at).outcomes
            if kind == "json":
                return self.ingest_pushed(data, origin=key, received_at=received_at)
            if kind == "html":
                from newsalert.ingest.formats.html_page import parse_html_article as parse
            else:
                from newsalert.ingest.formats.raw_text import parse_raw_article as parse
            article = parse(data, received_at=received_at, origin=key, catalog=self._sources)
        except ParseError as error:
            return [self.refuse(origin=key, reason=error.reason, raw=data, received_at=received_at)]
        return [self.admit(article, origin=key)]

    def ingest_pushed(
        self, body: bytes | str, *, origin: str, received_at: datetime, base64_encoded: bool = False
    ) -> list[IngestOutcome]:
        """JSON articles: one object, an array, or JSON lines. Each item stands or falls alone.

        A body that cannot be read (not base64 when flagged so, not UTF-8, too large, too deeply
        nested, not JSON) is quarantined whole, as received, with the reason.
        """
        from newsalert.ingest.formats.pushed_json import PushedBodyError, article_from_pushed, from_base64, pushed_items

        try:
            if base64_encoded:
                body = from_base64(body)  # kept as received if it is not base64, decoded if it is
            items = pushed_items(body)
        except PushedBodyError as error:
            return [self.refuse(origin=origin, reason=str(error), raw=body, received_at=received_at)]
        outcomes = []
        for index, item in enumerate(items):
            item_origin = f"{origin}#{index}"
            try:
                article = article_from_pushed(item, received_at, self._sources)
            except ValueError as error:
                outcomes.append(
                    self._refuse(origin=item_origin, reason=str(error), raw=json.dumps(item), received_at=received_at)
                )
                continue
            outcomes.append(self._admit(article, origin=item_origin))
        self._hand_over(received_at)
        return outcomes

    def admit_feed(
        self,
        data: bytes,
        *,
        feed_url: str,
        received_at: datetime,
        source: FeedSource | None = None,
        seen: frozenset[str] = frozenset(),
    ) -> FeedAdmission:
        """Every item of a feed document: admitted, or refused with its reason; or the whole document refused.

        ``source`` says how a registered feed is read and named; a dropped feed document has none.
        ``seen`` holds the fingerprints (``item_fingerprint``) of the items the feed listed at its
        last poll: those are skipped before any write, so an unchanged feed costs no write per item.
        """
        from newsalert.ingest.formats.feed_document import parse_feed

        feed = source or FeedSource(profile=None, outlet=None)
        try:
            result = parse_feed(
                data,
                feed_url=feed_url,
                received_at=received_at,
                source=feed.profile,
                outlet=feed.outlet,
                priority=feed.priority,
            )
        except ParseError as error:
            refusal = self.refuse(origin=feed_url, reason=error.reason, raw=data, received_at=received_at)
            return FeedAdmission([refusal], refused=error.reason)
        occurrences: Counter[str] = Counter()
        outcomes = []
        listed: dict[str, None] = {}
        already_seen = 0
        for article in result.articles:
            fingerprint = item_fingerprint(article.id)
            listed[fingerprint] = None
            if fingerprint in seen:
                already_seen += 1
                continue
            outcomes.append(self._admit(article, origin=feed_url, occurrence=occurrences[article.id]))
            occurrences[article.id] += 1
        for item in result.rejected:
            # A malformed item is known by what it holds (its position moves as the feed grows):
            # quarantined at the poll that first listed it, skipped while the feed keeps listing it.
            if item.raw:
                content = item_fingerprint(f"{item.reason}\0{item.raw}")
                listed[content] = None
                if content in seen:
                    already_seen += 1
                    continue
            outcomes.append(self._refuse(origin=item.origin, reason=item.reason, raw=item.raw, received_at=received_at))
        self._hand_over(received_at)
        return FeedAdmission(outcomes, listed=tuple(listed)[:FEED_MEMORY], already_seen=already_seen)


def _duplicate_reason(claim: ClaimResult) -> str:
    if claim.claim is Claim.IN_PROGRESS and claim.busy_until is not None:
        # Not a duplicate of something finished: an earlier attempt holds it. Said so, with when a
        # retry may take it over, so that a client whose earlier request failed knows what to do.
        until = datetime.fromtimestamp(claim.busy_until, UTC).isoformat(timespec="seconds")
        return f"being ingested by an earlier attempt until {until}: if that request failed, send it again after then"
    return f"already ingested as {claim.duplicate_of}"
