"""Turn a feed document, already fetched by the caller, into articles.

RSS 0.9x, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0, and JSON Feed 1.0 and 1.1 are told
apart by their content, never by a file name or a content type. Every item either
becomes an ``Article`` or a ``RejectedItem`` that says why not, so nothing in a feed
disappears without a trace. This module never fetches anything: it gets bytes.

The steps: the bytes are decoded and cleaned, and a hostile DTD refused
(``newsalert.ingest.formats.feed_decoding``); the format's reader (``newsalert.ingest.formats.rss_atom``,
``newsalert.ingest.formats.json_feed``) gives the items as written; here each item is normalised:
text without markup or the source's boilerplate, lengths capped, the link made
absolute and canonical, the time read in the source's zone and settled against
arrival, the language taken from the item, the feed or the source, else detected.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from newsalert.flags import FLAG_URL_INVALID, flag_decoded_as
from newsalert.ingest.cleaning import (
    PARAGRAPH_SEPARATOR,
    capped,
    clean_body,
    html_to_text,
    peel_escaped_markup,
    truncate_at_word,
)
from newsalert.ingest.errors import FeedParseError
from newsalert.ingest.formats.feed_decoding import (
    clean_xml_text,
    decode_feed_bytes,
    refuse_entity_declarations,
)
from newsalert.ingest.formats.feed_items import RawFeed, RawItem, RawText, UnreadableItem
from newsalert.ingest.formats.json_feed import read_json_feed
from newsalert.ingest.formats.rss_atom import read_xml_feed
from newsalert.ingest.language import SAMPLE_LENGTH as LANGUAGE_SAMPLE_LENGTH
from newsalert.ingest.language import detect_language
from newsalert.ingest.limits import (
    MAX_BODY_BYTES,
    MAX_BODY_LENGTH,
    MAX_FEED_BYTES,
    MAX_FEED_ITEMS,
    MAX_SUMMARY_LENGTH,
    MAX_TITLE_LENGTH,
    size_refusal,
)
from newsalert.ingest.published import parse_feed_date, settle_published
from newsalert.ingest.sources import SourceProfile
from newsalert.models import Article, SourcePriority
from newsalert.urls import InvalidURLError, canonical_url

MAX_ITEMS = MAX_FEED_ITEMS
# MAX_FEED_BYTES and the caps on titles and bodies: newsalert.ingest.limits, as for every input kind.


class RejectedItem(BaseModel):
    """A feed item that did not become an article, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str
    """The feed URL and the item's position, ``https://example.com/rss#item-3``, or the feed URL alone."""
    reason: str
    raw: str = ""
    """The start of what the item held (title, link, summary), for an operator to recognise it."""


