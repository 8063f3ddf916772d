"""Subscribers: what they ask for is checked with a reason, and becomes the filter policy SNS routes on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsalert.classify.topic_ids import bundled_topic_ids, operator_topic_ids, topic_ids
from newsalert.notify.subscribers import (
    Subscriber,
    SubscriberError,
    SubscriberFileError,
    load_subscribers,
    new_subscriber,
    topics_listed,
)
from tests.conftest import PROJECT_ROOT

KNOWN = bundled_topic_ids()
APNS_TOKEN = "a1b2" * 16


def test_the_bundled_subscribers_follow_sco_geopolitics_and_sport() -> None:
    subscribers = load_subscribers(PROJECT_ROOT / "events" / "subscribers.yaml", known_topics=KNOWN)
    followed = {topic for subscriber in subscribers for topic in subscriber.topics}
    assert {"sco", "geopolitics", "sport"} <= followed
    assert {subscriber.protocol for subscriber in subscribers} == {"email", "sms", "https", "push"}


def test_topics_urgency_and_languages_become_the_filter_policy() -> None:
    subscriber = new_subscriber(
        protocol="email",
        endpoint="a@example.org",
        topics=["sco", "nato"],
        urgency=["flash", "urgent"],
        languages=["en"],
    )

    assert subscriber.filter_policy() == {"topics": ["sco", "nato"], "urgency": ["flash", "urgent"], "language": ["en"]}


def test_a_subscriber_without_topics_receives_every_alert() -> None:
    assert new_subscriber(protocol="sms", endpoint="+15555550123").filter_policy() == {}


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"protocol": "email", "endpoint": "not-an-email"}, "'not-an-email' is not an email address"),
        ({"protocol": "email", "endpoint": "a b@example.org"}, "is not an email address"),
        (
            {"protocol": "sms", "endpoint": "5555550123"},
            "not a phone number in international form (write +15555550123)",
        ),
        ({"protocol": "sms", "endpoint": "+0123456789"}, "not a phone number in international form"),
        ({"protocol": "https", "endpoint": "http://hooks.example.org/a"}, "is not an https URL"),
        ({"protocol": "https", "endpoint": "https://user:pw@hooks.example.org/a"}, "must not carry a user name"),
        ({"protocol": "https", "endpoint": "https://10.0.0.7/hook"}, "10.0.0.7 is not a public address"),
        ({"protocol": "https", "endpoint": "https://localhost/hook"}, "'localhost' is not a public host name"),
        ({"protocol": "push", "endpoint": "x" * 40}, "a push subscriber needs its platform: fcm or apns"),
        ({"protocol": "push", "platform": "apns", "endpoint": "not-hex-" * 10}, "is not an APNS device token"),
        ({"protocol": "push", "platform": "fcm", "endpoint": "short"}, "is not an FCM device token"),
        ({"protocol": "sms", "platform": "fcm", "endpoint": "+15555550123"}, "platform is for push subscribers"),
        ({"protocol": "fax", "endpoint": "1"}, "protocol: Input should be 'email', 'sms', 'https' or 'push'"),
        ({"protocol": "email", "endpoint": "a@example.org", "urgency": ["loud"]}, "urgency.0"),
        ({"protocol": "email", "endpoint": "a@example.org", "topics": ["Not A Topic"]}, "topics.0"),
    ],
)
def test_what_cannot_be_used_is_refused_with_a_reason(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(SubscriberError, match=reason.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        new_subscriber(**fields)


def test_numbers_are_kept_in_their_international_form_and_tokens_as_given() -> None:
    assert new_subscriber(protocol="sms", endpoint="+1 (555) 555-0123").endpoint == "+15555550123"
    assert new_subscriber(protocol="push", platform="apns", endpoint=APNS_TOKEN).endpoint == APNS_TOKEN


def test_an_unknown_topic_is_refused_naming_the_known_ones() -> None:
    subscriber = new_subscriber(protocol="email", endpoint="a@example.org", topics=["football"])

    with pytest.raises(SubscriberError, match=r"no topic 'football' in the taxonomy \(known topics: .*sco.*sport"):
        subscriber.check_topics(KNOWN)


def test_comma_lists_from_the_command_line() -> None:
    assert topics_listed(" sco, nato,,") == ("sco", "nato")
    assert topics_listed(None) == ()


# ------------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{name: Ann, protocol: fax, endpoint: '1', topics: [sco]}", "subscriber 'Ann': protocol"),
        ("{name: Ann, protocol: email, endpoint: not-an-email, topics: [sco]}", "subscriber 'Ann': endpoint"),
        ("{name: Ann, protocol: email, endpoint: a@example.org, topics: [Not A Topic]}", "subscriber 'Ann': topics"),
        ("{name: Ann, protocol: email, endpoint: a@example.org, topics: [football]}", "subscriber 'Ann': no topic"),
    ],
)
def test_a_bad_subscriber_in_a_file_is_named_with_its_problem(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "subscribers.yaml"
    path.write_text(f"subscribers:\n  - {entry}\n")
    with pytest.raises(SubscriberFileError, match=message):
        load_subscribers(path, known_topics=KNOWN)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SubscriberFileError, match="cannot be read"):
        load_subscribers(tmp_path / "nowhere.yaml")


# ------------------------------------------------------------------ which topics exist


class Objects:
    def __init__(self, data: bytes | None) -> None:
        self.data = data

    def read(self, bucket: str, key: str, *, limit: int) -> bytes | None:
        return self.data


def test_the_topics_are_the_operator_s_override_when_it_lists_some_else_the_bundled_ones() -> None:
    override = b"version: 1\ntopics:\n  - {id: football, label: Football}\n  - {id: sco, label: SCO}\n"

    assert operator_topic_ids(Objects(override), "bucket", "config/taxonomy.yaml") == {"football", "sco"}
    assert operator_topic_ids(Objects(None), "bucket", "config/taxonomy.yaml") == KNOWN
    assert operator_topic_ids(Objects(b": not yaml ["), "bucket", "config/taxonomy.yaml") == KNOWN


def test_the_bundled_topics_are_the_taxonomy_s() -> None:
    text = (PROJECT_ROOT / "shared" / "newsalert" / "data" / "taxonomy.yaml").read_text(encoding="utf-8")

    assert topic_ids(text) == KNOWN
    assert {"sco", "geopolitics", "politics", "sport"} <= KNOWN


def test_a_subscriber_model_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="extra"):
        Subscriber.model_validate({"protocol": "sms", "endpoint": "+15555550123", "colour": "blue"})
