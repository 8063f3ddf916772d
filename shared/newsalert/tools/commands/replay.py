"""``newsalert replay --since TIME``: archived articles through classification and alerting again.

For a taxonomy change or a fix in classify: every article that classify archived from ``--since``
(to ``--until``) is sent to the classify queue once more, and goes on through the pipeline as it
would now. Nothing already sent is sent again: an article's fate only moves forward (one alerted
stays alerted, and is not handed to notify a second time), and notify's story ledger alerts a
story once, then only when it escalates. What changes is what was not alerted before: an article
now breaking under a new topic alerts, or joins its story if that story was alerted.

Exit status: 0 replayed (or nothing in the window); 2 a usage error or a stack that cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from newsalert.models import Article
from newsalert.tools.aws_access import AwsAccessError, aws_errors, session
from newsalert.tools.commands.common import aware_time, stack_options
from newsalert.tools.progress import Progress

SEND_CHUNK = 100


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "replay",
        parents=[stack_options()],
        help="classify archived articles again and alert what now should be (never twice)",
        description="Send the articles classify archived since TIME back to the classify queue: a taxonomy change "
        "or a fix applies to them, and what was alerted already is not alerted again. Exit 0 done, 2 usage error.",
    )
    parser.add_argument(
        "--since", required=True, type=aware_time, metavar="TIME", help="ISO time, e.g. 2024-07-04T06:00Z"
    )
    parser.add_argument("--until", type=aware_time, metavar="TIME", help="ISO time (default: now)")
    parser.add_argument("--dry-run", action="store_true", help="count what would be replayed, send nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from newsalert.aws.archive import ArticleArchive
    from newsalert.aws.queues import StageQueue
    from newsalert.aws.stack import stack_outputs

    until = args.until or datetime.now(UTC)
    if until <= args.since:
        print("newsalert replay: --until must come after --since", file=sys.stderr)
        return 2
    aws = session(args.region)
    unreadable = 0
    chosen: dict[str, Article] = {}
    try:
        with aws_errors(args.stack):
            outputs = stack_outputs(aws.client("cloudformation"), args.stack)
            if "IngestBucketName" not in outputs or "ClassifyQueueUrl" not in outputs:
                raise AwsAccessError(f"stack {args.stack} has no IngestBucketName or ClassifyQueueUrl output")
            archive = ArticleArchive(aws.client("s3"), outputs["IngestBucketName"])
            reading = Progress("reading the archive")
            for _, text in archive.articles(since=args.since):
                reading.advance()
                try:
                    article = Article.model_validate_json(text)
                except ValidationError:
                    unreadable += 1  # written by an older model: left out, and counted
                    continue
                if args.since <= article.received_at < until:
                    chosen.setdefault(article.id, article)  # a batch classify read twice is archived twice
            reading.done()
            if not args.dry_run and chosen:
                queue = StageQueue(aws.client("sqs"), outputs["ClassifyQueueUrl"])
                articles = list(chosen.values())
                sending = Progress("replaying", len(articles))
                for start in range(0, len(articles), SEND_CHUNK):
                    chunk = articles[start : start + SEND_CHUNK]
                    queue.send_many([(article, article.id) for article in chunk])
                    sending.advance(len(chunk))
                sending.done()
    except AwsAccessError as error:
        print(f"newsalert replay: {error}", file=sys.stderr)
        return 2
    window = f"{args.since.isoformat()} to {until.isoformat()}"
    verb = "would replay" if args.dry_run else "replayed"
    note = f" ({unreadable} archived lines unreadable, left out)" if unreadable else ""
    print(f"{verb} {len(chosen)} articles received {window} through classify{note}")
    return 0
