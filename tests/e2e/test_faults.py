"""Faults in the AWS calls the deployed functions make, and what each comes to.

The stack is deployed from template.yaml into the local runtime, and ``newsalert.tools.local.faults``
answers chosen calls of the functions with a throttle, a 5xx, or a lost answer, before botocore's own
retries (which run as in AWS). Each fault must end in one of the designed outcomes: retried to success,
moved to a dead-letter queue, or quarantined; never stuck, never a duplicate of itself, never an alert
sent twice. The last test is ``make load --faults`` on a smaller day: the same driver and accounting.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

from newsalert.notify.subscribers import Subscriber
from newsalert.tools.local.faults import FaultInjector, FaultKind, FaultRates
from newsalert.tools.local.runtime import LocalRuntime
from tests.conftest import PROJECT_ROOT, SAMPLE_ARTICLE, SAMPLES, import_bench
from tests.e2e.stack_views import received

pytestmark = pytest.mark.e2e

NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
QUAKE = json.loads((SAMPLES / "earthquake-wire-reports.json").read_text(encoding="utf-8"))[0]
"""A magnitude 5.9 earthquake reported 22 minutes before ``NOW``: breaking news, one alert."""
EVERYONE = Subscriber(name="everyone", protocol="https", endpoint="https://hooks.newsroom.example/all")


@pytest.fixture
def faults() -> FaultInjector:
    return FaultInjector(seed=11)


@pytest.fixture
def stack(faults: FaultInjector) -> Iterator[LocalRuntime]:
    with LocalRuntime(PROJECT_ROOT, now=NOW, log=io.StringIO(), faults=faults) as runtime:
        runtime.subscribe([EVERYONE])
        yield runtime


def _push(stack: LocalRuntime, *articles: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    """The answer API Gateway gives (a failed invocation is its 500) and the results it lists."""
    invocation = stack.push_articles(json.dumps(list(articles)))
    if invocation.error is not None or not isinstance(invocation.result, dict):
        return 500, []
    return int(invocation.result["statusCode"]), json.loads(invocation.result["body"]).get("results", [])


def _statuses(stack: LocalRuntime) -> dict[str, str]:
    return {
        str(item["pk"]).removeprefix("ARTICLE#"): str(item["status"])
        for item in stack.table_items()
        if str(item["pk"]).startswith("ARTICLE#")
    }


def _ingest_sends_to_classify(body: bytes) -> bool:
    return b"Classify" in body or b"classify" in body


# ------------------------------------------------------------------------------ the injector itself
def test_the_faults_reach_the_functions_calls_and_never_the_tests_own(
    stack: LocalRuntime, faults: FaultInjector
) -> None:
    faults.force(FaultKind.SERVER_ERROR, "dynamodb")  # every attempt of every DynamoDB call of a function
    table = stack.stack.outputs["ArticlesTableName"]

    # The test's own client is answered by moto as ever...
    assert stack.clients.dynamodb.describe_table(TableName=table)["Table"]["TableName"] == table
    assert faults.total == 0
    # ...while a function's calls fail after botocore's retries: the push is API Gateway's 500.
    status, _ = _push(stack, QUAKE)
    assert status == 500
    assert faults.injected[("dynamodb", "PutItem", "5xx")] >= 3  # the first attempt and botocore's retries


# ------------------------------------------------------------------------------------ one fault each
def test_a_throttled_hand_over_to_classify_is_retried_to_success(stack: LocalRuntime, faults: FaultInjector) -> None:
    to_classify = _ingest_sends_to_classify
    faults.force(FaultKind.THROTTLE, "sqs", "SendMessageBatch", function="IngestFunction", times=2, when=to_classify)

    status, [result] = _push(stack, QUAKE)
    stack.drain()

    assert (status, result["fate"]) == (202, "queued")
    assert faults.injected[("sqs", "SendMessageBatch", "throttle")] == 2
    assert _statuses(stack) == {result["article_id"]: "alerted"}
    assert len(received(stack, EVERYONE)) == 1


@pytest.mark.parametrize(
    ("service", "operation", "marker", "retry_fates"),
    [
        # The hand-over to classify: the claim is released, so the retry is not "a duplicate of itself".
        pytest.param("sqs", "SendMessageBatch", b"", {"queued"}, id="hand-over to classify"),
        # The article's own item, after its text was claimed: a claim half made.
        pytest.param("dynamodb", "PutItem", b"ARTICLE#", {"queued"}, id="claim of the article's id"),
        # The intake ledger, after the hand-over: the retry may find it handed over (a duplicate, rightly).
        pytest.param("dynamodb", "PutItem", b"INTAKE#", {"queued", "duplicate"}, id="intake ledger"),
    ],
)
def test_an_ingest_write_that_fails_on_every_attempt_answers_5xx_and_the_client_s_retry_finishes_it(
    stack: LocalRuntime, faults: FaultInjector, service: str, operation: str, marker: bytes, retry_fates: set[str]
) -> None:
    rule = faults.force(
        FaultKind.SERVER_ERROR, service, operation, function="IngestFunction", when=lambda body: marker in body
    )

    first, _ = _push(stack, QUAKE)
    faults.rules.remove(rule)
    status, [result] = _push(stack, QUAKE)  # the client's retry, at once
    stack.drain()

    assert first >= 500
    assert status == 202
    assert result["fate"] in retry_fates
    assert _statuses(stack) == {result["article_id"]: "alerted"}
    assert len(received(stack, EVERYONE)) == 1


def test_a_hand_over_and_its_release_failing_together_are_said_in_progress_and_finished_after_the_lease(
    stack: LocalRuntime, faults: FaultInjector
) -> None:
    # Two faults at once: the hand-over fails, and so does the release of the claim. The claim's lease
    # (the invocation's deadline) still runs, so the immediate retry cannot take the article over: it is
    # told so, with the time after which a retry will (never "a duplicate" of itself).
    hand_over = faults.force(FaultKind.SERVER_ERROR, "sqs", "SendMessageBatch", function="IngestFunction")
    release = faults.force(FaultKind.SERVER_ERROR, "dynamodb", "UpdateItem", function="IngestFunction")

    first, _ = _push(stack, QUAKE)
    faults.rules.remove(hand_over)
    faults.rules.remove(release)
    status, [told] = _push(stack, QUAKE)
    # Time passes: the lease runs out (set on the item, as the clock would).
    stack.clients.dynamodb.update_item(
        TableName=stack.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"ARTICLE#{told['article_id']}"}, "sk": {"S": "ARTICLE"}},
        UpdateExpression="SET lease_until = :past",
        ExpressionAttributeValues={":past": {"N": "0"}},
    )
    again, [result] = _push(stack, QUAKE)
    stack.drain()

    assert (first, status, again) == (500, 202, 202)
    assert "being ingested by an earlier attempt until" in told["reason"]
    assert "send it again after then" in told["reason"]
    assert result["fate"] == "queued"
    assert _statuses(stack) == {result["article_id"]: "alerted"}
    assert len(received(stack, EVERYONE)) == 1


def test_classify_writes_that_fail_are_retried_by_sqs_and_the_article_is_alerted_once(
    stack: LocalRuntime, faults: FaultInjector
) -> None:
    # Every DynamoDB write of classify fails for its first invocation's attempts: the batch fails,
    # SQS delivers it again (maxReceiveCount 5), and the second delivery goes through.
    faults.force(FaultKind.SERVER_ERROR, "dynamodb", "UpdateItem", function="ClassifyFunction", times=4)

    status, [result] = _push(stack, QUAKE)
    stack.drain()

    assert status == 202
    assert faults.injected[("dynamodb", "UpdateItem", "5xx")] == 4
    assert _statuses(stack) == {result["article_id"]: "alerted"}
    assert len(received(stack, EVERYONE)) == 1
    assert not any(stack.dead_letters().values())


def test_a_dropped_file_that_cannot_be_read_on_any_attempt_lies_in_the_ingest_dead_letter_queue(
    stack: LocalRuntime, faults: FaultInjector
) -> None:
    # S3 answers 5xx to every read: Lambda tries the notification three times, then its dead-letter
    # queue keeps the event (with the queue's alarm), so a redrive ingests the file later.
    faults.force(FaultKind.SERVER_ERROR, "s3", "GetObject", function="IngestFunction")

    invocations = stack.drop_file(SAMPLE_ARTICLE)
    stack.drain()

    assert [invocation.error is not None for invocation in invocations] == [True]
    assert faults.injected[("s3", "GetObject", "5xx")] >= 9  # three invocations, each with botocore's retries
    [dead] = stack.dead_letters()["IngestDeadLetterQueue"]
    [record] = json.loads(dead["Body"])["Records"]
    assert record["s3"]["object"]["key"] == f"inbox/{SAMPLE_ARTICLE.name}"
    assert _statuses(stack) == {}
    assert received(stack, EVERYONE) == []


def test_a_throttled_publish_is_retried_and_the_alert_arrives_once(stack: LocalRuntime, faults: FaultInjector) -> None:
    faults.force(FaultKind.THROTTLE, "sns", "Publish", function="NotifyFunction", times=1)

    status, [result] = _push(stack, QUAKE)
    stack.drain()

    assert status == 202
    assert faults.injected[("sns", "Publish", "throttle")] == 1
    assert _statuses(stack) == {result["article_id"]: "alerted"}
    assert len(received(stack, EVERYONE)) == 1


def test_a_publish_whose_answer_is_lost_is_not_published_again(stack: LocalRuntime, faults: FaultInjector) -> None:
    faults.force(FaultKind.LOST, "sns", "Publish", function="NotifyFunction", times=1)

    status, _ = _push(stack, QUAKE)
    stack.drain()

    assert status == 202
    assert faults.injected[("sns", "Publish", "lost")] == 1
    assert len(received(stack, EVERYONE)) == 1


def test_an_alert_whose_article_write_fails_is_sent_once_and_its_article_names_it(
    stack: LocalRuntime, faults: FaultInjector
) -> None:
    def the_alerted_write(body: bytes) -> bool:
        return faults.performed[("sns", "Publish")] > 0 and b"ARTICLE#" in body

    # The article's ALERTED write, once SNS has taken the alert: every attempt of one invocation.
    faults.force(
        FaultKind.THROTTLE, "dynamodb", "UpdateItem", function="NotifyFunction", when=the_alerted_write, times=4
    )

    status, [result] = _push(stack, QUAKE)
    stack.drain()

    assert status == 202
    assert faults.injected[("dynamodb", "UpdateItem", "throttle")] == 4
    assert len(received(stack, EVERYONE)) == 1
    assert _statuses(stack) == {result["article_id"]: "alerted"}


def test_a_story_alert_claim_whose_answer_was_lost_is_still_this_attempt_s(
    stack: LocalRuntime, faults: FaultInjector
) -> None:
    faults.force(
        FaultKind.LOST,
        "dynamodb",
        "UpdateItem",
        function="NotifyFunction",
        times=1,
        when=lambda body: b"SET pending_update" in body,
    )

    status, [result] = _push(stack, QUAKE)
    stack.drain()

    assert status == 202
    assert faults.injected[("dynamodb", "UpdateItem", "lost")] == 1
    assert _statuses(stack) == {result["article_id"]: "alerted"}
    assert len(received(stack, EVERYONE)) == 1
    assert not any(stack.dead_letters().values())


# -------------------------------------------------------------------------------------- load and faults
@pytest.fixture(scope="module")
def bench_load() -> ModuleType:
    return import_bench("bench_load")


def test_two_thousand_articles_with_faults_in_every_call_end_accounted_for_and_no_alert_twice(
    bench_load: ModuleType,
) -> None:
    # make load FAULTS=0.01 on 2,000 articles: each attempt of each AWS call of the functions has a 1 %
    # chance of a throttle and 1 % of a 5xx; botocore retries; a push answering 5xx is sent again.
    day = bench_load.generate_load(2000)
    faults = FaultInjector(rates=FaultRates(throttle=0.01, server_error=0.01), seed=20240711)

    result = bench_load.run_load(day, log=bench_load.NullLog(), say=lambda _: None, faults=faults)

    # Every article that entered has its fate (or lies visibly in a dead-letter queue), and every
    # subscriber received each alert and digest once (both checked by the accounting: result.problems).
    assert result.problems == []
    assert sum(result.fates.values()) == 2000
    assert set(result.fates) <= bench_load.FINAL_FATES | bench_load.VISIBLE_FATES
    assert result.alerts > 50
    # The faults were everywhere: DynamoDB reads and writes, the queues, the topic, the bucket.
    assert faults.by_kind()["throttle"] > 100
    assert faults.by_kind()["5xx"] > 100
    assert {service for service, _, _ in faults.injected} >= {"dynamodb", "sqs", "sns", "s3"}
    report = "\n".join(bench_load.report(result, day))
    assert "faults injected:" in report
    assert "accounting: every article accounted for" in report
