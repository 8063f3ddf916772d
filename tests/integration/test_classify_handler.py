"""Classify's handler on the stack from template.yaml: partial batch failures and the hand-over to notify."""

from __future__ import annotations

import copy
import json
from typing import Any

from newsalert.aws.archive import ArticleArchive
from tests.conftest import lambda_event


def _seed_article(runtime: Any, article: dict[str, Any]) -> None:
    """Store the article as ingest would have, so classify can record its fate."""
    runtime.clients.dynamodb.put_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Item={
            "pk": {"S": f"ARTICLE#{article['id']}"},
            "sk": {"S": "ARTICLE"},
            "status": {"S": "queued"},
            "article": {"S": json.dumps(article)},
        },
    )


def _status(runtime: Any, article_id: str) -> dict[str, Any]:
    item: dict[str, Any] = runtime.clients.dynamodb.get_item(
        TableName=runtime.stack.outputs["ArticlesTableName"],
        Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
    )["Item"]
    return {key: next(iter(value.values())) for key, value in item.items()}


def test_the_sample_is_classified_breaking_and_handed_to_notify(runtime: Any) -> None:
    event = lambda_event("classify-sqs.json")
    article = json.loads(event["Records"][0]["body"])
    _seed_article(runtime, article)

    response = runtime.invoker.invoke(runtime.wiring.functions["ClassifyFunction"], event)

    assert response == {"batchItemFailures": []}
    record = _status(runtime, article["id"])
    assert record["status"] == "breaking"
    assert {"sco", "geopolitics"} <= set(json.loads(record["topics"]))
    [message] = runtime.clients.sqs.receive_message(QueueUrl=runtime.stack.outputs["NotifyQueueUrl"])["Messages"]
    handed_over = json.loads(message["Body"])
    assert handed_over["article"]["id"] == article["id"]
    assert handed_over["classification"]["breaking"] is True


def test_classify_archives_each_batch_it_read_as_one_object_for_replays(runtime: Any) -> None:
    # Given a batch of the sample and a second article; the table keeps fates, not articles
    event = lambda_event("classify-sqs.json")
    article = json.loads(event["Records"][0]["body"])
    other = article | {"id": "art-" + "1" * 32, "title": "Another report from the summit"}
    event["Records"].append(copy.deepcopy(event["Records"][0]) | {"messageId": "other-1", "body": json.dumps(other)})
    for each in (article, other):
        _seed_article(runtime, each)

    runtime.invoker.invoke(runtime.wiring.functions["ClassifyFunction"], event)

    bucket = runtime.stack.outputs["IngestBucketName"]
    [entry] = runtime.clients.s3.list_objects_v2(Bucket=bucket, Prefix="archive/")["Contents"]
    assert entry["Key"].startswith("archive/2024/07/04/")
    archived = [json.loads(line) for _, line in ArticleArchive(runtime.clients.s3, bucket).articles()]
    assert [each["id"] for each in archived] == [article["id"], other["id"]]
    assert archived[0]["body"] == article["body"]


def test_one_bad_record_fails_alone_and_only_it_is_retried(runtime: Any) -> None:
    # Given a batch of three: the sample, a body that is not an article, and a stale article
    event = lambda_event("classify-sqs.json")
    good = event["Records"][0]
    article = json.loads(good["body"])
    _seed_article(runtime, article)
    broken = copy.deepcopy(good) | {"messageId": "broken-1", "body": '{"title": "no id, no times"}'}
    stale_article = article | {
        "id": "art-" + "0" * 32,
        "published": "2020-01-01T00:00:00Z",
        "title": "An old story",
    }
    _seed_article(runtime, stale_article)
    stale = copy.deepcopy(good) | {"messageId": "stale-1", "body": json.dumps(stale_article)}
    event["Records"] = [good, broken, stale]

    # When classify handles the batch
    response = runtime.invoker.invoke(runtime.wiring.functions["ClassifyFunction"], event)

    # Then only the broken record is reported for retry, and the others were processed
    assert response == {"batchItemFailures": [{"itemIdentifier": "broken-1"}]}
    assert _status(runtime, article["id"])["status"] == "breaking"
    stale_record = _status(runtime, stale_article["id"])
    assert stale_record["status"] == "not_breaking"
    assert "published" in stale_record["reason"]


def test_a_poison_message_ends_in_the_dead_letter_queue_after_the_redrive_limit(runtime: Any) -> None:
    # Given a message no consumer can ever parse, on the real classify queue
    runtime.clients.sqs.send_message(QueueUrl=runtime.stack.outputs["ClassifyQueueUrl"], MessageBody="not json")

    # When the runtime's poller delivers until the queues are empty
    batches = runtime.drain()

    # Then the queue's own redrive policy moved it to the DLQ after maxReceiveCount receives
    redrive = json.loads(
        runtime.clients.sqs.get_queue_attributes(
            QueueUrl=runtime.stack.outputs["ClassifyQueueUrl"], AttributeNames=["RedrivePolicy"]
        )["Attributes"]["RedrivePolicy"]
    )
    assert batches == redrive["maxReceiveCount"]
    dead = runtime.dead_letters()["ClassifyDeadLetterQueue"]
    assert [message["Body"] for message in dead] == ["not json"]


TAXONOMY_KEY = "config/taxonomy.yaml"
OPERATOR_TAXONOMY = """
version: 1
topics:
  - id: politics
    label: Politics
    parent: null
    kind: category
    query: 'Putin OR Xi'
    threshold: 0.3
    alert: {breaking: true, min_score: 0.3}
"""


def _classify_with_taxonomy(runtime: Any, document: str | None) -> dict[str, Any]:
    if document is not None:
        runtime.clients.s3.put_object(
            Bucket=runtime.stack.outputs["IngestBucketName"], Key=TAXONOMY_KEY, Body=document.encode()
        )
    event = lambda_event("classify-sqs.json")
    article = json.loads(event["Records"][0]["body"])
    _seed_article(runtime, article)
    runtime.invoker.invoke(runtime.wiring.functions["ClassifyFunction"], event)
    return _status(runtime, article["id"])


def test_an_operator_taxonomy_in_the_bucket_replaces_the_bundled_one(runtime: Any) -> None:
    record = _classify_with_taxonomy(runtime, OPERATOR_TAXONOMY)

    assert set(json.loads(record["topics"])) == {"politics"}


def test_a_broken_operator_taxonomy_is_reported_and_the_bundled_one_is_used(runtime: Any) -> None:
    broken = OPERATOR_TAXONOMY.replace("parent: null", "parent: nowhere")

    record = _classify_with_taxonomy(runtime, broken)

    assert {"sco", "geopolitics"} <= set(json.loads(record["topics"]))
    log = runtime.log.getvalue()
    assert "operator taxonomy rejected" in log
    assert "nowhere" in log
    assert "TaxonomyOverrideRejected" in log
