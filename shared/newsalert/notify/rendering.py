"""What each channel shows: an alert or a digest rendered once per SNS protocol, for one publish.

notify publishes every alert once, with ``MessageStructure=json``: one body per protocol
(``default``, ``email``, ``sms``, ``https``, ``http``, ``APNS``, ``APNS_SANDBOX``, ``GCM``), the
email subject, and the message attributes that subscription filter policies route on. This
module builds all three from an ``Alert`` or a ``Digest`` and nothing else.

The rules every body follows (docs/alerts.md tells them at more length):

- **Text as written.** SNS email, SMS and push are plain text and JSON is not HTML, so nothing
  is HTML-escaped: ``AT&T`` stays ``AT&T`` and ``< 5%`` stays ``< 5%``. Whoever puts the text
  into a medium with markup escapes it for that medium (a web hook consumer for its page).
- **No control or bidi characters** anywhere (``plain``): C0/C1 controls other than newline
  and tab, the bidi embeddings, overrides, isolates and marks, and every other invisible
  format character except the joiners ZWJ and ZWNJ, which Indic and Arabic script and emoji
  need. Line-breaking controls (CR, NEL, U+2028, U+2029...) become a newline; one-line fields
  (subject, SMS, push titles) then fold every line break into a space.
- **Links are checked** (``safe_link``): http(s) only, host normalised, user info dropped,
  and every character that could end an attribute or a tag (quotes, angle brackets, spaces,
  controls, backticks...) percent-encoded; anything else is left out rather than passed on.
  A link is never cut: where it does not fit (an SMS, a push payload) it is left out whole.
- **Limits** are those of SNS and the push services, with room to spare: a subject of printable
  ASCII under 100 characters, an SMS of at most ``SMS_MAX_SEGMENTS`` segments, push payloads
  under 4 KB, and the whole publish under ``MESSAGE_BUDGET`` (half of SNS's 256 KB) whatever
  the input, because every text is capped before it is rendered.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsalert.models import Alert, Digest, DigestEntry, Urgency
from newsalert.ports import Publication

# ---------------------------------------------------------------------------------- limits

SUBJECT_LIMIT = 99
"""SNS: an email subject is printable ASCII, one line, and less than 100 characters."""
SMS_MAX_SEGMENTS = 2
"""An SMS is at most two segments: 306 characters of GSM-7 text, 134 of UCS-2 text."""
PUSH_PAYLOAD_LIMIT = 4096
"""APNs and FCM refuse a notification payload over 4 KB."""
PUSH_BUDGET = 3800
"""What a push payload may use here: the platforms' 4 KB with room for what SNS adds."""
MESSAGE_LIMIT = 262_144
"""SNS: message, subject and attributes together at most 256 KB."""
MESSAGE_BUDGET = 128 * 1024
"""What one publish may use here, whatever the input: half of SNS's limit."""
LINK_LIMIT = 2048
"""A longer link is left out (never cut): browsers, mail clients and SMS gateways balk past it."""
COLLAPSE_ID_LIMIT = 64
"""APNs: an ``apns-collapse-id`` is at most 64 bytes."""

TITLE_LIMIT = 300
"""Headlines (ingest caps feed titles at 300 too: this only stops absurd input)."""
SUMMARY_LIMIT = 1000
"""The summary in the web hook JSON."""
EMAIL_SUMMARY_LIMIT = 600
"""The short summary in the email, cut at a word."""
SOURCE_LIMIT = 120
LABEL_LIMIT = 50
MAX_TOPICS = 30
"""Topics an alert is routed to and shown with (the whole taxonomy has about 30)."""
REASON_LIMIT = 120
MAX_REASONS = 5
OUTLET_LIMIT = 60
MAX_OUTLETS = 10
ID_LIMIT = 64
DIGEST_TITLE_LIMIT = 300
DIGEST_LISTED = 25
"""Stories listed in a digest's email and JSON; the count always covers them all."""

SMS_SINGLE = {"gsm": 160, "ucs2": 70}
SMS_PART = {"gsm": 153, "ucs2": 67}
"""Characters per segment: one segment alone, or each part of a concatenated message."""
SMS_MIN_HEADLINE = 24
"""An SMS keeps its link only if at least this much of the headline fits beside it."""

PUSH_PROTOCOLS = ("APNS", "APNS_SANDBOX", "GCM")
PROTOCOLS = ("default", "email", "sms", "https", "http", *PUSH_PROTOCOLS)

# ------------------------------------------------------------------------------ settings


