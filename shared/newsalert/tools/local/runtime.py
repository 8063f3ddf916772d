"""The local runtime: the stack from template.yaml in embedded AWS, driven like the real services.

``LocalRuntime`` starts moto, deploys the stack, reads its wiring, and then plays the part
of the services that call the functions: S3 notifications for files dropped in the inbox,
EventBridge Scheduler for the feed poll, API Gateway for ``POST /articles``, and Lambda's
SQS poller for the queues between the stages, until the queues are empty.

Asynchronous invocations (S3, Scheduler) are retried twice on error and then sent to the
function's dead-letter queue, as Lambda does; SQS messages that a batch reports as failed
are made visible again at once (the visibility timeout, fast-forwarded) and move to the
queue's dead-letter queue after ``maxReceiveCount`` receives, by the queue's own redrive policy.

Given a ``FaultInjector`` (``newsalert.tools.local.faults``), the functions' own AWS calls meet its
throttles, 5xx and lost answers for the runtime's lifetime; the runtime's calls (as the services
that trigger the functions) never do.

moto runs with the patches of ``newsalert.tools.local.moto_patches``, which make its DynamoDB
transactions and SQS queues cost the same with ten thousand articles stored as with ten.
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from moto import mock_aws

from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.feeds_table import FeedsTable
from newsalert.ingest.feed_registry import FeedEntry
from newsalert.notify.subscribers import Subscriber, SubscriberError
from newsalert.tools.local import events
from newsalert.tools.local.clients import EmbeddedAwsClients
from newsalert.tools.local.faults import FaultInjector
from newsalert.tools.local.invoker import FunctionInvoker
from newsalert.tools.local.mailbox import SnsMailbox
from newsalert.tools.local.moto_patches import patched_moto
from newsalert.tools.local.stack import DeployedStack, deploy_stack
from newsalert.tools.local.wiring import FunctionSpec, Wiring, read_wiring

ASYNC_ATTEMPTS = 3
"""Lambda tries an asynchronous event three times in all before its dead-letter queue."""
SQS_BATCH_LIMIT = 10
"""Messages SQS returns to one receive, and takes in one batch call, at most."""
MAX_DELIVERIES = 50
"""How often one message body may reach a consumer within one ``drain`` before the runtime calls it a loop.

