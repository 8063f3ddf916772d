"""A feed's bytes to the text a parser may safely read.

Feeds declare their encoding wrongly or not at all, put control characters where XML
allows none, and may carry a DTD built to make a parser expand entities without end.
``decode_feed_bytes`` works out the encoding from the bytes themselves (byte-order
mark, the layout of NUL bytes, then what decodes cleanly, the declaration being only
a hint), ``clean_xml_text`` drops what XML forbids, and ``refuse_entity_declarations``
refuses a DTD that declares entities. The refusal looks at the decoded text: the text
the parser will read, whatever encoding carried it.

``is_feed_document`` tells a feed from other files by the same means, here rather than beside the
feed reader so that telling what a file is does not import the reader (feedparser, the language
detector): a text dropped in the inbox never needs them.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
from dataclasses import dataclass

from newsalert.ingest.errors import FeedParseError
from newsalert.ingest.formats.json_feed import feed_version
from newsalert.ingest.limits import MAX_FEED_BYTES

UTF8 = "utf-8"
BYTE_ORDER_MARKS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
# Declarations that cannot be true of bytes read as ASCII-compatible, and UTF-7, which
# can spell markup without a single "<" byte and has no business in a feed.
_IGNORED_DECLARATIONS = frozenset({"utf-7", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# What "ISO-8859-1" and "US-ASCII" documents really hold, as browsers have long agreed
# (WHATWG Encoding): bytes 0x80-0x9F are Windows-1252 punctuation, not C1 controls.
_READ_AS_WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii"})
_GUESSES = ("cp1252", "latin-1")  # latin-1 decodes any bytes, so the last guess always succeeds
_SNIFF_LENGTH = 512

# Characters XML 1.0 does not allow; character references are checked one by one.
_ILLEGAL_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NUMERIC_REFERENCE = re.compile(r"&#(?:([0-9]{1,16})|[xX]([0-9a-fA-F]{1,16}));")

# Tolerant of case and of white space the XML grammar does not allow: a parser in
# recovery mode may still act on "<! ENTITY".
_DOCTYPE = re.compile(r"<!\s*DOCTYPE", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(
    r"<!\s*ENTITY\s+(?P<parameter>%\s+)?(?P<name>[^\s\"'>%]{1,60})?\s*(?P<external>SYSTEM|PUBLIC)?",
    re.IGNORECASE,
)

# The prolog before the root element: declaration, processing instructions, comments, DOCTYPE.
_PROLOG_PART = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE)
_ROOT_ELEMENT = re.compile(r"\s*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_ROOT_SEARCH_LIMIT = 65_536


@dataclass(frozen=True)
class DecodedFeed:
    text: str
    encoding: str
    """The codec the text was decoded with (``utf-8``, ``utf-16-le``, ``cp1252``...)."""
    guessed: bool
    """True when neither a byte-order mark, nor valid UTF-8, nor a true declaration said it."""


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the NUL bytes of ASCII characters fall."""
    if b"\x00" not in head:
        return None
    length = len(head) - len(head) % 4
    if length < 4:
        return None
    share = [head[offset:length:4].count(0) / (length // 4) for offset in range(4)]
    if min(share[1:]) > 0.9 and share[0] < 0.5:
        return "utf-32-le"
    if min(share[:3]) > 0.9 and share[3] < 0.5:
        return "utf-32-be"
    if min(share[1], share[3]) > 0.6 and max(share[0], share[2]) < 0.3:
        return "utf-16-le"
    if min(share[0], share[2]) > 0.6 and max(share[1], share[3]) < 0.3:
        return "utf-16-be"
    return None


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED_ENCODING.match(data[:_SNIFF_LENGTH])
    if match is None:
        return None
    with contextlib.suppress(LookupError):
        name = codecs.lookup(match.group(1).decode("ascii")).name
        if name not in _IGNORED_DECLARATIONS:
            return "cp1252" if name in _READ_AS_WINDOWS_1252 else name
    return None


def decode_feed_bytes(data: bytes) -> DecodedFeed:
    """The text of a feed document, whatever its encoding and whatever it says its encoding is.

    A byte-order mark decides; then NUL bytes laid out as in UTF-16 or UTF-32; then
    valid UTF-8 is UTF-8 (a document in another encoding is almost never valid UTF-8
    by chance, so this overrules a wrong declaration); then the declared encoding if
    the bytes decode with it; then a non-Latin script's well-known encoding if detection finds
    one (``newsalert.ingest.formats.text_encoding``); then Windows-1252, then Latin-1. The last
    three are guesses, and flagged.
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return DecodedFeed(data[len(mark) :].decode(encoding, errors="replace"), encoding, guessed=False)
    wide = _wide_encoding(data[:_SNIFF_LENGTH])
    if wide is not None:
        return DecodedFeed(data.decode(wide, errors="replace"), wide, guessed=False)
    with contextlib.suppress(UnicodeDecodeError):
        return DecodedFeed(data.decode(UTF8), UTF8, guessed=False)
    declared = _declared_encoding(data)
    if declared is not None and declared != UTF8:
        with contextlib.suppress(UnicodeDecodeError):
            return DecodedFeed(data.decode(declared), declared, guessed=False)
    # Imported here: text_encoding takes its byte-order marks from this module.
    from newsalert.ingest.formats.text_encoding import detect_non_latin_encoding

    detected = detect_non_latin_encoding(data)
    if detected is not None:  # an undeclared Japanese or Russian feed, as article files are read
        return DecodedFeed(data.decode(detected), detected, guessed=True)
    for encoding in _GUESSES:
        with contextlib.suppress(UnicodeDecodeError):
            return DecodedFeed(data.decode(encoding), encoding, guessed=True)
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _is_xml_character(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def _legal_reference(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.groups()
    code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
    return match.group(0) if _is_xml_character(code) else ""


def clean_xml_text(text: str) -> str:
    """The document without what XML 1.0 forbids: control characters, and references to them or past Unicode.

    An XML parser stops at the first of these (and feedparser's lenient fallback
    crashes on ``&#x110000;``); without them the strict parser reads the whole document.
    """
    text = _NUMERIC_REFERENCE.sub(_legal_reference, _ILLEGAL_XML_CHARACTERS.sub("", text))
    # A BOM inside the text, or white space before the XML declaration, is an error to a parser.
    return text.lstrip().removeprefix("\ufeff").lstrip()


def refuse_entity_declarations(text: str) -> None:
    """Raise ``FeedParseError`` if the document's DOCTYPE declares entities.

    Entity declarations are how "billion laughs" expansion and external-entity
    (file or network) reads start, and feeds have no use for them. Any declaration
    after a DOCTYPE is refused, wherever and however it is laid out.
    """
    doctype = _DOCTYPE.search(text)
    if doctype is None:
        return
    declaration = _ENTITY_DECLARATION.search(text, doctype.end())
    if declaration is None:
        return
    name = declaration.group("name") or "?"
    if declaration.group("external"):
        what = f"the external entity {name!r} ({declaration.group('external').upper()}: it would read a file or URL)"
    elif declaration.group("parameter"):
        what = f"the parameter entity {name!r}"
    else:
        what = f"the entity {name!r}"
    raise FeedParseError(f"XML entity declarations are refused: the document's DOCTYPE declares {what}")


def root_element_name(text: str) -> str | None:
    """The local name of the document's root element (``rss``, ``RDF``, ``feed``), or None if it has none."""
    position = 0
    limit = min(len(text), _ROOT_SEARCH_LIMIT)
    while position < limit:
        part = _PROLOG_PART.match(text, position, limit)
        if part is None or part.end() == position:
            break
        position = part.end()
    root = _ROOT_ELEMENT.match(text, position, limit)
    return root.group(1) if root else None


FEED_ROOT_ELEMENTS = frozenset({"rss", "rdf", "feed"})
"""Root elements (lower-cased local names) of RSS 0.9x/2.0, RSS 1.0 and 0.90 (rdf:RDF) and Atom."""


def is_feed_document(data: bytes) -> bool:
    """Whether ``data`` is, by its content, a feed: an RSS, RDF or Atom root element, or a JSON Feed version.

    A quick look for callers that must tell feeds from other files; ``parse_feed``
    still decides whether the feed can be read.
    """
    text = clean_xml_text(decode_feed_bytes(data[:MAX_FEED_BYTES]).text)
    if text.startswith("{"):
        try:
            return feed_version(json.loads(text)) is not None
        except (ValueError, RecursionError):
            return False
    root = root_element_name(text)
    return root is not None and root.lower() in FEED_ROOT_ELEMENTS