@dataclass(frozen=True)
class RenderSettings:
    """What rendering needs from the deployment; the defaults are usable as they are."""

    deep_link_base: str = "newsalert://"
    """The app's deep links are ``f"{deep_link_base}story/{story_id}"`` (digests: ``topic/<topic>``)."""
    unsubscribe_hint: str = (
        "To stop these alerts, use the unsubscribe link SNS adds at the end of this email, "
        "or ask your newsalert operator to remove you (newsalert unsubscribe)."
    )
    """How to unsubscribe, in one sentence, at the foot of every email."""

    def __post_init__(self) -> None:
        base = self.deep_link_base
        if not base or len(base) > 200 or any(char.isspace() or char in "\"'<>`\\" for char in base):
            raise ValueError(f"deep_link_base must be a short URL prefix without spaces or quotes, got {base!r}")
        if any(unicodedata.category(char)[0] == "C" for char in base):
            raise ValueError("deep_link_base must not hold control characters")


DEFAULT_SETTINGS = RenderSettings()


# ---------------------------------------------------------------------------------- text

_JOINERS = frozenset("\u200c\u200d")
"""ZWNJ and ZWJ: the only invisible format characters kept (Indic and Arabic shaping, emoji)."""
_LINE_BREAKING = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_ONE_LINE = re.compile(r"[ \t\n]+")


def plain(text: str) -> str:
    """``text`` as written, without control, bidi or other invisible format characters.

    Newline and tab stay; the other line-breaking controls (CR, VT, FF, NEL, the line and
    paragraph separators) become a newline, so that words they separated stay apart. Every
    other control character (Unicode category Cc), every format character (Cf: the bidi
    embeddings, overrides, isolates and marks, U+061C, zero-width spaces, tag characters...)
    except ZWJ and ZWNJ, and lone surrogates are removed. Nothing else changes: no escaping,
    no normalisation.
    """
    kept: list[str] = []
    for char in text.replace("\r\n", "\n"):
        if char in "\n\t":
            kept.append(char)
        elif char in _LINE_BREAKING:
            kept.append("\n")
        else:
            category = unicodedata.category(char)
            if category in ("Cc", "Cs") or (category == "Cf" and char not in _JOINERS):
                continue
            kept.append(char)
    return "".join(kept)


def _one_line(text: str) -> str:
    """Line breaks and tabs as single spaces, runs of spaces as one, no space at either end."""
    return _ONE_LINE.sub(" ", text).strip()


def _joins_previous(char: str) -> bool:
    """True for a character that belongs to the one before it: a cut must not fall before it."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in _JOINERS
        or 0xFE00 <= code <= 0xFE0F  # variation selectors (emoji or text presentation)
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
    )


def _shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters, at a word where there is one, marked with ``ellipsis``.

    Never cuts inside a character sequence that reads as one (a letter and its marks, an emoji
    with its joiners and modifiers). Text with no spaces (Chinese, Japanese, Thai) is cut
    between characters.
    """
    if len(text) <= limit:
        return text
    room = max(limit - len(ellipsis), 0)
    end = room
    if text[room] != " ":
        word_end = text.rfind(" ", 0, room)
        if word_end >= room // 2:  # a word boundary, unless it throws away half of what fits
            end = word_end
    while 0 < end < len(text) and (_joins_previous(text[end]) or text[end - 1] in _JOINERS):
        end -= 1
    return text[:end].rstrip() + ellipsis


def _text(value: str, limit: int, *, one_line: bool = True) -> tuple[str, bool]:
    """Text from outside made ``plain`` and capped: the text, and whether it had to be cut."""
    raw = value[: limit * 4 + 64]  # bound the work before looking at each character
    cleaned = plain(raw)
    if one_line:
        cleaned = _one_line(cleaned)
    shortened = _shorten(cleaned, limit)
    return shortened, shortened != cleaned or len(raw) < len(value)


