"""Handing records from one stage to the next over SQS."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class StageQueue:
    """The queue in front of the next stage. Receives its SQS client; never creates one."""

    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._url = queue_url

    def send(self, record: BaseModel, *, article_id: str) -> str:
        """Send ``record`` as JSON; the article id travels as an attribute for tracing and replay."""
        response = self._sqs.send_message(
            QueueUrl=self._url,
            MessageBody=record.model_dump_json(),
            MessageAttributes={"article_id": {"DataType": "String", "StringValue": article_id}},
        )
        message_id: str = response["MessageId"]
        return message_id
