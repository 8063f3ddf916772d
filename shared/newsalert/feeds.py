"""Turn an RSS or Atom document, already fetched by the caller, into articles.

Every item either becomes an ``Article`` or a ``RejectedItem`` that says why
not, so nothing in a feed disappears without a trace. This module never
fetches anything: it gets bytes, and feedparser gets them wrapped in a stream
(given a bare string or bytes, feedparser may treat it as a URL or a file
name and read it).
"""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
from pydantic import BaseModel, ConfigDict, ValidationError

from newsalert.articlefile import SUMMARY_LENGTH
from newsalert.errors import FeedParseError
from newsalert.flags import FLAG_URL_INVALID
from newsalert.models import Article
from newsalert.published import settle_published
from newsalert.sources import SourceProfile
from newsalert.text import clean_inline, html_to_line, html_to_text, split_paragraphs, truncate_at_word
from newsalert.urls import InvalidURLError, canonical_url

MAX_FEED_BYTES = 10 * 1_048_576
SNIPPET_LENGTH = 300

# An internal DTD subset that declares entities is how "billion laughs" and
# external-entity attacks start; feeds have no legitimate use for one.
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


class RejectedItem(BaseModel):
    """A feed item that did not become an article, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str
    """The feed URL and the item's position, ``https://example.com/rss#item-3`` (its link, if any, is in ``raw``)."""
    reason: str
    raw: str = ""
    """The start of what the item held (title, link, summary), for an operator to recognise it."""