def _clean(value: str, limit: int) -> str:
    return _text(value, limit)[0]


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def _join_words(words: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``; with ``;`` between items when an item holds a comma."""
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    if any("," in word or " and " in word for word in words):
        return "; ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _list(words: Sequence[str]) -> str:
    """``A, B, C``; with ``;`` between items when an item holds a comma (``Conflict, war and peace``)."""
    return ("; " if any("," in word for word in words) else ", ").join(words)


def _named(words: Sequence[str], most: int, noun: str) -> str:
    """At most ``most`` words by name, the rest counted: ``A, B and 3 more topics``."""
    if len(words) <= most:
        return _join_words(words)
    rest = len(words) - most
    return _join_words([*words[:most], f"{rest} more {noun}"])


# --------------------------------------------------------------------------- ASCII folding

_ASCII_EQUIVALENTS = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a", "'"),  # single quotes, prime
    **dict.fromkeys("\u201c\u201d\u201e\u2033\u00ab\u00bb", '"'),  # double quotes, guillemets
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2022\u00b7", "-"),  # dashes, bullets
    "\u2026": "...",
    "\u2044": "/",
    "\u00d7": "x",
    "\u20ac": "EUR ",
    "\u00a3": "GBP ",
    **dict(zip("\u00df\u00c6\u00e6\u0152\u0153\u00de\u00fe", ("ss", "AE", "ae", "OE", "oe", "Th", "th"), strict=True)),
    **dict(
        zip("\u1e9e\u00d8\u00f8\u0110\u0111\u00d0\u00f0\u0141\u0142\u0131\u0126\u0127", "SOoDdDdLliHh", strict=True)
    ),
}
"""Letters and punctuation that Unicode decomposition does not take to ASCII."""


def _ascii_fold(text: str) -> tuple[str, bool]:
    """The ASCII spelling of ``text`` (Zürich → Zurich, “quotes” → "quotes"), and whether every
    letter and digit made it: False for a word in a script with no ASCII spelling (Chinese,
    Bengali, Arabic, Cyrillic...). Symbols and emoji are dropped without counting as lost."""
    folded: list[str] = []
    whole = True
    for char in text:
        if " " <= char <= "~":
            folded.append(char)
        elif char in _ASCII_EQUIVALENTS:
            folded.append(_ASCII_EQUIVALENTS[char])
        elif char.isspace():
            folded.append(" ")
        else:
            parts = "".join(_ASCII_EQUIVALENTS.get(part, part) for part in unicodedata.normalize("NFKD", char))
            ascii_parts = "".join(part for part in parts if " " <= part <= "~")
            digit = unicodedata.decimal(char, None)
            if ascii_parts:
                folded.append(ascii_parts)
            elif digit is not None:
                folded.append(str(digit))
            elif unicodedata.category(char)[0] in "LN":
                whole = False
    return " ".join("".join(folded).split()), whole


def _readable_ascii(text: str) -> str | None:
    """``text`` in ASCII when all of it can be, and it says something (a letter); else None."""
    folded, whole = _ascii_fold(text)
    return folded if whole and any(char.isalpha() for char in folded) else None


_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "el": "Greek",
    "fa": "Persian",
    "he": "Hebrew",
    "hi": "Hindi",
    "ja": "Japanese",
    "kk": "Kazakh",
    "ko": "Korean",
    "ky": "Kyrgyz",
    "mn": "Mongolian",
    "ne": "Nepali",
    "ps": "Pashto",
    "ru": "Russian",
    "ta": "Tamil",
    "th": "Thai",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "zh": "Chinese",
}
"""Languages whose headlines an email subject cannot show, named in the subject instead."""


def _fit_subject(text: str) -> str:
    return _shorten(text, SUBJECT_LIMIT, ellipsis="...")


def _subject(prefix: str, headline: str, topics: Sequence[tuple[str, str]], source: str, language: str) -> str:
    """A subject SNS accepts (printable ASCII, one line, under 100 characters) that always says something.

    The headline when it can be spelt in ASCII; otherwise the topics in words and the outlet
    (in ASCII where they can be), and the headline's language; the topics alone at the least.
    """
    shown = _readable_ascii(headline)
    if shown:
        return _fit_subject(f"{prefix}: {shown}")
    names = [_readable_ascii(label) or _readable_ascii(topic) for label, topic in topics]
    about = _join_words([name for name in names if name]) or "a topic you follow"
    variants = [f"{prefix}: news on {about}"]
    outlet = _readable_ascii(source)
    language_name = _LANGUAGE_NAMES.get(language.split("-")[0])
    if outlet:
        variants.insert(0, f"{prefix}: news on {about} from {outlet}")
        if language_name:
            variants.insert(0, f"{prefix}: news on {about} from {outlet} (headline in {language_name})")
    elif language_name:
        variants.insert(0, f"{prefix}: news on {about} (headline in {language_name})")
    for variant in variants:
        if len(variant) <= SUBJECT_LIMIT:
            return variant
    return _fit_subject(variants[-1])


# ----------------------------------------------------------------------------------- links

_HOST = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What a path, query or fragment keeps as it is: URL delimiters and the unreserved marks, but no
# quote of either kind (they end an HTML attribute), and nothing else: spaces, angle brackets,
# backticks, braces, controls and non-ASCII are percent-encoded (as UTF-8).
_PATH_SAFE = "/%:@!$&()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def safe_link(url: str | None) -> str | None:
    """An http(s) link safe to put anywhere as it is, or None.

    Scheme and host are lower-cased (an international host in its ``xn--`` form), the default
    port, the user info and a trailing dot on the host are dropped, and the path, query and
    fragment are percent-encoded so that no quote, angle bracket, backtick, space or control
    character survives (existing escapes are kept, a lone ``%`` is encoded). Anything that is
    not a plain http(s) URL with a valid host (``javascript:``, ``data:``, a host with quotes
    or spaces, a link longer than ``LINK_LIMIT``) gives None: a link is left out, never mended
    into something else.
    """
    if not isinstance(url, str) or len(url) > LINK_LIMIT * 4:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
        hostname = parts.hostname
    except ValueError:  # a port that is not a number, a bad IPv6 literal
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not hostname:
        return None
    host = _safe_host(hostname)
    if host is None:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    try:
        path = _encode(parts.path, _PATH_SAFE) or "/"
        query = _encode(parts.query, _QUERY_SAFE)
        fragment = _encode(parts.fragment, _QUERY_SAFE)
    except UnicodeEncodeError:  # a lone surrogate: not text at all
        return None
    link = urlunsplit((scheme, netloc, path, query, fragment))
    return link if len(link) <= LINK_LIMIT else None


def _safe_host(hostname: str) -> str | None:
    """A host name in ASCII, lower case, checked character by character; None when it is not one."""
    if ":" in hostname:  # an IPv6 literal (urlsplit took off its brackets)
        try:
            return f"[{ipaddress.IPv6Address(hostname).compressed}]"
        except ValueError:
            return None
    host = hostname.rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host if len(host) <= 253 and _HOST.match(host) else None


def _encode(component: str, safe: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", component), safe=safe)


def collapse_id(key: str) -> str:
    """A collapse id for ``key`` (a story id): the key itself when it is short, plain ASCII; else a hash of it.

    APNs (``apns-collapse-id``, at most 64 bytes), FCM (``collapse_key``, the notification
    ``tag``) and the APNs ``thread-id`` all take it: the same story gives the same id, so an
    update replaces the earlier notification on the phone.
    """
    if re.fullmatch(r"[A-Za-z0-9._-]{1,64}", key):
        return key
    return "h-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]


# ------------------------------------------------------------------------------------ time

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UTC_NAMES = frozenset(
    {"UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich"}
    | {f"Etc/{name}" for name in ("UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich")}
)


def _date_time(moment: datetime) -> str:
    """``Thu 4 Jul 2024, 07:29``: the same in every locale."""
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def _zone(name: str | None) -> tzinfo | None:
    if not name or name in _UTC_NAMES:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _published(moment: datetime, zone_name: str | None) -> str:
    """When, in UTC and, when the source has its own zone, in that zone too."""
    utc = moment.astimezone(UTC)
    text = f"{_date_time(utc)} UTC"
    zone = _zone(zone_name)
    if zone is not None and zone_name:
        local = utc.astimezone(zone)
        local_text = f"{local:%H:%M}" if local.date() == utc.date() else _date_time(local)
        text += f" ({local_text} in {zone_name}, {_offset(local)})"
    return text


# ------------------------------------------------------------------------------------- SMS

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\x0c")
"""Characters of the GSM 03.38 extension table: two septets each (an escape, then the character)."""


def sms_encoding(text: str) -> str:
    """``gsm`` when every character is in the GSM 03.38 alphabet, else ``ucs2``."""
    return "gsm" if all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in text) else "ucs2"


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes.

    GSM-7: 160 septets alone, 153 per part of a longer message (extension characters take two
    and are never split); UCS-2: 70 UTF-16 code units alone, 67 per part (a character outside
    the Basic Multilingual Plane takes two and is never split).
    """
    encoding = sms_encoding(text)
    if encoding == "gsm":
        units = [2 if char in _GSM_EXTENSION else 1 for char in text]
    else:
        units = [2 if ord(char) > 0xFFFF else 1 for char in text]
    if sum(units) <= SMS_SINGLE[encoding]:
        return 1
    parts, used = 1, 0
    for unit in units:
        if used + unit > SMS_PART[encoding]:
            parts, used = parts + 1, 0
        used += unit
    return parts


def _sms(lead: str, headline: str, source: str, link: str | None) -> str:
    """Headline first, then the outlet and the link, in at most ``SMS_MAX_SEGMENTS`` segments.

    The headline gives way (cut at a word), then the outlet; the link is never cut: it is
    left out only when keeping it would leave less than ``SMS_MIN_HEADLINE`` characters of
    the headline.
    """

    def fits(text: str) -> bool:
        return sms_segments(text) <= SMS_MAX_SEGMENTS

    tail = f" {link}" if link else ""
    outlet = f" ({source})" if source else ""
    if fits(f"{lead}{headline}{outlet}{tail}"):
        return f"{lead}{headline}{outlet}{tail}"
    if link:
        kept = _longest_fitting_headline(lead, headline, tail, fits)
        if kept is not None and len(kept) >= min(SMS_MIN_HEADLINE, len(headline)):
            return f"{lead}{kept}{tail}"
    kept = _longest_fitting_headline(lead, headline, "", fits)
    return f"{lead}{kept or ''}".rstrip()


def _longest_fitting_headline(lead: str, headline: str, tail: str, fits: Callable[[str], bool]) -> str | None:
    """The longest cut of ``headline`` (ASCII ellipsis: "…" would force UCS-2) that fits between lead and tail."""
    if fits(f"{lead}{headline}{tail}"):
        return headline
    low, high, best = 4, len(headline) - 1, None
    while low <= high:
        middle = (low + high) // 2
        cut = _shorten(headline, middle, ellipsis="...")
        if fits(f"{lead}{cut}{tail}"):
            best, low = cut, middle + 1
        else:
            high = middle - 1
    return best


# ------------------------------------------------------------------------------------ push

_PUSH_STEPS = ((150, 300, True), (150, 300, False), (100, 150, False), (60, 60, False))
"""Title and body lengths to try, and whether the web link comes along, until a payload fits."""


@dataclass(frozen=True)
class _Push:
    """What the push payloads of one alert or digest say and do."""

    title: str
    subtitle: str
    body: str
    collapse: str
    urgency: Urgency
    deep_link: str
    link: str | None
    data: dict[str, str]
    """Custom keys for the app (ids, kind, urgency), besides the deep link and the web link."""


_INTERRUPTION = {Urgency.FLASH: "time-sensitive", Urgency.URGENT: "active", Urgency.ROUTINE: "passive"}
_RELEVANCE = {Urgency.FLASH: 1.0, Urgency.URGENT: 0.7, Urgency.ROUTINE: 0.3}
_APNS_PRIORITY = {Urgency.FLASH: "10", Urgency.URGENT: "10", Urgency.ROUTINE: "5"}
_FCM_PRIORITY = {Urgency.FLASH: "high", Urgency.URGENT: "high", Urgency.ROUTINE: "normal"}


def _apns(push: _Push, title: str, body: str, with_link: bool) -> str:
    aps: dict[str, Any] = {
        "alert": {"title": title, "body": body} | ({"subtitle": push.subtitle} if push.subtitle else {}),
        "thread-id": push.collapse,
        "interruption-level": _INTERRUPTION[push.urgency],
        "relevance-score": _RELEVANCE[push.urgency],
    }
    if push.urgency is not Urgency.ROUTINE:
        aps["sound"] = "default"
    payload: dict[str, Any] = {"aps": aps, **push.data, "deep_link": push.deep_link}
    if with_link and push.link:
        payload["url"] = push.link
    return json.dumps(payload, ensure_ascii=False)


def _fcm(push: _Push, title: str, body: str, with_link: bool) -> str:
    data = {**push.data, "deep_link": push.deep_link}
    if with_link and push.link:
        data["url"] = push.link
    shown = f"{push.subtitle}: {body}" if push.subtitle and body else (body or push.subtitle)
    message = {
        "notification": {"title": title, "body": shown},
        "data": data,
        "android": {
            "priority": _FCM_PRIORITY[push.urgency],
            "collapse_key": push.collapse,
            "notification": {"tag": push.collapse},
        },
    }
    return json.dumps({"fcmV1Message": {"message": message}}, ensure_ascii=False)


def _fit_push(render: Callable[[_Push, str, str, bool], str], push: _Push) -> str:
    """The fullest payload that stays within ``PUSH_BUDGET`` bytes: the body gives way, then the web link."""
    for title_limit, body_limit, with_link in _PUSH_STEPS:
        payload = render(push, _shorten(push.title, title_limit), _shorten(push.body, body_limit), with_link)
        if _utf8_length(payload) <= PUSH_BUDGET:
            return payload
    raise AssertionError("the smallest push payload is bounded well under the budget")  # pragma: no cover


def _push_messages(push: _Push) -> dict[str, str]:
    apns = _fit_push(_apns, push)
    return {"APNS": apns, "APNS_SANDBOX": apns, "GCM": _fit_push(_fcm, push)}


# ------------------------------------------------------------------------------ attributes


def _string(value: str) -> dict[str, str]:
    return {"DataType": "String", "StringValue": value}


def _attributes(
    topics: Sequence[str], collapse: str, urgency: Urgency, strings: dict[str, str], numbers: dict[str, int]
) -> dict[str, dict[str, str]]:
    """Message attributes, never an empty one (SNS refuses it): an empty value leaves its attribute out.

    Ten at most, so that a raw-delivery SQS subscription (which takes ten) still gets them.
    """
    attributes = {"topics": {"DataType": "String.Array", "StringValue": json.dumps(list(topics), ensure_ascii=False)}}
    attributes |= {name: _string(value) for name, value in strings.items() if value}
    attributes |= {name: {"DataType": "Number", "StringValue": str(value)} for name, value in numbers.items()}
    attributes["AWS.SNS.MOBILE.APNS.COLLAPSE_ID"] = _string(collapse)
    attributes["AWS.SNS.MOBILE.APNS.PRIORITY"] = _string(_APNS_PRIORITY[urgency])
    return attributes


def _plain_strings(value: Any) -> Any:
    """Every string in a JSON document made ``plain`` (keys are ours)."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {key: _plain_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_strings(item) for item in value]
    return value


def _deep_link(settings: RenderSettings, kind: str, key: str) -> str:
    return f"{settings.deep_link_base}{kind}/{quote(key, safe='-._~')}"


# ---------------------------------------------------------------------------------- alerts

_SUBJECT_PREFIX = {
    (Urgency.FLASH, False): "FLASH",
    (Urgency.URGENT, False): "Urgent",
    (Urgency.ROUTINE, False): "Breaking",
    (Urgency.FLASH, True): "FLASH update",
    (Urgency.URGENT, True): "Urgent update",
    (Urgency.ROUTINE, True): "Update",
}
"""The subject's prefix by urgency and by whether the alert updates an earlier one."""


@dataclass(frozen=True)
class _AlertView:
    """An alert's texts, each made plain and capped once, for every channel to use."""

    alert: Alert
    headline: str
    """One line; the topics in words when the alert has no title."""
    title: str
    """As written (line breaks kept), for the JSON."""
    summary: str
    short_summary: str
    source: str
    link: str | None
    deep_link: str
    topics: tuple[str, ...]
    named_topics: tuple[tuple[str, str], ...]
    """Each topic in words and by id: its label, or its id where it has none."""
    reasons: tuple[str, ...]
    outlets: tuple[str, ...]
    ids: dict[str, str]
    collapse: str
    clipped: tuple[str, ...]
    """The fields cut to their cap (absurdly long input only)."""

    @property
    def is_update(self) -> bool:
        return self.alert.update > 0

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.named_topics)


