"""What raw text and HTML article files have in common: their bytes, and the article they make.

``decode_article_bytes`` turns a file into text (refusing empty, oversized and binary
files); ``build_article`` turns the parts a parser found into an ``Article`` with its
publication time settled and its doubts flagged. The parsers themselves are
``newsalert.ingest.formats.raw_text`` and ``newsalert.ingest.formats.html_page``.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime

from pydantic import ValidationError

from newsalert.flags import FLAG_BODY_MISSING
from newsalert.ingest.cleaning import PARAGRAPH_SEPARATOR, capped, truncate_at_word
from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.text_encoding import DecodedText, decode_text, first_non_utf8_byte
from newsalert.ingest.limits import (
    MAX_ARTICLE_FILE_BYTES,
    MAX_BODY_BYTES,
    MAX_BODY_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_TITLE_LENGTH,
    size_refusal,
)
from newsalert.ingest.published import settle_published
from newsalert.ingest.sources import SourceProfile
from newsalert.models import Article
from newsalert.urls import InvalidURLError

# The caps every article gets, whatever it came in as (newsalert.ingest.limits says why these).
MAX_ARTICLE_BYTES = MAX_ARTICLE_FILE_BYTES
SUMMARY_LENGTH = MAX_SUMMARY_LENGTH
MAX_HEADLINE_LENGTH = MAX_TITLE_LENGTH

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
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)  # UTF-32 LE begins as UTF-16 LE
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_article_bytes(data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> DecodedText:
    """Decode an article file in its encoding (``newsalert.ingest.formats.text_encoding`` says how it is found).

    Refuses empty, oversized and binary files, and files their own encoding cannot read, with
    an ``ArticleParseError`` that says which.
    """
    if len(data) > max_bytes:
        raise ArticleParseError(size_refusal("the article file", len(data), max_bytes))
    if not data.strip(b" \t\r\n\x0b\x0c" + codecs.BOM_UTF8):
        raise ArticleParseError("file is empty")
    if data.startswith(_BINARY_SIGNATURES) or (b"\x00" in data and not data.startswith(_WIDE_BOMS)):
        raise ArticleParseError("file is not text (binary content)")
    decoded = decode_text(data)
    # Latin-1 decodes any bytes at all, so binary data shows up only as a
    # text full of control characters.
    if len(_CONTROL_CHARACTERS.findall(decoded.text)) > max(2, len(decoded.text) // 100):
        where = first_non_utf8_byte(data)
        detail = f": {where}, and read as {decoded.encoding} it is mostly control characters" if where else ""
        raise ArticleParseError(f"file is not text (binary content){detail}")
    return decoded


def encoding_flags(decoded: DecodedText) -> tuple[str, ...]:
    """The flags of a decoded file: ``decoded-as-<encoding>`` when its encoding was a guess."""
    return decoded.flags


# ---------------------------------------------------------------------------
# Parts to an article
# ---------------------------------------------------------------------------


def looks_like_headline(line: str) -> bool:
    """Whether a line has words enough to be a headline, rather than a rule, a number or a symbol."""
    return sum(character.isalpha() for character in line) >= 3


def body_paragraphs(paragraphs: list[str], profile: SourceProfile) -> list[str]:
    """The paragraphs of the body: the outlet's credit cut from the first, empty ones dropped."""
    if paragraphs:
        paragraphs = [profile.strip_credit(paragraphs[0]), *paragraphs[1:]]
    return [paragraph for paragraph in paragraphs if paragraph]


def build_article(
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
    """The article from the parts a file parser found; ``ArticleParseError`` if they do not make one.

    Without a ``summary`` the first paragraph, shortened, is the summary; without a
    ``language`` the outlet's is. Title, summary and body are capped as every article's are
    (``newsalert.ingest.limits``, cut at a word and flagged ``text-truncated``), so that a
    900 KB file gives an article that fits a queue message, as a pushed one does.
    """
    settled, time_flags = settle_published(published, received_at)
    title, title_cut = capped(title, MAX_TITLE_LENGTH)
    body, body_cut = capped(PARAGRAPH_SEPARATOR.join(paragraphs), MAX_BODY_LENGTH, max_bytes=MAX_BODY_BYTES)
    if summary is None:
        summary = truncate_at_word(paragraphs[0], MAX_SUMMARY_LENGTH) if paragraphs else ""
    summary, summary_cut = capped(summary, MAX_SUMMARY_LENGTH)
    cuts = tuple(dict.fromkeys(title_cut + summary_cut + body_cut))
    all_flags = flags + time_flags + cuts + (() if body else (FLAG_BODY_MISSING,))
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
            source_timezone=profile.timezone,
            source_priority=profile.priority,
        )
    except (ValidationError, InvalidURLError) as error:
        raise ArticleParseError(f"article is not valid: {error}") from None
