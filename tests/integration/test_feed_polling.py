"""Feed polling on the stack from template.yaml: the tick's fan-out, conditional GET, health, backoff."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from botocore.client import BaseClient

from newsalert.aws.archive import ArticleArchive
from newsalert.aws.feed_memory import FeedMemoryTable
from newsalert.aws.feeds_table import FeedsTable
from newsalert.ingest.feed_registry import FeedEntry
from newsalert.tools.local.faults import FaultInjector, FaultKind
from tests.conftest import SAMPLES, lambda_event

FEED = (SAMPLES / "feed-rss.xml").read_bytes()
FEED_ITEMS = FEED.count(b"<item>")
FEED_TITLE = FEED.split(b"<title>", 1)[1].split(b"</title>", 1)[0].decode()
REFUSED_FEED = "http://10.255.255.1/feed.xml"  # never connected to: the fetch guard refuses the address


class _FeedWithValidators(BaseHTTPRequestHandler):
    """Serves the sample feed with an ETag, answering 304 when the client already has it."""

    etag = '"feed-v1"'
    conditional_requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == self.etag:
            self.conditional_requests.append(self.path)
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", self.etag)
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def feed_url() -> Iterator[str]:
    _FeedWithValidators.conditional_requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedWithValidators)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news.xml"
    server.shutdown()
    server.server_close()


def _registry(runtime: Any) -> FeedsTable:
    return FeedsTable(runtime.clients.dynamodb, runtime.stack.outputs["FeedsTableName"])


def _tick(runtime: Any) -> dict[str, Any]:
    [invocation] = runtime.run_schedules("poll-feeds")
    assert invocation.error is None
    result: dict[str, Any] = invocation.result
    return result


def _queued_polls(runtime: Any) -> int:
    attributes = runtime.clients.sqs.get_queue_attributes(
        QueueUrl=runtime.stack.outputs["PollQueueUrl"], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def test_the_tick_sends_each_due_feed_to_the_poll_queue_once(runtime: Any) -> None:
    runtime.register_feeds(["https://news.example.com/a.xml", "https://news.example.com/b.xml"])

    first = _tick(runtime)
    second = _tick(runtime)  # an overlapping tick at the same moment

    assert (first["registered"], first["due"], first["dispatched"]) == (2, 2, 2)
    assert second["dispatched"] == 0
    assert _queued_polls(runtime) == 2


def test_a_reservation_whose_answer_was_lost_still_dispatches_the_feed(runtime: Any) -> None:
    # DynamoDB reserved the feed, the answer was lost (a 500 or a timeout) and botocore sent it again:
    # the retry is refused by the reservation it made itself, which must not leave the feed unpolled.
    runtime.register_feeds(["https://news.example.com/a.xml", "https://news.example.com/b.xml"])
    faults = FaultInjector()
    faults.force(FaultKind.LOST, "dynamodb", "UpdateItem", times=2, when=lambda body: b"next_poll_at <= :now" in body)

    with faults.attached(runtime.invoker.running_function):
        tick = _tick(runtime)

    assert faults.total == 2
    assert tick["dispatched"] == 2
    assert _queued_polls(runtime) == 2


def test_a_poll_admits_the_items_and_records_the_feed_s_health(runtime: Any, feed_url: str) -> None:
    [entry] = runtime.register_feeds([feed_url])

    _tick(runtime)
    runtime.drain()

    health = runtime.feed(entry.feed_id)
    assert health.consecutive_failures == 0
    assert health.last_success_at == runtime.now.timestamp()
    assert health.last_new_item_at == runtime.now.timestamp()
    assert health.items_seen == FEED_ITEMS
    assert health.etag == _FeedWithValidators.etag
    assert health.next_poll_at == (runtime.now + entry.interval).timestamp()
    ledger = runtime.intake(entry.url)
    assert len(ledger) == FEED_ITEMS
    assert [outcome["fate"] for outcome in ledger].count("duplicate") == 1


def test_an_unchanged_feed_is_asked_for_conditionally_and_not_read_again(runtime: Any, feed_url: str) -> None:
    [entry] = runtime.register_feeds([feed_url])
    _tick(runtime)
    runtime.drain()

    runtime.now += entry.interval
    _tick(runtime)
    runtime.drain()

    assert _FeedWithValidators.conditional_requests == ["/news.xml"]
    health = runtime.feed(entry.feed_id)
    assert health.items_seen == FEED_ITEMS  # nothing counted twice
    assert health.last_success_at == runtime.now.timestamp()
    assert health.last_new_item_at == (runtime.now - entry.interval).timestamp()


def test_items_a_feed_listed_at_its_last_poll_cost_no_write_when_it_lists_them_again(
    runtime: Any, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a feed polled once, whose server then forgets its validators (no 304 to help)
    [entry] = runtime.register_feeds([feed_url])
    _tick(runtime)
    runtime.drain()
    memory = FeedMemoryTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"])
    assert len(memory.listed(entry.feed_id)) == FEED_ITEMS - 1  # one item is listed twice
    runtime.clients.dynamodb.update_item(
        TableName=runtime.stack.outputs["FeedsTableName"],
        Key={"feed_id": {"S": entry.feed_id}},
        UpdateExpression="REMOVE etag",
    )
    writes: list[str] = []
    make_api_call = BaseClient._make_api_call

    def counting(client: Any, operation: str, parameters: dict[str, Any]) -> Any:
        if parameters.get("TableName") == runtime.stack.outputs["ArticlesTableName"] and not operation.startswith(
            ("Get", "Query", "Scan", "BatchGet")
        ):
            writes.append(operation)
        return make_api_call(client, operation, parameters)

    monkeypatch.setattr(BaseClient, "_make_api_call", counting)

    # When it is polled again and lists the same items
    runtime.now += entry.interval
    _tick(runtime)
    runtime.drain()

    # Then nothing was written to the articles table, nothing went to classify, and the health counts them
    assert writes == []
    health = runtime.feed(entry.feed_id)
    assert health.items_seen == 2 * FEED_ITEMS
    assert health.last_success_at == runtime.now.timestamp()
    assert health.last_new_item_at == (runtime.now - entry.interval).timestamp()
    assert len(runtime.intake(entry.url)) == FEED_ITEMS


def test_a_poll_s_outcomes_are_one_ledger_item_and_its_articles_one_batch_to_classify(
    runtime: Any, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    [entry] = runtime.register_feeds([feed_url])
    calls: list[str] = []
    make_api_call = BaseClient._make_api_call

    def counting(client: Any, operation: str, parameters: dict[str, Any]) -> Any:
        calls.append(operation)
        return make_api_call(client, operation, parameters)

    monkeypatch.setattr(BaseClient, "_make_api_call", counting)
    _tick(runtime)
    runtime.drain()

    ledger = [item for item in runtime.table_items() if str(item["pk"]).startswith("INTAKE#")]
    assert len(ledger) == 1
    assert len(runtime.intake(entry.url)) == FEED_ITEMS
    assert calls.count("SendMessageBatch") >= 1
    assert "TransactWriteItems" not in calls
    assert calls.count("SendMessage") == 0  # the tick's fan-out and the hand-over both go in batches


def test_a_failing_feed_is_backed_off_and_then_counted_as_failing(runtime: Any) -> None:
    [entry] = runtime.register_feeds([REFUSED_FEED])
    delays = []
    for _ in range(3):
        _tick(runtime)
        runtime.drain()
        health = runtime.feed(entry.feed_id)
        delays.append(timedelta(seconds=health.next_poll_at - runtime.now.timestamp()))
        runtime.now += delays[-1]

    assert health.consecutive_failures == 3
    assert "private address" in (health.last_error or "")
    assert delays == [entry.interval, entry.interval * 2, entry.interval * 4]
    assert _tick(runtime)["failing"] == 1
    # The feed's failures are its own: no poll message went to the dead-letter queue
    assert runtime.dead_letters()["PollDeadLetterQueue"] == []


def test_a_feed_with_no_new_item_for_a_day_counts_as_silent(runtime: Any, feed_url: str) -> None:
    [entry] = runtime.register_feeds([feed_url])
    _tick(runtime)
    runtime.drain()

    runtime.now += timedelta(hours=25)
    report = _tick(runtime)

    assert report["silent"] == 1
    assert runtime.feed(entry.feed_id).last_new_item_at is not None


def test_a_feed_removed_while_its_poll_waits_is_skipped(runtime: Any) -> None:
    [entry] = runtime.register_feeds(["https://news.example.com/gone.xml"])
    _tick(runtime)
    _registry(runtime).remove(entry.url)

    runtime.drain()

    assert list(_registry(runtime).entries()) == []
    assert runtime.dead_letters()["PollDeadLetterQueue"] == []


def _archived(runtime: Any) -> list[dict[str, Any]]:
    """The articles classify read, from its archive: the articles table keeps only their fates."""
    archive = ArticleArchive(runtime.clients.s3, runtime.stack.outputs["IngestBucketName"])
    return [json.loads(line) for _, line in archive.articles()]


def test_the_tick_with_no_feeds_registered_does_nothing(runtime: Any) -> None:
    assert _tick(runtime) == {"registered": 0, "due": 0, "dispatched": 0, "failing": 0, "silent": 0}


def test_a_feed_s_registered_name_applies_to_its_items_and_its_own_language_wins(runtime: Any, feed_url: str) -> None:
    # The operator's language is for feeds that do not say; this one says <language>en</language>.
    _registry(runtime).add(FeedEntry.new(feed_url, added_at=runtime.now, name="Bangladesh Global", language="bn"))

    _tick(runtime)
    runtime.drain()

    articles = _archived(runtime)
    assert len(articles) == FEED_ITEMS - 1  # one item is a duplicate
    assert {article["source"] for article in articles} == {"Bangladesh Global"}
    assert {article["language"] for article in articles} == {"en"}


def test_a_feed_registered_without_a_name_is_named_by_its_own_title_not_its_host(runtime: Any, feed_url: str) -> None:
    _registry(runtime).add(FeedEntry.new(feed_url, added_at=runtime.now, timezone="Asia/Dhaka"))

    _tick(runtime)
    runtime.drain()

    articles = _archived(runtime)
    assert {article["source"] for article in articles} == {FEED_TITLE}
    assert {article["source_timezone"] for article in articles} == {"Asia/Dhaka"}


def test_a_poll_for_a_feed_no_longer_registered_succeeds_and_a_malformed_one_fails_alone(runtime: Any) -> None:
    # The sample poll event (events/lambda) names a feed this stack never registered
    event = lambda_event("ingest-poll-sqs.json")
    malformed = dict(event["Records"][0], messageId="malformed-1", body='{"url": "no feed id"}')
    event["Records"].append(malformed)

    response = runtime.invoker.invoke(runtime.wiring.functions["IngestFunction"], event)

    assert response == {"batchItemFailures": [{"itemIdentifier": "malformed-1"}]}