def _view(alert: Alert, settings: RenderSettings) -> _AlertView:
    clipped: list[str] = []

    def capped(name: str, value: str, limit: int, *, one_line: bool = True) -> str:
        text, cut = _text(value, limit, one_line=one_line)
        if cut:
            clipped.append(name)
        return text

    topics = tuple(alert.topics[:MAX_TOPICS])
    named: list[tuple[str, str]] = []
    for index in range(min(max(len(topics), len(alert.topic_labels)), MAX_TOPICS)):
        topic = topics[index] if index < len(topics) else ""
        label = _clean(alert.topic_labels[index], LABEL_LIMIT) if index < len(alert.topic_labels) else ""
        if label or topic:
            named.append((label or topic, topic))
    labels = [label for label, _ in named]
    ids = {name: _clean(getattr(alert, name), ID_LIMIT) for name in ("alert_id", "story_id", "article_id")}
    headline = capped("title", alert.title, TITLE_LIMIT)
    if not headline:
        headline = f"New story on {_named(labels, 3, 'topics')}" if labels else "New story"
    return _AlertView(
        alert=alert,
        headline=headline,
        title=capped("title", alert.title, TITLE_LIMIT, one_line=False),
        summary=capped("summary", alert.summary, SUMMARY_LIMIT, one_line=False),
        short_summary=_clean(alert.summary, EMAIL_SUMMARY_LIMIT),
        source=capped("source", alert.source, SOURCE_LIMIT),
        link=safe_link(alert.url),
        deep_link=_deep_link(settings, "story", ids["story_id"]),
        topics=topics,
        named_topics=tuple(named),
        reasons=tuple(
            reason
            for reason in (_clean(raw, REASON_LIMIT).rstrip(" .;,") for raw in alert.urgency_reasons[:MAX_REASONS])
            if reason
        ),
        outlets=tuple(
            outlet for outlet in (_clean(raw, OUTLET_LIMIT) for raw in alert.other_outlets[:MAX_OUTLETS]) if outlet
        ),
        ids=ids,
        collapse=collapse_id(alert.story_id),
        clipped=tuple(dict.fromkeys(clipped)),
    )


