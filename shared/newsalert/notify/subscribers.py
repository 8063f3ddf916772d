"""Subscribers: who follows what, by which channel, checked before they become SNS subscriptions.

A subscriber asks for alerts by email, SMS, an HTTPS hook or mobile push (FCM or APNs), on
some topics, at some urgencies, in some languages. Each becomes one SNS subscription to the
alerts topic whose **filter policy** says the same (``{"topics": [...], "urgency": [...],
"language": [...]}``; a key left out matches everything), so SNS, not newsalert, routes each
alert. SNS keeps the subscriptions: they are the record, listed and removed through the
``SubscriptionStore`` port (``newsalert.aws.subscriptions`` in AWS).

Everything a subscriber gives is checked here with a reason a person can act on: an unknown
topic (with the known ones), a malformed address, a phone number not in E.164 form, a URL that
is not https or points inside a network, a push token that is not one.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from newsalert.fields import LanguageCode, TopicId, Urgency

Channel = Literal["email", "sms", "https", "push"]
Platform = Literal["fcm", "apns"]
MAX_EMAIL_LENGTH = 254
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[^@\s\"<>(),;:\\\[\]]+@{_LABEL}(?:\.{_LABEL})+$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_PUSH_TOKENS = {
    # FCM registration tokens: letters, digits, colon, hyphen and underscore, a few hundred characters.
    "fcm": re.compile(r"^[A-Za-z0-9_:.-]{20,4096}$"),
    # APNs device tokens: 32 bytes or more, written in hex.
    "apns": re.compile(r"^[0-9A-Fa-f]{64,200}$"),
}


class SubscriberError(ValueError):
    """What a subscriber asked for cannot be used; the message says what and why."""


def _checked_endpoint(protocol: Channel, endpoint: str, platform: Platform | None) -> str:
    endpoint = endpoint.strip()
    if protocol == "email":
        if len(endpoint) > MAX_EMAIL_LENGTH or not _EMAIL.match(endpoint):
            raise ValueError(f"{endpoint!r} is not an email address (write name@example.org)")
        return endpoint
    if protocol == "sms":
        number = re.sub(r"[\s().-]", "", endpoint)
        if not _E164.match(number):
            raise ValueError(f"{endpoint!r} is not a phone number in international form (write +15555550123)")
        return number
    if protocol == "https":
        return _checked_hook(endpoint)
    if platform is None:
        raise ValueError("a push subscriber needs its platform: fcm or apns")
    if not _PUSH_TOKENS[platform].match(endpoint) and not endpoint.startswith("arn:"):
        shape = "64 or more hex digits" if platform == "apns" else "20 or more letters, digits, ':', '-' or '_'"
        raise ValueError(f"{endpoint[:40]!r} is not an {platform.upper()} device token ({shape})")
    return endpoint


def _checked_hook(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ValueError(f"{url!r} is not a URL") from None
    if parts.scheme != "https" or not host:
        raise ValueError(f"{url!r} is not an https URL (alerts are only sent to https hooks)")
    if parts.username or parts.password:
        raise ValueError("the hook URL must not carry a user name or password (they would be shown to operators)")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(".localhost") or "." not in host:
            raise ValueError(f"{host!r} is not a public host name") from None
        return url
    if not address.is_global:
        raise ValueError(f"{host} is not a public address")
    return url


class Subscriber(BaseModel):
    """What one subscriber asks for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = Field(default=None, min_length=1)
    """A label for people (the local runtime's report); SNS does not keep it."""
    protocol: Channel
    platform: Platform | None = None
    """For push: which platform the token belongs to."""
    endpoint: str = Field(min_length=1)
    """An email address, a phone number in E.164 form, an https URL, or a push token (or endpoint ARN)."""
    topics: tuple[TopicId, ...] = ()
    """The topics followed; none: every alert."""
    urgency: tuple[Urgency, ...] = ()
    """The urgencies wanted (``flash``, ``urgent``, ``routine``); none: all of them."""
    languages: tuple[LanguageCode, ...] = ()
    """The languages of the articles wanted; none: all of them."""

    @field_validator("endpoint")
    @classmethod
    def _endpoint_fits_the_protocol(cls, endpoint: str, info: ValidationInfo) -> str:
        protocol = info.data.get("protocol")
        if protocol is None:
            return endpoint  # the protocol was refused already: that is the problem to report
        return _checked_endpoint(protocol, endpoint, info.data.get("platform"))

    @model_validator(mode="after")
    def _platform_only_for_push(self) -> Subscriber:
        if self.protocol != "push" and self.platform is not None:
            raise ValueError(f"platform is for push subscribers, not {self.protocol}")
        return self

    def filter_policy(self) -> dict[str, list[str]]:
        """The SNS filter policy on the message attributes that notify sets."""
        policy: dict[str, list[str]] = {}
        if self.topics:
            policy["topics"] = list(dict.fromkeys(self.topics))
        if self.urgency:
            policy["urgency"] = [level.value for level in dict.fromkeys(self.urgency)]
        if self.languages:
            policy["language"] = list(dict.fromkeys(self.languages))
        return policy

    def check_topics(self, known: Collection[str]) -> None:
        """``SubscriberError`` when a topic is not in the taxonomy, naming it and the known ones."""
        unknown = [topic for topic in self.topics if topic not in known]
        if unknown:
            listed = ", ".join(sorted(known))
            names = ", ".join(repr(topic) for topic in unknown)
            raise SubscriberError(f"no topic {names} in the taxonomy (known topics: {listed})")


