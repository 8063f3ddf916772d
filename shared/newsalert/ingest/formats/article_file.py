"""What raw text and HTML article files have in common: their bytes, and the article they make.

``decode_article_bytes`` turns a file into text (refusing empty, oversized and binary
files); ``build_article`` turns the parts a parser found into an ``Article`` with its
publication time settled and its doubts flagged. The parsers themselves are
``newsalert.ingest.formats.raw_text`` and ``newsalert.ingest.formats.html_page``.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from newsalert.flags import FLAG_BODY_MISSING, flag_decoded_as
from newsalert.ingest.cleaning import PARAGRAPH_SEPARATOR, capped, truncate_at_word
from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.limits import (
    MAX_ARTICLE_FILE_BYTES,
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
        raise ArticleParseError(size_refusal("the article file", len(data), max_bytes))
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


def encoding_flags(encoding: str) -> tuple[str, ...]:
    """The flags of a file decoded as ``encoding``: none for UTF-8 or UTF-16."""
    # A file that is not UTF-8 may have been decoded wrongly; say so to operators.
    return () if encoding in {"utf-8-sig", "utf-8", "utf-16"} else (flag_decoded_as(encoding),)


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
    body, body_cut = capped(PARAGRAPH_SEPARATOR.join(paragraphs), MAX_BODY_LENGTH)
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
