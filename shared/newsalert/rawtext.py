"""Read one article file, raw text or a simple HTML page, into an ``Article``.

A raw text article looks like a page copied out of a news site::

    Dhaka      Sunday, 07 July, 2024          <- dateline: place and date, not the headline
    Xi Jinping holds talks with ...           <- headline: first substantive line
    04 July 2024, 1:29 PM                     <- when it was published, in the outlet's time zone
    International Desk, Bangladesh Global: Chinese President ...   <- body, credit stripped
    ...
    Stay tuned for latest news ...            <- footer boilerplate, dropped

What is outlet-specific (time zone, credit line, footer) comes from the
``SourceProfile`` the catalog matches, never from code here.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from html.parser import HTMLParser
from urllib.parse import urlsplit

from pydantic import ValidationError

from newsalert.errors import ArticleParseError
from newsalert.models import Article
from newsalert.sources import SourceCatalog, SourceProfile
from newsalert.text import PARAGRAPH_SEPARATOR, clean_inline, normalize_unicode, truncate_at_word, unescape_entities
from newsalert.urls import InvalidURLError, canonical_url

MAX_ARTICLE_BYTES = 1_048_576
SUMMARY_LENGTH = 300
MAX_HEADLINE_LENGTH = 300
FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of its arrival an article's time may be before it counts as wrong (clock skew)."""

FLAG_PUBLISHED_MISSING = "published-missing"
FLAG_PUBLISHED_IN_FUTURE = "published-in-future"
FLAG_BODY_MISSING = "body-missing"
FLAG_URL_INVALID = "url-invalid"

# ---------------------------------------------------------------------------
# Publication times
# ---------------------------------------------------------------------------


def settle_published(published: datetime | None, received_at: datetime) -> tuple[datetime, tuple[str, ...]]:
    """The publication time to record, and the flags saying why it is not the one printed.

    A missing time becomes the arrival time; a time more than a few minutes
    after arrival cannot be true (wrong zone, typo) and is clamped to it.
    """
    if published is None:
        return received_at, (FLAG_PUBLISHED_MISSING,)
    if published > received_at + FUTURE_TOLERANCE:
        return received_at, (FLAG_PUBLISHED_IN_FUTURE,)
    return published, ()


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Longest names first, so that "september" is not read as "sep" + "tember".
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATES = (
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # 04 July 2024, 07 July, 2024
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # July 4, 2024
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",  # 2024-07-04
)
_TIME = (
    r"(?:\s*[,|]\s*|\s+at\s+|\s+|T)"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?)?"
    r"(?:\s*(?P<zone>z|utc|gmt|[+-]\d{2}:?\d{2}))?"
)
_LABEL = r"(?:(?:published|posted|updated|last updated|first published)(?:\s+on)?\s*:?\s*)"
# A place is one to three words of letters ("Dhaka", "New Delhi", "Rio de Janeiro").
_PLACE = r"(?P<place>[^\W\d_]+(?:[ .'\u2019-]+[^\W\d_]+){0,2})[,:]?\s+"
_WHEN_LINES = tuple(
    re.compile(rf"(?:{_LABEL}|{_PLACE})?(?:{_WEEKDAY})?{date}(?:{_TIME})?", re.IGNORECASE) for date in _DATES
)
_MAX_WHEN_LINE = 120


@dataclass(frozen=True)
class WhenLine:
    """A line that is only a date, maybe with a time: a dateline or a timestamp line."""

    date: datetime
    """Naive, or aware when the line carried its own offset (Z, UTC, +06:00)."""
    has_time: bool
    place: str | None


