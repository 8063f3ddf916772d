"""The names of the doubts ingest records on an article (``Article.flags``).

An article that could be built, but not quite as its source meant, carries flags
instead of being refused; operators see them, and classify reads some of them (an
article whose time is missing counts as fresh). Every stage uses the names from here,
so a producer and a reader of a flag cannot spell it differently.
"""

from __future__ import annotations

FLAG_PUBLISHED_MISSING = "published-missing"
"""No publication time could be read; the arrival time stands in for it."""
FLAG_PUBLISHED_IN_FUTURE = "published-in-future"
"""The publication time was later than the arrival time (wrong zone, typo); it was clamped to arrival."""
FLAG_PUBLISHED_IMPLAUSIBLE = "published-implausible"
"""The publication time was more than a day after the arrival time, further than any zone could put
it (year 9999, a placeholder): a broken source. Clamped to arrival, and never taken as fresh."""
FLAG_BODY_MISSING = "body-missing"
"""The article has a headline but no text."""
FLAG_URL_INVALID = "url-invalid"
"""The article named a link that is not a usable web address; it is kept without one."""
FLAG_TEXT_TRUNCATED = "text-truncated"
"""A title, summary or body was longer than newsalert keeps, and was cut at a word."""


def flag_decoded_as(encoding: str) -> str:
    """The flag of a file that was not UTF-8 and was decoded as ``encoding``: it may read wrongly."""
    return f"decoded-as-{encoding}"


FLAG_PUBLISHED_WITHOUT_ZONE = "published-without-zone"
"""The publication time had no offset: it was read in the outlet's zone (UTC when the outlet is not known)."""
FLAG_PUBLISHED_DATE_ONLY = "published-date-only"
"""Only the publication day was given: the time taken is that day's last moment, or the arrival time if earlier."""
