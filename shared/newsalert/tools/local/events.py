"""Lambda events in the shapes AWS sends them, for the local runtime and the tests.

Each builder takes the time of the event, so a replay with ``--now`` is stamped as if it
happened then; everything else (ids, ARNs) is filled in as the service would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus


def _iso_millis(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def scheduler_input(template_input: str, *, schedule_arn: str, scheduled_time: datetime) -> dict[str, Any]:
    """What EventBridge Scheduler delivers: the target's Input, with its context attributes filled in."""
    filled = (
        template_input.replace("<aws.scheduler.schedule-arn>", schedule_arn)
        .replace("<aws.scheduler.scheduled-time>", scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        .replace("<aws.scheduler.execution-id>", str(uuid.uuid4()))
        .replace("<aws.scheduler.attempt-number>", "1")
    )
    document: dict[str, Any] = json.loads(filled)
    return document


def s3_object_created(
    *, bucket: str, key: str, size: int, etag: str, region: str, event_time: datetime
) -> dict[str, Any]:
    """An S3 ``ObjectCreated:Put`` notification, one record."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": _iso_millis(event_time),
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:LOCALUSER"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": uuid.uuid4().hex[:16].upper(), "x-amz-id-2": "local"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "InboxUpload",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "LOCAL"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": etag,
                        "sequencer": uuid.uuid4().hex[:16].upper(),
                    },
                },
            }
        ]
    }


def http_api_request(
    *,
    method: str,
    path: str,
    body: str | bytes,
    api_id: str,
    region: str,
    account: str,
    request_time: datetime,
    route: str | None = None,
) -> dict[str, Any]:
    """An HTTP API (payload format 2.0) request, as signed with SigV4 by an IAM principal.

    ``route`` is the template's path the request matched (``/subscriptions/{id}``), when it has parameters.
    A body given as bytes travels base64-encoded, as API Gateway passes a body it does not read as text.
    """
    request_id = uuid.uuid4().hex[:20]
    route = route or path
    parameters = {
        name[1:-1]: given
        for name, given in zip(route.strip("/").split("/"), path.strip("/").split("/"), strict=False)
        if name.startswith("{")
    }
    return {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        **({"pathParameters": parameters} if parameters else {}),
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "content-type": "application/json",
            "content-length": str(len(body if isinstance(body, bytes) else body.encode("utf-8"))),
            "host": f"{api_id}.execute-api.{region}.amazonaws.com",
            "user-agent": "newsalert-local",
        },
        "requestContext": {
            "accountId": account,
            "apiId": api_id,
            "authorizer": {
                "iam": {
                    "accessKey": "AKIALOCAL",
                    "accountId": account,
                    "callerId": "AIDALOCAL",
                    "principalOrgId": None,
                    "userArn": f"arn:aws:iam::{account}:user/newsroom",
                    "userId": "AIDALOCAL",
                }
            },
            "domainName": f"{api_id}.execute-api.{region}.amazonaws.com",
            "domainPrefix": api_id,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "newsalert-local",
            },
            "requestId": request_id,
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": request_time.astimezone(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(request_time.timestamp() * 1000),
        },
        "body": base64.b64encode(body).decode("ascii") if isinstance(body, bytes) else body,
        "isBase64Encoded": isinstance(body, bytes),
    }


def sqs_batch(messages: list[dict[str, Any]], *, queue_arn: str, region: str) -> dict[str, Any]:
    """An SQS event for a batch of messages as ``ReceiveMessage`` returned them."""
    records = []
    for message in messages:
        attributes = dict(message.get("Attributes", {}))
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": {
                    "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
                    "SentTimestamp": attributes.get("SentTimestamp", "0"),
                    "SenderId": attributes.get("SenderId", "LOCAL"),
                    "ApproximateFirstReceiveTimestamp": attributes.get("ApproximateFirstReceiveTimestamp", "0"),
                },
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in message.get("MessageAttributes", {}).items()
                },
                "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}
