"""Text cleaning shared by every parser: markup, entities, Unicode, white space.

Titles and summaries come out as one line; bodies as paragraphs separated by
one blank line. Typography the reader sees (curly quotes, dashes, accents) is
kept; invisible noise (non-breaking and other Unicode spaces, control
characters, zero-width characters) is not.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.entities import html5 as html5_entities
from html.parser import HTMLParser

from newsalert.flags import FLAG_TEXT_TRUNCATED

PARAGRAPH_SEPARATOR = "\n\n"

# Everything Unicode treats as a line or paragraph break becomes "\n".
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Control characters that carry no text, and format characters that are
# invisible in running text (zero-width space, word joiner, byte order mark,
# soft hyphen). Tab and newline are handled as white space instead.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u200b\u2060\ufeff]")
# Any white space except the newline: tabs, no-break spaces, thin spaces...
_SPACES_EXCEPT_NEWLINE = re.compile(r"[^\S\n]+")
# Any character the three patterns above would change (a lone " " or "\n" is left as it is), as one
# character class: a class is scanned much faster than an alternation. Unicode's white space
# all lies below U+3001.
_ODD_SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace() and chr(code) not in " \n")
_NEEDS_CLEANING = re.compile("[" + re.escape(_ODD_SPACES) + _INVISIBLE.pattern[1:])
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Only well-formed references (with their semicolon): a bare "&" in plain text,
# as in "R&D" or "AT&T", stays as it is.
_ENTITY_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Elements whose content is never text a reader sees.
_HIDDEN_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"})
# Elements that start a new paragraph.
_BLOCK_ELEMENTS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)


def normalize_unicode(text: str) -> str:
    """Compose characters (NFC), unify line breaks and spaces, drop invisible characters.

    NFC rather than NFKC: NFKC would also rewrite characters a reader sees,
    such as ligatures, superscripts and full-width forms. Curly quotes and
    dashes are left alone by both.
    """
    text = unicodedata.normalize("NFC", text)
    # Most text needs none of the substitutions below, and looking is far cheaper than
    # substituting (every single space would be "replaced" by itself).
    if "  " not in text and not _NEEDS_CLEANING.search(text):
        return text
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES_EXCEPT_NEWLINE.sub(" ", text)


def _resolve_reference(match: re.Match[str]) -> str:
    reference = match.group(0)
    if reference.startswith("&#"):
        return html.unescape(reference)
    # Only a name HTML defines in full: html.unescape would read "&notice;" as "¬ice;".
    return html5_entities.get(reference[1:], reference)


def unescape_entities(text: str) -> str:
    """Resolve HTML character references such as ``&amp;``, ``&#36;`` or ``&#x2019;`` in plain text."""
    return _ENTITY_REFERENCE.sub(_resolve_reference, text)


def clean_inline(text: str) -> str:
    """One line of text: normalised, every run of white space (newlines too) turned into one space."""
    return " ".join(normalize_unicode(text).split())


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text (separated by blank lines), each cleaned to one line; empty ones dropped."""
    # The text is normalised once, as a whole; each paragraph then only needs its white space collapsed.
    cleaned = (" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(normalize_unicode(text)))
    return [paragraph for paragraph in cleaned if paragraph]


def clean_body(text: str) -> str:
    """Body text: paragraphs kept (one blank line between them), white space collapsed within each."""
    return PARAGRAPH_SEPARATOR.join(split_paragraphs(text))


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, with paragraph breaks at block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities, numeric ones too, come back resolved
        self.chunks: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_ELEMENTS:
            self._hidden_depth += 1
        elif tag == "br":
            self.chunks.append("\n")
        elif tag in _BLOCK_ELEMENTS:
            self.chunks.append(PARAGRAPH_SEPARATOR)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closed <script/> opens nothing, so it must not hide what follows.
        if tag not in _HIDDEN_ELEMENTS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_ELEMENTS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.chunks.append(PARAGRAPH_SEPARATOR)

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.chunks.append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment, as body text (paragraphs separated by a blank line).

    Tags are removed with a real HTML parser, so a ``>`` inside an attribute
    or a comment cannot leak markup into the text; scripts and styles are
    dropped with their content; entities are resolved.
    """
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return clean_body("".join(extractor.chunks))


def html_to_line(markup: str) -> str:
    """The visible text of an HTML fragment on one line (for titles)."""
    return " ".join(html_to_text(markup).split())


# A tag or a character reference still standing in text that was already unescaped once.
_LEFTOVER_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|" + _ENTITY_REFERENCE.pattern)
MAX_ESCAPE_LAYERS = 2
"""How many extra layers of escaping ``peel_escaped_markup`` removes; more is not a slip but a puzzle."""


def peel_escaped_markup(text: str) -> str:
    """Body text without the markup and references of text that was escaped twice or three times.

    Feeds often escape their HTML once too often: ``&amp;amp;`` arrives as ``&amp;`` and
    ``&amp;lt;b&amp;gt;`` as ``<b>`` once the XML is read. Such leftovers are read as
    HTML again, at most ``MAX_ESCAPE_LAYERS`` times. Paragraphs are kept.
    """
    for _ in range(MAX_ESCAPE_LAYERS):
        if not _LEFTOVER_MARKUP.search(text):
            break
        text = html_to_text(text)
    return text


def truncate_at_word(text: str, limit: int = 300, ellipsis: str = "…") -> str:
    """Shorten ``text`` to at most ``limit`` characters, cutting between words and marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    last_space = cut.rfind(" ")
    # Cut at a word boundary unless that would throw away most of the room
    # (one very long "word", such as a URL).
    if last_space > limit // 2:
        cut = cut[:last_space]
    return cut.rstrip(" ,;:\u2013\u2014-") + ellipsis


def capped(text: str, limit: int, *, max_bytes: int | None = None) -> tuple[str, tuple[str, ...]]:
    """``text`` cut at a word to ``limit`` characters, flagged ``text-truncated`` when it was cut.

    With ``max_bytes``, also to that many bytes of UTF-8: a character limit alone lets text in
    a script of three-byte characters (Japanese, Chinese) take three times the room.
    """
    if max_bytes is not None and len(text) * 4 > max_bytes:  # only then can it be over
        encoded = text.encode("utf-8")
        if len(encoded) > max_bytes:
            # The characters that fit, the ellipsis's three bytes kept free.
            limit = min(limit, len(encoded[: max_bytes - 3].decode("utf-8", errors="ignore")))
    if len(text) <= limit:
        return text, ()
    return truncate_at_word(text, limit), (FLAG_TEXT_TRUNCATED,)
