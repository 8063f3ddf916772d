"""``newsalert redrive``: a stack's dead letters back to where they came from, counted.

Each stage's dead-letter queue goes back to its source: the classify and notify dead letters to
their queues (their consumers are idempotent: an article classified or alerted already is not
alerted again), the poll dead letters to the poll queue; the ingest dead-letter queue holds the
S3 and schedule events ingest gave up on, which are invoked again on the ingest function. A
message is deleted from its dead-letter queue only once it has been sent back.

Exit status: 0 done (or nothing to redrive); 1 some messages could not be sent back (they stay in
their dead-letter queue); 2 a usage error or a stack that cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from newsalert.tools.aws_access import AwsAccessError, aws_errors, session
from newsalert.tools.commands.common import stack_options
from newsalert.tools.progress import Progress

STAGES = {
    # stage: (its dead-letter queue's output, where its messages go back: a queue output or a function output)
    "classify": ("ClassifyDeadLetterQueueUrl", "ClassifyQueueUrl"),
    "notify": ("NotifyDeadLetterQueueUrl", "NotifyQueueUrl"),
    "poll": ("PollDeadLetterQueueUrl", "PollQueueUrl"),
    "ingest": ("IngestDeadLetterQueueUrl", "IngestFunctionName"),
}
VISIBILITY_SECONDS = 120
"""How long a dead letter being moved stays out of sight: if the move fails, it reappears in its queue."""


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "redrive",
        parents=[stack_options()],
        help="send dead letters back to their stage",
        description="Move each dead-letter queue's messages back to their source queue (the ingest dead letters: "
        "invoke the ingest function again with each event). Exit 0 done, 1 some could not be moved, 2 usage error.",
    )
    parser.add_argument(
        "--stage", choices=sorted(STAGES), action="append", help="only this stage's dead letters (repeatable)"
    )
    parser.add_argument("--dry-run", action="store_true", help="count and show what would move, move nothing")
    parser.set_defaults(run=run)


@dataclass
class Redriven:
    stage: str
    waiting: int
    moved: int = 0
    failed: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    aws = session(args.region)
    results: list[Redriven] = []
    try:
        with aws_errors(args.stack):
            from newsalert.aws.stack import stack_outputs

            outputs = stack_outputs(aws.client("cloudformation"), args.stack)
            sqs, lambda_ = aws.client("sqs"), aws.client("lambda")
            for stage in args.stage or sorted(STAGES):
                dead_letters, source = STAGES[stage]
                if dead_letters not in outputs or source not in outputs:
                    raise AwsAccessError(f"stack {args.stack} has no {dead_letters} or {source} output")
                waiting = _waiting(sqs, outputs[dead_letters])
                result = Redriven(stage, waiting)
                results.append(result)
                if not args.dry_run and waiting:
                    _move(sqs, lambda_, outputs[dead_letters], source, outputs[source], result)
    except AwsAccessError as error:
        print(f"newsalert redrive: {error}", file=sys.stderr)
        return 2
    verb = "would move" if args.dry_run else "moved"
    for result in results:
        moved = result.waiting if args.dry_run else result.moved
        line = f"{result.stage}: {result.waiting} dead letters, {verb} {moved}"
        if result.failed:
            line += f", {len(result.failed)} left in the dead-letter queue: {'; '.join(result.failed[:3])}"
        print(line)
    return 1 if any(result.failed for result in results) else 0


def _waiting(sqs: Any, queue_url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def _move(sqs: Any, lambda_: Any, dead_letters: str, source: str, target: str, result: Redriven) -> None:
    progress = Progress(f"redriving {result.stage}", result.waiting)
    seen: set[str] = set()
    while batch := sqs.receive_message(
        QueueUrl=dead_letters,
        MaxNumberOfMessages=10,
        VisibilityTimeout=VISIBILITY_SECONDS,
        MessageAttributeNames=["All"],
    ).get("Messages", []):
        fresh = [message for message in batch if message["MessageId"] not in seen]
        if not fresh:
            break  # only messages that failed to move came back: leave them
        seen.update(message["MessageId"] for message in fresh)
        for message in fresh:
            try:
                _send_back(sqs, lambda_, source, target, message)
            except Exception as error:  # one message's failure is reported, the rest go on
                result.failed.append(f"{message['MessageId']}: {error}")
                continue
            sqs.delete_message(QueueUrl=dead_letters, ReceiptHandle=message["ReceiptHandle"])
            result.moved += 1
            progress.advance()
    progress.done()


def _send_back(sqs: Any, lambda_: Any, source: str, target: str, message: dict[str, Any]) -> None:
    if source.endswith("FunctionName"):
        # An asynchronous invocation's dead letter is the event itself: invoke the function with it again.
        lambda_.invoke(FunctionName=target, InvocationType="Event", Payload=message["Body"].encode("utf-8"))
        return
    attributes = message.get("MessageAttributes") or {}
    kept = {
        name: {"DataType": value["DataType"], "StringValue": value["StringValue"]}
        for name, value in attributes.items()
        if "StringValue" in value
    }
    sqs.send_message(QueueUrl=target, MessageBody=message["Body"], MessageAttributes=kept)