def _zone_of(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text.lower() in {"z", "utc", "gmt"}:
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_when_line(line: str) -> WhenLine | None:
    """Read a line that consists of a date (and maybe a time), or return None.

    Accepts "04 July 2024, 1:29 PM", "Thursday, July 4, 2024 13:29",
    "2024-07-04 13:29", ISO 8601 such as "2024-07-04T07:29:00Z", a label
    ("Published: ...") or a place in front ("Dhaka Sunday, 07 July, 2024").
    """
    text = line.strip()
    if len(text) > _MAX_WHEN_LINE:
        return None
    for pattern in _WHEN_LINES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        month_text = parts["month"].lower()
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text]
        hour = int(parts["hour"] or 0)
        if parts["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if parts["ampm"].lower() == "p" else 0)
        try:
            when = datetime(
                int(parts["year"]),
                month,
                int(parts["day"]),
                hour,
                int(parts["minute"] or 0),
                int(parts["second"] or 0),
                tzinfo=_zone_of(parts["zone"]),
            )
        except ValueError:  # 31 June, 25:00...
            return None
        return WhenLine(date=when, has_time=parts["hour"] is not None, place=parts["place"])
    return None


def localize(when: datetime, profile: SourceProfile) -> datetime:
    """An aware UTC time: a naive time is read in the outlet's time zone."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=profile.zone)
    return when.astimezone(UTC)


def parse_timestamp(text: str, profile: SourceProfile) -> datetime | None:
    """A time written in ISO 8601 or one of the formats of ``parse_when_line``, in UTC; None if unreadable."""
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        line = parse_when_line(text)
        if line is None:
            return None
        when = line.date
    return localize(when, profile)


# ---------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------

_BINARY_SIGNATURES = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"Rar!",
    b"7z\xbc\xaf",
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._-]{1,40})""", re.IGNORECASE)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_article_bytes(data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> DecodedText:
    """Decode an article file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252, else latin-1.

    Refuses empty, oversized and binary files with an ``ArticleParseError``.
    """
    if len(data) > max_bytes:
        raise ArticleParseError(f"article exceeds {max_bytes} bytes (got {len(data)})")
    if not data.strip(b" \t\r\n\x0b\x0c" + codecs.BOM_UTF8):
        raise ArticleParseError("file is empty")
    if data.startswith(_BINARY_SIGNATURES):
        raise ArticleParseError("file is not text (binary content)")
    if data.startswith(_UTF16_BOMS):
        try:
            return DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise ArticleParseError("file is not text (binary content)") from None
    if b"\x00" in data:
        raise ArticleParseError("file is not text (binary content)")
    decoded = _decode_8bit(data)
    # Latin-1 decodes any bytes at all, so binary data shows up only as a
    # text full of control characters.
    if len(_CONTROL_CHARACTERS.findall(decoded.text)) > max(2, len(decoded.text) // 100):
        raise ArticleParseError("file is not text (binary content)")
    return decoded


def _decode_8bit(data: bytes) -> DecodedText:
    declared = _DECLARED_CHARSET.search(data[:4096])
    candidates = ["utf-8-sig"]
    if declared:
        # An unknown charset name is ignored: the usual guesses follow.
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(declared.group(1).decode("ascii")).name)
    candidates += ["cp1252", "latin-1"]
    for encoding in candidates:
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _encoding_flags(encoding: str) -> tuple[str, ...]:
    # A file that is not UTF-8 may have been decoded wrongly; say so to operators.
    return () if encoding in {"utf-8-sig", "utf-8", "utf-16"} else (f"decoded-as-{encoding}",)


# ---------------------------------------------------------------------------
# Raw text articles
# ---------------------------------------------------------------------------


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


def _looks_like_headline(line: str) -> bool:
    return sum(character.isalpha() for character in line) >= 3


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
        if not _looks_like_headline(line.text):
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


def _body_paragraphs(paragraphs: list[str], profile: SourceProfile) -> list[str]:
    if paragraphs:
        paragraphs = [profile.strip_credit(paragraphs[0]), *paragraphs[1:]]
    return [paragraph for paragraph in paragraphs if paragraph]


def _build_article(
    *,
    title: str,
    profile: SourceProfile,
    source_name: str,
    published: datetime | None,
    received_at: datetime,
    paragraphs: list[str],
    url: str | None = None,
    summary: str | None = None,
    language: str | None = None,
    flags: tuple[str, ...] = (),
) -> Article:
    settled, time_flags = settle_published(published, received_at)
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    if summary is None:
        summary = truncate_at_word(paragraphs[0], SUMMARY_LENGTH) if paragraphs else ""
    all_flags = flags + time_flags + (() if body else (FLAG_BODY_MISSING,))
    try:
        return Article.create(
            title=title,
            source=source_name,
            published=settled,
            received_at=received_at,
            url=url,
            summary=summary,
            body=body,
            language=language or profile.language,
            flags=all_flags,
        )
    except (ValidationError, InvalidURLError) as error:
        raise ArticleParseError(f"article is not valid: {error}") from None


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
    return _build_article(
        title=header.title,
        profile=profile,
        source_name=profile.name,
        published=header.published,
        received_at=received_at,
        paragraphs=_body_paragraphs(_paragraphs(lines[header.body_start :]), profile),
        flags=_encoding_flags(decoded.encoding),
    )


# ---------------------------------------------------------------------------
# HTML article pages
# ---------------------------------------------------------------------------

_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})
# Page furniture whose paragraphs are not the article's.
_FURNITURE = frozenset({"nav", "footer", "aside", "form", "menu", "dialog"})
_PARAGRAPH_ENDS = frozenset({"p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})


@dataclass
class _Paragraph:
    text: str
    in_article: bool


class _ArticlePageParser(HTMLParser):
    """Collects what an article page says about itself: headline, times, links, paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.h1_in_article = False
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.time_datetime: str | None = None
        self.lang: str | None = None
        self.paragraphs: list[_Paragraph] = []
        self._hidden = 0
        self._furniture = 0
        self._article = 0
        self._in_title = False
        self._h1_parts: list[str] | None = None
        self._paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _FURNITURE:
            self._furniture += 1
        elif tag == "article":
            self._article += 1
        if tag in _PARAGRAPH_ENDS:
            self._end_paragraph()
        if tag == "html" and attributes.get("lang"):
            self.lang = attributes["lang"]
        elif tag == "title":
            self._in_title = True
        elif tag == "h1" and not self.h1_in_article:
            self._h1_parts = []
        elif tag == "p":
            self._paragraph = []
        elif tag == "br" and self._paragraph is not None:
            self._paragraph.append(" ")
        elif tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").lower()
            if key and "content" in attributes:
                self.meta.setdefault(key, attributes["content"])
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.canonical = self.canonical or attributes.get("href")
        elif tag == "time" and attributes.get("datetime") and self.time_datetime is None:
            self.time_datetime = attributes["datetime"]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN | _FURNITURE | {"article"}:  # a self-closed element opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _PARAGRAPH_ENDS:
            self._end_paragraph()
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _FURNITURE:
            self._furniture = max(0, self._furniture - 1)
        elif tag == "article":
            self._article = max(0, self._article - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "h1" and self._h1_parts is not None:
            text = clean_inline("".join(self._h1_parts))
            # The article's own <h1> beats one in the page header (often the site's logo).
            if text and (not self.h1 or self._article):
                self.h1, self.h1_in_article = text, self._article > 0
            self._h1_parts = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._in_title:
            self.title += data
        if self._h1_parts is not None:
            self._h1_parts.append(data)
        if self._paragraph is not None and not self._furniture:
            self._paragraph.append(data)

    def _end_paragraph(self) -> None:
        if self._paragraph is not None:
            text = clean_inline("".join(self._paragraph))
            if text:
                self.paragraphs.append(_Paragraph(text, in_article=self._article > 0))
            self._paragraph = None

    def close(self) -> None:
        super().close()
        self._end_paragraph()


def _page_title(page: _ArticlePageParser, site_name: str | None) -> str | None:
    for candidate in (page.h1, clean_inline(page.meta.get("og:title", ""))):
        if _looks_like_headline(candidate):
            return candidate
    title = clean_inline(page.title)
    # "<title>Headline | Site</title>": the site name is not part of the headline.
    if site_name:
        for separator in (" | ", " - ", " \u2013 ", " \u2014 "):
            suffix = separator + site_name
            if title.lower().endswith(suffix.lower()):
                title = title[: -len(suffix)].rstrip()
    return title if _looks_like_headline(title) else None


def _page_url(page: _ArticlePageParser) -> tuple[str | None, tuple[str, ...]]:
    for candidate in (page.canonical, page.meta.get("og:url")):
        if candidate:
            try:
                return canonical_url(candidate), ()
            except InvalidURLError:
                return None, (FLAG_URL_INVALID,)
    return None, ()


def _page_language(page: _ArticlePageParser) -> str | None:
    declared = (page.lang or "").strip().replace("_", "-")
    primary, _, region = declared.partition("-")
    language = primary.lower() + (f"-{region}" if region else "")
    return language if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", language) else None


def parse_html_article(
    data: bytes,
    *,
    received_at: datetime,
    origin: str,
    catalog: SourceCatalog,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Article:
    """Parse a simple HTML article page (one article, not a listing).

    Headline from ``<h1>``, ``og:title`` or ``<title>``; time from
    ``article:published_time`` or the first ``<time datetime>``; URL from
    ``<link rel="canonical">`` or ``og:url``; text from the ``<p>`` elements
    (those inside ``<article>`` when there are any, never those in navigation
    or footers).
    """
    decoded = decode_article_bytes(data, max_bytes=max_bytes)
    page = _ArticlePageParser()
    page.feed(decoded.text)
    page.close()

    url, url_flags = _page_url(page)
    found = catalog.find(decoded.text, hint=url or origin)
    profile = found or catalog.default
    site_name = clean_inline(page.meta.get("og:site_name", "")) or None
    host = urlsplit(url).hostname if url else None
    source_name = found.name if found else site_name or (host.removeprefix("www.") if host else profile.name)

    title = _page_title(page, site_name or source_name)
    if title is None:
        raise ArticleParseError("no headline found (no <h1>, og:title or <title> with text)")
    if len(title) > MAX_HEADLINE_LENGTH:
        raise ArticleParseError(f"no headline found: the headline is {len(title)} characters long")

    published_text = page.meta.get("article:published_time") or page.meta.get("datepublished") or page.time_datetime
    published = parse_timestamp(published_text, profile) if published_text else None

    chosen = [p for p in page.paragraphs if p.in_article] or page.paragraphs
    texts = [p.text for p in chosen if not profile.is_boilerplate(p.text)]
    cut = next((index for index, text in enumerate(texts) if profile.ends_article(text)), len(texts))
    paragraphs = _body_paragraphs(texts[:cut], profile)
    description = clean_inline(page.meta.get("og:description") or page.meta.get("description") or "")

    return _build_article(
        title=title,
        profile=profile,
        source_name=source_name,
        published=published,
        received_at=received_at,
        paragraphs=paragraphs,
        url=url,
        summary=truncate_at_word(description, SUMMARY_LENGTH) if description else None,
        language=_page_language(page),
        flags=url_flags + _encoding_flags(decoded.encoding),
    )