class FeedParseResult(BaseModel):
    """What one feed document gave: its articles and the items it could not use.

    Items past the cap on items per feed are not read; one ``RejectedItem`` with the
    feed URL as origin says how many there were, so they are counted like any other
    rejection (ingest quarantines it) instead of vanishing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    feed_url: str
    feed_title: str | None = None
    articles: list[Article]
    rejected: list[RejectedItem]
    feed_format: str = ""
    """As an operator names it: ``RSS 2.0``, ``Atom 1.0``, ``JSON Feed 1.1``..."""
    encoding: str = ""
    """The character encoding the document was read in (``utf-8``, ``utf-16-le``, ``cp1252``...)."""


def _read_document(data: bytes, max_bytes: int) -> tuple[RawFeed, str, bool]:
    """The feed a document holds, the encoding it was read in, and whether that encoding was a guess."""
    if len(data) > max_bytes:
        raise FeedParseError(size_refusal("the feed", len(data), max_bytes))
    decoded = decode_feed_bytes(data)
    text = clean_xml_text(decoded.text)
    if not text.strip():
        raise FeedParseError("feed is empty")
    if text.startswith(("{", "[")):
        return read_json_feed(text), decoded.encoding, decoded.guessed
    refuse_entity_declarations(text)
    return read_xml_feed(text), decoded.encoding, decoded.guessed


# ---------------------------------------------------------------------------
# Items to articles
# ---------------------------------------------------------------------------


def _paragraphs(text: RawText | None, profile: SourceProfile | None) -> list[str]:
    """The text's paragraphs without markup, cut at the source's end marker and without its boilerplate."""
    if text is None:
        return []
    cleaned = peel_escaped_markup(html_to_text(text.value) if text.is_html else clean_body(text.value))
    paragraphs = cleaned.split(PARAGRAPH_SEPARATOR) if cleaned else []
    if profile is None:
        return paragraphs
    kept: list[str] = []
    for paragraph in paragraphs:
        if profile.ends_article(paragraph):
            break
        if not profile.is_boilerplate(paragraph):
            kept.append(paragraph)
    if kept:
        kept[0] = profile.strip_credit(kept[0])
    return [paragraph for paragraph in kept if paragraph]


def _line(text: RawText | None) -> str:
    return " ".join(_paragraphs(text, None))


def _absolute_link(link: str, feed_url: str) -> str:
    if urlsplit(feed_url).scheme.lower() not in ("http", "https"):
        return link  # a file or an S3 key is no base for a web address
    try:
        return urljoin(feed_url, link)
    except ValueError:  # a malformed address: canonical_url will say what is wrong with it
        return link


def _language_code(declared: str | None) -> str | None:
    """A declared language as the models spell it (``en``, ``en-GB``), or None if it is not a language code."""
    if not declared or not declared.strip():
        return None
    primary, _, region = declared.strip().replace("_", "-").partition("-")
    code = primary.lower() + (f"-{region}" if region else "")
    primary_ok = 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha()
    region_ok = not region or (2 <= len(region) <= 8 and region.isascii() and region.isalnum())
    return code if primary_ok and region_ok else None


def _language(item: RawItem, feed: RawFeed, source: SourceProfile | None, text: str) -> str:
    # A source's language counts only when an operator set it (in sources.yaml or for the
    # feed); the model's default is no statement about this feed.
    operator_set = source.language if source is not None and "language" in source.model_fields_set else None
    for declared in (item.language, feed.language, operator_set):
        code = _language_code(declared)
        if code is not None:
            return code
    return detect_language(text)


def _published(item: RawItem, zone: tzinfo) -> datetime | None:
    for date in item.dates:
        # Our own reading first: it knows when a time has no offset and puts it in the
        # source's zone, where feedparser would assume UTC.
        when = parse_feed_date(date.text, zone) or date.reading
        if when is not None:
            return when
    return None


def _item_to_article(
    item: RawItem,
    *,
    feed: RawFeed,
    feed_url: str,
    source_name: str,
    source: SourceProfile | None,
    priority: SourcePriority,
    received_at: datetime,
    flags: tuple[str, ...],
) -> Article | str:
    """The item as an article, or the reason it cannot be one."""
    title, title_flags = capped(_line(item.title), MAX_TITLE_LENGTH)
    if not title:
        return "item has no title"
    summary_paragraphs = _paragraphs(item.summary, source)
    body, body_flags = capped(
        PARAGRAPH_SEPARATOR.join(_paragraphs(item.content, source) or summary_paragraphs),
        MAX_BODY_LENGTH,
        max_bytes=MAX_BODY_BYTES,
    )
    url: str | None = None
    if item.link:
        try:
            url = canonical_url(_absolute_link(item.link, feed_url))
        except InvalidURLError as error:
            if not body:
                return f"item has no usable link ({error}) and no content"
            flags += (FLAG_URL_INVALID,)
    elif not body:
        return "item has neither a link nor any content"
    published, time_flags = settle_published(_published(item, source.zone if source else UTC), received_at)
    first_paragraph = (summary_paragraphs or body.split(PARAGRAPH_SEPARATOR))[0]
    try:
        return Article.create(
            title=title,
            source=source_name,
            published=published,
            received_at=received_at,
            url=url,
            summary=truncate_at_word(first_paragraph, MAX_SUMMARY_LENGTH),
            body=body,
            language=_language(item, feed, source, f"{title}\n{body[:LANGUAGE_SAMPLE_LENGTH]}"),
            flags=flags + tuple(dict.fromkeys(title_flags + body_flags)) + time_flags,
            source_timezone=source.timezone if source else None,
            source_priority=priority,
        )
    except ValidationError as error:
        return f"item is not a valid article: {error}"


def _source_name(outlet: str | None, feed: RawFeed, feed_url: str) -> str:
    """The outlet's name as given, else the feed's own title; the host only when the feed has no title."""
    if outlet:
        return outlet
    title = _line(feed.title)
    if title:
        return title
    host = urlsplit(feed_url).hostname or ""
    return host.removeprefix("www.") or "unknown"


def parse_feed(
    data: bytes,
    *,
    feed_url: str,
    received_at: datetime,
    source: SourceProfile | None = None,
    outlet: str | None = None,
    priority: SourcePriority = "normal",
    max_items: int = MAX_ITEMS,
    max_bytes: int = MAX_FEED_BYTES,
) -> FeedParseResult:
    """Parse a feed document that the caller fetched from ``feed_url``.

    ``source`` gives the time zone of times written without an offset, the language
    when neither item nor feed declares one, and the boilerplate to drop; ``outlet`` is
    the name the articles carry (without it, the feed's own title, else its host), and
    ``priority`` the outlet's weight for urgency (``newsalert.ingest.sources.FeedSource``
    gives all three for a registered feed). Items without a title, or without both link and content,
    are returned in ``rejected`` with the reason. Items past ``max_items`` are not
    read; one rejected entry says how many. Raises ``FeedParseError`` for a document
    that is empty, too large, declares XML entities, or is not a feed at all. A feed
    with minor errors that still yields items is accepted as it is.
    """
    feed, encoding, guessed = _read_document(data, max_bytes)
    flags = (flag_decoded_as(encoding),) if guessed else ()
    source_name = _source_name(outlet, feed, feed_url)
    articles: list[Article] = []
    rejected: list[RejectedItem] = []
    for position, item in enumerate(feed.items[:max_items], start=1):
        origin = f"{feed_url}#item-{position}"
        if isinstance(item, UnreadableItem):
            rejected.append(RejectedItem(origin=origin, reason=item.reason, raw=item.snippet))
            continue
        outcome = _item_to_article(
            item,
            feed=feed,
            feed_url=feed_url,
            source_name=source_name,
            source=source,
            priority=priority,
            received_at=received_at,
            flags=flags,
        )
        if isinstance(outcome, Article):
            articles.append(outcome)
        else:
            rejected.append(RejectedItem(origin=origin, reason=outcome, raw=item.snippet))
    over_cap = len(feed.items) - max_items
    if over_cap > 0:
        rejected.append(
            RejectedItem(origin=feed_url, reason=f"{over_cap} items over the cap of {max_items} were not read")
        )
    return FeedParseResult(
        feed_url=feed_url,
        feed_title=_line(feed.title) or None,
        articles=articles,
        rejected=rejected,
        feed_format=feed.format,
        encoding=encoding,
    )
