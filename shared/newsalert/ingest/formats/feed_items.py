"""What a feed says, as its reader found it, before newsalert normalises it.

The XML reader (``newsalert.ingest.formats.rss_atom``, on feedparser) and the JSON Feed reader
(``newsalert.ingest.formats.json_feed``) both give a ``RawFeed``, so that one piece of code
(``newsalert.ingest.formats.feed_document``) turns items of every format into articles in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RawText:
    """A text as the feed gave it: markup (HTML) or plain text, not yet cleaned."""

    value: str
    is_html: bool


@dataclass(frozen=True)
class RawDate:
    """A date as the feed wrote it, and the reader's own reading of it (UTC), if it has one."""

    text: str
    reading: datetime | None = None


@dataclass(frozen=True)
class RawItem:
    title: RawText | None
    link: str | None
    """As written: it may be relative to the feed's URL."""
    summary: RawText | None
    content: RawText | None
    dates: tuple[RawDate, ...]
    """Publication date first, then the dates of update and creation: the first readable one counts."""
    language: str | None
    snippet: str
    """The start of what the item held, for an operator to recognise it if it is rejected."""


@dataclass(frozen=True)
class UnreadableItem:
    """An item the reader could not read at all (a JSON Feed item that is not an object...)."""

    reason: str
    snippet: str


@dataclass(frozen=True)
class RawFeed:
    format: str
    """The format and version, as an operator names it: ``RSS 2.0``, ``Atom 1.0``, ``JSON Feed 1.1``."""
    title: RawText | None
    language: str | None
    items: list[RawItem | UnreadableItem]
