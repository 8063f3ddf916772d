"""The local runtime's moto patches keep moto's semantics: each scenario gives the same answer with and without them.

Conditions still refuse, a cancelled transaction still rolls back every write it made, queries
still return the same items in the same order, SQS still delivers, hides, redrives and deletes
the same messages. And the patches do what they are for: a transaction copies no table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.sqs.models import Queue

from newsalert.tools.local.moto_patches import patched_moto

REGION = "us-east-1"


def _both(scenario: Callable[[], Any]) -> tuple[Any, Any]:
    """The scenario's answer on plain moto, and on patched moto."""
    answers = []
    for patches in (nullcontext(), patched_moto()):
        with patches, mock_aws():
            answers.append(scenario())
    return answers[0], answers[1]


def _table(dynamodb: Any, name: str = "articles") -> None:
    """A table keyed as the articles table is: ``pk`` and ``sk``, both strings."""
    schema = [{"AttributeName": key, "KeyType": kind} for key, kind in (("pk", "HASH"), ("sk", "RANGE"))]
    types = [{"AttributeName": key["AttributeName"], "AttributeType": "S"} for key in schema]
    dynamodb.create_table(TableName=name, KeySchema=schema, AttributeDefinitions=types, BillingMode="PAY_PER_REQUEST")


def _item(pk: str, sk: str = "A", **values: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}, **{name: {"S": value} for name, value in values.items()}}


def _everything(dynamodb: Any, name: str = "articles") -> list[dict[str, Any]]:
    return sorted(dynamodb.scan(TableName=name)["Items"], key=lambda item: (item["pk"]["S"], item["sk"]["S"]))


def _cancelled(dynamodb: Any, items: list[dict[str, Any]]) -> list[str | None]:
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as refused:
        dynamodb.transact_write_items(TransactItems=items)
    return [reason.get("Code") for reason in refused.value.response["CancellationReasons"]]


NOT_THERE = "attribute_not_exists(pk)"


def test_a_transaction_that_passes_writes_every_item() -> None:
    def scenario() -> Any:
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        _table(dynamodb)
        dynamodb.put_item(TableName="articles", Item=_item("OLD", status="received"))
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "articles", "Item": _item("NEW"), "ConditionExpression": NOT_THERE}},
                {
                    "Update": {
                        "TableName": "articles",
                        "Key": {"pk": {"S": "OLD"}, "sk": {"S": "A"}},
                        "UpdateExpression": "SET #s = :queued",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":queued": {"S": "queued"}},
                    }
                },
            ]
        )
        return _everything(dynamodb)

    plain, patched = _both(scenario)
    assert patched == plain
    assert [item["pk"]["S"] for item in patched] == ["NEW", "OLD"]
    assert patched[1]["status"] == {"S": "queued"}


def test_a_failed_condition_cancels_the_transaction_and_rolls_back_its_puts_updates_and_deletes() -> None:
    def scenario() -> Any:
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        _table(dynamodb)
        for pk in ("KEPT", "UPDATED", "DEDUP"):
            dynamodb.put_item(TableName="articles", Item=_item(pk, status="received"))
        before = _everything(dynamodb)
        reasons = _cancelled(
            dynamodb,
            [
                {"Put": {"TableName": "articles", "Item": _item("NEW", status="x"), "ConditionExpression": NOT_THERE}},
                {
                    "Update": {
                        "TableName": "articles",
                        "Key": {"pk": {"S": "UPDATED"}, "sk": {"S": "A"}},
                        "UpdateExpression": "SET #s = :v REMOVE #o",
                        "ExpressionAttributeNames": {"#s": "status", "#o": "other"},
                        "ExpressionAttributeValues": {":v": {"S": "changed"}},
                    }
                },
                {"Delete": {"TableName": "articles", "Key": {"pk": {"S": "KEPT"}, "sk": {"S": "A"}}}},
                {"Put": {"TableName": "articles", "Item": _item("DEDUP"), "ConditionExpression": NOT_THERE}},
            ],
        )
        return reasons, before, _everything(dynamodb)

    plain, patched = _both(scenario)
    assert patched == plain
    reasons, before, after = patched
    assert reasons == ["None", "None", "None", "ConditionalCheckFailed"]  # moto's word for a passing one
    assert after == before  # the new item is gone, the update undone, the deleted item back


def test_a_refused_transaction_leaves_every_other_item_of_the_table_as_it_was() -> None:
    def scenario() -> Any:
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        _table(dynamodb)
        for number in range(30):
            dynamodb.put_item(TableName="articles", Item=_item(f"ARTICLE#{number}", status="queued"))
        dynamodb.put_item(TableName="articles", Item=_item("DEDUP#1", "DEDUP"))
        claim = [
            {"Put": {"TableName": "articles", "Item": _item("ARTICLE#new"), "ConditionExpression": NOT_THERE}},
            {"Put": {"TableName": "articles", "Item": _item("DEDUP#1", "DEDUP"), "ConditionExpression": NOT_THERE}},
        ]
        reasons = _cancelled(dynamodb, claim)
        again = _cancelled(dynamodb, claim)  # refused the same way: nothing of the first attempt was left behind
        return reasons, again, len(_everything(dynamodb))

    plain, patched = _both(scenario)
    assert patched == plain == (["None", "ConditionalCheckFailed"], ["None", "ConditionalCheckFailed"], 31)


