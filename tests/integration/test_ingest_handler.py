"""Ingest's handler on the stack from template.yaml, with the sample events of events/lambda."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import SAMPLE_ARTICLE, SAMPLE_TITLE, lambda_event


def _put_inbox_file(runtime: Any, event: dict[str, Any], data: bytes) -> dict[str, Any]:
    """Point the sample S3 event at the deployed bucket and put the file there."""
    bucket = runtime.stack.outputs["IngestBucketName"]
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["object"]["size"] = len(data)
    runtime.clients.s3.put_object(Bucket=bucket, Key=record["s3"]["object"]["key"], Body=data)
    return event


def _classify_queue_bodies(runtime: Any) -> list[dict[str, Any]]:
    messages = runtime.clients.sqs.receive_message(
        QueueUrl=runtime.stack.outputs["ClassifyQueueUrl"], MaxNumberOfMessages=10
    ).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]


def test_a_dropped_raw_article_is_stored_and_queued_for_classify(runtime: Any) -> None:
    # Given the sample article dropped in the inbox, and the S3 event for it
    event = _put_inbox_file(runtime, lambda_event("ingest-s3-put.json"), SAMPLE_ARTICLE.read_bytes())

    # When ingest handles the event
    result = runtime.invoker.invoke(runtime.wiring.functions["IngestFunction"], event)

    # Then one article is queued, clean, with its time in UTC
    assert [outcome["fate"] for outcome in result["outcomes"]] == ["queued"]
    [article] = _classify_queue_bodies(runtime)
    assert article["title"] == SAMPLE_TITLE
    assert article["source"] == "Bangladesh Global"
    assert article["published"] == "2024-07-04T07:29:00Z"
    assert "Stay tuned" not in article["body"]
    assert "Read more" not in article["body"]
    # and the articles table holds a small item for it, received until classify gives its fate
    record = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"ARTICLE#{article['id']}"}, "sk": {"S": "ARTICLE"}},
    )["Item"]
    assert record["status"]["S"] == "received"
    assert record["title"]["S"] == SAMPLE_TITLE
    assert "body" not in record
    assert "article" not in record


def test_the_same_file_dropped_twice_becomes_one_article(runtime: Any) -> None:
    event = _put_inbox_file(runtime, lambda_event("ingest-s3-put.json"), SAMPLE_ARTICLE.read_bytes())
    function = runtime.wiring.functions["IngestFunction"]

    first = runtime.invoker.invoke(function, event)
    second = runtime.invoker.invoke(function, event)

    assert first["outcomes"][0]["fate"] == "queued"
    assert second["outcomes"][0]["fate"] == "duplicate"
    assert second["outcomes"][0]["duplicate_of"] == first["outcomes"][0]["article_id"]
    assert len(_classify_queue_bodies(runtime)) == 1


def test_a_file_that_is_not_an_article_is_quarantined_with_its_reason(runtime: Any) -> None:
    event = _put_inbox_file(runtime, lambda_event("ingest-s3-put.json"), b"\x00\x01\x02 binary \xff\xfe" * 50)

    result = runtime.invoker.invoke(runtime.wiring.functions["IngestFunction"], event)

    [outcome] = result["outcomes"]
    assert outcome["fate"] == "quarantined"
    assert "binary" in outcome["reason"]
    quarantined = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"QUARANTINE#{outcome['article_id']}"}, "sk": {"S": "QUARANTINE"}},
    )["Item"]
    assert quarantined["reason"]["S"] == outcome["reason"]
    assert quarantined["raw"]["B"].startswith(b"\x00\x01\x02")
    assert _classify_queue_bodies(runtime) == []


def test_pushed_articles_get_a_result_per_item_and_202_when_any_was_taken(runtime: Any) -> None:
    # Given the sample push: one good article and one without a title
    event = lambda_event("ingest-api-post.json")

    response = runtime.invoker.invoke(runtime.wiring.functions["IngestFunction"], event)

    # Not 400: a client that retries on a 4xx would send the good one again
    assert response["statusCode"] == 202
    body = json.loads(response["body"])
    assert body["accepted"] == 1
    assert body["refused"] == 1
    fates = {result["origin"].rsplit("#", 1)[1]: result for result in body["results"]}
    assert fates["0"]["fate"] == "queued"
    assert fates["1"]["fate"] == "quarantined"
    assert "title" in fates["1"]["reason"]
    # The good one went on regardless: nothing is lost because a neighbour was bad
    [queued] = _classify_queue_bodies(runtime)
    assert queued["id"] == fates["0"]["article_id"]


def test_a_push_that_is_not_json_is_refused_with_a_400(runtime: Any) -> None:
    event = lambda_event("ingest-api-post.json")
    event["body"] = "title=hello"

    response = runtime.invoker.invoke(runtime.wiring.functions["IngestFunction"], event)

    assert response["statusCode"] == 400
    [result] = json.loads(response["body"])["results"]
    assert result["fate"] == "quarantined"
    assert "not valid JSON" in result["reason"]


def _push(runtime: Any, body: str, *, base64_encoded: bool = False) -> tuple[int, dict[str, Any]]:
    event = lambda_event("ingest-api-post.json")
    event["body"] = body
    event["isBase64Encoded"] = base64_encoded
    response = runtime.invoker.invoke(runtime.wiring.functions["IngestFunction"], event)
    return response["statusCode"], json.loads(response["body"])


def test_a_body_flagged_base64_that_is_not_base64_is_a_400_with_the_reason_and_is_quarantined(runtime: Any) -> None:
    status, answer = _push(runtime, '{"title": "not base64 at all"}', base64_encoded=True)

    assert status == 400
    [result] = answer["results"]
    assert result["fate"] == "quarantined"
    assert "isBase64Encoded" in result["reason"]
    assert "not valid base64" in result["reason"]
    kept = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"QUARANTINE#{result['article_id']}"}, "sk": {"S": "QUARANTINE"}},
    )["Item"]
    assert kept["raw"]["B"] == b'{"title": "not base64 at all"}'


def test_json_nested_5000_deep_is_a_400_with_the_reason_not_a_500(runtime: Any) -> None:
    status, answer = _push(runtime, "[" * 5_000 + "]" * 5_000)

    assert status == 400
    [result] = answer["results"]
    assert result["reason"] == "JSON nested deeper than 64 levels (an article is two): not read"
    assert _classify_queue_bodies(runtime) == []
