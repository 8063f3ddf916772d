"""Subscribers: who follows which topics, and the filter policy that routes alerts to them.

A subscriber's topics become the subscription's filter policy on the ``topics`` message
attribute, so SNS delivers an alert only to those who follow at least one of its topics.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsalert.models import TopicId


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
