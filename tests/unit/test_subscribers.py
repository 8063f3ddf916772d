"""Subscriber files: each subscriber becomes an SNS subscription filtered on its topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsalert.notify.subscribers import SubscriberFileError, load_subscribers
from tests.conftest import PROJECT_ROOT


def test_the_bundled_subscribers_follow_sco_geopolitics_and_sport() -> None:
    subscribers = load_subscribers(PROJECT_ROOT / "events" / "subscribers.yaml")
    followed = {topic for subscriber in subscribers for topic in subscriber.topics}
    assert {"sco", "geopolitics", "sport"} <= followed
    assert {subscriber.protocol for subscriber in subscribers} == {"email", "sms", "https", "push"}


def test_a_subscriber_s_topics_become_its_filter_policy(tmp_path: Path) -> None:
    path = tmp_path / "subscribers.yaml"
    path.write_text("subscribers:\n  - {name: A, protocol: email, endpoint: a@example.org, topics: [sco, nato]}\n")
    [subscriber] = load_subscribers(path)
    assert subscriber.filter_policy() == {"topics": ["sco", "nato"]}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{name: Ann, protocol: fax, endpoint: '1', topics: [sco]}", "subscriber 'Ann': protocol"),
        ("{name: Ann, protocol: email, endpoint: a@example.org, topics: []}", "subscriber 'Ann': topics"),
        ("{name: Ann, protocol: email, endpoint: a@example.org, topics: [Not A Topic]}", "subscriber 'Ann': topics"),
        ("{protocol: email, endpoint: a@example.org, topics: [sco]}", "subscribers.0.name: Field required"),
    ],
)
def test_a_bad_subscriber_is_named_with_its_problem(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "subscribers.yaml"
    path.write_text(f"subscribers:\n  - {entry}\n")
    with pytest.raises(SubscriberFileError, match=message):
        load_subscribers(path)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SubscriberFileError, match="cannot be read"):
        load_subscribers(tmp_path / "nowhere.yaml")
