"""Which character encoding an article file is in, and its text, or why it cannot be read.

In order, the first that applies decides:

1. A byte-order mark (UTF-8, UTF-16, UTF-32): the file is in that encoding.
2. Valid UTF-8 is UTF-8: text in another encoding is almost never valid UTF-8 by chance.
3. A declaration, ``<meta charset>`` (or ``http-equiv`` content) or an XML declaration's
   ``encoding``: the file is in that encoding. Labels are read as browsers read them (WHATWG):
   ``iso-8859-1`` and ``us-ascii`` mean Windows-1252.
4. Detection, for what it does reliably: text in a script other than Latin (Japanese in
   Shift-JIS or EUC-JP, Korean in EUC-KR, Chinese in GB18030 or Big5, Cyrillic, Greek...), where
   the byte patterns of each encoding and the letters they give tell it apart
   (``charset-normalizer``). Which of the Latin-script single-byte encodings a file is in, nothing
   can tell reliably, so
5. Windows-1252, else Latin-1, as the commonest Western encodings.

Steps 4 and 5 are guesses, and the article is flagged ``decoded-as-<encoding>``. A file that
contradicts its byte-order mark or its declaration is refused, naming the encoding and the
offset of the first byte it cannot read: such a file is broken, and any reading of it a guess.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

from newsalert.flags import flag_decoded_as
from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.feed_decoding import BYTE_ORDER_MARKS

UTF8 = "utf-8"
_DECLARATION_SEARCH = 4096
_DECLARED = (
    re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""),
    re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE),
)
# What browsers read these labels as (WHATWG Encoding): bytes 0x80-0x9F are Windows-1252 punctuation.
_READ_AS_WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii"})
# Windows-1252 leaves five bytes undefined; a declared Western page with one is read as Latin-1.
_WESTERN_FALLBACK = {"cp1252": "latin-1"}
# Declarations that cannot describe bytes in which the declaration itself was readable as ASCII.
_IGNORED_DECLARATIONS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-7"})
_DETECTION_SAMPLE = 64 * 1024
# The encodings detection may answer (Python's codec names): the well-known ones of each non-Latin
# script that news is written in. An obscure code page that happens to decode the bytes (Kazakh
# PTCP154 reads most byte soup) is no answer.
_DETECTABLE = frozenset(
    {
        *("shift_jis", "cp932", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "euc_jisx0213"),
        *("iso2022_jp", "euc_kr", "cp949", "johab", "iso2022_kr"),
        *("gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"),
        *("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic"),
        *("cp1253", "iso8859-7", "cp1255", "iso8859-8", "cp1256", "iso8859-6", "cp874", "tis-620"),
    }
)
_LATIN_SCRIPT_END = 0x250  # past Latin Extended-B: IPA, Greek, Cyrillic, CJK...


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    """The codec the text was decoded with (``utf-8``, ``shift_jis``, ``cp1252``...)."""
    guessed: bool = False
    """True when neither a byte-order mark, valid UTF-8 nor a declaration said the encoding."""

    @property
    def flags(self) -> tuple[str, ...]:
        # A guessed encoding may read wrongly: say so to operators.
        return (flag_decoded_as(self.encoding),) if self.guessed else ()


def _unreadable(data: bytes, encoding: str, error: UnicodeDecodeError, said_by: str) -> ArticleParseError:
    return ArticleParseError(
        f"not readable in {encoding}, the encoding {said_by}: byte 0x{data[error.start]:02x} "
        f"at offset {error.start} is not valid {encoding}"
    )


def declared_encoding(data: bytes) -> str | None:
    """The codec a document declares for itself (XML declaration or ``<meta>``), or None."""
    head = data[:_DECLARATION_SEARCH]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match is None:
            continue
        with contextlib.suppress(LookupError):  # an unknown label declares nothing usable
            name = codecs.lookup(match.group(1).decode("ascii")).name
            if name not in _IGNORED_DECLARATIONS:
                return "cp1252" if name in _READ_AS_WINDOWS_1252 else name
    return None


def detect_non_latin_encoding(data: bytes) -> str | None:
    """The encoding of text in a non-Latin script, when detection finds one that reads all of ``data``.

    None when the text is (mostly) in Latin script, or nothing reads it as text: for Latin-script
    single-byte encodings detection is a coin toss (French in Windows-1252 reads as Windows-1250 too).
    """
    from charset_normalizer import from_bytes  # only for the rare file that is neither UTF-8 nor declared

    best = from_bytes(data[:_DETECTION_SAMPLE]).best()
    if best is None:
        return None
    encoding = codecs.lookup(best.encoding).name
    if encoding not in _DETECTABLE:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:  # the sample read, the rest does not: no reliable answer
        return None
    letters = [character for character in text if ord(character) > 0x7F and character.isalpha()]
    non_latin = sum(ord(character) >= _LATIN_SCRIPT_END for character in letters)
    return encoding if letters and non_latin > len(letters) / 2 else None


def decode_text(data: bytes) -> DecodedText:
    """The text of a file (already known not to be empty or binary), by the rules above.

    ``ArticleParseError`` naming the encoding and the byte when the file contradicts its
    byte-order mark or its declaration.
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return DecodedText(data[len(mark) :].decode(encoding), encoding)
            except UnicodeDecodeError as error:
                error.start += len(mark)  # an offset in the file, as a hex editor shows it
                raise _unreadable(data, encoding, error, "its byte-order mark says") from None
    with contextlib.suppress(UnicodeDecodeError):
        return DecodedText(data.decode(UTF8), UTF8)
    declared = declared_encoding(data)
    if declared is not None:
        try:
            return DecodedText(data.decode(declared), declared)
        except UnicodeDecodeError as error:
            fallback = _WESTERN_FALLBACK.get(declared)
            if fallback is None:
                raise _unreadable(data, declared, error, "it declares") from None
            return DecodedText(data.decode(fallback), fallback)
    detected = detect_non_latin_encoding(data)
    if detected is not None:
        return DecodedText(data.decode(detected), detected, guessed=True)
    try:
        return DecodedText(data.decode("cp1252"), "cp1252", guessed=True)
    except UnicodeDecodeError:
        return DecodedText(data.decode("latin-1"), "latin-1", guessed=True)


def first_non_utf8_byte(data: bytes) -> str:
    """Where ``data`` stops being UTF-8, for a reason that names it ("" when it is UTF-8)."""
    try:
        data.decode(UTF8)
    except UnicodeDecodeError as error:
        return f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
    return ""
