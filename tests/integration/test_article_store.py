"""The articles table on the deployed stack: dedup by conditional writes, fates that only move forward."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest

from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.queues import StageQueue
from newsalert.classify.stage import ClassifyStage
from newsalert.classify.taxonomy import load_taxonomy
from newsalert.ingest.admission import Ingestor
from newsalert.ingest.sources import load_source_catalog
from newsalert.models import Article, Fate
from newsalert.ports import Claim
from newsalert.tools.local.faults import FaultInjector, FaultKind
from tests.conftest import SAMPLE_ARTICLE, SAMPLE_NOW, lambda_event

# A claim's lease: until an hour from now, so no test's first attempt is taken for dead.
LEASE = time.time() + 3600


def _store(runtime: Any) -> ArticlesTable:
    return ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"])


def _article(**changes: Any) -> Article:
    fields: dict[str, Any] = {
        "title": "Leaders meet at the SCO summit in Astana",
        "source": "Example",
        "published": SAMPLE_NOW - timedelta(minutes=10),
        "received_at": SAMPLE_NOW,
        "url": "https://news.example.com/sco-summit",
        "body": "Leaders of the Shanghai Cooperation Organisation met in Astana.",
    }
    return Article.create(**(fields | changes))


def _queue_length(runtime: Any, output: str) -> int:
    attributes = runtime.clients.sqs.get_queue_attributes(
        QueueUrl=runtime.stack.outputs[output], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def test_the_same_url_with_tracking_parameters_is_a_duplicate(runtime: Any) -> None:
    store = _store(runtime)
    first = _article()
    again = _article(url="https://NEWS.example.com:443/sco-summit?utm_source=rss#top")

    assert store.claim(first, lease_until=LEASE).claim is Claim.NEW
    assert again.id == first.id
    assert store.claim(again, lease_until=LEASE).claim is Claim.IN_PROGRESS


def test_the_same_text_under_another_url_is_a_duplicate_of_the_first(runtime: Any) -> None:
    store = _store(runtime)
    first = _article()
    copy = _article(url="https://mirror.example.org/world/sco", title="  leaders MEET at the SCO summit in  Astana ")

    store.claim(first, lease_until=LEASE)
    result = store.claim(copy, lease_until=LEASE)

    assert result.claim is Claim.DUPLICATE
    assert result.duplicate_of == first.id
    assert store.article_item(copy.id) is None  # refused on its text: nothing stored for the copy


def test_the_article_item_is_small_and_holds_no_article_text(runtime: Any) -> None:
    store = _store(runtime)
    article = _article(title="T" * 5000, body="B" * 50_000)

    store.claim(article, lease_until=LEASE)

    item = store.article_item(article.id)
    assert item is not None
    assert "body" not in item
    assert "article" not in item
    assert len(json.dumps(item)) < 1024  # one write unit for each fate change


def test_an_ingest_that_failed_before_the_hand_over_is_finished_by_its_retry(runtime: Any) -> None:
    # Given an article stored by an attempt that died before it reached the classify queue
    store = _store(runtime)
    queue = StageQueue(runtime.clients.sqs, runtime.stack.outputs["ClassifyQueueUrl"])
    # (an attempt whose deadline has passed: it is over, whatever became of it)
    ingestor = Ingestor(store, queue, load_source_catalog(), deadline=0.0)
    data = SAMPLE_ARTICLE.read_bytes()
    [outcome] = ingestor.ingest_file(data, key="inbox/sample.txt", received_at=SAMPLE_NOW)
    runtime.clients.sqs.purge_queue(QueueUrl=runtime.stack.outputs["ClassifyQueueUrl"])
    runtime.clients.dynamodb.update_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"ARTICLE#{outcome.article_id}"}, "sk": {"S": "ARTICLE"}},
        UpdateExpression="SET #s = :received",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":received": {"S": "received"}},
    )

    # When the same input is retried
    [retried] = ingestor.ingest_file(data, key="inbox/sample.txt", received_at=SAMPLE_NOW)

    # Then it is handed over, not dropped as a duplicate of itself
    assert retried.fate is Fate.QUEUED
    assert _queue_length(runtime, "ClassifyQueueUrl") == 1


def test_a_late_classify_redelivery_does_not_undo_an_alert_or_hand_it_over_again(runtime: Any) -> None:
    store = _store(runtime)
    article = _article()
    store.claim(article, lease_until=LEASE)
    assert store.set_fate(article.id, Fate.BREAKING, reason="first time")
    assert store.set_fate(article.id, Fate.ALERTED, alert_id="alert-1")
    stage = ClassifyStage(
        store,
        StageQueue(runtime.clients.sqs, runtime.stack.outputs["NotifyQueueUrl"]),
        load_taxonomy(),
        max_age=timedelta(hours=6),
    )

    stage.process(article)
    stage.finish_batch("redelivered-batch")

    record = store.article_item(article.id)
    assert record is not None
    assert record["status"] == "alerted"
    assert record["reason"] == "first time"
    assert _queue_length(runtime, "NotifyQueueUrl") == 0


def test_a_fate_for_an_article_that_was_never_stored_is_an_error(runtime: Any) -> None:
    with pytest.raises(LookupError, match="ingest never stored it"):
        _store(runtime).set_fate("art-" + "f" * 32, Fate.BREAKING)


def test_quarantine_keeps_the_reason_and_the_raw_input(runtime: Any) -> None:
    store = _store(runtime)
    raw = json.dumps(lambda_event("ingest-api-post.json"))

    quarantine_id = store.quarantine(origin="api:1#0", reason="title: Field required", raw=raw, received_at=SAMPLE_NOW)

    item = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"QUARANTINE#{quarantine_id}"}, "sk": {"S": "QUARANTINE"}},
    )["Item"]
    assert item["reason"]["S"] == "title: Field required"
    assert item["raw"]["B"] == raw.encode()
    assert int(item["expires_at"]["N"]) > SAMPLE_NOW.timestamp()


def test_while_the_first_attempt_may_still_run_a_second_claim_is_told_it_is_in_progress(runtime: Any) -> None:
    # Two concurrent ingests of one item: the second sees the first's live lease.
    now = 1_000_000.0
    store = ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"], clock=lambda: now)
    article = _article()

    assert store.claim(article, lease_until=now + 60).claim is Claim.NEW
    assert store.claim(article, lease_until=now + 60).claim is Claim.IN_PROGRESS


def test_after_the_first_attempt_s_deadline_exactly_one_retry_takes_over(runtime: Any) -> None:
    clock = [1_000_000.0]
    store = ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"], clock=lambda: clock[0])
    article = _article()
    store.claim(article, lease_until=clock[0] + 60)  # and then that attempt dies

    clock[0] += 61
    first_retry = store.claim(article, lease_until=clock[0] + 60)
    second_retry = store.claim(article, lease_until=clock[0] + 60)

    assert first_retry.claim is Claim.UNFINISHED
    assert second_retry.claim is Claim.IN_PROGRESS


def test_an_article_released_by_an_attempt_that_could_not_hand_it_over_is_taken_by_the_next_claim(
    runtime: Any,
) -> None:
    now = 1_000_000.0
    store = ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"], clock=lambda: now)
    article = _article()
    store.claim(article, lease_until=now + 60)

    store.release(article.id)  # the hand-over failed; the lease would still have a minute to run

    assert store.claim(article, lease_until=now + 60).claim is Claim.UNFINISHED
    assert store.claim(article, lease_until=now + 60).claim is Claim.IN_PROGRESS


def test_release_leaves_an_article_that_classify_has_already_decided(runtime: Any) -> None:
    store = _store(runtime)
    article = _article()
    store.claim(article, lease_until=LEASE)
    store.set_fate(article.id, Fate.NOT_BREAKING, reason="no topic matched")

    store.release(article.id)

    item = store.article_item(article.id)
    assert item is not None
    assert item["status"] == "not_breaking"
    assert float(item["lease_until"]) == pytest.approx(LEASE, abs=0.01)


def _lost_answers(operation: str) -> Any:
    """The store's next ``operation`` is made by moto, then its answer lost (a 500 or a timeout): botocore
    sends it again, as it would in AWS, and the retry meets what the first send wrote."""
    faults = FaultInjector()
    faults.force(FaultKind.LOST, "dynamodb", operation, times=1, when=lambda body: b"ARTICLE#" in body)
    return faults, faults.attached(lambda: "the store under test")


def test_a_claim_whose_answer_was_lost_is_new_not_a_duplicate_of_itself(runtime: Any) -> None:
    store = _store(runtime)
    article = _article()
    faults, lost = _lost_answers("PutItem")

    with lost:
        result = store.claim(article, lease_until=LEASE)

    assert faults.total == 1
    assert result.claim is Claim.NEW
    assert store.claim(article, lease_until=LEASE).claim is Claim.IN_PROGRESS  # the next claim is another's


def test_a_take_over_whose_answer_was_lost_is_still_this_claim_s(runtime: Any) -> None:
    clock = [1_000_000.0]
    store = ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"], clock=lambda: clock[0])
    article = _article()
    store.claim(article, lease_until=clock[0] + 60)  # and then that attempt dies
    clock[0] += 61
    faults, lost = _lost_answers("UpdateItem")

    with lost:
        result = store.claim(article, lease_until=clock[0] + 60)

    assert faults.total == 1
    assert result.claim is Claim.UNFINISHED
    assert store.claim(article, lease_until=clock[0] + 60).claim is Claim.IN_PROGRESS
