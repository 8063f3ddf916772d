"""Subscribers on the stack from template.yaml (moto): the HTTP API, the commands, SNS routing by filter policy."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from newsalert.aws.alerts_topic import AlertsTopic
from newsalert.models import Alert, Digest, DigestEntry, Urgency
from newsalert.notify.rendering import render_alert, render_digest
from newsalert.notify.subscribers import new_subscriber
from newsalert.tools.cli import main

APNS_TOKEN = "0f" * 32


def _request(runtime: Any, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
    invocation = runtime.http_request(method, path, "" if body is None else json.dumps(body))
    assert invocation.error is None, invocation.error
    return invocation.result["statusCode"], json.loads(invocation.result["body"] or "{}")


def _sns_attributes(runtime: Any, arn: str) -> dict[str, str]:
    attributes: dict[str, str] = runtime.clients.sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    return attributes


# ------------------------------------------------------------------------------ HTTP API


def test_a_website_subscribes_shows_and_unsubscribes_through_the_api(runtime: Any) -> None:
    status, created = _request(
        runtime,
        "POST",
        "/subscriptions",
        {"protocol": "email", "endpoint": "asel@newsroom.example", "topics": ["sco"], "urgency": ["flash", "urgent"]},
    )

    assert status == 201
    assert (created["protocol"], created["endpoint"]) == ("email", "asel@newsroom.example")
    policy = json.loads(_sns_attributes(runtime, created["arn"])["FilterPolicy"])
    assert policy == {"topics": ["sco"], "urgency": ["flash", "urgent"]}
    assert _request(runtime, "GET", f"/subscriptions/{created['subscription_id']}") == (200, created)

    status, removed = _request(runtime, "DELETE", f"/subscriptions/{created['subscription_id']}")

    assert (status, removed["subscription_id"]) == (200, created["subscription_id"])
    assert _request(runtime, "GET", f"/subscriptions/{created['subscription_id']}")[0] == 404


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"protocol": "email", "endpoint": "not-an-email", "topics": ["sco"]}, "is not an email address"),
        ({"protocol": "email", "endpoint": "a@example.org", "topics": ["football"]}, "no topic 'football'"),
        ({"protocol": "sms", "endpoint": "555-0123"}, "not a phone number in international form"),
        ({"protocol": "https", "endpoint": "http://hooks.example.org/x"}, "is not an https URL"),
        ({"protocol": "push", "endpoint": APNS_TOKEN}, "needs its platform"),
        (["not", "an", "object"], "must be a JSON object"),
    ],
)
def test_a_subscriber_that_cannot_be_used_is_a_400_with_the_reason(runtime: Any, body: Any, reason: str) -> None:
    status, answer = _request(runtime, "POST", "/subscriptions", body)

    assert status == 400
    assert reason in answer["message"]
    assert runtime.clients.sns.list_subscriptions()["Subscriptions"] == []


def test_a_push_token_becomes_an_endpoint_of_the_platform_application_and_leaves_with_it(runtime: Any) -> None:
    status, created = _request(
        runtime, "POST", "/subscriptions", {"protocol": "push", "platform": "apns", "endpoint": APNS_TOKEN}
    )

    assert status == 201
    assert created["protocol"] == "application"
    apns = runtime.stack.parameters["ApnsPlatformApplicationArn"]
    [endpoint] = runtime.clients.sns.list_endpoints_by_platform_application(PlatformApplicationArn=apns)["Endpoints"]
    assert endpoint["EndpointArn"] == created["endpoint"]

    _request(runtime, "DELETE", f"/subscriptions/{created['subscription_id']}")

    assert runtime.clients.sns.list_endpoints_by_platform_application(PlatformApplicationArn=apns)["Endpoints"] == []


# ------------------------------------------------------------------------------ commands


def test_the_commands_subscribe_list_and_unsubscribe_on_a_stack_found_by_name(
    runtime: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = ["--stack", runtime.stack.name]

    assert main(["subscribe", "--sms", "+1 555 555 0123", "--topics", "sport,sco", "--urgency", "flash", *stack]) == 0
    subscribed = capsys.readouterr().out
    assert main(["subscribers", "--json", *stack]) == 0
    [listed] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert "subscribed +15555550123 as " in subscribed
    assert listed["filter_policy"] == {"topics": ["sport", "sco"], "urgency": ["flash"]}
    assert main(["unsubscribe", listed["subscription_id"], *stack]) == 0
    assert main(["subscribers", "--json", *stack]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # just the unsubscribe line


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        (["subscribe", "--email", "not-an-email"], 1, "'not-an-email' is not an email address"),
        (["subscribe", "--email", "a@example.org", "--topics", "football"], 1, "no topic 'football' in the taxonomy"),
        (["subscribe", "--push-token", APNS_TOKEN], 1, "a push subscriber needs its platform"),
        (["unsubscribe", "no-such-id"], 1, "no subscription no-such-id"),
    ],
)
def test_the_commands_refuse_in_one_line(
    runtime: Any, capsys: pytest.CaptureFixture[str], arguments: list[str], status: int, message: str
) -> None:
    assert main([*arguments, "--stack", runtime.stack.name]) == status

    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1


def test_an_unknown_stack_is_one_line_and_status_2(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["subscribers", "--stack", "no-such-stack"]) == 2
    assert capsys.readouterr().err == "newsalert subscribers: no stack named no-such-stack (pass --stack NAME)\n"


# ------------------------------------------------------------------- routing by SNS itself


def _alert(topics: tuple[str, ...], urgency: Urgency, language: str = "en") -> Alert:
    return Alert(
        alert_id=f"story-{'1' * 24}#0",
        story_id=f"story-{'1' * 24}",
        update=0,
        article_id="art-" + "2" * 32,
        title="Leaders meet in Astana",
        url="https://news.example.org/a?x=1&y=2",
        source="Example Wire",
        published=datetime(2024, 7, 4, 7, 29, tzinfo=UTC),
        language=language,
        topics=topics,
        topic_labels=tuple(topic.upper() for topic in topics),
        urgency=urgency,
    )


def test_sns_routes_each_alert_by_the_subscribers_filter_policies(runtime: Any) -> None:
    # SQS queues stand in for people: SNS delivers to them only what their filter policy lets through.
    sns, sqs = runtime.clients.sns, runtime.clients.sqs
    topic = runtime.stack.outputs["AlertsTopicArn"]
    wants = {
        "sco-all": new_subscriber(protocol="sms", endpoint="+15555550100", topics=["sco"]),
        "geo-flash": new_subscriber(protocol="sms", endpoint="+15555550101", topics=["geopolitics"], urgency=["flash"]),
        "sport-bengali": new_subscriber(protocol="sms", endpoint="+15555550102", topics=["sport"], languages=["bn"]),
        "everything": new_subscriber(protocol="sms", endpoint="+15555550103"),
    }
    queues = {}
    for name, subscriber in wants.items():
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes = {"RawMessageDelivery": "true", "FilterPolicyScope": "MessageAttributes"}
        if subscriber.filter_policy():
            attributes["FilterPolicy"] = json.dumps(subscriber.filter_policy())
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes=attributes)
        queues[name] = url
    alerts = AlertsTopic(sns, topic)

    alerts.publish(render_alert(_alert(("sco", "geopolitics"), Urgency.URGENT)))  # sco-all, everything
    alerts.publish(render_alert(_alert(("geopolitics",), Urgency.FLASH)))  # geo-flash, everything
    alerts.publish(render_alert(_alert(("sport",), Urgency.ROUTINE, language="bn")))  # sport-bengali, everything
    alerts.publish(render_alert(_alert(("sport",), Urgency.ROUTINE)))  # everything
    entry = DigestEntry(
        story_id="story-" + "3" * 24,
        article_id="art-" + "4" * 32,
        title="Held back",
        url=None,
        source="Desk",
        published=datetime(2024, 7, 4, 8, tzinfo=UTC),
    )
    digest = Digest(
        digest_id="digest-sco-2024070409-0",
        topic="sco",
        topic_label="SCO",
        period_start=datetime(2024, 7, 4, 8, tzinfo=UTC),
        period_end=datetime(2024, 7, 4, 9, tzinfo=UTC),
        entries=(entry,),
    )
    alerts.publish(render_digest(digest))  # sco-all, everything

    received = {
        name: len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []))
        for name, url in queues.items()
    }
    assert received == {"sco-all": 2, "geo-flash": 1, "sport-bengali": 1, "everything": 5}