def test_an_item_named_twice_is_refused_as_before() -> None:
    def scenario() -> Any:
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        _table(dynamodb)
        with pytest.raises(dynamodb.exceptions.ClientError) as refused:
            dynamodb.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": "articles", "Item": _item("SAME")}},
                    {"Put": {"TableName": "articles", "Item": _item("SAME", status="again")}},
                ]
            )
        return refused.value.response["Error"]["Code"], _everything(dynamodb)

    plain, patched = _both(scenario)
    assert patched == plain
    assert patched[1] == []


def test_a_transaction_deep_copies_no_table(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_copy(table: Table, memo: dict[int, Any]) -> Table:
        raise AssertionError(f"table {table.name} deep-copied")

    with patched_moto(), mock_aws():
        monkeypatch.setattr(Table, "__deepcopy__", no_copy, raising=False)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        _table(dynamodb)
        dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": "articles", "Item": _item("A")}}])
        assert _cancelled(
            dynamodb,
            [
                {"Put": {"TableName": "articles", "Item": _item("B")}},
                {"Put": {"TableName": "articles", "Item": _item("A"), "ConditionExpression": NOT_THERE}},
            ],
        ) == ["None", "ConditionalCheckFailed"]
        assert [item["pk"]["S"] for item in _everything(dynamodb)] == ["A"]


def test_queries_give_the_same_items_in_the_same_order() -> None:
    def scenario() -> Any:
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        _table(dynamodb)
        for pk in ("STORYKEY#quake", "STORYKEY#summit"):
            for number in (5, 1, 9, 3, 7):
                dynamodb.put_item(TableName="articles", Item=_item(pk, f"2024-07-04T0{number}", n=str(number)))
        answers = []
        for forward in (True, False):
            for limit in (2, 10):
                page = dynamodb.query(
                    TableName="articles",
                    KeyConditionExpression="pk = :pk AND sk > :after",
                    FilterExpression="n <> :three",
                    ExpressionAttributeValues={
                        ":pk": {"S": "STORYKEY#quake"},
                        ":after": {"S": "2024-07-04T02"},
                        ":three": {"S": "7"},
                    },
                    ScanIndexForward=forward,
                    Limit=limit,
                )
                answers.append((page["Items"], page.get("LastEvaluatedKey"), page["Count"], page["ScannedCount"]))
        first = dynamodb.scan(TableName="articles", Limit=3)
        rest = dynamodb.scan(TableName="articles", ExclusiveStartKey=first["LastEvaluatedKey"])
        answers.append((first["Items"], first["LastEvaluatedKey"], rest["Items"]))
        answers.append(
            dynamodb.query(
                TableName="articles",
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": "STORYKEY#none"}},
            )["Items"]
        )
        return answers

    plain, patched = _both(scenario)
    assert patched == plain
    assert [item["n"]["S"] for item in patched[3][0]] == ["9", "5", "3"]  # newest first, the filtered one left out


def _queue_scenario(sqs: Any) -> list[Any]:
    dead = sqs.create_queue(QueueName="dead")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(
        QueueName="work",
        Attributes={"RedrivePolicy": f'{{"deadLetterTargetArn": "{dead_arn}", "maxReceiveCount": "2"}}'},
    )["QueueUrl"]
    for number in range(25):
        sqs.send_message(QueueUrl=url, MessageBody=f"message {number}")
    seen: list[Any] = []

    def receive(queue: str = url, **kwargs: Any) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, **kwargs).get(
            "Messages", []
        )
        seen.append([message["Body"] for message in messages])
        return messages

    first = receive()
    for message in first[:7]:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])  # again: accepted
    for message in first[7:]:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    seen.append((counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]))
    second = receive()  # 10 of the 18 left, still hidden after this
    seen.append(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"])
    for message in second:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    receive()  # the three given back twice now go to the dead-letter queue instead
    receive(dead)
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
        sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-receipt-handle")
    return seen


def test_queues_deliver_hide_redrive_and_delete_the_same_messages() -> None:
    def scenario() -> Any:
        return _queue_scenario(boto3.client("sqs", region_name=REGION))

    plain, patched = _both(scenario)
    assert patched == plain
    assert plain[0] == [f"message {number}" for number in range(10)]
    assert plain[1] == ("18", "0")


def test_a_fifo_queue_with_content_based_deduplication_still_drops_a_message_sent_twice() -> None:
    def scenario() -> Any:
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(
            QueueName="work.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
        )["QueueUrl"]
        for body in ("same", "same", "other"):
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
        counted = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        return counted["Attributes"], [message["Body"] for message in received]

    plain, patched = _both(scenario)
    assert patched == plain == ({"ApproximateNumberOfMessages": "2"}, ["same", "other"])


def test_moto_is_itself_again_after_the_block() -> None:
    originals = (DynamoDBBackend.transact_write_items, Table.query, Queue.messages, Queue.delete_message)
    with patched_moto():
        assert DynamoDBBackend.transact_write_items is not originals[0]
    assert (DynamoDBBackend.transact_write_items, Table.query, Queue.messages, Queue.delete_message) == originals


@pytest.fixture(autouse=True)
def _no_leftover_patches() -> Iterator[None]:
    before = DynamoDBBackend.__dict__["transact_write_items"]
    yield
    assert DynamoDBBackend.__dict__["transact_write_items"] is before
