"""``newsalert feeds``: manage the feed registry of a deployed stack, and see each feed's health.

The registry is the stack's ``FeedsTable``; the command finds it from the stack's outputs
(``--stack``, default ``newsalert``) or takes the table name (``--table``). It uses the
usual AWS credentials and region of boto3 (and ``AWS_ENDPOINT_URL`` for a stack served locally).

Exit status: 0 done; 2 refused (a bad URL or option, a feed already registered or unknown) or
AWS unreachable or refusing (no region, no credentials, no such stack or table), said in one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any, get_args

from pydantic import ValidationError

from newsalert.aws.feeds_table import FeedsTable
from newsalert.aws.stack import MissingOutputError, stack_output
from newsalert.ingest.feed_registry import FeedEntry, FeedExistsError, Priority, UnknownFeedError
from newsalert.tools.aws_access import AwsAccessError, aws_errors, session
from newsalert.urls import InvalidURLError

DEFAULT_STACK = "newsalert"


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "feeds",
        help="add, list and remove the feeds a deployed stack polls",
        description="Manage the feed registry (the FeedsTable) of a deployed stack and see each feed's health.",
    )
    where = argparse.ArgumentParser(add_help=False)
    target = where.add_mutually_exclusive_group()
    target.add_argument("--stack", default=DEFAULT_STACK, help="stack whose FeedsTable to use (default: newsalert)")
    target.add_argument("--table", help="the feeds table's name, instead of looking it up from a stack")
    where.add_argument("--region", help="AWS region (default: boto3's)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    add = actions.add_parser("add", parents=[where], help="register a feed")
    add.add_argument("url", help="the feed's http(s) URL")
    add.add_argument("--name", help="the outlet's name; picks its profile in sources.yaml")
    add.add_argument("--language", help="language code of its items, when the feed does not say")
    add.add_argument("--timezone", help="IANA time zone for dates the feed gives without an offset")
    add.add_argument(
        "--priority",
        choices=get_args(Priority),
        default="normal",
        help="how often to poll it: high every 5 min, normal every 15, low hourly",
    )
    add.set_defaults(run=_add)

    listing = actions.add_parser("list", parents=[where], help="every registered feed and its health")
    listing.add_argument("--json", action="store_true", help="one JSON object per feed")
    listing.set_defaults(run=_list)

    remove = actions.add_parser("remove", parents=[where], help="stop polling a feed")
    remove.add_argument("feed", help="the feed's URL or id")
    remove.set_defaults(run=_remove)


def _registry(args: argparse.Namespace) -> FeedsTable:
    aws = session(args.region)
    table = args.table
    if table is None:
        try:
            table = stack_output(aws.client("cloudformation"), args.stack, "FeedsTableName")
        except MissingOutputError as error:
            raise AwsAccessError(str(error)) from None
    return FeedsTable(aws.client("dynamodb"), table)


def _refused(args: argparse.Namespace, error: Exception) -> int:
    print(f"newsalert feeds {args.action}: {error}", file=sys.stderr)
    return 2


def _one_line(error: ValidationError) -> str:
    """A model's refusal as its reasons, without pydantic's links and input dumps."""
    return "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or 'value'}: {issue['msg']}" for issue in error.errors()
    )


def _add(args: argparse.Namespace) -> int:
    try:
        entry = FeedEntry.new(
            args.url,
            added_at=datetime.now(UTC),
            name=args.name,
            language=args.language,
            timezone=args.timezone,
            priority=args.priority,
        )
    except ValidationError as error:
        return _refused(args, ValueError(_one_line(error)))
    except (InvalidURLError, ValueError) as error:
        return _refused(args, error)
    try:
        with aws_errors(args.stack if args.table is None else None):
            _registry(args).add(entry)
    except (FeedExistsError, AwsAccessError) as error:
        return _refused(args, _table_named(args, error))
    print(f"added {entry.url} as {entry.feed_id} ({entry.priority} priority, polled every {entry.interval})")
    return 0


def _table_named(args: argparse.Namespace, error: Exception) -> Exception:
    """DynamoDB's "resource not found" for ``--table NAME``, said as the table it is."""
    if args.table is not None and "ResourceNotFoundException" in str(error):
        return AwsAccessError(f"no table named {args.table}")
    return error


def _ago(epoch: float | None, now: float) -> str:
    if epoch is None:
        return "never"
    seconds = int(now - epoch)
    if seconds < 0:
        return f"in {_span(-seconds)}"
    return f"{_span(seconds)} ago"


def _span(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def health(entry: FeedEntry) -> str:
    if entry.consecutive_failures:
        return f"failing ({entry.consecutive_failures} in a row): {entry.last_error}"
    if entry.last_success_at is None:
        return "not polled yet"
    return "ok"


def _next_poll(entry: FeedEntry, now: float) -> str:
    if not entry.next_poll_at or entry.next_poll_at <= now:
        return "due now (at the next tick)"
    return _ago(entry.next_poll_at, now)


def _list(args: argparse.Namespace) -> int:
    try:
        with aws_errors(args.stack if args.table is None else None):
            entries = sorted(_registry(args).entries(), key=lambda entry: entry.url)
    except AwsAccessError as error:
        return _refused(args, _table_named(args, error))
    if args.json:
        for entry in entries:
            print(json.dumps(entry.model_dump(mode="json") | {"health": health(entry)}))
        return 0
    if not entries:
        print("no feeds registered: add one with `newsalert feeds add URL`")
        return 0
    now = datetime.now(UTC).timestamp()
    for entry in entries:
        print(f"{entry.url}  [{entry.priority}]" + (f"  {entry.name}" if entry.name else ""))
        print(
            f"    {health(entry)}; last success {_ago(entry.last_success_at, now)}; "
            f"last new item {_ago(entry.last_new_item_at, now)}; {entry.items_seen} items seen; "
            f"next poll {_next_poll(entry, now)}"
        )
    return 0


def _remove(args: argparse.Namespace) -> int:
    try:
        with aws_errors(args.stack if args.table is None else None):
            removed = _registry(args).remove(args.feed)
    except (UnknownFeedError, InvalidURLError, AwsAccessError) as error:
        return _refused(args, _table_named(args, error))
    print(f"removed {removed.url} ({removed.feed_id})")
    return 0
