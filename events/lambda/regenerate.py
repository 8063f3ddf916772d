"""Rebuild the sample Lambda events in this folder from the samples and the current code.

Run it after a change to the records that travel between stages (``newsalert.models``) or to
the taxonomy: ``.venv/bin/python events/lambda/regenerate.py``. The events are the ones
``sam local invoke -e`` and the integration tests use, so they must parse with the code on main.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsalert.classify.stage import classify_article
from newsalert.classify.taxonomy import load_taxonomy
from newsalert.ingest.feed_registry import feed_id_for
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.polling import FeedPollRequest
from newsalert.ingest.sources import load_source_catalog
from newsalert.models import ClassifiedArticle
from newsalert.tools.local import events

HERE = Path(__file__).parent
SAMPLES = HERE.parent / "samples"
ACCOUNT, REGION = "123456789012", "us-east-1"
BUCKET = f"newsalert-ingest-{ACCOUNT}-{REGION}"  # the bucket of a stack named "newsalert"
NOW = datetime(2024, 7, 4, 7, 35, tzinfo=UTC)


def _message(body: str, key_name: str, key: str, number: int) -> dict[str, Any]:
    return {
        "MessageId": str(uuid.UUID(int=number)),
        "ReceiptHandle": f"AQEB-local-receipt-{number}",
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
        "Attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": str(int(NOW.timestamp() * 1000)),
            "SenderId": "AROALOCAL:ingest",
            "ApproximateFirstReceiveTimestamp": str(int(NOW.timestamp() * 1000) + 100),
        },
        "MessageAttributes": {key_name: {"DataType": "String", "StringValue": key}},
    }


def _write(name: str, document: dict[str, Any]) -> None:
    (HERE / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    sample = (SAMPLES / "xi-putin-sco-astana.txt").read_bytes()
    key = "inbox/xi-putin-sco-astana.txt"
    _write(
        "ingest-schedule.json",
        events.scheduler_input(
            '{"action": "poll-feeds", "scheduled_time": "<aws.scheduler.scheduled-time>"}',
            schedule_arn=f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/IngestFunctionPollTick",
            scheduled_time=NOW,
        ),
    )
    _write(
        "sweep-schedule.json",
        events.scheduler_input(
            '{"action": "sweep", "scheduled_time": "<aws.scheduler.scheduled-time>"}',
            schedule_arn=f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/SweepFunctionSweepTick",
            scheduled_time=NOW,
        ),
    )
    _write(
        "ingest-s3-put.json",
        events.s3_object_created(
            bucket=BUCKET,
            key=key,
            size=len(sample),
            etag=hashlib.md5(sample).hexdigest(),  # noqa: S324 - S3's ETag is an MD5
            region=REGION,
            event_time=NOW,
        ),
    )
    _write(
        "ingest-api-post.json",
        events.http_api_request(
            method="POST",
            path="/articles",
            body=(SAMPLES / "pushed-articles.json").read_text(encoding="utf-8"),
            api_id="a1b2c3d4e5",
            region=REGION,
            account=ACCOUNT,
            request_time=NOW,
        ),
    )
    feed_url = "https://www.bangladeshglobal.com/rss/international.xml"
    poll = FeedPollRequest(feed_id=feed_id_for(feed_url), url=feed_url, scheduled_time=NOW)
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:newsalert-"
    _write(
        "ingest-poll-sqs.json",
        events.sqs_batch(
            [_message(poll.model_dump_json(), "key", poll.feed_id, 3)], queue_arn=queue + "PollQueue", region=REGION
        ),
    )
    article = parse_raw_article(sample, received_at=NOW, origin=f"s3://{BUCKET}/{key}", catalog=load_source_catalog())
    _write(
        "classify-sqs.json",
        events.sqs_batch(
            [_message(article.model_dump_json(), "article_id", article.id, 1)],
            queue_arn=queue + "ClassifyQueue",
            region=REGION,
        ),
    )
    classification = classify_article(article, load_taxonomy(), max_age=timedelta(hours=6))
    classified = ClassifiedArticle(article=article, classification=classification)
    _write(
        "notify-sqs.json",
        events.sqs_batch(
            [_message(classified.model_dump_json(), "article_id", article.id, 2)],
            queue_arn=queue + "NotifyQueue",
            region=REGION,
        ),
    )


if __name__ == "__main__":
    main()
