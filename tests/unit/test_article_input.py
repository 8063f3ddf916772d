"""JSON articles for the commands: dates are read, never a reason to refuse; ``text`` stands in for ``body``, and
a summary cut to its limit is kept whole as the body when there is none."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from newsalert.flags import FLAG_PUBLISHED_DATE_ONLY, FLAG_PUBLISHED_MISSING, FLAG_PUBLISHED_WITHOUT_ZONE
from newsalert.tools.article_input import InputArticle, article_from_json, read_json_lines

RECEIVED = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)


def _read(**fields: Any) -> tuple[datetime, tuple[str, ...]]:
    _, article = article_from_json({"title": "A title"} | fields, received_at=RECEIVED)
    return article.published, article.flags


def test_a_day_alone_is_read_as_that_day_s_last_moment_in_utc_and_flagged() -> None:
    # As ingest reads a pushed day: any time that day, so its last moment (the arrival, if that is earlier).
    last_moment = datetime(2021, 8, 3, 23, 59, 59, 999999, tzinfo=UTC)
    assert _read(published="2021-08-03") == (last_moment, (FLAG_PUBLISHED_DATE_ONLY,))


def test_a_time_without_a_zone_is_read_as_utc_and_flagged() -> None:
    assert _read(published="2021-08-03T14:05:00") == (
        datetime(2021, 8, 3, 14, 5, tzinfo=UTC),
        (FLAG_PUBLISHED_WITHOUT_ZONE,),
    )


def test_a_time_with_a_zone_is_taken_as_it_is() -> None:
    assert _read(published="2021-08-03T14:05:00+02:00") == (datetime(2021, 8, 3, 12, 5, tzinfo=UTC), ())


@pytest.mark.parametrize("published", [None, "", "last Tuesday", 12.5, ["2021"]])
def test_no_date_or_an_unreadable_one_leaves_the_arrival_time_flagged_missing(published: object) -> None:
    assert _read(published=published) == (RECEIVED, (FLAG_PUBLISHED_MISSING,))


def test_text_is_the_body_when_there_is_no_body() -> None:
    _, from_text = article_from_json({"title": "T", "text": "The  text."}, received_at=RECEIVED)
    _, both = article_from_json({"title": "T", "text": "ignored", "body": "The body."}, received_at=RECEIVED)

    assert from_text.body == "The text."
    assert both.body == "The body."


def test_a_summary_cut_to_300_characters_is_kept_whole_as_the_body_when_there_is_none() -> None:
    # As ingest keeps a pushed article, so that classify and explain read every word of a long lead.
    lead = "Ministers met for a second day of talks in the capital. " * 6 + "NATO was named last."
    _, cut = article_from_json({"title": "T", "summary": lead}, received_at=RECEIVED)
    _, short = article_from_json({"title": "T", "summary": "A short lead."}, received_at=RECEIVED)

    assert len(cut.summary) <= 300
    assert "NATO" not in cut.summary
    assert cut.body == lead.strip()
    assert short.body == ""


def test_a_null_source_is_the_unknown_source() -> None:
    [item] = list(read_json_lines(['{"id": "n1", "title": "T", "source": null}'], origin="x", received_at=RECEIVED))

    assert isinstance(item, InputArticle)
    assert item.article.source == "unknown"
