"""SNS subscriptions to the alerts topic: a subscriber becomes one, with its topics as the filter policy."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from newsalert.notify.subscribers import Subscriber

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

SNS_PROTOCOLS = {"email": "email", "sms": "sms", "https": "https", "push": "application"}


def subscribe(sns: SNSClient, topic_arn: str, subscriber: Subscriber, *, endpoint: str | None = None) -> str:
    """Subscribe ``subscriber`` to the alerts topic with its filter policy; returns the subscription ARN.

    ``endpoint`` overrides the subscriber's own, for push subscribers whose token has been
    registered as a platform endpoint.
    """
    response = sns.subscribe(
        TopicArn=topic_arn,
        Protocol=SNS_PROTOCOLS[subscriber.protocol],
        Endpoint=endpoint or subscriber.endpoint,
        Attributes={"FilterPolicy": json.dumps(subscriber.filter_policy()), "FilterPolicyScope": "MessageAttributes"},
        ReturnSubscriptionArn=True,
    )
    arn: str = response["SubscriptionArn"]
    return arn
