"""Alerts through the whole stack: one per story, an update when it escalates, limits and the hourly digest."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsalert.notify.subscribers import new_subscriber
from newsalert.tools.local.runtime import LocalRuntime
from tests.conftest import PROJECT_ROOT
from tests.e2e.stack_views import received

START = datetime(2024, 7, 4, 9, 0, tzinfo=UTC)
APNS_TOKEN = "6f1c2a9be0d4475a8c3e2f71b9d05a6e4c8f3b2a1d0e9f8a7b6c5d4e3f2a1b0c"


@pytest.fixture
def stack() -> Iterator[LocalRuntime]:
    with LocalRuntime(PROJECT_ROOT, now=START, log=io.StringIO()) as runtime:
        yield runtime


def _push(runtime: LocalRuntime, at: datetime, *articles: dict[str, Any]) -> None:
    runtime.now = at
    invocation = runtime.push_articles(json.dumps(list(articles)))
    assert invocation.result["statusCode"] == 202, invocation.result
    runtime.drain()


def _fates(runtime: LocalRuntime) -> dict[str, str]:
    return {
        str(item["title"]): str(item["status"])
        for item in runtime.table_items()
        if str(item.get("pk", "")).startswith("ARTICLE#")
    }


CLUBS = [
    ("Aldmoor", "Brixford"),
    ("Caravel", "Dunmere"),
    ("Elsbury", "Fenwick"),
    ("Garford", "Hollins"),
    ("Ironbridge", "Jarrow Vale"),
    ("Kestrel Bay", "Lowther"),
    ("Marlow Cross", "Northam"),
    ("Oakhurst", "Penrith Moor"),
    ("Quarry Bank", "Redcastle"),
    ("Saltby", "Thornwick"),
    ("Upton Fells", "Varley"),
    ("Westmere", "Yardley"),
    ("Zennor", "Ashcombe"),
    ("Bellmoor", "Coldharbour"),
]


def _match_report(number: int, minutes_old: int, at: datetime) -> dict[str, Any]:
    """A routine football result: each match its own story, nothing urgent about it."""
    home, away = CLUBS[number - 1]
    return {
        "title": f"{home} beat {away} {number % 4 + 1}-0 in the football league",
        "source": f"{home} Gazette",
        "published": (at - timedelta(minutes=minutes_old)).isoformat(),
        "url": f"https://sport.example/league/{home.lower().replace(' ', '-')}-{away.lower().replace(' ', '-')}",
        "summary": f"{home} won the league match against {away} at home, their striker scoring in the second half.",
        "body": f"The football league match between {home} and {away} ended with a win for the home team.",
    }


def test_routine_alerts_over_a_topic_s_hourly_limit_wait_for_the_digest(stack: LocalRuntime) -> None:
    sport_fan = new_subscriber(protocol="sms", endpoint="+15555550199", topics=["sport"])
    stack.subscribe([sport_fan])

    # Sport allows 12 routine alerts an hour; fourteen different matches end within it.
    _push(stack, START, *(_match_report(number, 45, START) for number in range(1, 15)))

    fates = list(_fates(stack).values())
    held = fates.count("held")
    assert len(received(stack, sport_fan)) == 12  # the limit
    assert held >= 1
    assert fates.count("alerted") == 12  # one article per alerted story (a second report of one would join it)
    assert fates.count("alerted") + held + fates.count("joined") == 14

    stack.now = START + timedelta(hours=1)
    [digest_tick] = stack.run_schedules("send-digests")
    stack.drain()

    assert digest_tick.error is None
    messages = received(stack, sport_fan)
    assert len(messages) == 13  # the held stories came together, in one digest
    assert f"{held} more stor" in messages[-1]
    assert set(_fates(stack).values()) <= {"alerted", "joined"}


def test_a_stale_article_alerts_nobody(stack: LocalRuntime) -> None:
    sport_fan = new_subscriber(protocol="sms", endpoint="+15555550198", topics=["sport"])
    stack.subscribe([sport_fan])

    _push(stack, START, _match_report(1, 60 * 24 * 3, START))

    assert received(stack, sport_fan) == []
    assert list(_fates(stack).values()) == ["not_breaking"]
