"""Notify's handler on the stack from template.yaml: SNS routing by filter policy, once per article."""

from __future__ import annotations

import json
from typing import Any

from newsalert.notify.subscribers import Subscriber
from tests.conftest import SAMPLE_TITLE, lambda_event

FOLLOWERS = [
    Subscriber(name="sco desk", protocol="email", endpoint="sco@example.org", topics=("sco",)),
    Subscriber(
        name="world desk",
        protocol="push",
        platform="fcm",
        endpoint="fcm-token-world-desk-0001",
        topics=("geopolitics",),
    ),
    Subscriber(name="sports desk", protocol="sms", endpoint="+15555550100", topics=("sport",)),
]


def _seed(runtime: Any, event: dict[str, Any]) -> str:
    article = json.loads(event["Records"][0]["body"])["article"]
    runtime.clients.dynamodb.put_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Item={"pk": {"S": f"ARTICLE#{article['id']}"}, "sk": {"S": "ARTICLE"}, "status": {"S": "breaking"}},
    )
    article_id: str = article["id"]
    return article_id


def _received(runtime: Any) -> dict[str, list[str]]:
    return {
        recipient.subscriber.name: [
            delivery.message for delivery in runtime.mailbox.for_subscription(recipient.subscription_arn)
        ]
        for recipient in runtime.recipients
    }


def test_the_alert_reaches_followers_of_its_topics_and_no_one_else(runtime: Any) -> None:
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    article_id = _seed(runtime, event)

    response = runtime.invoker.invoke(runtime.wiring.functions["NotifyFunction"], event)

    assert response == {"batchItemFailures": []}
    received = _received(runtime)
    assert len(received["sco desk"]) == 1
    assert SAMPLE_TITLE in received["sco desk"][0]
    assert "Why you got this: This story is about" in received["sco desk"][0]
    assert len(received["world desk"]) == 1
    push = json.loads(received["world desk"][0])["fcmV1Message"]["message"]
    assert SAMPLE_TITLE in push["notification"]["title"]
    assert received["sports desk"] == []
    record = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
    )["Item"]
    assert record["status"]["S"] == "alerted"


def test_a_redelivered_message_does_not_alert_twice(runtime: Any) -> None:
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    _seed(runtime, event)
    function = runtime.wiring.functions["NotifyFunction"]

    runtime.invoker.invoke(function, event)
    # SQS delivers at least once: the same article again, under a new message id
    event["Records"][0]["messageId"] = "redelivered-1"
    runtime.invoker.invoke(function, event)

    assert len(_received(runtime)["sco desk"]) == 1


def test_alert_messages_carry_the_topics_attribute_that_filter_policies_match(runtime: Any) -> None:
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    _seed(runtime, event)

    runtime.invoker.invoke(runtime.wiring.functions["NotifyFunction"], event)

    [delivery] = [d for d in runtime.mailbox.deliveries if d.protocol == "email"]
    attribute = delivery.attributes["topics"]
    assert attribute["Type"] == "String.Array"
    assert {"sco", "geopolitics", "china-russia", "politics"} <= set(json.loads(attribute["Value"]))


def test_each_alert_counts_once_per_topic_for_the_alerts_per_topic_alarm(runtime: Any) -> None:
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    _seed(runtime, event)

    runtime.invoker.invoke(runtime.wiring.functions["NotifyFunction"], event)

    documents = [json.loads(line) for line in runtime.log.getvalue().splitlines() if line.startswith('{"_aws"')]
    per_topic = {
        document["topic"]: document["AlertsPublished"]
        for document in documents
        if "topic" in document and document.get("service") == "notify"
    }
    assert {"sco", "geopolitics", "china-russia"} <= set(per_topic)
    assert all(values == [1.0] for values in per_topic.values())