def _why(view: _AlertView) -> str:
    """Why the alert reached this reader, in a sentence: the topics they follow, and what made it urgent."""
    labels = view.labels
    if len(labels) == 1:
        about = f"This story is about {labels[0]}, which you follow"
    elif labels:
        about = f"This story is about {_named(labels, 5, 'topics')}, and you follow at least one of them"
    else:
        about = "This story is about a topic you follow"
    reasons = _join_words(view.reasons)
    urgency = view.alert.urgency
    if urgency is Urgency.ROUTINE:
        level = "it is breaking news, not marked urgent" + (f" ({reasons})" if reasons else "")
    else:
        word = "flash" if urgency is Urgency.FLASH else "urgent"
        level = f"it is marked {word}" + (f" because {reasons}" if reasons else "")
    return f"{about}; {level}."


def _update_line(view: _AlertView) -> str:
    line = f"Update {view.alert.update}: this updates the alert we sent you earlier about this story."
    if view.outlets:
        line += f" It is now also reported by {_named(view.outlets, 8, 'outlets')}."
    return line


def _alert_email(view: _AlertView, why: str, settings: RenderSettings) -> str:
    alert = view.alert
    published = _published(alert.published, alert.source_timezone)
    lines = [view.headline, f"{view.source}, {published}" if view.source else f"Published {published}", ""]
    if view.short_summary:
        lines += [view.short_summary, ""]
    if view.link:
        lines += [f"Read it: {view.link}", ""]
    elif alert.url:
        lines += ["(The link the source gave is left out: it is not a plain web address.)", ""]
    if view.labels:
        shown = view.labels[:12]
        rest = len(view.labels) - len(shown)
        lines.append(f"Topics: {_list(shown)}" + (f" and {rest} more" if rest else ""))
    lines.append(f"Urgency: {alert.urgency.value}")
    if view.is_update:
        lines.append(_update_line(view))
    lines += ["", f"Why you got this: {why}", "", plain(settings.unsubscribe_hint)]
    return "\n".join(lines)


