"""Subscribers: who follows which topics, and the SNS subscription each one becomes.

A subscriber's topics become the subscription's filter policy on the ``topics`` message
attribute, so SNS delivers an alert only to those who follow at least one of its topics.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsalert.models import TopicId

SNS_PROTOCOLS = {"email": "email", "sms": "sms", "https": "https", "push": "application"}


class SubscriberFileError(ValueError):
    """A subscribers file that cannot be used, with the subscriber and the problem named."""


class Subscriber(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    protocol: Literal["email", "sms", "https", "push"]
    endpoint: str = Field(min_length=1)
    """An email address, a phone number in E.164 form, an https URL, or a push token or endpoint ARN."""
    topics: tuple[TopicId, ...] = Field(min_length=1)

    def filter_policy(self) -> dict[str, list[str]]:
        return {"topics": list(self.topics)}


class SubscriberList(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    subscribers: tuple[Subscriber, ...]


def load_subscribers(path: Path) -> list[Subscriber]:
    """Read a YAML or JSON subscribers file (``subscribers:`` followed by a list)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SubscriberFileError(f"{path}: cannot be read: {error}") from None
    try:
        return list(SubscriberList.model_validate(document).subscribers)
    except ValidationError as error:
        problems = []
        for issue in error.errors():
            location = list(issue["loc"])
            where = ".".join(str(part) for part in location)
            if len(location) >= 2 and location[0] == "subscribers" and isinstance(location[1], int):
                entries = (document or {}).get("subscribers") or []
                index = location[1]
                if index < len(entries) and isinstance(entries[index], dict) and entries[index].get("name"):
                    where = f"subscriber {entries[index]['name']!r}: " + ".".join(str(part) for part in location[2:])
            problems.append(f"{where}: {issue['msg']}")
        raise SubscriberFileError(f"{path}: " + "; ".join(problems)) from None


def subscribe(sns: Any, topic_arn: str, subscriber: Subscriber, *, endpoint: str | None = None) -> str:
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
