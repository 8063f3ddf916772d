"""Read a raw text article file into an ``Article``.

A raw text article looks like a page copied out of a news site::

    Dhaka      Sunday, 07 July, 2024          <- dateline: place and date, not the headline
    Xi Jinping holds talks with ...           <- headline: first substantive line
    04 July 2024, 1:29 PM                     <- when it was published, in the outlet's time zone
    International Desk, Bangladesh Global: Chinese President ...   <- body, credit stripped
    ...
    Stay tuned for latest news ...            <- footer boilerplate, dropped

What is outlet-specific (time zone, credit line, footer) comes from the
``SourceProfile`` the catalog matches, never from code here. HTML pages are
``newsalert.ingest.formats.html_page``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from newsalert.ingest.cleaning import clean_inline, normalize_unicode, unescape_entities
from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.article_file import (
    MAX_ARTICLE_BYTES,
    MAX_HEADLINE_LENGTH,
    body_paragraphs,
    build_article,
    decode_article_bytes,
    encoding_flags,
    looks_like_headline,
)
from newsalert.ingest.published import localize, parse_when_line
from newsalert.ingest.sources import SourceCatalog, SourceProfile
from newsalert.models import Article


@dataclass(frozen=True)
class _Line:
    text: str
    block: int
    """Which blank-line-separated block the line belongs to."""


def _article_lines(text: str, profile: SourceProfile) -> list[_Line]:
    """The lines that belong to the article: cleaned, boilerplate dropped, cut at the footer."""
    lines: list[_Line] = []
    block = 0
    for raw in normalize_unicode(unescape_entities(text)).split("\n"):
        line = clean_inline(raw)
        if not line:
            block += 1
            continue
        if profile.ends_article(line):
            break
        if not profile.is_boilerplate(line):
            lines.append(_Line(line, block))
    return lines


@dataclass(frozen=True)
class _Header:
    title: str
    published: datetime | None
    body_start: int


def _read_header(lines: list[_Line], profile: SourceProfile) -> _Header:
    """Find the headline and the timestamp line among the lines before the body."""
    title: str | None = None
    published: datetime | None = None
    for index, line in enumerate(lines):
        when = parse_when_line(line.text)
        if when is not None:
            # A date alone (a dateline) says when the page was printed, not
            # when the article was published, so only a time counts.
            if when.has_time and published is None:
                published = localize(when.date, profile)
            continue
        if title is not None:
            return _Header(title, published, index)
        if not looks_like_headline(line.text):
            continue
        if len(line.text) > MAX_HEADLINE_LENGTH:
            raise ArticleParseError(
                f"no headline found: the first line of text is {len(line.text)} characters long, "
                f"more than a headline's {MAX_HEADLINE_LENGTH}"
            )
        title = line.text
    if title is None:
        raise ArticleParseError("no headline found")
    return _Header(title, published, len(lines))


_SENTENCE_END = re.compile(r"[.!?:\"\u201d\u2019)]$")


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Group lines into paragraphs: a blank line or a line ending a sentence closes one.

    Lines that stop mid-sentence are hard-wrapped text and are joined, so both
    one-paragraph-per-line files and wrapped files come out right.
    """
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and line.block == previous.block and not _SENTENCE_END.search(previous.text):
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


def parse_raw_article(
    data: bytes,
    *,
    received_at: datetime,
    origin: str,
    catalog: SourceCatalog,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Article:
    """Parse a raw text article file; ``origin`` (file name or S3 key) helps find its source.

    Raises ``ArticleParseError`` with a specific reason when the file cannot
    give an article with a headline.
    """
    decoded = decode_article_bytes(data, max_bytes=max_bytes)
    profile = catalog.match(decoded.text, hint=origin)
    lines = _article_lines(decoded.text, profile)
    header = _read_header(lines, profile)
    return build_article(
        title=header.title,
        profile=profile,
        source_name=profile.name,
        published=header.published,
        received_at=received_at,
        paragraphs=body_paragraphs(_paragraphs(lines[header.body_start :]), profile),
        flags=encoding_flags(decoded),
    )