def _alert_document(view: _AlertView, why: str) -> dict[str, Any]:
    """The alert as JSON for web hooks: every field as written (plain, capped), the link checked."""
    document: dict[str, Any] = _plain_strings(view.alert.model_dump(mode="json"))
    document.update(
        view.ids,
        title=view.title,
        summary=view.summary,
        source=view.source,
        url=view.link,
        topics=list(view.topics),
        topic_labels=[_clean(label, LABEL_LIMIT) for label in view.alert.topic_labels[:MAX_TOPICS]],
        urgency_reasons=list(view.reasons),
        other_outlets=list(view.outlets),
    )
    return {
        "kind": "alert",
        **document,
        "link": view.link,
        "deep_link": view.deep_link,
        "why": why,
        "clipped": list(view.clipped),
    }


def render_alert(alert: Alert, settings: RenderSettings = DEFAULT_SETTINGS) -> Publication:
    """Everything one publish of ``alert`` needs: subject, a body per protocol, message attributes."""
    view = _view(alert, settings)
    why = _why(view)
    prefix = _SUBJECT_PREFIX[(alert.urgency, view.is_update)]
    mark = "" if (alert.urgency is Urgency.ROUTINE and not view.is_update) else f"{prefix}: "
    email = _alert_email(view, why, settings)
    document = json.dumps(_alert_document(view, why), ensure_ascii=False)
    push_body = view.short_summary
    if view.is_update and view.outlets:
        push_body = f"Now also reported by {_named(view.outlets, 3, 'outlets')}. {push_body}".strip()
    push = _Push(
        title=f"{mark}{view.headline}",
        subtitle=_shorten(view.source, 60),
        body=push_body or _join_words(view.labels),
        collapse=view.collapse,
        urgency=alert.urgency,
        deep_link=view.deep_link,
        link=view.link,
        data={
            "kind": "alert",
            **{name: value for name, value in view.ids.items() if value},
            "update": str(alert.update),
            "urgency": alert.urgency.value,
        },
    )
    messages = {
        "default": email,
        "email": email,
        "sms": _sms(mark.upper(), view.headline, _shorten(view.source, 40, ellipsis="..."), view.link),
        "https": document,
        "http": document,
        **_push_messages(push),
    }
    attributes = _attributes(
        view.topics,
        view.collapse,
        alert.urgency,
        {
            "kind": "alert",
            "urgency": alert.urgency.value,
            "language": alert.language,
            "source": view.source,
            "story_id": view.ids["story_id"],
            "alert_id": view.ids["alert_id"],
        },
        {"update": alert.update},
    )
    subject = _subject(prefix, view.headline, view.named_topics, view.source, alert.language)
    return Publication(subject=subject, messages=messages, attributes=attributes)


