"""The ingest domain on in-memory adapters: every input ends queued, duplicate or quarantined, and says so."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from newsalert.flags import FLAG_PUBLISHED_IN_FUTURE, FLAG_PUBLISHED_MISSING
from newsalert.ingest.admission import Ingestor
from newsalert.ingest.formats.pushed_json import MAX_PUSHED_ITEMS
from newsalert.ingest.limits import (
    MAX_BODY_BYTES,
    MAX_BODY_LENGTH,
    MAX_JSON_BYTES,
    MAX_SUMMARY_LENGTH,
    MAX_TITLE_LENGTH,
)
from newsalert.ingest.sources import SourceCatalog, load_source_catalog
from newsalert.models import Fate, IngestOutcome
from tests.conftest import SAMPLE_ARTICLE, SAMPLE_NOW, SAMPLE_TITLE, SAMPLES
from tests.unit.fakes import FakeArticlesTable, FakeStageQueue

NOW_EPOCH = 1_720_085_400.0
"""The fake store's clock; this attempt's lease runs a minute past it."""
DEADLINE = NOW_EPOCH + 60
CATALOG: SourceCatalog = load_source_catalog()
RSS_SAMPLE = SAMPLES / "feed-rss.xml"
PUSHED_SAMPLE = SAMPLES / "pushed-articles.json"

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head>
  <title>Floods cut off Sylhet villages | Example Times</title>
  <meta property="og:site_name" content="Example Times">
  <meta property="article:published_time" content="2024-07-04T13:29:00+06:00">
  <link rel="canonical" href="https://www.example-times.com/news/sylhet-floods?utm_source=rss">
</head><body><article>
  <h1>Floods cut off Sylhet villages</h1>
  <p>Rivers burst their banks overnight, cutting off 200 villages.</p>
</article></body></html>
"""


def make_ingestor(store: FakeArticlesTable, queue: FakeStageQueue) -> Ingestor:
    # Ingestor's signature names the DynamoDB and SQS adapters; the fakes keep their methods and contracts.
    return Ingestor(store, queue, CATALOG, deadline=DEADLINE)


@pytest.fixture
def store() -> FakeArticlesTable:
    return FakeArticlesTable(clock=lambda: NOW_EPOCH)


@pytest.fixture
def queue() -> FakeStageQueue:
    return FakeStageQueue()


@pytest.fixture
def ingestor(store: FakeArticlesTable, queue: FakeStageQueue) -> Ingestor:
    return make_ingestor(store, queue)


def pushed(number: int = 1, **changes: Any) -> dict[str, Any]:
    """A valid pushed article; distinct ``number``s give distinct articles."""
    article: dict[str, Any] = {
        "title": f"Leaders meet at the SCO summit in Astana, day {number}",
        "source": "Example Newsroom",
        "published": (SAMPLE_NOW - timedelta(minutes=45)).isoformat(),
        "url": f"https://newsroom.example.net/world/sco-summit-day-{number}",
        "summary": "Leaders of the Shanghai Cooperation Organisation met in Astana.",
        "body": "Leaders of the Shanghai Cooperation Organisation met in Astana.\n\nThey agreed on a statement.",
    }
    return article | changes


def quarantined_reason(outcomes: list[IngestOutcome]) -> str:
    """The reason of the single outcome, which must be a quarantine."""
    [outcome] = outcomes
    assert outcome.fate is Fate.QUARANTINED
    assert outcome.reason
    return outcome.reason


# ------------------------------------------------------------------------------ files


