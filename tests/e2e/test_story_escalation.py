"""A story told by several outlets over an hour: one alert, then an update only when it escalates."""

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
APNS_TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
SAMPLE = PROJECT_ROOT / "events" / "samples" / "earthquake-wire-reports.json"


@pytest.fixture
def stack() -> Iterator[LocalRuntime]:
    with LocalRuntime(PROJECT_ROOT, now=START, log=io.StringIO()) as runtime:
        yield runtime


def _reports() -> dict[str, dict[str, Any]]:
    """The sample's wire reports by outlet: three of the Sylhet quake, one of another quake in Mandalay."""
    return {article["source"]: article for article in json.loads(SAMPLE.read_text(encoding="utf-8"))}


def _arrives(runtime: LocalRuntime, minutes: int, report: dict[str, Any]) -> None:
    """``report`` is pushed ``minutes`` after the start, published four minutes before it arrives."""
    runtime.now = START + timedelta(minutes=minutes)
    article = dict(report, published=(runtime.now - timedelta(minutes=4)).isoformat())
    invocation = runtime.push_articles(json.dumps([article]))
    assert invocation.result["statusCode"] == 202, invocation.result
    runtime.drain()


def _article(runtime: LocalRuntime, source: str) -> dict[str, Any]:
    [item] = [
        item
        for item in runtime.table_items()
        if str(item.get("pk", "")).startswith("ARTICLE#") and item.get("source") == source
    ]
    return item


def test_one_alert_per_story_and_one_update_when_it_escalates(stack: LocalRuntime) -> None:
    desk = new_subscriber(protocol="email", endpoint="desk@newsroom.example", topics=["disaster"])
    stringer = new_subscriber(
        protocol="push", endpoint=APNS_TOKEN, platform="apns", topics=["disaster"], urgency=["flash"]
    )
    stack.subscribe([desk, stringer])
    reports = _reports()

    _arrives(stack, 0, reports["Northeast Wire"])  # the first report: urgent
    _arrives(stack, 12, reports["Bengal Radio"])  # a second outlet, nothing new
    _arrives(stack, 25, reports["Irrawaddy Desk"])  # another earthquake, elsewhere
    _arrives(stack, 40, reports["Sylhet Daily"])  # a death toll: flash

    first, second, mandalay, toll = (
        _article(stack, source) for source in ("Northeast Wire", "Bengal Radio", "Irrawaddy Desk", "Sylhet Daily")
    )
    assert first["status"] == "alerted"
    assert second["status"] == "joined"
    assert mandalay["status"] == "alerted"
    assert toll["status"] == "alerted"
    sylhet_story = str(first["alert_id"]).split("#")[0]
    assert toll["alert_id"] == f"{sylhet_story}#1"
    assert "urgent to flash" in str(toll["alert_reason"])
    assert not str(mandalay["alert_id"]).startswith(sylhet_story)

    assert received(stack, desk) == [
        "Urgent: Earthquake shakes Sylhet, residents flee buildings",
        "Urgent: Magnitude 5.6 earthquake strikes near Mandalay in Myanmar",
        "FLASH update: Sylhet earthquake: death toll rises to 12 as rescuers search collapsed homes",
    ]
    [flash] = received(stack, stringer)  # a flash-only follower hears of the story once it is flash
    assert "death toll rises to 12" in flash


def test_a_report_that_adds_nothing_after_the_update_joins_silently(stack: LocalRuntime) -> None:
    desk = new_subscriber(protocol="email", endpoint="desk@newsroom.example", topics=["disaster"])
    stack.subscribe([desk])
    reports = _reports()

    _arrives(stack, 0, reports["Northeast Wire"])
    _arrives(stack, 10, reports["Bengal Radio"])
    _arrives(stack, 30, reports["Sylhet Daily"])  # flash: the update
    # The death toll again, in another outlet's words, later in the hour: nothing new to tell.
    later = {
        "title": "Twelve dead after magnitude 5.9 earthquake in Sylhet",
        "source": "Dhaka Evening",
        "url": "https://dhakaevening.example/sylhet-quake-dead",
        "summary": "Twelve people died in Sylhet when houses collapsed in Thursday's magnitude 5.9 earthquake.",
        "body": "Twelve people died in Sylhet when houses collapsed in Thursday's magnitude 5.9 earthquake, "
        "officials said. Rescue teams are still searching the rubble in the Sylhet division.",
    }
    _arrives(stack, 55, later)

    assert len(received(stack, desk)) == 2
    assert _article(stack, "Dhaka Evening")["status"] == "joined"


# Other outlets retelling the first report in their own words: no one adds anything urgent.
RETOLD = {
    "Bengal Radio": (
        "Quake of magnitude 5.9 rattles Sylhet, people pour into streets",
        "A 5.9 magnitude earthquake rattled Sylhet in Bangladesh's northeast on Thursday and people poured "
        "into the streets. It was also felt in Dhaka.",
    ),
    "Dhaka Evening": (
        "Sylhet shaken by 5.9 magnitude earthquake",
        "Sylhet in northeastern Bangladesh was shaken by an earthquake of magnitude 5.9 on Thursday. "
        "Residents left their buildings; tremors reached Dhaka.",
    ),
    "Surma Post": (
        "Residents of Sylhet run outside as 5.9 earthquake strikes",
        "Residents of Sylhet ran outside their buildings when a magnitude 5.9 earthquake struck northeastern "
        "Bangladesh on Thursday afternoon, the disaster ministry said.",
    ),
}


def test_outlets_piling_onto_a_story_escalate_it_once(stack: LocalRuntime) -> None:
    desk = new_subscriber(protocol="email", endpoint="desk@newsroom.example", topics=["disaster"])
    stack.subscribe([desk])
    _arrives(stack, 0, _reports()["Northeast Wire"])
    for minutes, (outlet, (title, text)) in zip((8, 16, 24), RETOLD.items(), strict=True):
        slug = outlet.lower().replace(" ", "")
        retold = {"title": title, "source": outlet, "url": f"https://{slug}.example/q", "summary": text, "body": text}
        _arrives(stack, minutes, retold)

    statuses = {outlet: _article(stack, outlet)["status"] for outlet in RETOLD}
    delivered = received(stack, desk)
    # A quake that three outlets carry within half an hour is a flash: one update says so, and the
    # fourth outlet, adding nothing, joins silently. Never one alert per outlet.
    assert delivered == [
        "Urgent: Earthquake shakes Sylhet, residents flee buildings",
        "FLASH update: Sylhet shaken by 5.9 magnitude earthquake",
    ]
    assert statuses == {"Bengal Radio": "joined", "Dhaka Evening": "alerted", "Surma Post": "joined"}
    assert "urgent to flash" in str(_article(stack, "Dhaka Evening")["alert_reason"])
