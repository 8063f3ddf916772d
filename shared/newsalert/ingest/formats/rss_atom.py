"""Read an RSS (0.9x, 1.0, 2.0) or Atom (0.3, 1.0) document with feedparser.

The caller has decoded the bytes and refused hostile DTDs (``newsalert.ingest.formats.feed_decoding``);
this module hands feedparser the text as UTF-8 bytes in a stream (given bare bytes or
a string, feedparser may take them for a URL or a file name and open it), and maps
what it finds to a ``RawFeed``.
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

from newsalert.ingest.cleaning import clean_inline
from newsalert.ingest.errors import FeedParseError
from newsalert.ingest.formats.feed_items import RawDate, RawFeed, RawItem, RawText

SNIPPET_LENGTH = 300

FORMAT_NAMES = {
    "rss090": "RSS 0.90",
    "rss091n": "RSS 0.91",
    "rss091u": "RSS 0.91",
    "rss092": "RSS 0.92",
    "rss093": "RSS 0.93",
    "rss094": "RSS 0.94",
    "rss10": "RSS 1.0",
    "rss20": "RSS 2.0",
    "rss": "RSS",
    "atom01": "Atom 0.1",
    "atom02": "Atom 0.2",
    "atom03": "Atom 0.3",
    "atom10": "Atom 1.0",
    "atom": "Atom",
    "cdf": "CDF",
}
_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
# Media RSS (media:content, media:thumbnail...) is harmless, except for its text elements:
# feedparser files a picture's media:title as the item's title and its media:description
# as the item's summary or content, so that a photo caption would pass for the story.
# (Media RSS puts no image URL in an Article: the model has no field for one.)
_MEDIA_RSS_PREFIX = re.compile(r"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']http://search\.yahoo\.com/mrss/?["']""")
_MEDIA_TEXT_ELEMENTS = ("title", "description", "text", "keywords")
_MAX_MEDIA_PREFIXES = 4
_DATE_KEYS = ("published", "updated", "created")


def _without_media_text(text: str) -> str:
    """The document with Media RSS text elements renamed to something feedparser leaves alone.

    Renaming, not removing: it needs no matching of start and end tags, so it takes
    linear time whatever the document holds.
    """
    names = "|".join(_MEDIA_TEXT_ELEMENTS)
    # One pass per prefix: a few at most, or a document declaring thousands would cost thousands of passes.
    prefixes = list(dict.fromkeys(_MEDIA_RSS_PREFIX.findall(text)))[:_MAX_MEDIA_PREFIXES]
    for prefix in prefixes:
        tag = re.compile(rf"<(/?){re.escape(prefix)}:({names})(?=[\s/>])")
        text = tag.sub(rf"<\1{prefix}:ignored-\2", text)
    return text


def _as_utf8_document(text: str) -> bytes:
    # The text is already decoded: the declaration must not send the parser back to the
    # encoding the bytes claimed, which was perhaps wrong.
    body = _XML_DECLARATION.sub("", text, count=1) if text.startswith("<?xml") else text
    return ('<?xml version="1.0" encoding="utf-8"?>' + body).encode("utf-8", errors="replace")


def _text_construct(detail: Any, value: Any) -> RawText | None:
    text = str(value or "")
    if not text:
        return None
    kind = str((detail or {}).get("type") or "text/html")
    return RawText(text, is_html="html" in kind)


def _content(entry: Any) -> RawText | None:
    contents = entry.get("content") or []
    # Prefer the HTML rendering when an item carries several.
    for content in sorted(contents, key=lambda part: "html" not in str(part.get("type", ""))):
        text = _text_construct(content, content.get("value"))
        if text is not None and text.value.strip():
            return text
    return None


def _reading(parsed: Any) -> datetime | None:
    # feedparser gives struct_time in UTC, converted from the offset (or assuming UTC without one).
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None  # a date near year 1 or 9999 that leaves datetime's range once in UTC


def _dates(entry: Any) -> tuple[RawDate, ...]:
    # dict.get, not entry.get: feedparser's own get answers "updated" with the published
    # date when there is no update (and warns), which would read one date twice.
    written = ((key, dict.get(entry, key)) for key in _DATE_KEYS)
    return tuple(
        RawDate(text, _reading(dict.get(entry, f"{key}_parsed")))
        for key, text in written
        if isinstance(text, str) and text.strip()
    )


def _link(entry: Any) -> str | None:
    link = str(entry.get("link") or "").strip()
    if not link:
        return None
    if entry.get("guidislink") and not entry.get("links"):
        # The link is the <guid>, which RSS 2.0 says is a permalink unless marked otherwise;
        # publishers often leave the mark off an opaque id ("abc-123"), which is no address.
        parts = urlsplit(link)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
    return link


def _language(entry: Any) -> str | None:
    declared = entry.get("language")
    if not declared:
        # xml:lang on the entry is kept only on its text constructs.
        declared = (entry.get("title_detail") or {}).get("language")
    return str(declared) if declared else None


def _snippet(entry: Any) -> str:
    parts = [str(entry.get(key, "")) for key in ("title", "link", "summary") if entry.get(key)]
    return clean_inline(" | ".join(parts))[:SNIPPET_LENGTH]


def _item(entry: Any) -> RawItem:
    return RawItem(
        title=_text_construct(entry.get("title_detail"), entry.get("title")),
        link=_link(entry),
        summary=_text_construct(entry.get("summary_detail"), entry.get("summary")),
        content=_content(entry),
        dates=_dates(entry),
        language=_language(entry),
        snippet=_snippet(entry),
    )


def read_xml_feed(text: str) -> RawFeed:
    """The feed in an RSS or Atom document; ``FeedParseError`` if the document is not one.

    A document with XML errors that still yields items is read as well as feedparser's
    lenient parser can: a feed that is slightly broken is still news.
    """
    try:
        parsed = feedparser.parse(
            io.BytesIO(_as_utf8_document(_without_media_text(text))),
            response_headers={"content-type": "application/xml; charset=utf-8"},
            # Markup is reduced to text by newsalert.ingest.cleaning, so sanitising would only cost time;
            # relative links are resolved by the caller, which knows the feed's URL.
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as error:
        # feedparser's lenient parser has crashed on input the cleaning above does not
        # foresee (it did on "&#x110000;"); one bad feed must not stop the others.
        raise FeedParseError(f"not a readable RSS or Atom feed (the parser failed: {error})") from error
    entries = list(parsed.get("entries") or [])
    version = str(parsed.get("version") or "")
    if not entries:
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            raise FeedParseError(f"not a readable RSS or Atom feed: {parsed['bozo_exception']}")
        if not version:
            raise FeedParseError("not an RSS or Atom feed (no channel or feed element found)")
    feed = parsed.get("feed") or {}
    return RawFeed(
        format=FORMAT_NAMES.get(version, version or "RSS or Atom (version unknown)"),
        title=_text_construct(feed.get("title_detail"), feed.get("title")),
        language=str(feed["language"]) if feed.get("language") else None,
        items=[_item(entry) for entry in entries],
    )
