"""When an article was published: reading written times, and settling the time to record.

Sources write times in many ways ("04 July 2024, 1:29 PM", "Thursday, July 4, 2024
13:29", ISO 8601...) and often in their own zone without saying so; ``parse_when_line``
and ``parse_timestamp`` read them, and ``localize`` places a naive time in the source's
zone; ``parse_feed_date`` reads the RFC 822 and RFC 3339 times of feeds, which may lack
their offset too. ``settle_published`` then decides what every ingest path records: the time
given, or the arrival time with a flag when the given time is missing or impossible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from newsalert.flags import (
    FLAG_PUBLISHED_DATE_ONLY,
    FLAG_PUBLISHED_IMPLAUSIBLE,
    FLAG_PUBLISHED_IN_FUTURE,
    FLAG_PUBLISHED_MISSING,
    FLAG_PUBLISHED_WITHOUT_ZONE,
)
from newsalert.ingest.sources import SourceProfile

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of its arrival an article's time may be before it counts as wrong (clock skew)."""
ZONE_REACH = timedelta(hours=26)
"""The furthest a wrong time zone can move a time (UTC+14 read as UTC-12): beyond it, a broken source."""


def settle_published(published: datetime | None, received_at: datetime) -> tuple[datetime, tuple[str, ...]]:
    """The publication time to record, and the flags saying why it is not the one printed.

    A missing time becomes the arrival time; a time more than a few minutes
    after arrival cannot be true (wrong zone, typo) and is clamped to it; a time
    further ahead than any zone could put it is flagged as implausible as well.
    """
    if published is None:
        return received_at, (FLAG_PUBLISHED_MISSING,)
    if published > received_at + ZONE_REACH:
        return received_at, (FLAG_PUBLISHED_IN_FUTURE, FLAG_PUBLISHED_IMPLAUSIBLE)
    if published > received_at + FUTURE_TOLERANCE:
        return received_at, (FLAG_PUBLISHED_IN_FUTURE,)
    return published, ()


def read_given_time(
    given: datetime | date, zone: tzinfo, received_at: datetime
) -> tuple[datetime | None, tuple[str, ...]]:
    """A publication time as a newsroom system or a labelled file gives it, in UTC, with the flags it earns.

    Never refused over its form: a time without an offset is read in ``zone`` (the outlet's, else
    UTC) and flagged; a day without a time stands for that day's last moment in ``zone``, or the
    arrival time when that is earlier (a story dated today is as fresh as its arrival), and is
    flagged. None (no flag) for a time with no UTC equivalent, which the caller treats as missing.
    """
    if isinstance(given, datetime):
        flags = (FLAG_PUBLISHED_WITHOUT_ZONE,) if given.tzinfo is None else ()
        return localize_in(given, zone), flags
    try:
        day_end = datetime.combine(given + timedelta(days=1), time(), tzinfo=zone) - timedelta(microseconds=1)
    except OverflowError:  # the last day datetime can hold
        day_end = datetime.combine(given, time.max, tzinfo=zone)
    when = localize_in(day_end, zone)
    return (None if when is None else min(when, received_at)), (FLAG_PUBLISHED_DATE_ONLY,)


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


def localize(when: datetime, profile: SourceProfile) -> datetime | None:
    """An aware UTC time: a naive time is read in the outlet's time zone.

    None for a time that has no UTC equivalent: within hours of 1 January of year 1
    (or 31 December 9999) a zone's offset takes it outside the years datetime can hold.
    A source that writes such a time has not told us when it published.
    """
    return localize_in(when, profile.zone)


def localize_in(when: datetime, zone: tzinfo) -> datetime | None:
    """As ``localize``, with the zone given directly."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _read_written_time(text: str) -> datetime | None:
    """ISO 8601, or one of the formats of ``parse_when_line``; naive when the text has no offset."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        line = parse_when_line(text)
        return None if line is None else line.date


def parse_timestamp(text: str, profile: SourceProfile) -> datetime | None:
    """A time written in ISO 8601 or one of the formats of ``parse_when_line``, in UTC; None if unreadable."""
    when = _read_written_time(text.strip())
    return None if when is None else localize(when, profile)


# RFC 822 as feeds write it: "Thu, 04 Jul 2024 08:52:00 +0000", often without the
# weekday or the seconds, sometimes with a full month name or a two-digit year.
_RFC822 = re.compile(
    r"(?:[a-z]{2,9}\.?,?\s+)?"
    rf"{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}}|\d{{2}})"
    r"(?:\s+|T)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<zone>[+-]\d{2}:?\d{2}|[a-z]{1,5}))?",
    re.IGNORECASE,
)
# Zone names feeds use. "-0000", military letters and unknown names mean "local time,
# offset not known" (RFC 2822), so the source's zone applies to them.
_ZONE_NAMES = {
    "ut": 0,
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "wet": 0,
    "west": 1,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "sgt": 8,
    "hkt": 8,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
}


def _rfc822_zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    lowered = text.lower()
    if lowered in _ZONE_NAMES:
        return timezone(timedelta(hours=_ZONE_NAMES[lowered]))
    if lowered[0] == "+" or (lowered[0] == "-" and lowered[1:].replace(":", "").strip("0")):
        return _zone_of(lowered)
    return None  # "-0000" (RFC 2822's "offset unknown"), or a zone name we do not know


def _read_rfc822(text: str) -> datetime | None:
    match = _RFC822.fullmatch(text)
    if match is None:
        return None
    parts = match.groupdict()
    year = int(parts["year"])
    if len(parts["year"]) == 2:  # RFC 2822: 00-49 are 2000-2049, 50-99 are 1950-1999
        year += 2000 if year < 50 else 1900
    try:
        return datetime(
            year,
            _MONTHS[parts["month"].lower()],
            int(parts["day"]),
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"] or 0),
            tzinfo=_rfc822_zone(parts["zone"]),
        )
    except ValueError:  # 31 February, 25:00, a zone offset beyond a day
        return None


def parse_feed_date(text: str, zone: tzinfo) -> datetime | None:
    """A feed's date (RFC 822, RFC 3339 / ISO 8601, or a common written form) in UTC, or None.

    A time without an offset is read in ``zone``: feeds of local outlets often write
    their own wall-clock time and nothing else.
    """
    text = " ".join(text.split())
    if not text or len(text) > _MAX_WHEN_LINE:
        return None
    when = _read_rfc822(text) or _read_written_time(text)
    return None if when is None else localize_in(when, zone)
