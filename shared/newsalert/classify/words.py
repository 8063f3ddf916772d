"""An article's text cut into words once, so that every topic and entity can look words up.

Classify asks hundreds of questions of one article ("is 'sanctions' in it? 'Shanghai
Cooperation Organisation'? 'SCO' in capitals, near 'summit'?"). Running a regular
expression per question would read the text hundreds of times; instead the text is read
once, here, into words with their positions, and every question becomes a dictionary
lookup.

An article has three **zones**, each with its weight in the score and its ``field:`` scope:

* ``title``: the headline;
* ``lead``: the summary or, without one, the first paragraph of the body;
* ``body``: the body (after its first paragraph, when that paragraph is the lead, so that
  no sentence is read twice).

Words are runs of letters and digits (``\\w+``, with the combining marks of Indic and Arabic
script), except that each Han character is a word of its own (Chinese has no spaces);
punctuation and white space only separate them, so "China-Russia" (with any dash) is the two
words ``China Russia`` and "Putin's" is ``Putin s``. A comma, semicolon or colon (in any script)
between two words is a clause break: a phrase does not run across it (``Zone.broken``).
Text inside links (``https://...``, ``www...``, ``example.com/sco/...``) is blanked before
cutting: a URL's path is not the article saying something.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import accumulate
from types import MappingProxyType
from typing import Literal

ZoneName = Literal["title", "lead", "body"]
ScopeName = Literal["title", "lead", "body", "subject"]
"""Where a query term may look: one zone, or ``subject``, the headline and the lead together (what
an article is about, as against what its body mentions on the way)."""
FieldName = Literal["title", "summary", "body"]
"""The article field a zone's offsets point into (the names evidence uses)."""

TITLE, LEAD, BODY = 0, 1, 2
"""Zone numbers: a ``TextIndex`` always has these three zones, in reading order."""
ZONE_NAMES: tuple[ZoneName, ZoneName, ZoneName] = ("title", "lead", "body")

