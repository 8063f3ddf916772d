"""The SQS queues between the stages: each model is sent as one message whose body is its JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SQS_BATCH_LIMIT = 10


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
        """Send ``(body, key)`` pairs in batches of ten (SQS's limit); the key travels as an attribute.

        Raises ``QueueSendError`` naming the entries SQS refused, after sending all the others.
        """
        refused: list[str] = []
        for start in range(0, len(bodies), SQS_BATCH_LIMIT):
            batch = bodies[start : start + SQS_BATCH_LIMIT]
            response = self._sqs.send_message_batch(
                QueueUrl=self._url,
                Entries=[
                    {
                        "Id": str(index),
                        "MessageBody": body.model_dump_json(),
                        "MessageAttributes": {"key": {"DataType": "String", "StringValue": key}},
                    }
                    for index, (body, key) in enumerate(batch)
                ],
            )
            refused += [
                f"{batch[int(failure['Id'])][1]}: {failure.get('Message')}" for failure in response.get("Failed", [])
            ]
        if refused:
            raise QueueSendError(f"SQS refused {len(refused)} of {len(bodies)} messages: " + "; ".join(refused[:5]))