class FeedParseResult(BaseModel):
    """What one feed document gave: its articles and the items it could not use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feed_url: str
    feed_title: str | None = None
    articles: list[Article]
    rejected: list[RejectedItem]


def refuse_entity_declarations(data: bytes) -> None:
    """Raise ``FeedParseError`` if the document declares entities in a DOCTYPE.

    NUL bytes are dropped before looking, so a UTF-16 or UTF-32 document
    cannot hide the declaration.
    """
    text = data.replace(b"\x00", b"")
    doctype = _DOCTYPE.search(text)
    if doctype and _ENTITY_DECLARATION.search(text, doctype.end()):
        raise FeedParseError("XML entity declarations are refused (the document declares <!ENTITY in its DOCTYPE)")


def _entry_time(entry: Any) -> datetime | None:
    # feedparser gives these as struct_time in UTC, already converted from the feed's offset.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, OSError, ValueError):
                # A date near year 1 or 9999 can leave datetime's range once shifted to UTC
                # ("year 0 is out of range"): the item has not said when it appeared.
                return None
    return None


def _text_of(detail: Any, fallback: str) -> str:
    """Body text of a feedparser text construct, whether it is marked as HTML or plain text."""
    value = fallback if detail is None else str(detail.get("value", ""))
    kind = "text/html" if detail is None else str(detail.get("type") or "text/html")
    if "html" in kind:
        return html_to_text(value)
    return "\n\n".join(split_paragraphs(value))


def _title_of(entry: Any) -> str:
    detail = entry.get("title_detail")
    value = str(entry.get("title", ""))
    if detail is not None and "html" in str(detail.get("type", "")):
        return html_to_line(value)
    return clean_inline(value)


def _body_of(entry: Any) -> str:
    contents = entry.get("content") or []
    # Prefer the HTML rendering when an item carries several.
    for content in sorted(contents, key=lambda item: "html" not in str(item.get("type", ""))):
        text = _text_of(content, "")
        if text:
            return text
    return ""


def _language_of(entry: Any, feed: Any, source: SourceProfile | None) -> str:
    for declared in (entry.get("language"), feed.get("language")):
        if isinstance(declared, str) and declared.strip():
            primary, _, region = declared.strip().replace("_", "-").partition("-")
            language = primary.lower() + (f"-{region}" if region else "")
            if _LANGUAGE.fullmatch(language):
                return language
    return source.language if source else "en"


def _snippet(entry: Any) -> str:
    parts = [str(entry.get(key, "")) for key in ("title", "link", "summary") if entry.get(key)]
    return clean_inline(" | ".join(parts))[:SNIPPET_LENGTH]


def _source_name(source: SourceProfile | None, feed: Any, feed_url: str) -> str:
    if source is not None:
        return source.name
    title = html_to_line(str(feed.get("title", "")))
    if title:
        return title
    host = urlsplit(feed_url).hostname or ""
    return host.removeprefix("www.") or "unknown"


def _entry_to_article(
    entry: Any,
    *,
    feed: Any,
    source_name: str,
    source: SourceProfile | None,
    received_at: datetime,
) -> Article | str:
    """The entry as an article, or the reason it cannot be one."""
    title = _title_of(entry)
    if not title:
        return "item has no title"
    summary_text = _text_of(entry.get("summary_detail"), str(entry.get("summary", "")))
    body = _body_of(entry) or summary_text
    link = str(entry.get("link", "")).strip()
    url: str | None = None
    flags: tuple[str, ...] = ()
    if link:
        try:
            url = canonical_url(link)
        except InvalidURLError as error:
            if not body:
                return f"item has no usable link ({error}) and no content"
            flags += (FLAG_URL_INVALID,)
    elif not body:
        return "item has neither a link nor any content"
    published, time_flags = settle_published(_entry_time(entry), received_at)
    first_paragraph = (summary_text or body).split("\n\n", 1)[0]
    try:
        return Article.create(
            title=title,
            source=source_name,
            published=published,
            received_at=received_at,
            url=url,
            summary=truncate_at_word(first_paragraph, SUMMARY_LENGTH),
            body=body,
            language=_language_of(entry, feed, source),
            flags=flags + time_flags,
        )
    except ValidationError as error:
        return f"item is not a valid article: {error}"


def parse_feed(
    data: bytes,
    *,
    feed_url: str,
    received_at: datetime,
    source: SourceProfile | None = None,
    max_items: int = 500,
    max_bytes: int = MAX_FEED_BYTES,
) -> FeedParseResult:
    """Parse an RSS or Atom document that the caller fetched from ``feed_url``.

    Items without a title, or without both link and content, are returned in
    ``rejected`` with the reason. Items past ``max_items`` are not read; one
    rejected entry says how many. Raises ``FeedParseError`` for a document
    that is empty, too large, declares XML entities, or is not a feed at all.
    A feed with minor errors that still yields items is accepted as it is.
    """
    if not data.strip():
        raise FeedParseError("feed is empty")
    if len(data) > max_bytes:
        raise FeedParseError(f"feed exceeds {max_bytes} bytes (got {len(data)})")
    refuse_entity_declarations(data)

    parsed = feedparser.parse(
        io.BytesIO(data),
        # Relative links are resolved against the URL the feed came from; the
        # content type lets the XML declaration name the encoding.
        response_headers={"content-location": feed_url, "content-type": "application/xml"},
        # Markup is reduced to text by newsalert.text, so feedparser's own
        # sanitising and URI rewriting would only cost time.
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            raise FeedParseError(f"not a readable RSS or Atom feed: {parsed['bozo_exception']}")
        if not parsed.get("version"):
            raise FeedParseError("not an RSS or Atom feed (no channel or feed element found)")

    feed = parsed.get("feed") or {}
    source_name = _source_name(source, feed, feed_url)
    articles: list[Article] = []
    rejected: list[RejectedItem] = []
    for position, entry in enumerate(entries[:max_items], start=1):
        outcome = _entry_to_article(entry, feed=feed, source_name=source_name, source=source, received_at=received_at)
        if isinstance(outcome, Article):
            articles.append(outcome)
        else:
            origin = f"{feed_url}#item-{position}"
            rejected.append(RejectedItem(origin=origin, reason=outcome, raw=_snippet(entry)))
    if len(entries) > max_items:
        rejected.append(
            RejectedItem(
                origin=feed_url,
                reason=f"feed has {len(entries)} items; only the first {max_items} were read",
            )
        )
    feed_title = html_to_line(str(feed.get("title", ""))) or None
    return FeedParseResult(feed_url=feed_url, feed_title=feed_title, articles=articles, rejected=rejected)
