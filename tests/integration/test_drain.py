"""The local runtime's poller: it drains until every queue is empty, says how far it has got, and stops a loop."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.queues import StageQueue
from newsalert.models import Article
from newsalert.tools.local.runtime import MAX_DELIVERIES, DeliveryLoopError, DrainProgress
from newsalert.tools.local.simulation import read_fates
from tests.conftest import SAMPLE_NOW as NOW

ARTICLE = {
    "title": "Magnitude 6.1 earthquake strikes near Sylhet",
    "source": "Delta Wire",
    "published": "2024-07-04T07:29:00+00:00",
    "url": "https://deltawire.example/quake",
    "body": "A magnitude 6.1 earthquake struck near Sylhet on Thursday, officials said.",
}


def test_drain_delivers_every_stage_and_reports_its_progress(runtime: Any) -> None:
    runtime.push_articles(json.dumps([ARTICLE]))
    heard: list[DrainProgress] = []
    batches = runtime.drain(heard.append)
    assert batches >= 2
    assert heard[-1].batches == batches
    assert heard[-1].messages["ClassifyFunction"] == 1
    for consumer in runtime.wiring.queue_consumers:
        assert "Messages" not in runtime.clients.sqs.receive_message(QueueUrl=consumer.queue_url)


def test_a_message_that_goes_round_for_ever_stops_the_drain(runtime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    classify = runtime.stack.outputs["ClassifyQueueUrl"]

    def send_it_back(spec: Any, event: dict[str, Any]) -> dict[str, Any]:
        for record in event["Records"]:
            runtime.clients.sqs.send_message(QueueUrl=classify, MessageBody=record["body"])
        return {"batchItemFailures": []}

    monkeypatch.setattr(runtime.invoker, "invoke", send_it_back)
    runtime.clients.sqs.send_message(QueueUrl=classify, MessageBody='{"round": "and round"}')
    with pytest.raises(DeliveryLoopError, match=f"{MAX_DELIVERIES} times"):
        runtime.drain()


def test_dead_letters_lists_every_message_and_leaves_them_there(runtime: Any) -> None:
    queue = runtime.stack.outputs["ClassifyDeadLetterQueueUrl"]
    for number in range(23):
        runtime.clients.sqs.send_message(QueueUrl=queue, MessageBody=f"dead {number}")
    for _ in range(2):
        found = runtime.dead_letters()["ClassifyDeadLetterQueue"]
        assert sorted(message["Body"] for message in found) == sorted(f"dead {number}" for number in range(23))


def test_drain_goes_on_past_a_hundred_rounds_while_messages_keep_coming(
    runtime: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 11, item 5: simulate gave up after 100 rounds ("queues still not empty") with ~1,000 articles
    # queued. 600 polls at five a batch are 120 rounds: all delivered, and the queue left empty.
    polls = runtime.stack.outputs["PollQueueUrl"]
    for start in range(0, 600, 10):
        entries = [{"Id": str(number), "MessageBody": json.dumps({"poll": start + number})} for number in range(10)]
        runtime.clients.sqs.send_message_batch(QueueUrl=polls, Entries=entries)
    delivered: list[int] = []

    def consume(spec: Any, event: dict[str, Any]) -> dict[str, Any]:
        delivered.extend(json.loads(record["body"])["poll"] for record in event["Records"])
        return {"batchItemFailures": []}

    monkeypatch.setattr(runtime.invoker, "invoke", consume)

    assert runtime.drain() >= 120
    assert sorted(delivered) == list(range(600))
    assert "Messages" not in runtime.clients.sqs.receive_message(QueueUrl=polls)


def test_a_hand_over_in_a_dead_letter_queue_names_its_article(runtime: Any) -> None:
    # What classify hands to notify (StageQueue.send_many, the article's id in its key) and notify gave up on.
    article = Article.create(
        title=ARTICLE["title"],
        source="Delta Wire",
        url=ARTICLE["url"],
        body=ARTICLE["body"],
        published=NOW,
        received_at=NOW,
    )
    ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"]).claim(article, lease_until=0)
    dead_queue = StageQueue(runtime.clients.sqs, runtime.stack.outputs["NotifyDeadLetterQueueUrl"])
    dead_queue.send_many([(article, article.id)])

    fate = read_fates(runtime).fate({"fate": "queued", "article_id": article.id, "origin": "api:1#0"})

    assert fate.fate == "failed"
    assert fate.reason == "gave up: message in NotifyDeadLetterQueue"
