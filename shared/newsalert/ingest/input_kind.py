"""What kind of input a document is: the one rule that ingest, ``parse``, ``classify`` and ``simulate`` share.

The content decides; the file name's suffix is only a hint, used when the content does not
say. In order:

1. A feed root element (RSS, RDF, Atom) or a JSON Feed version: a **feed**, whatever the
   name (``feed.php``, ``rss.txt``, ``news.json``).
2. A known binary format (PDF, an image, an archive, an office file): refused as what it is,
   with ``UnsupportedInputError``, instead of being read as text.
3. JSON (an object, a list, or JSON lines): **json**, pushed articles. A document that only
   starts like JSON (``[Update] Minister resigns``) is JSON when its name says so, so that the
   JSON reader explains what is wrong, and text otherwise.
4. Markup that starts like a page (``<!DOCTYPE html>``, ``<html>``, ``<p>``...), or any markup
   in a file named as a page (``.html``, ``.htm``, ``.xhtml``): **html**.
5. Other markup, or a document named as a feed (``.xml``, ``.rss``, ``.atom``, ``.rdf``):
   **feed**, so that the feed reader says why it cannot be read.
6. Anything else named as JSON: **json**, for the same reason.
7. The rest is a raw **text** article, whatever its name (``.txt``, ``.md``, no suffix, or
   ``.html`` holding plain text).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal

from newsalert.ingest.errors import UnsupportedInputError
from newsalert.ingest.formats.bounded_json import JsonTooDeepError, load_json
from newsalert.ingest.formats.feed_decoding import is_feed_document, root_element_name

InputKind = Literal["feed", "text", "html", "json"]
INPUT_KINDS: tuple[InputKind, ...] = ("feed", "text", "html", "json")

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
_HEAD_BYTES = 4096
_PAGE_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|article|h1|p)[\s>/]", re.IGNORECASE)

# The first bytes of formats people drop by mistake, and what to call them.
_BINARY_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive (or a Word, Excel or EPUB file, which are ZIP archives)"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word, Excel or PowerPoint file"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF8", "a GIF image"),
    (8, b"WEBP", "a WebP image"),
    (4, b"ftyp", "a video or audio file (MP4 family)"),
    (0, b"ID3", "an MP3 file"),
    (0, b"\x7fELF", "a program (ELF executable)"),
)
UNSUPPORTED_ADVICE = "newsalert reads raw text and HTML articles, feeds (RSS, Atom, JSON Feed) and JSON articles"


def suffix_of(name: str) -> str:
    """The lower-cased suffix of a file name, an S3 key or a URL's path (``""`` when there is none)."""
    return PurePosixPath(name).suffix.lower()


def input_kind(data: bytes, name: str = "") -> InputKind:
    """What ``data`` is, by its content, with ``name`` (a file name, key or URL path) as a hint.

    Raises ``UnsupportedInputError`` for a known binary format, naming it.
    """
    suffix = suffix_of(name)
    if is_feed_document(data):
        return "feed"
    binary = _binary_format(data)
    if binary is not None:
        raise UnsupportedInputError(f"{binary} is not an article: {UNSUPPORTED_ADVICE}")
    head = _head_text(data)
    if head.startswith(("{", "[")) and (suffix in JSON_SUFFIXES or _is_json(data)):
        return "json"
    if _starts_like_a_page(head) or (head.startswith("<") and suffix in HTML_SUFFIXES):
        return "html"
    if head.startswith("<") or suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in JSON_SUFFIXES:
        return "json"
    return "text"


def _binary_format(data: bytes) -> str | None:
    return next(
        (described for offset, magic, described in _BINARY_SIGNATURES if data[offset : offset + len(magic)] == magic),
        None,
    )


def _head_text(data: bytes) -> str:
    """The start of the document as text, enough to recognise what it is."""
    head = data[:_HEAD_BYTES]
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")


def _is_json(data: bytes) -> bool:
    """Whether the document is JSON, or JSON lines (its first line is a JSON value).

    JSON nested too deeply to read counts as JSON: its reader then says so.
    """
    text = data.decode("utf-8-sig", errors="replace")
    for candidate in (text, text.strip().split("\n", 1)[0]):
        try:
            load_json(candidate)
        except JsonTooDeepError:
            return True
        except ValueError:
            continue
        return True
    return False


def _starts_like_a_page(head: str) -> bool:
    root = root_element_name(head)  # past any XML declaration, comments and DOCTYPE
    return (root or "").lower() == "html" or _PAGE_START.match(head) is not None
