"""The SQS queues between the stages: each model is sent as one message whose body is its JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SQS_BATCH_LIMIT = 10
SQS_BATCH_BYTES = 1_000_000
"""What one SendMessageBatch may carry, bodies and attributes together (SQS refuses a request over 1 MiB):
kept a little under, for the attributes' names and types."""


class QueueSendError(RuntimeError):
    """SQS refused some messages of a batch."""


class StageQueue:
    """The queue in front of the next stage. Receives its SQS client; never creates one."""

    def __init__(self, sqs: SQSClient, queue_url: str) -> None:
        self._sqs = sqs
        self._url = queue_url

    def send(self, body: BaseModel, *, article_id: str) -> str:
        """Send ``body`` as JSON; the article id travels as an attribute for tracing and replay."""
        response = self._sqs.send_message(
            QueueUrl=self._url,
            MessageBody=body.model_dump_json(),
            MessageAttributes={"article_id": {"DataType": "String", "StringValue": article_id}},
        )
        message_id: str = response["MessageId"]
        return message_id

    def send_many(self, bodies: list[tuple[BaseModel, str]]) -> None:
        """Send ``(body, key)`` pairs in batches SQS takes (ten, 1 MiB); the key travels as an attribute.

        Raises ``QueueSendError`` naming the entries SQS refused, after sending all the others.
        """
        refused: list[str] = []
        for batch in _batches([(body.model_dump_json(), key) for body, key in bodies]):
            response = self._sqs.send_message_batch(
                QueueUrl=self._url,
                Entries=[
                    {
                        "Id": str(index),
                        "MessageBody": text,
                        "MessageAttributes": {"key": {"DataType": "String", "StringValue": key}},
                    }
                    for index, (text, key) in enumerate(batch)
                ],
            )
            refused += [
                f"{batch[int(failure['Id'])][1]}: {failure.get('Message')}" for failure in response.get("Failed", [])
            ]
        if refused:
            raise QueueSendError(f"SQS refused {len(refused)} of {len(bodies)} messages: " + "; ".join(refused[:5]))


def _batches(messages: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """``(body, key)`` pairs in batches SQS takes: ten at most, and under ``SQS_BATCH_BYTES`` together."""
    batches: list[list[tuple[str, str]]] = []
    size = 0
    for text, key in messages:
        weight = len(text.encode("utf-8")) + len(key.encode("utf-8"))
        if not batches or len(batches[-1]) == SQS_BATCH_LIMIT or size + weight > SQS_BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append((text, key))
        size += weight
    return batches