# The capturing group makes split() return separators and words alternately, so one pass gives
# the words and, by adding up lengths, their offsets.
#
# Two cases \w alone gets wrong:
# - Han characters: Chinese writes no spaces, so a sentence would be one "word" and no name could
#   be found inside it. Each Han character is a word of its own; a Chinese name is then the phrase
#   of its characters ("上合组织" is four words in a row), found wherever it stands.
# - Combining marks: the vowel signs and viramas of Devanagari and Bengali, Arabic vowel marks and
#   the Persian zero-width non-joiner are not \w, and would cut "नाटो" into "न" and "ट". They are
#   part of the word (the Indic blocks' dandas, punctuation, are not).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MARKS = "\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff\u200c"
_WORDS = re.compile(rf"([{_HAN}]|(?:[^\W{_HAN}]|[{_MARKS}])+)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Clause breaks: comma, semicolon and colon, with the full-width, ideographic, Arabic and small forms.
_CLAUSE_BREAKS = frozenset(",;:\uff0c\uff1b\uff1a\u3001\u060c\u061b\ufe50\ufe54\ufe55")
# Links with a scheme or "www.", and host/path forms such as example.com/sco/summit.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)


# Cutting text into words with _WORDS is the slowest part of reading an article (a regular
# expression that asks, character by character, whether Unicode calls it a letter). Most news is
# ASCII but for a few typographic marks, so the common case takes a faster road: the marks below
# (none of them a word character) become spaces, and when what is left is ASCII, every character
# that is not a word character becomes a space too, with one str.translate; str.split then gives
# the words. One character for one: offsets into the result are offsets into the text. Any other
# text (accented letters, other scripts) is cut with _WORDS; both roads give the same words.
_MARKS_OUTSIDE_ASCII = (
    "\u00a0\u00ab\u00ad\u00b0\u00b7\u00bb\u2009\u200a\u200b\u2010\u2011\u2012\u2013\u2014\u2015\u2018"
    "\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2022\u2026\u202f\u2032\u2033\u00a3\u20ac"
)
"""No-break and thin spaces, guillemets, soft hyphen, degree, middle dot, dashes, curly quotes,
bullet, ellipsis, primes, pound and euro signs."""
_ASCII_NOT_WORD = str.maketrans({chr(code): " " for code in range(128) if not _WORDS.fullmatch(chr(code))})
# Outside ASCII, one character at a time and length for length (so offsets still hold): what is
# neither a word character, a mark nor already a space becomes a space. A class with no group
# and no alternation is three to four times faster than splitting with _WORDS.
_NOT_WORD_NOR_SPACE = re.compile(rf"[^\w{_MARKS} ]")
_HAN_CHARACTER = re.compile(rf"[{_HAN}]")


def _spaced(text: str) -> str | None:
    """``text`` with every character that is not part of a word made a space, or None when it holds
    a Han character (each is a word of its own, which only _WORDS cuts right)."""
    if not text.isascii():
        for mark in _MARKS_OUTSIDE_ASCII:
            if mark in text:
                text = text.replace(mark, " ")
        if not text.isascii():
            if _HAN_CHARACTER.search(text):
                return None
            return _NOT_WORD_NOR_SPACE.sub(" ", text)
    return text.translate(_ASCII_NOT_WORD)


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the index cuts them (used to read query terms the same way)."""
    return _WORDS.split(text)[1::2]


def _without_urls(text: str) -> str:
    """The text with every link blanked out (so that offsets into it are offsets into the original)."""
    anchors = _places(text, "/") + _places(text.lower(), "www.")
    if not anchors:
        return text  # no link can be there: the common case costs two scans in C
    # A link is a run of non-space characters; only the runs around a "/" or "www." are checked
    # with the (slow, if run over a whole text) link pattern.
    blanked = list(text)
    checked_to = -1
    for anchor in sorted(anchors):
        if anchor < checked_to:
            continue
        start, end = _run_around(text, anchor)
        checked_to = end
        link = _URL.search(text, start, end)
        if link:
            blanked[link.start() : end] = " " * (end - link.start())
    return "".join(blanked)


def _places(text: str, needle: str) -> list[int]:
    places = []
    found = text.find(needle)
    while found >= 0:
        places.append(found)
        found = text.find(needle, found + 1)
    return places


def _run_around(text: str, index: int) -> tuple[int, int]:
    """The run of non-space characters that contains ``text[index]``."""
    start = index
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = index
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


class Zone:
    """The words of one zone, as written and case-folded; a word's position is its index in both."""

    __slots__ = ("_parts", "_spaced", "_start", "_starts", "field", "folded", "name", "text", "words")

    def __init__(self, name: ZoneName, field: FieldName, text: str, start: int = 0, end: int | None = None) -> None:
        self.name = name
        self.field: FieldName = field
        self.text = text
        """The whole field's text: offsets are into it, even when the zone is only part of it."""
        self._start = start
        self._starts: list[int] | None = None
        readable = _without_urls(text[start:end])
        spaced = _spaced(readable)
        self._spaced = spaced
        """The zone's text with only word characters and spaces, when it has no Han character."""
        self._parts: list[str] | None = None
        """Otherwise: separators and words, alternately, as _WORDS splits the text."""
        if spaced is not None:
            self.words: list[str] = spaced.split()
            # ASCII: lower() is casefold(), and cheaper. casefold() maps character by character,
            # with no context, so folding the text and then splitting it folds each word.
            folded = spaced.lower() if spaced.isascii() else spaced.casefold()
            self.folded: list[str] = folded.split()
        else:
            self._parts = _WORDS.split(readable)
            self.words = self._parts[1::2]
            self.folded = list(map(str.casefold, self.words))

    def __len__(self) -> int:
        return len(self.words)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets, in the field's text, of the words ``first`` to ``last`` (inclusive)."""
        starts = self.starts()
        return starts[first], starts[last] + len(self.words[last])

    def broken(self, first: int, last: int) -> bool:
        """Whether a clause break (a comma, semicolon or colon) stands between the words ``first``
        and ``last``: "Ukraine, war" is not the phrase "Ukraine war", "Sin embargo, el" not "embargo el"."""
        starts = self.starts()
        between = self.text[starts[first] + len(self.words[first]) : starts[last]]
        return not _CLAUSE_BREAKS.isdisjoint(between)

    def starts(self) -> list[int]:
        """Where each word starts in the field's text (it ends ``len(words[i])`` characters later)."""
        if self._starts is None:
            # Only evidence needs offsets, and most zones never give any: computed on first use.
            self._starts = self._starts_from_parts() if self._parts is not None else self._starts_from_spaces()
        return self._starts

    def _starts_from_parts(self) -> list[int]:
        assert self._parts is not None
        # parts alternate separator, word, separator...: word i is parts[2i + 1].
        return list(accumulate(map(len, self._parts), initial=self._start))[1::2]

    def _starts_from_spaces(self) -> list[int]:
        assert self._spaced is not None
        # Split on single spaces, the pieces are the words and an empty piece for each extra space;
        # each piece starts one character after the previous one ends. (A plain loop: the same with
        # itertools makes several new integers per piece and is slower.)
        starts = []
        position = self._start
        for piece in self._spaced.split(" "):
            if piece:
                starts.append(position)
            position += len(piece) + 1
        return starts


class TextIndex:
    """The three zones of one article, built once and shared by every topic and entity."""

    __slots__ = ("lead_from_body", "scopes", "zones")

    def __init__(self, title: str, summary: str = "", body: str = "") -> None:
        if summary:
            lead = Zone("lead", "summary", summary)
            rest = Zone("body", "body", body)
        else:
            paragraph_end = _first_paragraph_end(body)
            lead = Zone("lead", "body", body, 0, paragraph_end)
            rest = Zone("body", "body", body, paragraph_end)
        self.zones: tuple[Zone, Zone, Zone] = (Zone("title", "title", title), lead, rest)
        self.lead_from_body = not summary
        """Whether the lead is the body's first paragraph (so that ``body:`` also covers it)."""
        self.scopes = _SCOPES_WITH_LEAD_FROM_BODY if self.lead_from_body else _SCOPES
        """The zones a ``title:``, ``lead:``, ``body:`` or ``subject:`` scope looks in."""


# Shared by every index (read-only views): only two layouts exist.
_SCOPES: Mapping[ScopeName, frozenset[int]] = MappingProxyType(
    {
        "title": frozenset({TITLE}),
        "lead": frozenset({LEAD}),
        "body": frozenset({BODY}),
        "subject": frozenset({TITLE, LEAD}),
    }
)
_SCOPES_WITH_LEAD_FROM_BODY: Mapping[ScopeName, frozenset[int]] = MappingProxyType(
    {**_SCOPES, "body": frozenset({LEAD, BODY})}
)


def _first_paragraph_end(body: str) -> int:
    found = _PARAGRAPH_BREAK.search(body)
    return found.start() if found else len(body)
