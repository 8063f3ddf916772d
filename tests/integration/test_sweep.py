"""The sweeper on the stack from template.yaml: what no queue holds any more is found, marked and counted."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from newsalert.notify.subscribers import Subscriber
from tests.conftest import SAMPLE_TITLE
from tests.integration.fault_hooks import Faults, refusal

PUSHED = {
    "title": SAMPLE_TITLE,
    "source": "Wire",
    "url": "https://wire.example/sco/xi-putin-talks",
    "published": "2024-07-04T07:20:00+00:00",
    "summary": "Chinese President Xi Jinping held talks with Russian President Vladimir Putin in Astana.",
}
DESK = Subscriber(name="sco desk", protocol="email", endpoint="sco@example.org", topics=("sco",))


def _article(runtime: Any, article_id: str) -> dict[str, Any]:
    [item] = [item for item in runtime.table_items() if item["pk"] == f"ARTICLE#{article_id}"]
    return item


def _sweep_later(runtime: Any, hours: float) -> dict[str, Any]:
    runtime.now += timedelta(hours=hours)
    [invocation] = runtime.run_schedules("sweep")
    assert invocation.error is None, invocation.error
    result: dict[str, Any] = invocation.result
    return result


def test_an_article_never_handed_over_and_never_retried_is_found_unfinished(runtime: Any, faults: Faults) -> None:
    queue_down = [True]
    faults.on("before-call.sqs.SendMessageBatch", lambda **_: refusal(500, "InternalError") if queue_down[0] else None)

    pushed = runtime.push_articles(json.dumps(PUSHED))
    queue_down[0] = False  # the client was answered 500 and gave up: nothing will offer the article again

    assert "SendMessageBatch" in (pushed.error or "")
    [article] = [item for item in runtime.table_items() if item["pk"].startswith("ARTICLE#")]
    article_id = article["pk"].removeprefix("ARTICLE#")
    assert _sweep_later(runtime, 0.5)["unfinished"] == {}  # still within its time: left alone
    report = _sweep_later(runtime, 1.0)

    assert report["unfinished"] == {"classify": [article_id]}
    assert report["complete"]
    item = _article(runtime, article_id)
    assert (item["status"], item["unfinished_before"]) == ("unfinished", "classify")
    assert "classify dead-letter queue" in item["reason"]
    assert _sweep_later(runtime, 1.0)["unfinished"] == {}  # marked once


def test_a_breaking_article_dead_lettered_by_notify_is_marked_and_a_redrive_alerts_it_once(
    runtime: Any, faults: Faults
) -> None:
    runtime.subscribe([DESK])
    sns_down = [True]
    faults.on("before-call.sns.Publish", lambda **_: refusal(400, "KMSThrottling") if sns_down[0] else None)
    runtime.push_articles(json.dumps(PUSHED))
    runtime.drain()
    [dead] = runtime.dead_letters()["NotifyDeadLetterQueue"]
    article_id = json.loads(dead["Body"])["article"]["id"]

    report = _sweep_later(runtime, 2)

    assert report["unfinished"] == {"notify": [article_id]}
    # The operator redrives the dead letter once SNS is back: the article is alerted, once.
    sns_down[0] = False
    queues = runtime.stack.outputs
    runtime.clients.sqs.send_message(QueueUrl=queues["NotifyQueueUrl"], MessageBody=dead["Body"])
    runtime.clients.sqs.delete_message(QueueUrl=queues["NotifyDeadLetterQueueUrl"], ReceiptHandle=dead["ReceiptHandle"])
    runtime.drain()

    assert _article(runtime, article_id)["status"] == "alerted"
    [recipient] = runtime.recipients
    assert len(runtime.mailbox.for_subscription(recipient.subscription_arn)) == 1
