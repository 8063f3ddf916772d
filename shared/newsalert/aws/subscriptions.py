"""The alerts topic's SNS subscriptions: subscribers become them, with their filter policies, and are listed from them.

Implements ``newsalert.notify.subscribers.SubscriptionStore``. A push token becomes an SNS
platform endpoint of the stack's platform application for its platform (FCM or APNs, named in
the template's parameters), and the subscription is to that endpoint; unsubscribing removes both.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from newsalert.notify.subscribers import Platform, Subscriber, SubscriberError, Subscription

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

SNS_PROTOCOLS = {"email": "email", "sms": "sms", "https": "https", "push": "application"}
PLATFORM_PARAMETERS = {"fcm": "FcmPlatformApplicationArn", "apns": "ApnsPlatformApplicationArn"}


class SnsSubscriptions:
    """Receives its SNS client; never creates one."""

    def __init__(self, sns: SNSClient, topic_arn: str, platform_applications: dict[Platform, str]) -> None:
        self._sns = sns
        self._topic_arn = topic_arn
        self._platforms = platform_applications

    def subscribe(self, subscriber: Subscriber) -> Subscription:
        endpoint = subscriber.endpoint
        if subscriber.protocol == "push" and not endpoint.startswith("arn:"):
            endpoint = self._platform_endpoint(subscriber)
        attributes = {"FilterPolicyScope": "MessageAttributes"}
        if subscriber.filter_policy():
            attributes["FilterPolicy"] = json.dumps(subscriber.filter_policy())
        arn = self._sns.subscribe(
            TopicArn=self._topic_arn,
            Protocol=SNS_PROTOCOLS[subscriber.protocol],
            Endpoint=endpoint,
            Attributes=attributes,
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        return self.subscription(arn.rsplit(":", 1)[1])

    def _platform_endpoint(self, subscriber: Subscriber) -> str:
        assert subscriber.platform is not None  # a push subscriber always names it
        application = self._platforms.get(subscriber.platform)
        if not application:
            parameter = PLATFORM_PARAMETERS[subscriber.platform]
            raise SubscriberError(
                f"this stack has no {subscriber.platform.upper()} platform application: deploy it with {parameter}"
            )
        endpoint: str = self._sns.create_platform_endpoint(
            PlatformApplicationArn=application, Token=subscriber.endpoint
        )["EndpointArn"]
        return endpoint

    def subscriptions(self) -> list[Subscription]:
        found = []
        for page in self._sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=self._topic_arn):
            found += [self.subscription(entry["SubscriptionArn"].rsplit(":", 1)[1]) for entry in _confirmed(page)]
            found += [_pending(entry) for entry in page.get("Subscriptions", []) if not _is_arn(entry)]
        return found

    def subscription(self, subscription_id: str) -> Subscription:
        arn = f"{self._topic_arn}:{subscription_id}"
        try:
            attributes = self._sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
        except self._sns.exceptions.NotFoundException:
            raise LookupError(f"no subscription {subscription_id} to the alerts topic") from None
        except self._sns.exceptions.InvalidParameterException:
            raise LookupError(f"{subscription_id!r} is not a subscription id") from None
        return Subscription(
            subscription_id=subscription_id,
            arn=arn,
            protocol=attributes.get("Protocol", ""),
            endpoint=attributes.get("Endpoint", ""),
            filter_policy=json.loads(attributes.get("FilterPolicy") or "{}"),
            pending_confirmation=attributes.get("PendingConfirmation") == "true",
        )

    def unsubscribe(self, subscription_id: str) -> Subscription:
        subscription = self.subscription(subscription_id)
        self._sns.unsubscribe(SubscriptionArn=subscription.arn)
        if subscription.protocol == "application":
            self._sns.delete_endpoint(EndpointArn=subscription.endpoint)
        return subscription


def _is_arn(entry: Any) -> bool:
    return str(entry.get("SubscriptionArn", "")).startswith("arn:")


def _confirmed(page: Any) -> list[Any]:
    return [entry for entry in page.get("Subscriptions", []) if _is_arn(entry)]


def _pending(entry: Any) -> Subscription:
    """A subscription still waiting for its confirmation has no ARN yet, only its endpoint."""
    return Subscription(
        subscription_id="",
        arn=str(entry.get("SubscriptionArn", "")),
        protocol=str(entry.get("Protocol", "")),
        endpoint=str(entry.get("Endpoint", "")),
        pending_confirmation=True,
    )