def new_subscriber(**fields: object) -> Subscriber:
    """A subscriber from loose fields (a command line, a request), or ``SubscriberError`` saying what is wrong."""
    try:
        return Subscriber.model_validate(fields)
    except ValidationError as error:
        raise SubscriberError(_problems(error)) from None


def _problems(error: ValidationError, names: dict[int, str] | None = None) -> str:
    problems = []
    for issue in error.errors():
        location = list(issue["loc"])
        message = str(issue["msg"]).removeprefix("Value error, ")
        where = ".".join(str(part) for part in location)
        if names is not None and len(location) >= 2 and isinstance(location[1], int) and location[1] in names:
            where = f"subscriber {names[location[1]]!r}" + (
                ": " + ".".join(str(p) for p in location[2:]) if location[2:] else ""
            )
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)


# ---------------------------------------------------------------------------
# Subscriptions: what SNS keeps
# ---------------------------------------------------------------------------


class Subscription(BaseModel):
    """One subscription as SNS keeps it."""

    model_config = ConfigDict(frozen=True)

    subscription_id: str
    """The last part of the subscription's ARN: what the HTTP API and the commands call it by."""
    arn: str
    protocol: str
    endpoint: str
    filter_policy: dict[str, list[str]] = Field(default_factory=dict)
    pending_confirmation: bool = False
    """Email and https subscribers confirm by following SNS's link before they receive anything."""


class SubscriptionStore(Protocol):
    """The alerts topic's subscriptions (``newsalert.aws.subscriptions.SnsSubscriptions`` in AWS)."""

    def subscribe(self, subscriber: Subscriber) -> Subscription: ...

    def subscriptions(self) -> list[Subscription]: ...

    def subscription(self, subscription_id: str) -> Subscription:
        """The subscription, or ``LookupError``."""
        ...

    def unsubscribe(self, subscription_id: str) -> Subscription:
        """Remove it (and a push subscriber's platform endpoint); ``LookupError`` when there is none."""
        ...


def subscribe(store: SubscriptionStore, subscriber: Subscriber, known_topics: Collection[str]) -> Subscription:
    """Subscribe ``subscriber`` once its topics are known ones; ``SubscriberError`` says what is wrong."""
    subscriber.check_topics(known_topics)
    return store.subscribe(subscriber)


class SubscriberFileError(SubscriberError):
    """A subscribers file that cannot be used, with the subscriber and the problem named."""


class _SubscriberFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    subscribers: tuple[Subscriber, ...]


def load_subscribers(path: Path, *, known_topics: Collection[str] | None = None) -> list[Subscriber]:
    """Read a YAML or JSON subscribers file (``subscribers:`` followed by a list), each entry checked.

    With ``known_topics``, a topic not among them is refused too, naming the subscriber.
    """
    import yaml  # the CLI's files only: the subscriptions function never reads one

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SubscriberFileError(f"{path}: cannot be read: {error}") from None
    entries = (document or {}).get("subscribers") if isinstance(document, dict) else None
    names = {
        index: entry["name"]
        for index, entry in enumerate(entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and entry.get("name")
    }
    try:
        subscribers = list(_SubscriberFile.model_validate(document).subscribers)
    except ValidationError as error:
        raise SubscriberFileError(f"{path}: {_problems(error, names)}") from None
    if known_topics is not None:
        for index, subscriber in enumerate(subscribers):
            try:
                subscriber.check_topics(known_topics)
            except SubscriberError as error:
                raise SubscriberFileError(f"{path}: subscriber {names.get(index, index)!r}: {error}") from None
    return subscribers


def topics_listed(text: str | None) -> tuple[str, ...]:
    """``"sco, nato"`` as ``("sco", "nato")``: the comma lists of the command line and the API."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())
