"""Written times are read in the outlet's zone; the time recorded is settled against arrival."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsalert.flags import FLAG_PUBLISHED_IMPLAUSIBLE, FLAG_PUBLISHED_IN_FUTURE, FLAG_PUBLISHED_MISSING
from newsalert.ingest.published import (
    FUTURE_TOLERANCE,
    ZONE_REACH,
    localize,
    parse_timestamp,
    parse_when_line,
    settle_published,
)
from newsalert.ingest.sources import SourceProfile

RECEIVED = datetime(2024, 7, 4, 7, 0, tzinfo=UTC)
DHAKA = SourceProfile(name="Dhaka Daily", timezone="Asia/Dhaka")
"""An outlet that prints its times in Dhaka time (UTC+6) without saying so."""

TIMESTAMP_LINES = [
    "04 July 2024, 1:29 PM",
    "4 July 2024 1:29 pm",
    "Thursday, 04 July 2024, 1:29 PM",
    "July 4, 2024 13:29",
    "Thu, July 4, 2024 1:29 p.m.",
    "Jul 4th, 2024 at 13:29",
    "2024-07-04 13:29",
    "2024-07-04T13:29:00",
    "2024-07-04T07:29:00Z",
    "2024-07-04T13:29:00+06:00",
    "2024-07-04 07:29 UTC",
    "Published: 04 July 2024 | 13:29",
]
"""Ways of writing 13:29 in Dhaka on 4 July 2024 (07:29 UTC) that sources use."""


# ------------------------------------------------------------------ settling the time


def test_a_plausible_time_is_kept_without_flags() -> None:
    published = RECEIVED - timedelta(hours=2)

    assert settle_published(published, RECEIVED) == (published, ())


def test_a_missing_time_becomes_the_arrival_time_and_is_flagged() -> None:
    assert settle_published(None, RECEIVED) == (RECEIVED, (FLAG_PUBLISHED_MISSING,))


def test_a_time_in_the_future_is_clamped_to_arrival_and_flagged() -> None:
    assert settle_published(RECEIVED + timedelta(hours=2), RECEIVED) == (RECEIVED, (FLAG_PUBLISHED_IN_FUTURE,))


def test_a_time_further_ahead_than_any_zone_is_flagged_implausible_as_well() -> None:
    both = (RECEIVED, (FLAG_PUBLISHED_IN_FUTURE, FLAG_PUBLISHED_IMPLAUSIBLE))
    assert settle_published(datetime(9999, 12, 31, tzinfo=UTC), RECEIVED) == both
    assert settle_published(RECEIVED + ZONE_REACH + timedelta(seconds=1), RECEIVED) == both
    # A wrong zone can put a time up to 26 hours ahead: clamped, but not called a broken source
    assert settle_published(RECEIVED + ZONE_REACH, RECEIVED) == (RECEIVED, (FLAG_PUBLISHED_IN_FUTURE,))


def test_clock_skew_up_to_the_tolerance_is_not_the_future() -> None:
    at_the_limit = RECEIVED + FUTURE_TOLERANCE

    assert settle_published(at_the_limit, RECEIVED) == (at_the_limit, ())
    assert settle_published(at_the_limit + timedelta(seconds=1), RECEIVED) == (RECEIVED, (FLAG_PUBLISHED_IN_FUTURE,))


def test_times_in_other_zones_are_compared_as_instants() -> None:
    # 12:30 in Dhaka is 06:30 UTC: before arrival, although the wall-clock figure is later.
    in_dhaka = datetime(2024, 7, 4, 12, 30, tzinfo=DHAKA.zone)

    assert settle_published(in_dhaka, RECEIVED) == (in_dhaka, ())


# ------------------------------------------------------------------- reading lines


@pytest.mark.parametrize("line", TIMESTAMP_LINES)
def test_each_timestamp_line_is_read_in_the_outlets_zone(line: str) -> None:
    when = parse_when_line(line)

    assert when is not None
    assert when.has_time
    assert localize(when.date, DHAKA) == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)


@pytest.mark.parametrize("text", TIMESTAMP_LINES)
def test_each_timestamp_is_read_by_parse_timestamp_too(text: str) -> None:
    assert parse_timestamp(text, DHAKA) == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)


@pytest.mark.parametrize(
    "line", ["Dhaka Sunday, 07 July, 2024", "New Delhi, July 7, 2024", "Rio de Janeiro Sun 7 Jul 2024", "07 July 2024"]
)
def test_a_dateline_is_a_date_without_a_time(line: str) -> None:
    when = parse_when_line(line)

    assert when is not None
    assert not when.has_time
    assert when.date == datetime(2024, 7, 7)


def test_midnight_and_noon_on_the_twelve_hour_clock() -> None:
    midnight = parse_when_line("04 July 2024, 12:05 AM")
    noon = parse_when_line("04 July 2024, 12:05 PM")

    assert midnight is not None
    assert midnight.date == datetime(2024, 7, 4, 0, 5)
    assert noon is not None
    assert noon.date == datetime(2024, 7, 4, 12, 5)


@pytest.mark.parametrize(
    "line",
    [
        "31 June 2024, 1:29 PM",  # no such day
        "04 July 2024, 25:00",  # no such hour
        "04 July 2024, 13:29 PM",  # no such hour on a twelve-hour clock
        "Xi Jinping holds talks with Vladimir Putin",  # a headline
        "Talks on 04 July 2024 went well",  # a sentence that holds a date
        "Dhaka " + "very " * 30 + "04 July 2024",  # too long to be a line of its own
    ],
)
def test_a_line_that_is_not_only_a_date_is_not_read(line: str) -> None:
    assert parse_when_line(line) is None


def test_an_unreadable_timestamp_is_none() -> None:
    assert parse_timestamp("yesterday afternoon", DHAKA) is None


def test_localize_keeps_an_offset_the_time_carries_and_gives_utc() -> None:
    # Written with its own offset (here New York's summer time), so the outlet's zone does not apply.
    carried = datetime(2024, 7, 4, 3, 29, tzinfo=timezone(timedelta(hours=-4)))

    localized = localize(carried, DHAKA)

    assert localized == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert localized.tzinfo is UTC


@pytest.mark.parametrize(
    "when",
    [
        datetime(1, 1, 1, 1, 0),  # naive, read in Dhaka (UTC+6): 31 December of year 0 in UTC
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=6))),
        datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-6))),  # year 10000 in UTC
    ],
)
def test_a_time_with_no_utc_equivalent_is_not_a_time(when: datetime) -> None:
    assert localize(when, DHAKA) is None
    assert parse_timestamp(when.isoformat(), DHAKA) is None