# --------------------------------------------------------------------------------- digests


def _digest_label(digest: Digest) -> str:
    return _clean(digest.topic_label, LABEL_LIMIT) or digest.topic


def _stories(count: int) -> str:
    return "1 more story" if count == 1 else f"{count} more stories"


def _period(digest: Digest) -> str:
    start, end = digest.period_start.astimezone(UTC), digest.period_end.astimezone(UTC)
    if start.date() == end.date():
        return f"{_date_time(start)} to {end:%H:%M} UTC"
    return f"{_date_time(start)} to {_date_time(end)} UTC"


@dataclass(frozen=True)
class _Entry:
    entry: DigestEntry
    headline: str
    source: str
    link: str | None
    deep_link: str


def _entries(digest: Digest, settings: RenderSettings, listed: int) -> list[_Entry]:
    entries = []
    for entry in digest.entries[:listed]:
        story_id = _clean(entry.story_id, ID_LIMIT)
        entries.append(
            _Entry(
                entry=entry,
                headline=_clean(entry.title, DIGEST_TITLE_LIMIT) or "(no headline)",
                source=_clean(entry.source, SOURCE_LIMIT),
                link=safe_link(entry.url),
                deep_link=_deep_link(settings, "story", story_id),
            )
        )
    return entries


def _digest_email(digest: Digest, label: str, entries: Sequence[_Entry], settings: RenderSettings) -> str:
    count = len(digest.entries)
    lines = [
        f"{_stories(count)} on {label}, {_period(digest)}.",
        f"You follow {label}. These routine stories came after its hourly alert limit was reached, "
        "so they are sent together, once an hour, instead of one by one.",
        "",
    ]
    for number, item in enumerate(entries, start=1):
        byline = ", ".join(
            part for part in (item.source, f"{_date_time(item.entry.published.astimezone(UTC))} UTC") if part
        )
        lines.append(f"{number}. {item.headline}")
        lines.append(f"   {byline}")
        if item.link:
            lines.append(f"   {item.link}")
        lines.append("")
    if count > len(entries):
        lines += [f"…and {count - len(entries)} more, not listed here.", ""]
    lines.append(plain(settings.unsubscribe_hint))
    return "\n".join(lines)


