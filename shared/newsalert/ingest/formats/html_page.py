"""Read a simple HTML article page (one article, not a listing) into an ``Article``.

The page says most of what we need about itself: its headline (``<h1>``, ``og:title``,
``<title>``), when it was published (``article:published_time``, ``<time datetime>``),
where it lives (``<link rel="canonical">``, ``og:url``) and its language. The text is
the page's ``<p>`` elements, those inside ``<article>`` when there are any, never those
of navigation, asides or footers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from newsalert.flags import FLAG_URL_INVALID
from newsalert.ingest.cleaning import clean_inline
from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.article_file import (
    MAX_ARTICLE_BYTES,
    body_paragraphs,
    build_article,
    decode_article_bytes,
    encoding_flags,
    looks_like_headline,
)
from newsalert.ingest.published import parse_timestamp
from newsalert.ingest.sources import SourceCatalog
from newsalert.models import Article
from newsalert.urls import InvalidURLError, canonical_url

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
        if looks_like_headline(candidate):
            return candidate
    title = clean_inline(page.title)
    # "<title>Headline | Site</title>": the site name is not part of the headline.
    if site_name:
        for separator in (" | ", " - ", " \u2013 ", " \u2014 "):
            suffix = separator + site_name
            if title.lower().endswith(suffix.lower()):
                title = title[: -len(suffix)].rstrip()
    return title if looks_like_headline(title) else None


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

    published_text = page.meta.get("article:published_time") or page.meta.get("datepublished") or page.time_datetime
    published = parse_timestamp(published_text, profile) if published_text else None

    chosen = [p for p in page.paragraphs if p.in_article] or page.paragraphs
    texts = [p.text for p in chosen if not profile.is_boilerplate(p.text)]
    cut = next((index for index, text in enumerate(texts) if profile.ends_article(text)), len(texts))
    paragraphs = body_paragraphs(texts[:cut], profile)
    description = clean_inline(page.meta.get("og:description") or page.meta.get("description") or "")

    return build_article(
        title=title,
        profile=profile,
        source_name=source_name,
        published=published,
        received_at=received_at,
        paragraphs=paragraphs,
        url=url,
        summary=description or None,  # capped by build_article, as every summary is
        language=_page_language(page),
        flags=url_flags + encoding_flags(decoded),
    )
