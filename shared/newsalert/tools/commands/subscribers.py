"""``newsalert subscribe``, ``newsalert subscribers`` and ``newsalert unsubscribe``: a stack's subscribers.

The stack is found by its name (``--stack``, default ``newsalert``) through its CloudFormation
outputs: the alerts topic, the push platform applications, and the bucket and key of an
operator's taxonomy (whose topics a subscriber may follow). Everything goes through boto3's usual
configuration, so ``AWS_ENDPOINT_URL`` points the commands at a stack served locally. The checks
and the SNS calls are the ones the HTTP API's ``/subscriptions`` makes.

Exit status: 0 done; 1 refused (a subscriber that cannot be used, with the reason; an unknown
subscription id); 2 a usage error or a stack that cannot be reached (one line says which).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsalert.notify.subscribers import (
    Platform,
    SubscriberError,
    Subscription,
    new_subscriber,
    subscribe,
    topics_listed,
)
from newsalert.tools.aws_access import AwsAccessError, aws_errors, session

DEFAULT_STACK = "newsalert"


def register(subcommands: Any) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--stack", default=DEFAULT_STACK, help="the stack's name (default: newsalert)")
    where.add_argument("--region", help="AWS region (default: boto3's)")

    add = subcommands.add_parser(
        "subscribe",
        parents=[where],
        help="subscribe someone to alerts",
        description="Subscribe an email address, a phone number, an https hook or a push token to the stack's "
        "alerts, on some topics, urgencies and languages. Email and https subscribers confirm by SNS's link.",
    )
    channel = add.add_mutually_exclusive_group(required=True)
    channel.add_argument("--email", metavar="ADDRESS")
    channel.add_argument("--sms", metavar="NUMBER", help="in international form: +15555550123")
    channel.add_argument("--https", metavar="URL", help="a web hook that receives each alert as JSON")
    channel.add_argument("--push-token", metavar="TOKEN", help="a device token (with --platform)")
    add.add_argument("--platform", choices=("fcm", "apns"), help="the push token's platform")
    add.add_argument("--topics", help="comma-separated topic ids (default: every alert)")
    add.add_argument("--urgency", help="comma-separated: flash, urgent, routine (default: all)")
    add.add_argument("--language", help="comma-separated language codes of the articles wanted (default: all)")
    add.add_argument("--json", action="store_true", help="print the subscription as JSON")
    add.set_defaults(run=_subscribe)

    listing = subcommands.add_parser("subscribers", parents=[where], help="list the stack's subscribers")
    listing.add_argument("--json", action="store_true", help="one JSON object per subscription")
    listing.set_defaults(run=_list)

    remove = subcommands.add_parser("unsubscribe", parents=[where], help="remove a subscriber")
    remove.add_argument("subscription_id", metavar="ID", help="the id `newsalert subscribers` shows")
    remove.set_defaults(run=_unsubscribe)


def _subscriptions(args: argparse.Namespace) -> tuple[Any, frozenset[str]]:
    """The stack's subscriptions (``SnsSubscriptions``) and the topics a subscriber may follow."""
    from newsalert.aws.buckets import Buckets
    from newsalert.aws.stack import describe_stack
    from newsalert.aws.subscriptions import SnsSubscriptions
    from newsalert.classify.topic_ids import operator_topic_ids

    aws = session(args.region)
    with aws_errors(args.stack):
        outputs, parameters = describe_stack(aws.client("cloudformation"), args.stack)
        if "AlertsTopicArn" not in outputs:
            raise AwsAccessError(f"stack {args.stack} has no AlertsTopicArn output: is it a newsalert stack?")
        platforms: dict[Platform, str] = {
            "fcm": outputs.get("FcmPlatformApplicationArn", ""),
            "apns": outputs.get("ApnsPlatformApplicationArn", ""),
        }
        known = operator_topic_ids(
            Buckets(aws.client("s3")), outputs.get("IngestBucketName", ""), parameters.get("TaxonomyKey", "")
        )
        return SnsSubscriptions(aws.client("sns"), outputs["AlertsTopicArn"], platforms), known


def _subscribe(args: argparse.Namespace) -> int:
    protocol, endpoint = next(
        (name, value)
        for name, value in (("email", args.email), ("sms", args.sms), ("https", args.https), ("push", args.push_token))
        if value is not None
    )
    try:
        subscriber = new_subscriber(
            protocol=protocol,
            endpoint=endpoint,
            platform=args.platform,
            topics=topics_listed(args.topics),
            urgency=topics_listed(args.urgency),
            languages=topics_listed(args.language),
        )
        store, known = _subscriptions(args)
        with aws_errors(args.stack):
            created = subscribe(store, subscriber, known)
    except SubscriberError as error:
        print(f"newsalert subscribe: {error}", file=sys.stderr)
        return 1
    except AwsAccessError as error:
        print(f"newsalert subscribe: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(created.model_dump_json())
    else:
        print(f"subscribed {created.endpoint} as {created.subscription_id} ({_filter(created)})")
        if created.pending_confirmation:
            print(f"  {created.protocol} subscribers receive nothing until they follow SNS's confirmation link")
    return 0


def _filter(subscription: Subscription) -> str:
    policy = subscription.filter_policy
    parts = [f"{key}: {', '.join(values)}" for key, values in policy.items()]
    return "; ".join(parts) if parts else "every alert"


def _list(args: argparse.Namespace) -> int:
    try:
        store, _ = _subscriptions(args)
        with aws_errors(args.stack):
            found = store.subscriptions()
    except AwsAccessError as error:
        print(f"newsalert subscribers: {error}", file=sys.stderr)
        return 2
    if args.json:
        for subscription in found:
            print(subscription.model_dump_json())
        return 0
    if not found:
        print("no subscribers yet: add one with `newsalert subscribe --email ADDRESS --topics sco`")
        return 0
    for subscription in found:
        pending = "  (waiting for confirmation)" if subscription.pending_confirmation else ""
        print(f"{subscription.subscription_id or '-':36}  {subscription.protocol:11}  {subscription.endpoint}{pending}")
        print(f"{'':36}  {_filter(subscription)}")
    return 0


def _unsubscribe(args: argparse.Namespace) -> int:
    try:
        store, _ = _subscriptions(args)
        with aws_errors(args.stack):
            removed = store.unsubscribe(args.subscription_id)
    except LookupError as error:
        print(f"newsalert unsubscribe: {error}", file=sys.stderr)
        return 1
    except AwsAccessError as error:
        print(f"newsalert unsubscribe: {error}", file=sys.stderr)
        return 2
    print(f"unsubscribed {removed.endpoint} ({removed.subscription_id})")
    return 0
