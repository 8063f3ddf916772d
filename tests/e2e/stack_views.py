"""What an end-to-end test reads back from the local stack: each subscriber's deliveries."""

from __future__ import annotations

from newsalert.notify.subscribers import Subscriber
from newsalert.tools.local.runtime import LocalRuntime


def received(runtime: LocalRuntime, subscriber: Subscriber) -> list[str]:
    """What ``subscriber`` got, in order: each email's subject, else the message as delivered."""
    [recipient] = [r for r in runtime.recipients if r.subscriber == subscriber]
    return [
        delivery.subject or delivery.message
        for delivery in runtime.mailbox.for_subscription(recipient.subscription_arn)
    ]
