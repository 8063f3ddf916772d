"""The fault injector on plain botocore clients and moto: the error each service would send, botocore's own
retries, lost answers that still did the work, and nothing for calls made while no function runs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from moto import mock_aws

from newsalert.tools.local.faults import FaultInjector, FaultKind, FaultRates


@dataclass
class Aws:
    dynamodb: Any
    sqs: Any
    sns: Any
    s3: Any
    queue: str
    topic: str
    running: list[str | None]

    def calls(self) -> dict[str, Callable[[], Any]]:
        return {
            "dynamodb": lambda: self.dynamodb.put_item(TableName="t", Item={"pk": {"S": "x"}}),
            "sqs": lambda: self.sqs.send_message(QueueUrl=self.queue, MessageBody="hello"),
            "sns": lambda: self.sns.publish(TopicArn=self.topic, Message="hello"),
            "s3": lambda: self.s3.put_object(Bucket="inbox-bucket", Key="k", Body=b"hello"),
        }

    def queued(self) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


@pytest.fixture
def aws() -> Iterator[Aws]:
    with mock_aws():
        session = botocore.session.get_session()
        clients = {service: session.create_client(service) for service in ("dynamodb", "sqs", "sns", "s3")}
        clients["dynamodb"].create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        clients["s3"].create_bucket(Bucket="inbox-bucket")
        queue = clients["sqs"].create_queue(QueueName="q")["QueueUrl"]
        topic = clients["sns"].create_topic(Name="alerts")["TopicArn"]
        yield Aws(**clients, queue=queue, topic=topic, running=["SomeFunction"])


EXPECTED = {
    (FaultKind.THROTTLE, "dynamodb"): {"ProvisionedThroughputExceededException", "ThrottlingException"},
    (FaultKind.THROTTLE, "sqs"): {"Throttling"},
    (FaultKind.THROTTLE, "sns"): {"Throttling"},
    (FaultKind.THROTTLE, "s3"): {"SlowDown"},
    (FaultKind.SERVER_ERROR, "dynamodb"): {"InternalServerError", "ServiceUnavailable"},
    (FaultKind.SERVER_ERROR, "sqs"): {"InternalError", "ServiceUnavailable"},
    (FaultKind.SERVER_ERROR, "sns"): {"InternalError", "ServiceUnavailable"},
    (FaultKind.SERVER_ERROR, "s3"): {"InternalError", "ServiceUnavailable"},
}


@pytest.mark.parametrize(("kind", "service"), list(EXPECTED), ids=[f"{k.value}-{s}" for k, s in EXPECTED])
def test_a_fault_on_every_attempt_is_the_service_s_own_error_after_botocore_s_retries(
    aws: Aws, kind: FaultKind, service: str
) -> None:
    faults = FaultInjector()
    faults.force(kind, service)

    with faults.attached(lambda: aws.running[0]), pytest.raises(ClientError) as raised:
        aws.calls()[service]()

    error = raised.value.response
    assert error["Error"]["Code"] in EXPECTED[(kind, service)]
    retries = error["ResponseMetadata"]["RetryAttempts"]
    assert retries >= 2  # botocore retried: throttles and 5xx are retryable
    assert sum(faults.injected.values()) == retries + 1
    assert faults.backoff_seconds > 0  # botocore asked to wait between attempts; counted, not slept


def test_a_throttle_on_the_first_two_attempts_is_retried_to_success(aws: Aws) -> None:
    faults = FaultInjector()
    faults.force(FaultKind.THROTTLE, "sqs", "SendMessage", times=2)

    with faults.attached(lambda: aws.running[0]):
        response = aws.calls()["sqs"]()

    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert aws.queued() == 1


def test_a_lost_answer_did_the_work_and_botocore_s_retry_does_it_again(aws: Aws) -> None:
    faults = FaultInjector()
    faults.force(FaultKind.LOST, "sqs", "SendMessage", times=1)

    with faults.attached(lambda: aws.running[0]):
        aws.calls()["sqs"]()

    assert faults.injected[("sqs", "SendMessage", "lost")] == 1
    assert aws.queued() == 2  # what makes duplicates: the first send went through


def test_a_lost_answer_on_every_attempt_fails_the_call_after_doing_the_work(aws: Aws) -> None:
    faults = FaultInjector()
    faults.force(FaultKind.LOST, "sqs", "SendMessage")

    with faults.attached(lambda: aws.running[0]), pytest.raises((ClientError, ReadTimeoutError)):
        aws.calls()["sqs"]()

    assert aws.queued() == faults.injected[("sqs", "SendMessage", "lost")] >= 3


def test_calls_made_while_no_function_runs_are_never_faulted(aws: Aws) -> None:
    faults = FaultInjector(rates=FaultRates(throttle=0.5, server_error=0.5))
    aws.running[0] = None

    with faults.attached(lambda: aws.running[0]):
        for call in aws.calls().values():
            call()

    assert faults.total == 0
    assert sum(faults.calls.values()) == 0


def test_the_rates_are_drawn_from_the_seed_and_limited_to_the_operations_named(aws: Aws) -> None:
    def run(seed: int) -> dict[tuple[str, str, str], int]:
        rates = FaultRates(throttle=0.2, server_error=0.2, operations=frozenset({"sqs:SendMessage", "dynamodb"}))
        faults = FaultInjector(rates=rates, seed=seed)
        with faults.attached(lambda: aws.running[0]):
            for _ in range(20):
                for call in aws.calls().values():
                    with contextlib.suppress(ClientError):  # a fault on every attempt: the call fails
                        call()
        return dict(faults.injected)

    first = run(7)
    assert first == run(7)
    assert {service for service, _, _ in first} == {"sqs", "dynamodb"}
    assert sum(first.values()) > 10
