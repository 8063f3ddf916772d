"""``newsalert status``: how a stack is doing, on one screen.

Per stage: the messages waiting and in flight in its queue, and the oldest one's age (CloudWatch's
``ApproximateAgeOfOldestMessage``, the last five minutes); each dead-letter queue's count and the
first few articles in it; the feeds (failing, silent, next poll); the last day's articles by fate,
alerts, unconfirmed alerts and unfinished articles (the functions' metrics); the latest alerts and
quarantined inputs (from the functions' log groups: the table has no index by time to ask); the
alarms in alarm.

Exit status: 0 all well; 1 something wants an operator (a dead letter, an alarm in alarm, a failing
feed); 2 a usage error or a stack that cannot be reached (one line says which).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from newsalert.tools.aws_access import AwsAccessError, aws_errors, session
from newsalert.tools.commands.common import stack_options

STAGE_QUEUES = ("Poll", "Classify", "Notify")
DEAD_LETTER_QUEUES = ("Ingest", "Poll", "Classify", "Notify")
SHOWN_DEAD_LETTERS = 3
SHOWN_RECENT = 5
SILENT_AFTER = timedelta(hours=24)
"""The template's FeedSilentAfterHours default: a feed with no new item for this long is silent."""
DAY_METRICS = (
    ("ingest", "ArticlesQueued"),
    ("ingest", "ArticlesDuplicate"),
    ("ingest", "ArticlesQuarantined"),
    ("classify", "ArticlesBreaking"),
    ("classify", "ArticlesNotBreaking"),
    ("notify", "AlertsPublished"),
    ("notify", "ArticlesJoinedStory"),
    ("notify", "AlertsHeld"),
    ("notify", "AlertsUnconfirmed"),
    ("sweep", "ArticlesUnfinished"),
)


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "status",
        parents=[stack_options()],
        help="queues, dead letters, feeds, the last day's counts and the alarms of a stack",
        description="How a deployed stack is doing. Exit 0 all well, 1 something wants an operator "
        "(dead letters, alarms in alarm, failing feeds), 2 usage error or unreachable stack.",
    )
    parser.add_argument("--json", action="store_true", help="print the status as one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    aws = session(args.region)
    try:
        with aws_errors(args.stack):
            status = _status(aws, args.stack, datetime.now(UTC))
    except AwsAccessError as error:
        print(f"newsalert status: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(status, indent=2, default=str))
    else:
        _print(status)
    attention = (
        any(entry["count"] for entry in status["dead_letters"].values())
        or status["alarms_in_alarm"]
        or any(feed["failing"] for feed in status["feeds"])
    )
    return 1 if attention else 0


def _status(aws: Any, stack: str, now: datetime) -> dict[str, Any]:
    from newsalert.aws.feeds_table import FeedsTable
    from newsalert.aws.stack import stack_outputs

    outputs = stack_outputs(aws.client("cloudformation"), stack)
    if "ArticlesTableName" not in outputs:
        raise AwsAccessError(f"stack {stack} has no ArticlesTableName output: is it a newsalert stack?")
    sqs, cloudwatch = aws.client("sqs"), aws.client("cloudwatch")
    queues = {}
    for stage in STAGE_QUEUES:
        url = outputs.get(f"{stage}QueueUrl")
        if url is not None:
            queues[stage.lower()] = _queue(sqs, cloudwatch, url, now)
    dead_letters = {}
    for stage in DEAD_LETTER_QUEUES:
        url = outputs.get(f"{stage}DeadLetterQueueUrl")
        if url is not None:
            dead_letters[stage.lower()] = _dead_letters(sqs, url)
    feeds = []
    if "FeedsTableName" in outputs:
        for entry in sorted(FeedsTable(aws.client("dynamodb"), outputs["FeedsTableName"]).entries(), key=_url):
            newest = entry.last_new_item_at or entry.added_at
            feeds.append(
                {
                    "url": entry.url,
                    "failing": entry.consecutive_failures > 0,
                    "silent": now.timestamp() - newest > SILENT_AFTER.total_seconds(),
                    "last_error": entry.last_error,
                    "last_new_item": _moment(entry.last_new_item_at),
                    "next_poll": _moment(entry.next_poll_at or None) or "due now",
                }
            )
    logs = aws.client("logs")
    return {
        "stack": stack,
        "at": now.isoformat(),
        "queues": queues,
        "dead_letters": dead_letters,
        "feeds": feeds,
        "last_day": {name: _day_sum(cloudwatch, service, name, now) for service, name in DAY_METRICS},
        "recent_alerts": _recent(logs, outputs.get("NotifyFunctionName"), "alerted", now),
        "recent_quarantined": _recent(logs, outputs.get("IngestFunctionName"), "quarantined", now),
        "alarms_in_alarm": _alarms(cloudwatch, stack),
    }


def _url(entry: Any) -> str:
    return str(entry.url)


def _moment(epoch: float | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _queue(sqs: Any, cloudwatch: Any, url: str, now: datetime) -> dict[str, Any]:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    name = url.rstrip("/").rsplit("/", 1)[1]
    points = cloudwatch.get_metric_statistics(
        Namespace="AWS/SQS",
        MetricName="ApproximateAgeOfOldestMessage",
        Dimensions=[{"Name": "QueueName", "Value": name}],
        StartTime=now - timedelta(minutes=5),
        EndTime=now,
        Period=300,
        Statistics=["Maximum"],
    ).get("Datapoints", [])
    return {
        "waiting": int(attributes.get("ApproximateNumberOfMessages", 0)),
        "in_flight": int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
        "oldest_seconds": max((point["Maximum"] for point in points), default=None),
    }


def _dead_letters(sqs: Any, url: str) -> dict[str, Any]:
    count = int(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
            "ApproximateNumberOfMessages"
        ]
    )
    first: list[str] = []
    if count:
        # A peek: received out of sight for a moment, then made visible again at once (the receive
        # count grows by one, which a dead-letter queue, with no redrive of its own, does not act on).
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=SHOWN_DEAD_LETTERS, VisibilityTimeout=30)
        for message in messages.get("Messages", []):
            first.append(_describe(message["Body"]))
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    return {"count": count, "first": first}


def _describe(body: str) -> str:
    """What a dead letter is, in a few words: the article's id and title, or the event's kind."""
    try:
        document = json.loads(body)
    except ValueError:
        return body[:80]
    article = document.get("article", document) if isinstance(document, dict) else {}
    if isinstance(article, dict) and "id" in article:
        return f"{article['id']}: {str(article.get('title', ''))[:60]}"
    if isinstance(document, dict) and "Records" in document:
        return "an S3 event: " + ", ".join(
            str(record.get("s3", {}).get("object", {}).get("key", "?")) for record in document["Records"][:2]
        )
    return (json.dumps(document)[:80]) if document else "(empty)"


def _day_sum(cloudwatch: Any, service: str, name: str, now: datetime) -> float | None:
    points = cloudwatch.get_metric_statistics(
        Namespace="newsalert",
        MetricName=name,
        Dimensions=[{"Name": "service", "Value": service}],
        StartTime=now - timedelta(days=1),
        EndTime=now,
        Period=86400,
        Statistics=["Sum"],
    ).get("Datapoints", [])
    return sum(point["Sum"] for point in points) if points else None


def _recent(logs: Any, function: str | None, message: str, now: datetime) -> list[dict[str, Any]]:
    """The last day's log lines of ``function`` whose message is ``message``, newest first (a few)."""
    if function is None:
        return []
    found: list[dict[str, Any]] = []
    arguments: dict[str, Any] = {
        "logGroupName": f"/aws/lambda/{function}",
        "filterPattern": f'"{message}"',
        "startTime": int((now - timedelta(days=1)).timestamp() * 1000),
    }
    try:
        while True:
            page = logs.filter_log_events(**arguments)
            for event in page.get("events", []):
                try:
                    line = json.loads(event["message"])
                except ValueError:
                    continue
                if isinstance(line, dict) and line.get("message") == message:
                    found.append(line)
            if "nextToken" not in page:
                break
            arguments["nextToken"] = page["nextToken"]
    except logs.exceptions.ResourceNotFoundException:
        return []  # the function has not logged yet
    return sorted(found, key=lambda line: str(line.get("timestamp", "")), reverse=True)[:SHOWN_RECENT]


def _alarms(cloudwatch: Any, stack: str) -> list[dict[str, str]]:
    found = []
    for page in cloudwatch.get_paginator("describe_alarms").paginate(StateValue="ALARM", AlarmNamePrefix=stack):
        for alarm in page.get("MetricAlarms", []) + page.get("CompositeAlarms", []):
            found.append({"name": alarm["AlarmName"], "reason": alarm.get("StateReason", "")})
    return found


def _print(status: dict[str, Any]) -> None:
    print(f"stack {status['stack']} at {status['at']}")
    print("queues:")
    for stage, queue in status["queues"].items():
        oldest = "n/a" if queue["oldest_seconds"] is None else f"{queue['oldest_seconds']:.0f} s"
        print(f"  {stage:<9} {queue['waiting']} waiting, {queue['in_flight']} in flight, oldest {oldest}")
    print("dead letters:")
    for stage, entry in status["dead_letters"].items():
        print(f"  {stage:<9} {entry['count']}" + ("  (`newsalert redrive` sends them back)" if entry["count"] else ""))
        for described in entry["first"]:
            print(f"            {described}")
    failing = [feed for feed in status["feeds"] if feed["failing"]]
    silent = [feed for feed in status["feeds"] if feed["silent"] and not feed["failing"]]
    print(f"feeds: {len(status['feeds'])} registered, {len(failing)} failing, {len(silent)} silent")
    for feed in failing:
        print(f"  {feed['url']}: failing: {feed['last_error']}; next poll {feed['next_poll']}")
    for feed in silent:
        print(f"  {feed['url']}: silent: last new item {feed['last_new_item'] or 'never'}")
    print("last day:")
    for name, value in status["last_day"].items():
        print(f"  {name:<22} {'no data' if value is None else int(value)}")
    print("latest alerts:" + ("" if status["recent_alerts"] else " none in the last day's logs"))
    for line in status["recent_alerts"]:
        print(f"  {line.get('timestamp', '')}  {line.get('alert_id', '')}  to {', '.join(line.get('sent_to', []))}")
    print("latest quarantined:" + ("" if status["recent_quarantined"] else " none in the last day's logs"))
    for line in status["recent_quarantined"]:
        print(f"  {line.get('timestamp', '')}  {line.get('origin', '')}: {line.get('reason', '')}")
    print(f"alarms in alarm: {len(status['alarms_in_alarm']) or 'none'}")
    for alarm in status["alarms_in_alarm"]:
        print(f"  {alarm['name']}: {alarm['reason']}")
