"""The stage queues send in batches that SQS takes: ten messages at most, and 1 MiB at most together."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from newsalert.aws.queues import StageQueue


class _Note(BaseModel):
    text: str


def _received(sqs: Any, url: str) -> list[str]:
    bodies: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        bodies += [message["Body"] for message in messages]
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)],
        )


def test_ten_large_articles_are_sent_in_as_many_batches_as_1_mib_allows(runtime: Any) -> None:
    # Ten articles of 300 KB each (a long body in a non-Latin script): 3 MB, more than one batch may carry
    url = runtime.stack.outputs["ClassifyQueueUrl"]
    notes: list[tuple[BaseModel, str]] = [
        (_Note(text=f"{number}" + "ж" * 150_000), f"art-{number}") for number in range(10)
    ]
    calls: list[int] = []
    sqs = runtime.clients.sqs
    original = sqs.send_message_batch

    def counting(**kwargs: Any) -> Any:
        calls.append(len(kwargs["Entries"]))
        return original(**kwargs)

    sqs.send_message_batch = counting

    StageQueue(sqs, url).send_many(notes)

    assert sum(calls) == 10
    assert len(calls) >= 4  # three of them at most in 1 MiB
    assert sorted(_Note.model_validate_json(body).text[0] for body in _received(sqs, url)) == [
        str(n) for n in range(10)
    ]
