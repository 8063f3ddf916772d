"""When an article was published: reading written times, and settling the time to record.

Sources write times in many ways ("04 July 2024, 1:29 PM", "Thursday, July 4, 2024
13:29", ISO 8601...) and often in their own zone without saying so; ``parse_when_line``
and ``parse_timestamp`` read them, and ``localize`` places a naive time in the source's
zone. ``settle_published`` then decides what every ingest path records: the time
given, or the arrival time with a flag when the given time is missing or impossible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from newsalert.flags import FLAG_PUBLISHED_IN_FUTURE, FLAG_PUBLISHED_MISSING
from newsalert.sources import SourceProfile

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of its arrival an article's time may be before it counts as wrong (clock skew)."""


def settle_published(published: datetime | None, received_at: datetime) -> tuple[datetime, tuple[str, ...]]:
    """The publication time to record, and the flags saying why it is not the one printed.

    A missing time becomes the arrival time; a time more than a few minutes
    after arrival cannot be true (wrong zone, typo) and is clamped to it.
    """
    if published is None:
        return received_at, (FLAG_PUBLISHED_MISSING,)
    if published > received_at + FUTURE_TOLERANCE:
        return received_at, (FLAG_PUBLISHED_IN_FUTURE,)
    return published, ()


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
    if when.tzinfo is None:
        when = when.replace(tzinfo=profile.zone)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        return None


def parse_timestamp(text: str, profile: SourceProfile) -> datetime | None:
    """A time written in ISO 8601 or one of the formats of ``parse_when_line``, in UTC; None if unreadable."""
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        line = parse_when_line(text)
        if line is None:
            return None
        when = line.date
    return localize(when, profile)