def _digest_document(digest: Digest, label: str, entries: Sequence[_Entry], settings: RenderSettings) -> dict[str, Any]:
    listed = []
    for item in entries:
        document = _plain_strings(item.entry.model_dump(mode="json"))
        document.update(
            story_id=_clean(item.entry.story_id, ID_LIMIT),
            article_id=_clean(item.entry.article_id, ID_LIMIT),
            title=_text(item.entry.title, DIGEST_TITLE_LIMIT, one_line=False)[0],
            source=item.source,
            url=item.link,
            link=item.link,
            deep_link=item.deep_link,
        )
        listed.append(document)
    return {
        "kind": "digest",
        "digest_id": _clean(digest.digest_id, ID_LIMIT),
        "topic": digest.topic,
        "topic_label": label,
        "period_start": digest.model_dump(mode="json")["period_start"],
        "period_end": digest.model_dump(mode="json")["period_end"],
        "count": len(digest.entries),
        "entries": listed,
        "deep_link": _deep_link(settings, "topic", digest.topic),
    }


def _render_digest(digest: Digest, settings: RenderSettings, listed: int) -> Publication:
    label = _digest_label(digest)
    count = len(digest.entries)
    entries = _entries(digest, settings, listed)
    first = entries[0]
    email = _digest_email(digest, label, entries, settings)
    document = json.dumps(_digest_document(digest, label, entries, settings), ensure_ascii=False)
    collapse = collapse_id(f"digest-{digest.topic}")
    digest_id = _clean(digest.digest_id, ID_LIMIT)
    push = _Push(
        title=f"{_stories(count)} on {label}",
        subtitle="",
        body=first.headline + (f" (and {count - 1} more)" if count > 1 else ""),
        collapse=collapse,
        urgency=Urgency.ROUTINE,
        deep_link=_deep_link(settings, "topic", digest.topic),
        link=None,
        data={"kind": "digest", "topic": digest.topic, "count": str(count)}
        | ({"digest_id": digest_id} if digest_id else {}),
    )
    sms_lead = f"Digest: {_stories(count)} on {_shorten(label, 40, ellipsis='...')}. First: "
    subject_label = _readable_ascii(label) or digest.topic
    messages = {
        "default": email,
        "email": email,
        "sms": _sms(sms_lead, first.headline, "", first.link),
        "https": document,
        "http": document,
        **_push_messages(push),
    }
    attributes = _attributes(
        [digest.topic],
        collapse,
        Urgency.ROUTINE,
        {"kind": "digest", "urgency": Urgency.ROUTINE.value, "digest_id": digest_id},
        {},
    )
    return Publication(
        subject=_fit_subject(f"Digest: {_stories(count)} on {subject_label}"), messages=messages, attributes=attributes
    )


def render_digest(digest: Digest, settings: RenderSettings = DEFAULT_SETTINGS) -> Publication:
    """Everything one publish of ``digest`` needs: a numbered list of its stories, routed to its topic.

    Lists up to ``DIGEST_LISTED`` stories (fewer when their links are so long that the publish
    would pass ``MESSAGE_BUDGET``); the count always says how many there are.
    """
    listed = min(len(digest.entries), DIGEST_LISTED)
    publication = _render_digest(digest, settings, listed)
    while publication.size() > MESSAGE_BUDGET and listed > 1:
        listed = max(1, listed // 2)
        publication = _render_digest(digest, settings, listed)
    return publication
