"""Notify under faults, injected into the botocore clients of the deployed notify function (moto).

What a subscriber depends on: an alert that SNS may have accepted is never published a second
time, whatever fails after it (SNS's answer lost, a 500, the ledger write throttled on every try,
the message redelivered); what SNS surely refused is retried, and goes out once.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from tests.conftest import lambda_event
from tests.integration.fault_hooks import Faults, refusal
from tests.integration.test_notify_handler import FOLLOWERS, _received, _seed


def _status_and_delivery(runtime: Any, article_id: str) -> tuple[str, str | None]:
    item = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
    )["Item"]
    return item["status"]["S"], item.get("delivery", {}).get("S")


def _notify_twice(runtime: Any) -> tuple[str, list[Any]]:
    """The sample breaking article, delivered, then delivered again (SQS is at-least-once)."""
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    article_id = _seed(runtime, event)
    function = runtime.wiring.functions["NotifyFunction"]
    responses = [runtime.invoker.invoke(function, event)]
    event["Records"][0]["messageId"] = "redelivered-1"
    responses.append(runtime.invoker.invoke(function, event))
    return article_id, responses


def test_a_publish_whose_answer_is_lost_is_recorded_unconfirmed_and_never_sent_again(
    runtime: Any, faults: Faults
) -> None:
    lost: list[str] = []

    def lose_the_answer(**kwargs: Any) -> None:
        if not lost:
            lost.append("answer")
            raise ReadTimeoutError(endpoint_url="https://sns.local/")

    faults.on("after-call.sns.Publish", lose_the_answer)  # SNS took it and fanned it out; the answer is lost

    article_id, responses = _notify_twice(runtime)

    assert responses == [{"batchItemFailures": []}] * 2  # nothing retried: a retry could only repeat it
    assert len(_received(runtime)["sco desk"]) == 1
    assert _status_and_delivery(runtime, article_id) == ("alerted", "unconfirmed")
    assert "alert publish got no answer" in runtime.log.getvalue()


def test_a_500_from_sns_is_not_published_again_by_botocore_or_by_a_redelivery(runtime: Any, faults: Faults) -> None:
    calls: list[str] = []

    def fail_after_accepting(**kwargs: Any) -> None:
        calls.append("publish")
        if len(calls) == 1:
            raise ReadTimeoutError(endpoint_url="https://sns.local/")

    faults.on("after-call.sns.Publish", fail_after_accepting)

    _notify_twice(runtime)

    assert calls == ["publish"]  # one attempt in all: no retry inside botocore, none on redelivery
    assert len(_received(runtime)["sco desk"]) == 1


def test_a_500_that_sent_nothing_is_not_retried_either_the_price_of_never_repeating(
    runtime: Any, faults: Faults
) -> None:
    # A 500 does not say whether SNS fanned the message out: it is recorded unconfirmed, counted and
    # alarmed (AlertsUnconfirmed), not sent again. Here SNS had sent nothing: the one alert missed.
    faults.on("before-call.sns.Publish", lambda **kwargs: refusal(500, "InternalError"))

    article_id, responses = _notify_twice(runtime)

    assert responses == [{"batchItemFailures": []}] * 2
    assert _received(runtime)["sco desk"] == []
    assert _status_and_delivery(runtime, article_id) == ("alerted", "unconfirmed")


def test_a_throttled_publish_is_retried_and_goes_out_once(runtime: Any, faults: Faults) -> None:
    throttled: list[int] = []

    def throttle_twice(**kwargs: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if len(throttled) < 2:
            throttled.append(1)
            return refusal(400, "Throttled")
        return None

    faults.on("before-call.sns.Publish", throttle_twice)

    article_id, responses = _notify_twice(runtime)

    assert len(throttled) == 2
    assert responses == [{"batchItemFailures": []}] * 2
    assert len(_received(runtime)["sco desk"]) == 1
    assert _status_and_delivery(runtime, article_id) == ("alerted", None)


def test_a_publish_sns_keeps_refusing_fails_the_message_and_its_retry_sends_it_once(
    runtime: Any, faults: Faults
) -> None:
    refusing = [True]

    def refuse(**kwargs: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        return refusal(400, "Throttled") if refusing[0] else None

    faults.on("before-call.sns.Publish", refuse)
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    article_id = _seed(runtime, event)
    function = runtime.wiring.functions["NotifyFunction"]

    with pytest.raises(BatchProcessingError, match="SNS did not take the alert"):  # SQS will deliver it again
        runtime.invoker.invoke(function, event)
    refusing[0] = False
    second = runtime.invoker.invoke(function, event)

    assert second == {"batchItemFailures": []}
    assert len(_received(runtime)["sco desk"]) == 1
    assert _status_and_delivery(runtime, article_id) == ("alerted", None)


def test_a_ledger_write_throttled_on_every_try_after_the_publish_never_repeats_the_alert(
    runtime: Any, faults: Faults
) -> None:
    throttled: list[int] = []

    def throttle_the_record(params: dict[str, Any], **kwargs: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        body = params.get("body", b"")
        body = body.decode() if isinstance(body, bytes) else str(body)
        if "STORYALERT#" in body and "sent_update = :update" in body:
            throttled.append(1)  # every attempt refused
            return refusal(400, "ProvisionedThroughputExceededException")
        return None

    faults.on("before-call.dynamodb.UpdateItem", throttle_the_record)
    runtime.subscribe(FOLLOWERS)
    event = lambda_event("notify-sqs.json")
    article_id = _seed(runtime, event)
    function = runtime.wiring.functions["NotifyFunction"]

    first = runtime.invoker.invoke(function, event)
    # SQS delivers the message again while the publishing claim's lease runs: it waits (and after
    # the lease it settles the claim as sent, unconfirmed: tests/unit/test_notify_stage.py).
    with pytest.raises(BatchProcessingError, match="being sent"):
        runtime.invoker.invoke(function, event)

    assert throttled
    assert first == {"batchItemFailures": []}  # the alert went out: failing the message would repeat it
    assert len(_received(runtime)["sco desk"]) == 1
    assert _status_and_delivery(runtime, article_id)[0] == "alerted"
    assert "alert published but not recorded" in runtime.log.getvalue()