def test_the_sample_article_file_is_queued_once_with_its_fields(
    ingestor: Ingestor, store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    key = "inbox/xi-putin-sco-astana.txt"

    [outcome] = ingestor.ingest_file(SAMPLE_ARTICLE.read_bytes(), key=key, received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    assert outcome.title == SAMPLE_TITLE
    assert outcome.origin == key
    assert outcome.reason is None
    [article] = queue.articles()
    assert article.id == outcome.article_id == queue.messages[0].article_id
    assert article.title == SAMPLE_TITLE
    assert article.source == "Bangladesh Global"
    assert article.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert article.received_at == SAMPLE_NOW
    assert article.url is None
    assert article.flags == ()
    assert article.body.startswith("Chinese President Xi Jinping met his Russian counterpart")
    record = store.article_item(article.id)
    assert record is not None
    assert record["status"] == "received"  # until classify gives it its fate: the hand-over costs no write


def test_an_html_page_is_queued_with_its_canonical_url_and_time(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    [outcome] = ingestor.ingest_file(PAGE, key="inbox/sylhet.html", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert article.title == "Floods cut off Sylhet villages"
    assert article.url == "https://www.example-times.com/news/sylhet-floods"
    assert article.source == "Example Times"
    assert article.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert article.body == "Rivers burst their banks overnight, cutting off 200 villages."


def test_a_feed_file_queues_each_story_once_and_its_repeat_is_a_duplicate(
    ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    outcomes = ingestor.ingest_file(RSS_SAMPLE.read_bytes(), key="inbox/feed-rss.xml", received_at=SAMPLE_NOW)

    fates = Counter(outcome.fate for outcome in outcomes)
    assert fates == {Fate.QUEUED: 4, Fate.DUPLICATE: 1}
    [duplicate] = [outcome for outcome in outcomes if outcome.fate is Fate.DUPLICATE]
    first = outcomes[0]
    # The fourth item is the first one again, its link dressed up with tracking parameters.
    assert duplicate.title == first.title == "Bangladesh beat Sri Lanka by six wickets to win Tri-Nation Cup final"
    assert duplicate.duplicate_of == first.article_id
    assert duplicate.reason == f"already ingested as {first.article_id}"
    assert len(queue.messages) == 4


def test_the_same_text_in_a_second_file_is_a_duplicate_of_the_first(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    data = SAMPLE_ARTICLE.read_bytes()
    [first] = ingestor.ingest_file(data, key="inbox/one.txt", received_at=SAMPLE_NOW)

    [again] = ingestor.ingest_file(data, key="inbox/copy-of-one.txt", received_at=SAMPLE_NOW)

    assert again.fate is Fate.DUPLICATE
    assert again.duplicate_of == first.article_id
    assert len(queue.messages) == 1


def test_an_article_stored_by_an_attempt_that_died_is_finished_by_the_retry(
    store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    data = SAMPLE_ARTICLE.read_bytes()
    # The first attempt stored the article, then died before the hand-over; its lease has run out.
    dead_attempt = Ingestor(store, FakeStageQueue(), CATALOG, deadline=0.0)
    [outcome] = dead_attempt.ingest_file(data, key="inbox/sample.txt", received_at=SAMPLE_NOW)
    assert outcome.article_id is not None
    store.articles[outcome.article_id].status = Fate.RECEIVED

    [retried] = make_ingestor(store, queue).ingest_file(data, key="inbox/sample.txt", received_at=SAMPLE_NOW)

    assert retried.fate is Fate.QUEUED
    assert [message.article_id for message in queue.messages] == [outcome.article_id]


class _QueueDown(FakeStageQueue):
    """SQS answering 500 to every send, after the retries the SDK made."""

    def send_many(self, bodies: list[tuple[BaseModel, str]]) -> None:
        raise RuntimeError("InternalError: SQS answered 500")


def test_an_article_that_could_not_be_handed_over_is_taken_by_the_immediate_retry_not_called_its_duplicate(
    store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    body = PUSHED_SAMPLE.read_bytes()
    # The first attempt claims the articles, then cannot reach the classify queue: the request fails.
    with pytest.raises(RuntimeError, match="SQS answered 500"):
        make_ingestor(store, _QueueDown()).ingest_pushed(body, origin="api:first", received_at=SAMPLE_NOW)
    claimed = [article_id for article_id, stored in store.articles.items() if stored.status is Fate.RECEIVED]
    assert claimed

    # The client retries at once, well within the first attempt's lease.
    outcomes = make_ingestor(store, queue).ingest_pushed(body, origin="api:retry", received_at=SAMPLE_NOW)

    assert {outcome.article_id for outcome in outcomes if outcome.fate is Fate.QUEUED} == set(claimed)
    assert sorted(message.article_id for message in queue.messages) == sorted(claimed)


def test_a_file_of_an_unsupported_kind_is_quarantined_naming_what_it_is(
    ingestor: Ingestor, store: FakeArticlesTable
) -> None:
    outcomes = ingestor.ingest_file(b"%PDF-1.7\n", key="inbox/report.pdf", received_at=SAMPLE_NOW)

    reason = quarantined_reason(outcomes)
    assert reason.startswith("a PDF document is not an article")
    [kept] = store.quarantined.values()
    assert kept.raw == b"%PDF-1.7\n"
    assert kept.origin == "inbox/report.pdf"


def test_an_empty_article_file_is_quarantined(ingestor: Ingestor) -> None:
    assert quarantined_reason(ingestor.ingest_file(b"", key="inbox/empty.txt", received_at=SAMPLE_NOW)) == (
        "file is empty"
    )


# ------------------------------------------------------------------------- pushed JSON


@pytest.mark.parametrize(
    ("body", "count"),
    [
        pytest.param(json.dumps(pushed(1)), 1, id="object"),
        pytest.param(json.dumps([pushed(1), pushed(2)]), 2, id="array"),
        pytest.param(f"{json.dumps(pushed(1))}\n\n{json.dumps(pushed(2))}\n", 2, id="json-lines"),
        pytest.param(json.dumps([pushed(1)]).encode("utf-8-sig"), 1, id="bytes-with-bom"),
    ],
)
def test_pushed_json_articles_are_each_queued(body: str | bytes, count: int, ingestor: Ingestor) -> None:
    outcomes = ingestor.ingest_pushed(body, origin="api:request-1", received_at=SAMPLE_NOW)

    assert [outcome.fate for outcome in outcomes] == [Fate.QUEUED] * count
    assert [outcome.origin for outcome in outcomes] == [f"api:request-1#{index}" for index in range(count)]


def test_a_pushed_article_is_normalised(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    item = pushed(
        title="  Leaders   meet in Astana ",
        url="https://NEWSROOM.example.net/world/astana?utm_source=push",
        published="2024-07-04T14:45:00+06:00",
    )

    ingestor.ingest_pushed(json.dumps(item), origin="api:1", received_at=SAMPLE_NOW)

    [article] = queue.articles()
    assert article.title == "Leaders meet in Astana"
    assert article.url == "https://newsroom.example.net/world/astana"
    assert article.published == datetime(2024, 7, 4, 8, 45, tzinfo=UTC)
    assert article.flags == ()


def test_a_pushed_article_dated_in_the_future_is_clamped_to_arrival_and_flagged(
    ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    three_hours_ahead = (SAMPLE_NOW + timedelta(hours=3)).astimezone(timezone(timedelta(hours=6)))

    [outcome] = ingestor.ingest_pushed(
        json.dumps(pushed(published=three_hours_ahead.isoformat())), origin="api:1", received_at=SAMPLE_NOW
    )

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert article.published == SAMPLE_NOW
    assert article.flags == (FLAG_PUBLISHED_IN_FUTURE,)


def test_a_bad_item_is_quarantined_alone_with_its_reason(ingestor: Ingestor, store: FakeArticlesTable) -> None:
    outcomes = ingestor.ingest_file(PUSHED_SAMPLE.read_bytes(), key="inbox/pushed.json", received_at=SAMPLE_NOW)

    good, bad = outcomes
    assert good.fate is Fate.QUEUED
    assert bad.fate is Fate.QUARANTINED
    assert bad.reason == "title: Field required"
    assert bad.origin == "inbox/pushed.json#1"
    assert bad.article_id in store.quarantined


def test_more_than_the_maximum_of_pushed_articles_is_one_quarantine(
    ingestor: Ingestor, store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    items = [pushed(number) for number in range(MAX_PUSHED_ITEMS + 1)]

    outcomes = ingestor.ingest_pushed(json.dumps(items), origin="api:1", received_at=SAMPLE_NOW)

    assert quarantined_reason(outcomes) == (
        f"{MAX_PUSHED_ITEMS + 1} articles in one request; at most {MAX_PUSHED_ITEMS} are accepted"
    )
    assert len(store.quarantined) == 1
    assert queue.messages == []


def test_the_maximum_of_pushed_articles_is_accepted(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    items = [pushed(number) for number in range(MAX_PUSHED_ITEMS)]

    outcomes = ingestor.ingest_pushed(json.dumps(items), origin="api:1", received_at=SAMPLE_NOW)

    assert len(outcomes) == len(queue.messages) == MAX_PUSHED_ITEMS


@pytest.mark.parametrize("body", [b"", "", " \r\n\t", b"\xef\xbb\xbf"])
def test_an_empty_request_is_quarantined(body: str | bytes, ingestor: Ingestor) -> None:
    reason = quarantined_reason(ingestor.ingest_pushed(body, origin="api:1", received_at=SAMPLE_NOW))

    assert reason.startswith("the request body is empty")


@pytest.mark.parametrize("body", ["{not json", '{"title": "unfinished"', "<article>no</article>"])
def test_a_request_that_is_not_json_is_quarantined(body: str, ingestor: Ingestor) -> None:
    reason = quarantined_reason(ingestor.ingest_pushed(body, origin="api:1", received_at=SAMPLE_NOW))

    assert reason.startswith("not valid JSON: ")


def test_an_empty_array_is_quarantined(ingestor: Ingestor) -> None:
    quarantined_reason(ingestor.ingest_pushed("[]", origin="api:1", received_at=SAMPLE_NOW))


# ---------------------------------------------------- times no source could mean


def test_a_pushed_time_with_no_utc_equivalent_counts_as_missing(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    item = pushed(published="0001-01-01T00:00:00+06:00")

    [outcome] = ingestor.ingest_pushed(json.dumps(item), origin="api:1", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert (article.published, article.flags) == (SAMPLE_NOW, (FLAG_PUBLISHED_MISSING,))


@pytest.mark.parametrize(
    ("source", "written", "published", "flag"),
    [
        # A configured outlet's zone (Bangladesh Global: Asia/Dhaka, UTC+6) reads its bare times.
        ("Bangladesh Global", "2024-07-04T13:29:00", datetime(2024, 7, 4, 7, 29, tzinfo=UTC), "published-without-zone"),
        # An outlet newsalert does not know: UTC.
        ("City Desk", "2024-07-04T07:29:00", datetime(2024, 7, 4, 7, 29, tzinfo=UTC), "published-without-zone"),
        # A day alone, the arrival's day: as fresh as the arrival.
        ("City Desk", "2024-07-04", SAMPLE_NOW, "published-date-only"),
        # A day alone, the day before: its last moment in the outlet's zone (midnight in Dhaka is 18:00 UTC).
        (
            "Bangladesh Global",
            "2024-07-03",
            datetime(2024, 7, 3, 17, 59, 59, 999999, tzinfo=UTC),
            "published-date-only",
        ),
    ],
)
def test_a_pushed_time_without_a_zone_is_read_in_the_outlet_s_zone_and_flagged(
    source: str, written: str, published: datetime, flag: str, ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    item = pushed(published=written, source=source)

    [outcome] = ingestor.ingest_pushed(json.dumps(item), origin="api:1", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert article.published == published
    assert article.flags == (flag,)


def test_a_pushed_article_of_a_configured_outlet_carries_its_zone(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    ingestor.ingest_pushed(json.dumps(pushed(source="Bangladesh Global")), origin="api:1", received_at=SAMPLE_NOW)

    [article] = queue.articles()
    assert article.source_timezone == "Asia/Dhaka"


@pytest.mark.parametrize(
    ("key", "data"),
    [
        pytest.param(
            "inbox/page.html",
            b'<meta property="article:published_time" content="0001-01-01T00:00:00+06:00">'
            b"<h1>Headline</h1><p>Body.</p>",
            id="html",
        ),
        pytest.param("inbox/story.txt", b"Headline\n0001-01-01 01:00 +06:00\nBody.", id="raw-text"),
        pytest.param(
            "inbox/feed.xml",
            b'<rss version="2.0"><channel><title>Wire</title><item><title>Headline</title>'
            b"<link>https://example.com/a</link><pubDate>0001-01-01T00:00:00+06:00</pubDate></item></channel></rss>",
            id="feed",
        ),
    ],
)
def test_a_file_time_with_no_utc_equivalent_counts_as_missing(
    key: str, data: bytes, ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    # Midnight of 1 January, year 1, six hours ahead of UTC: in UTC it would fall in year 0.
    [outcome] = ingestor.ingest_file(data, key=key, received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert article.published == SAMPLE_NOW
    assert article.flags == (FLAG_PUBLISHED_MISSING,)


# ------------------------------------------------------------------------- accounting


def assert_every_outcome_accounted_for(
    outcomes: list[IngestOutcome], store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    """Each outcome is exactly one of queued, duplicate or quarantined, and the adapters agree."""
    for outcome in outcomes:
        if outcome.fate is Fate.QUEUED:
            assert outcome.reason is None
            assert outcome.duplicate_of is None
            assert outcome.article_id is not None
            assert store.articles[outcome.article_id].status is Fate.RECEIVED
            assert outcome.article_id in {message.article_id for message in queue.messages}
        elif outcome.fate is Fate.DUPLICATE:
            assert outcome.duplicate_of in store.articles
            assert outcome.reason
        else:
            assert outcome.fate is Fate.QUARANTINED
            assert outcome.reason
            assert outcome.duplicate_of is None
            assert outcome.article_id in store.quarantined
            assert store.quarantined[outcome.article_id].reason == outcome.reason
    queued = Counter(outcome.article_id for outcome in outcomes if outcome.fate is Fate.QUEUED)
    sent = Counter(message.article_id for message in queue.messages)
    assert sent == queued
    assert set(sent.values()) <= {1}


def test_a_mixed_batch_has_one_outcome_for_each_thing_that_entered_and_no_more(
    ingestor: Ingestor, store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    sample = SAMPLE_ARTICLE.read_bytes()
    rss = RSS_SAMPLE.read_bytes()
    pushed_sample = PUSHED_SAMPLE.read_bytes()
    json_lines = "\n".join(json.dumps(item) for item in (pushed(1), pushed(2), {"title": "no source"}, pushed(1)))
    too_many = json.dumps([pushed(number) for number in range(MAX_PUSHED_ITEMS + 1)])
    # How many articles or items each input holds, each with what ingest made of it.
    batch: list[tuple[int, list[IngestOutcome]]] = [
        (1, ingestor.ingest_file(sample, key="inbox/sample.txt", received_at=SAMPLE_NOW)),
        (1, ingestor.ingest_file(PAGE, key="inbox/page.html", received_at=SAMPLE_NOW)),
        (rss.count(b"<item>"), ingestor.ingest_file(rss, key="inbox/feed-rss.xml", received_at=SAMPLE_NOW)),
        (
            len(json.loads(pushed_sample)),
            ingestor.ingest_file(pushed_sample, key="inbox/pushed.json", received_at=SAMPLE_NOW),
        ),
        (4, ingestor.ingest_pushed(json_lines, origin="api:lines", received_at=SAMPLE_NOW)),
        (1, ingestor.ingest_pushed(too_many, origin="api:too-many", received_at=SAMPLE_NOW)),
        (1, ingestor.ingest_pushed(b"", origin="api:empty", received_at=SAMPLE_NOW)),
        (1, ingestor.ingest_pushed("{not json", origin="api:garbled", received_at=SAMPLE_NOW)),
        (1, ingestor.ingest_file(b"PK\x03\x04", key="inbox/archive.zip", received_at=SAMPLE_NOW)),
        (1, ingestor.ingest_file(sample, key="inbox/sample-again.txt", received_at=SAMPLE_NOW)),
    ]

    for entered, outcomes in batch:
        assert len(outcomes) == entered
    everything = [outcome for _, outcomes in batch for outcome in outcomes]
    assert len(everything) == sum(entered for entered, _ in batch)
    assert_every_outcome_accounted_for(everything, store, queue)
    # Every kind of outcome is in the batch, so the checks above were not vacuous.
    assert Counter(outcome.fate for outcome in everything) == {
        Fate.QUEUED: 1 + 1 + 4 + 1 + 2,
        Fate.DUPLICATE: 1 + 1 + 1,
        Fate.QUARANTINED: 1 + 1 + 1 + 1 + 1 + 1,
    }


# ---------------------------------------------------------------------- any JSON at all

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)
# Random JSON almost never makes a valid article, so article-shaped objects with random field
# values are mixed in: they reach the store and the queue, and settle_published.
ARTICLE_SHAPED = st.fixed_dictionaries(
    {
        "title": st.text(max_size=30) | JSON_VALUES,
        "source": st.text(max_size=30) | JSON_VALUES,
        "published": st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=6))])).map(
            datetime.isoformat
        )
        | JSON_VALUES,
    },
    optional={
        "url": st.sampled_from(["https://example.com/a", "javascript:void(0)", ""]) | JSON_VALUES,
        "body": st.text(max_size=60),
        "language": st.sampled_from(["en", "bn", "EN", "english"]),
    },
)
# An empty array is left out: it gets no outcome at all (see test_an_empty_array_is_quarantined).
PUSHED_BODIES = (JSON_VALUES | ARTICLE_SHAPED | st.lists(ARTICLE_SHAPED | JSON_VALUES, max_size=6)).filter(
    lambda value: value != []
)


@given(PUSHED_BODIES)
def test_any_json_gets_an_outcome_for_each_item_and_never_an_exception(value: Any) -> None:
    store, queue = FakeArticlesTable(clock=lambda: NOW_EPOCH), FakeStageQueue()

    outcomes = make_ingestor(store, queue).ingest_pushed(json.dumps(value), origin="api:1", received_at=SAMPLE_NOW)

    assert outcomes
    assert len(outcomes) == (len(value) if isinstance(value, list) else 1)
    queued_so_far: set[str | None] = set()
    for outcome in outcomes:
        if outcome.fate is Fate.QUEUED:
            queued_so_far.add(outcome.article_id)
        elif outcome.fate is Fate.DUPLICATE:
            # Only two equal articles in one request make a duplicate: of the one queued before it.
            assert outcome.duplicate_of in queued_so_far
        else:
            assert outcome.reason
    assert_every_outcome_accounted_for(outcomes, store, queue)


def test_the_intake_ledger_holds_every_item_of_a_feed_once_however_often_it_is_polled() -> None:
    # Given the sample feed, which lists one story twice (once with tracking parameters)
    store, queue = FakeArticlesTable(clock=lambda: NOW_EPOCH), FakeStageQueue()
    ingestor = Ingestor(store, queue, CATALOG, deadline=DEADLINE)
    feed = (SAMPLES / "feed-rss.xml").read_bytes()
    url = "https://news.example.com/feed.xml"

    # When it is polled twice
    first = ingestor.admit_feed(feed, feed_url=url, received_at=SAMPLE_NOW).outcomes
    ingestor.admit_feed(feed, feed_url=url, received_at=SAMPLE_NOW)

    # Then the ledger has one entry per item, as the first poll saw it
    ledger = store.intake(url)
    assert len(ledger) == len(first)
    assert sorted(outcome.fate for outcome in ledger) == sorted(outcome.fate for outcome in first)
    assert [outcome.fate for outcome in ledger].count(Fate.DUPLICATE) == 1


def test_a_pushed_body_that_is_not_utf8_is_quarantined_naming_the_byte_not_read_with_replacements(
    ingestor: Ingestor, store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    body = '{"title": "Pétin visits Astana", "source": "Wire", "published": "2024-07-04T09:00:00Z"}'.encode("latin-1")

    [outcome] = ingestor.ingest_pushed(body, origin="api:latin1", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUARANTINED
    assert outcome.reason == "the body is not UTF-8 (byte 0xe9 at position 12): send JSON encoded in UTF-8"
    assert outcome.article_id is not None
    assert store.quarantined[outcome.article_id].raw == body
    assert queue.messages == []


def test_a_pushed_article_is_capped_as_a_feed_item_is_and_flagged(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    # A 64 KB title, a 70 KB summary and a million-character body: a broken source, but not lost
    item = {
        "title": "Summit " * 9_000,
        "summary": "Leaders met. " * 5_500,
        "body": "The talks went on. " * 55_000,
        "source": "Wire",
        "published": "2024-07-04T09:00:00Z",
    }

    [outcome] = ingestor.ingest_pushed(json.dumps(item), origin="api:huge", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert len(article.title) <= 300
    assert len(article.summary) <= 300
    assert len(article.body) <= 100_000
    assert article.flags.count("text-truncated") == 1
    assert len(article.model_dump_json()) < 256 * 1024  # one message, whatever the queue's limit


# ------------------------------------------------------------------- hostile input (issue 11)


def nested(depth: int) -> str:
    """A JSON document ``depth`` lists deep: valid JSON that Python's parser cannot read past ~1,000."""
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 5_000])
@pytest.mark.parametrize("key", ["inbox/deep.json", "inbox/deep.jsonl", "inbox/deep"])
def test_json_nested_thousands_deep_is_quarantined_with_the_reason_in_a_file_or_a_push(
    depth: int, key: str, ingestor: Ingestor, store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    for outcomes in (
        ingestor.ingest_pushed(nested(depth), origin="api:deep", received_at=SAMPLE_NOW),
        ingestor.ingest_file(nested(depth).encode(), key=key, received_at=SAMPLE_NOW),
    ):
        assert quarantined_reason(outcomes) == "JSON nested deeper than 64 levels (an article is two): not read"
    assert {kept.raw for kept in store.quarantined.values()} == {nested(depth).encode()}
    assert queue.messages == []


def test_a_json_lines_body_with_one_line_nested_too_deep_is_refused_with_the_reason(ingestor: Ingestor) -> None:
    body = f"{json.dumps(pushed(1))}\n{nested(2_000)}\n"

    reason = quarantined_reason(ingestor.ingest_pushed(body, origin="api:deep-line", received_at=SAMPLE_NOW))

    assert reason.startswith("JSON nested deeper than 64 levels")


def test_brackets_inside_strings_are_not_nesting(ingestor: Ingestor, queue: FakeStageQueue) -> None:
    item = pushed(1, body="[" * 500 + " a body full of brackets " + "{" * 500)

    [outcome] = ingestor.ingest_pushed(json.dumps([item]), origin="api:brackets", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED


def test_a_body_flagged_base64_that_is_not_base64_is_quarantined_as_received(
    ingestor: Ingestor, store: FakeArticlesTable, queue: FakeStageQueue
) -> None:
    body = json.dumps(pushed(1))  # plain JSON, but the request said base64

    [outcome] = ingestor.ingest_pushed(body, origin="api:b64", received_at=SAMPLE_NOW, base64_encoded=True)

    assert outcome.fate is Fate.QUARANTINED
    assert outcome.reason is not None
    assert outcome.reason.startswith("the body is flagged as base64 (isBase64Encoded) but is not valid base64")
    assert outcome.article_id is not None
    assert store.quarantined[outcome.article_id].raw == body.encode()
    assert queue.messages == []


def test_a_body_in_base64_is_read(ingestor: Ingestor) -> None:
    body = base64.b64encode(json.dumps([pushed(1), pushed(2)]).encode()).decode()

    outcomes = ingestor.ingest_pushed(body, origin="api:b64", received_at=SAMPLE_NOW, base64_encoded=True)

    assert [outcome.fate for outcome in outcomes] == [Fate.QUEUED, Fate.QUEUED]


def test_json_over_the_size_limit_is_quarantined_naming_the_limit(ingestor: Ingestor) -> None:
    body = json.dumps(pushed(1, body="word " * (MAX_JSON_BYTES // 5)))

    reason = quarantined_reason(ingestor.ingest_pushed(body, origin="api:big", received_at=SAMPLE_NOW))

    assert reason == f"the JSON is {len(body):,} bytes, over the limit of {MAX_JSON_BYTES:,} bytes: not read"


def huge_text_file(size: int) -> bytes:
    """A raw text article of ``size`` bytes: a headline, a 70 KB summary line, then paragraphs."""
    paragraph = "The talks in Astana went on late into the night and ended without a statement. " * 12
    lines = ["Leaders meet at the SCO summit in Astana", "", "Leaders met. " * 5_500, ""]
    while sum(len(line) + 1 for line in lines) < size:
        lines += [paragraph, ""]
    return "\n".join(lines).encode()[:size]


def huge_page(size: int) -> bytes:
    title = "Summit " * 9_000
    paragraphs = "".join(
        f"<p>Paragraph {number}: the talks went on. {'More words. ' * 60}</p>" for number in range(900)
    )
    page = f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>{paragraphs}"
    return page.encode()[: size - 14] + b"</body></html>"


def huge_feed(size: int) -> bytes:
    body = "The talks went on. " * (size // 20)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        f"<title>{'Summit ' * 9_000}</title><link>https://wire.example/a</link>"
        f"<description>{body}</description></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("size", [450_000, 900_000])
@pytest.mark.parametrize(
    ("make", "key"),
    [
        pytest.param(huge_text_file, "inbox/huge.txt", id="text"),
        pytest.param(huge_page, "inbox/huge.html", id="html"),
        pytest.param(huge_feed, "inbox/huge.xml", id="feed"),
        pytest.param(
            lambda size: json.dumps(pushed(1, title="Summit " * 9_000, body="The talks went on. " * (size // 20))),
            "inbox/huge.json",
            id="json",
        ),
    ],
)
def test_a_large_file_of_any_kind_gives_an_article_capped_as_a_pushed_one_is(
    make: Any, key: str, size: int, ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    data = make(size)
    data = data if isinstance(data, bytes) else data.encode()

    [outcome] = ingestor.ingest_file(data, key=key, received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED, outcome.reason
    [article] = queue.articles()
    assert len(article.title) <= MAX_TITLE_LENGTH
    assert len(article.summary) <= MAX_SUMMARY_LENGTH
    assert 0 < len(article.body) <= MAX_BODY_LENGTH
    assert article.flags.count("text-truncated") == 1
    assert len(article.model_dump_json().encode()) < 256 * 1024  # one message, whatever the queue's limit


def test_a_shift_jis_file_is_queued_in_japanese_not_quarantined_as_binary(
    ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    data = "東京で震度五強の地震\n\n気象庁によると、東京都内で震度五強の揺れを観測した。\n".encode("shift_jis")

    [outcome] = ingestor.ingest_file(data, key="inbox/jishin.txt", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED, outcome.reason
    [article] = queue.articles()
    assert article.title == "東京で震度五強の地震"


def test_a_base64_body_that_is_not_utf8_is_quarantined_as_decoded_bytes(
    ingestor: Ingestor, store: FakeArticlesTable
) -> None:
    latin1 = '{"title": "Pétin visits Astana", "source": "Wire"}'.encode("latin-1")

    [outcome] = ingestor.ingest_pushed(
        base64.b64encode(latin1), origin="api:b64-latin1", received_at=SAMPLE_NOW, base64_encoded=True
    )

    assert outcome.reason is not None
    assert outcome.reason.startswith("the body is not UTF-8 (byte 0xe9")
    assert outcome.article_id is not None
    assert store.quarantined[outcome.article_id].raw == latin1  # what the client sent, not its transport


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("気象庁によると東京で強い揺れを観測した。", id="Japanese, 3 bytes a character"),
        pytest.param("🌊🌊🌊 ", id="emoji, 4 bytes a character"),
        pytest.param('He said "no" \\ ', id="quotes and backslashes, escaped in JSON"),
    ],
)
def test_a_long_body_in_any_script_fits_a_default_sqs_message(
    sentence: str, ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    item = pushed(1, body=sentence * (MAX_BODY_LENGTH // len(sentence) + 10))

    [outcome] = ingestor.ingest_pushed(json.dumps(item), origin="api:wide", received_at=SAMPLE_NOW)

    assert outcome.fate is Fate.QUEUED
    [article] = queue.articles()
    assert len(article.body.encode("utf-8")) <= MAX_BODY_BYTES
    assert "text-truncated" in article.flags
    assert len(article.model_dump_json().encode("utf-8")) < 256 * 1024


def test_a_pushed_summary_too_long_for_an_alert_is_cut_and_kept_whole_as_the_body_when_there_is_none(
    ingestor: Ingestor, queue: FakeStageQueue
) -> None:
    lead = "Foreign ministers met in the capital for a second day of talks. " * 6 + "The SCO adopted a statement."
    long_summary = pushed(1, summary=lead, body="")
    with_body = pushed(2, summary=lead)

    ingestor.ingest_pushed(json.dumps([long_summary, with_body]), origin="api:1", received_at=SAMPLE_NOW)

    [without, given] = queue.articles()
    assert len(without.summary) <= MAX_SUMMARY_LENGTH
    assert "SCO adopted" not in without.summary
    assert without.body == lead.strip()  # nothing past the cut is lost to classify
    assert "text-truncated" in without.flags
    assert given.body == with_body["body"]  # a body of its own is kept as it is


def test_a_pushed_article_with_a_null_title_is_quarantined_saying_so(ingestor: Ingestor) -> None:
    reason = quarantined_reason(
        ingestor.ingest_pushed(json.dumps(pushed(1, title=None)), origin="api:1", received_at=SAMPLE_NOW)
    )

    assert reason == "title: null where a text is required"
