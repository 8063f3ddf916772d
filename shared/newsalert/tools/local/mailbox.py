"""What SNS would have delivered to each subscription, recorded instead of sent.

moto evaluates each subscription's filter policy, then delivers only to SQS and Lambda;
email, SMS and push go nowhere and HTTPS would go out on the network. The mailbox takes
over that last step for every protocol but SQS and Lambda: after moto's own filter
policy check, it records the message the subscription would have received, as SNS
picks it from the ``MessageStructure=json`` document. Nothing leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from moto.sns.models import Subscription

_PASSED_THROUGH = {"sqs", "lambda"}
_STRUCTURE_KEY = {"application": "GCM"}


@dataclass(frozen=True)
class Delivery:
    subscription_arn: str
    protocol: str
    endpoint: str
    subject: str | None
    message: str
    attributes: dict[str, Any]


@dataclass
class SnsMailbox:
    deliveries: list[Delivery] = field(default_factory=list)

    def for_subscription(self, subscription_arn: str) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.subscription_arn == subscription_arn]

    @contextmanager
    def recording(self) -> Iterator[SnsMailbox]:
        original = Subscription.publish
        mailbox = self

        def publish(subscription: Subscription, message: str, message_id: str, *args: Any, **kwargs: Any) -> None:
            if subscription.protocol in _PASSED_THROUGH:
                original(subscription, message, message_id, *args, **kwargs)
                return
            attributes = kwargs.get("message_attributes") or {}
            matcher = subscription._filter_policy_matcher
            if matcher is not None and not matcher.matches(attributes, message):
                return
            text = message
            if kwargs.get("message_structure") == "json":
                document = json.loads(message)
                key = _STRUCTURE_KEY.get(subscription.protocol, subscription.protocol)
                text = document.get(key, document["default"])
            mailbox.deliveries.append(
                Delivery(
                    subscription_arn=subscription.arn,
                    protocol=subscription.protocol,
                    endpoint=subscription.endpoint,
                    subject=kwargs.get("subject"),
                    message=text,
                    attributes=dict(attributes),
                )
            )

        Subscription.publish = publish  # type: ignore[method-assign, assignment]
        try:
            yield self
        finally:
            Subscription.publish = original  # type: ignore[method-assign]