A queue's redrive policy moves a failing message to its dead-letter queue after a few receives;
a message without one, or a consumer that sends what it received back, would go round for ever."""
LOCAL_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Invocation:
    """One trigger of a function and what came of it."""

    function: str
    trigger: str
    result: Any = None
    error: str | None = None
    seconds: float = 0.0
    """How long the handler ran (wall clock)."""
    records: int = 1
    """Records in the event: the messages of an SQS batch, else one."""


@dataclass
class SubscribedRecipient:
    subscriber: Subscriber
    subscription_arn: str


@dataclass
class RuntimeLog:
    invocations: list[Invocation] = field(default_factory=list)


@dataclass(frozen=True)
class DrainProgress:
    """Where a ``drain`` has got to: batches and messages delivered so far, by consuming function."""

    batches: int
    messages: Counter[str]
    seconds: float


class DeliveryLoopError(RuntimeError):
    """A message reached its consumer ``MAX_DELIVERIES`` times in one drain: it goes round for ever."""


class LocalRuntime:
    """Use as a context manager: the embedded AWS lives as long as the ``with`` block."""

    def __init__(
        self,
        root: Path,
        *,
        now: datetime,
        log: TextIO,
        region: str = "us-east-1",
        stack_name: str = "newsalert-local",
        parameters: dict[str, str] | None = None,
        embedded: bool = True,
        faults: FaultInjector | None = None,
    ) -> None:
        self.root = root
        self.now = now
        self.region = region
        self._stack_name = stack_name
        self._parameters = parameters or {}
        self.log = log
        self._exit = ExitStack()
        self.mailbox = SnsMailbox()
        self.history = RuntimeLog()
        self.recipients: list[SubscribedRecipient] = []
        self._embedded = embedded
        """moto in this process through ``mock_aws``; False when a moto server at ``AWS_ENDPOINT_URL``
        serves it instead (``newsalert serve``: the same backends, reachable by any client)."""
        self.faults = faults

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> LocalRuntime:
        self._exit.enter_context(patched_moto())
        if self._embedded:
            self._exit.enter_context(mock_aws())
        self._exit.enter_context(self.mailbox.recording())
        self.clients = EmbeddedAwsClients(self.region)
        # Push subscribers need platform applications, which an operator creates with real credentials
        # before deploying: here they are made in moto and passed as the template's parameters.
        parameters = {**self._local_platform_applications(), **self._parameters}
        self.stack: DeployedStack = deploy_stack(
            self.root, self.clients, stack_name=self._stack_name, parameters=parameters
        )
        self.wiring: Wiring = read_wiring(self.stack, self.clients)
        self.invoker = FunctionInvoker(region=self.region, log=self.log)
        if self.faults is not None:
            self._exit.enter_context(self.faults.attached(self.invoker.running_function))
        return self

    def _local_platform_applications(self) -> dict[str, str]:
        arns = {}
        for parameter, platform in (("FcmPlatformApplicationArn", "GCM"), ("ApnsPlatformApplicationArn", "APNS")):
            arns[parameter] = self.clients.sns.create_platform_application(
                Name=f"newsalert-local-{platform.lower()}",
                Platform=platform,
                Attributes={"PlatformCredential": "local"},
            )["PlatformApplicationArn"]
        return arns

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._exit.close()

    # ---------------------------------------------------------------- subscribers
    def subscribe(self, subscribers: list[Subscriber]) -> list[SubscribedRecipient]:
        """Subscribe each subscriber through the HTTP API's ``POST /subscriptions``, as a website would.

        ``SubscriberError`` with the API's reason when it refuses one.
        """
        for subscriber in subscribers:
            request = subscriber.model_dump(mode="json", exclude={"name"}, exclude_defaults=True)
            invocation = self.http_request("POST", "/subscriptions", json.dumps(request))
            response = invocation.result if isinstance(invocation.result, dict) else {}
            answer = json.loads(response.get("body") or "{}")
            if response.get("statusCode") != 201:
                reason = answer.get("message") or invocation.error or "no answer"
                raise SubscriberError(f"subscriber {subscriber.name or subscriber.endpoint!r}: {reason}")
            self.recipients.append(SubscribedRecipient(subscriber, answer["arn"]))
        return self.recipients

    # ------------------------------------------------------------------- triggers
    def _invoke(self, spec: FunctionSpec, event: dict[str, Any], trigger: str, records: int = 1) -> Invocation:
        started = time.perf_counter()
        try:
            result = self.invoker.invoke(spec, event)
            invocation = Invocation(spec.logical_id, trigger, result, None, time.perf_counter() - started, records)
        except Exception as error:
            seconds = time.perf_counter() - started
            self.log.write(f"{spec.logical_id} failed on {trigger}:\n{traceback.format_exc()}\n")
            invocation = Invocation(
                spec.logical_id, trigger, None, f"{type(error).__name__}: {error}", seconds, records
            )
        self.history.invocations.append(invocation)
        return invocation

    def _invoke_async(self, spec: FunctionSpec, event: dict[str, Any], trigger: str) -> Invocation:
        for _ in range(ASYNC_ATTEMPTS):
            invocation = self._invoke(spec, event, trigger)
            if invocation.error is None:
                return invocation
        if spec.dead_letter_queue_url:
            self.clients.sqs.send_message(QueueUrl=spec.dead_letter_queue_url, MessageBody=json.dumps(event))
        return invocation

    def drop_file(self, path: Path, *, key: str | None = None) -> list[Invocation]:
        """Put a file in the ingest bucket's inbox, and notify as the bucket's configuration says."""
        return self.drop_bytes(path.read_bytes(), key=key or f"inbox/{path.name}")

    def drop_bytes(self, data: bytes, *, key: str) -> list[Invocation]:
        """Put ``data`` in the ingest bucket at ``key``, and notify as the bucket's configuration says."""
        bucket = self.stack.outputs["IngestBucketName"]
        self.clients.s3.put_object(Bucket=bucket, Key=key, Body=data)
        etag = hashlib.md5(data).hexdigest()  # noqa: S324 - S3's ETag is an MD5
        return self.object_created(bucket, key, size=len(data), etag=etag)

    def object_created(self, bucket: str, key: str, *, size: int, etag: str) -> list[Invocation]:
        """Notify as the bucket's configuration says for an object just put there (by anyone)."""
        invocations = []
        for trigger in self.wiring.bucket_triggers:
            if trigger.bucket == bucket and trigger.fires_for(key):
                event = events.s3_object_created(
                    bucket=bucket, key=key, size=size, etag=etag, region=self.region, event_time=self.now
                )
                invocations.append(self._invoke_async(self.wiring.functions[trigger.function], event, f"s3://{key}"))
        return invocations

    def http_request(self, method: str, path: str, body: str | bytes = "") -> Invocation:
        """A request to the HTTP API, as a signed client (a newsroom system, a website) would send it."""
        route, spec = self.wiring.route_for(method, path)
        event = events.http_api_request(
            method=method.upper(),
            path=path,
            body=body,
            api_id=self.wiring.api_id,
            region=self.region,
            account=LOCAL_ACCOUNT,
            request_time=self.now,
            route=route,
        )
        return self._invoke(spec, event, f"{method.upper()} {path}")

    def push_articles(self, body: str | bytes, *, path: str = "/articles") -> Invocation:
        """Send a ``POST`` to the articles route, as a signed newsroom client would (bytes as they are)."""
        return self.http_request("POST", path, body)

    def register_feeds(self, urls: list[str]) -> list[FeedEntry]:
        """Add feeds to the stack's feed registry, as ``newsalert feeds add`` would."""
        registry = FeedsTable(self.clients.dynamodb, self.stack.outputs["FeedsTableName"])
        return [registry.add(FeedEntry.new(url, added_at=self.now)) for url in urls]

    def feed(self, feed_id: str) -> FeedEntry:
        """A registered feed and its polling health."""
        return FeedsTable(self.clients.dynamodb, self.stack.outputs["FeedsTableName"]).get(feed_id)

    def intake(self, input_name: str) -> list[dict[str, Any]]:
        """The intake ledger of one input: what ingest did with each article that came through it."""
        store = ArticlesTable(self.clients.dynamodb, self.stack.outputs["ArticlesTableName"])
        return [outcome.model_dump(mode="json") for outcome in store.intake(input_name)]

    def run_schedules(self, action: str | None = None) -> list[Invocation]:
        """Fire every schedule in the template once (or those whose input names ``action``), at the runtime's clock."""
        invocations = []
        for schedule in self.wiring.schedules:
            if action is not None and json.loads(schedule.input).get("action") != action:
                continue
            event = events.scheduler_input(
                schedule.input,
                schedule_arn=f"arn:aws:scheduler:{self.region}:{LOCAL_ACCOUNT}:schedule/default/{schedule.logical_id}",
                scheduled_time=self.now,
            )
            spec = self.wiring.functions[schedule.function]
            invocations.append(self._invoke_async(spec, event, f"schedule {schedule.expression}"))
        return invocations

    def drain(self, progress: Callable[[DrainProgress], None] | None = None) -> int:
        """Deliver queued messages to their consumers, as Lambda's poller does, until every queue is empty.

        However many rounds that takes: ``progress``, if given, hears after each round how far it
        has got. ``DeliveryLoopError`` when one message body reaches its consumer ``MAX_DELIVERIES``
        times (a message that would go round for ever). Returns the number of batches delivered.
        """
        started = time.perf_counter()
        batches = 0
        delivered_messages: Counter[str] = Counter()
        deliveries: Counter[tuple[str, str]] = Counter()
        while True:
            delivered = False
            for consumer in self.wiring.queue_consumers:
                messages = self._receive_batch(consumer.queue_url, consumer.batch_size)
                if not messages:
                    continue
                delivered = True
                batches += 1
                delivered_messages[consumer.function] += len(messages)
                self._count_deliveries(deliveries, consumer.queue_arn, messages)
                spec = self.wiring.functions[consumer.function]
                event = events.sqs_batch(messages, queue_arn=consumer.queue_arn, region=self.region)
                trigger = f"sqs {consumer.queue_arn.rsplit(':', 1)[1]}"
                invocation = self._invoke(spec, event, trigger, records=len(messages))
                failed = self._failed_message_ids(invocation, messages, consumer.reports_item_failures)
                self._settle(consumer.queue_url, messages, failed)
            if progress is not None:
                progress(DrainProgress(batches, Counter(delivered_messages), time.perf_counter() - started))
            if not delivered:
                return batches

    def _receive_batch(self, queue_url: str, batch_size: int) -> list[dict[str, Any]]:
        """Up to ``batch_size`` messages, ten a receive (SQS's most), as Lambda's poller gathers a batch
        within its batching window; the queue's messages are all there already, so no wait."""
        messages: list[dict[str, Any]] = []
        while len(messages) < batch_size:
            received = self.clients.sqs.receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=min(SQS_BATCH_LIMIT, batch_size - len(messages)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not received:
                break
            messages += received
        return messages

    def _settle(self, queue_url: str, messages: list[dict[str, Any]], failed: set[str]) -> None:
        """Delete what the batch processed and make its failures visible again, ten a call, as the poller does."""
        done = [message for message in messages if message["MessageId"] not in failed]
        retry = [message for message in messages if message["MessageId"] in failed]
        for start in range(0, len(done), SQS_BATCH_LIMIT):
            self.clients.sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                    for index, message in enumerate(done[start : start + SQS_BATCH_LIMIT])
                ],
            )
        for start in range(0, len(retry), SQS_BATCH_LIMIT):
            self.clients.sqs.change_message_visibility_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"], "VisibilityTimeout": 0}
                    for index, message in enumerate(retry[start : start + SQS_BATCH_LIMIT])
                ],
            )

    @staticmethod
    def _count_deliveries(deliveries: Counter[tuple[str, str]], queue_arn: str, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            key = (queue_arn, hashlib.sha256(message["Body"].encode("utf-8")).hexdigest())
            deliveries[key] += 1
            if deliveries[key] >= MAX_DELIVERIES:
                raise DeliveryLoopError(
                    f"a message of {queue_arn.rsplit(':', 1)[1]} reached its consumer {deliveries[key]} times "
                    f"in one drain: it goes round for ever ({message['Body'][:200]!r})"
                )

    @staticmethod
    def _failed_message_ids(invocation: Invocation, messages: list[dict[str, Any]], partial: bool) -> set[str]:
        everything = {message["MessageId"] for message in messages}
        if invocation.error is not None:
            return everything
        if not partial or not isinstance(invocation.result, dict):
            return set()
        return {failure["itemIdentifier"] for failure in invocation.result.get("batchItemFailures", [])}

    # ---------------------------------------------------------------------- state
    def table_items(self) -> list[dict[str, Any]]:
        """Every item of the articles table, attribute values as plain Python values."""
        table = self.stack.outputs["ArticlesTableName"]
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": table}
        while True:
            page = self.clients.dynamodb.scan(**kwargs)
            items += [{key: next(iter(value.values())) for key, value in item.items()} for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def dead_letters(self) -> dict[str, list[dict[str, Any]]]:
        """Every message in each dead-letter queue of the stack, by output name; the messages stay there.

        Read ten at a time (SQS's most), each batch kept out of sight until all are read, then
        made visible again.
        """
        found: dict[str, list[dict[str, Any]]] = {}
        for name, url in self.stack.outputs.items():
            if not name.endswith("DeadLetterQueueUrl"):
                continue
            messages: list[dict[str, Any]] = []
            while batch := self.clients.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], VisibilityTimeout=600
            ).get("Messages", []):
                messages += batch
            for message in messages:
                self.clients.sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            found[name.removesuffix("Url")] = messages
        return found
