"""Notify's state in the stack's articles table (moto): the same conditions the in-memory fake keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from newsalert.aws.alert_ledger import AlertLedger
from newsalert.models import DigestEntry, Urgency
from newsalert.notify.rate_limits import HeldStory
from newsalert.notify.story_alerts import PendingAlert

STORY = "story-" + "7" * 24
NOW = 1_720_080_000.0


@pytest.fixture
def ledger(runtime: Any) -> AlertLedger:
    return AlertLedger(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"], clock=lambda: NOW)


def alert(update: int = 0, *, urgency: Urgency = Urgency.ROUTINE, outlets: int = 1) -> PendingAlert:
    return PendingAlert(urgency, outlets, f"{STORY}#{update}", f"art-{update}")


def test_updates_are_claimed_in_order_one_at_a_time_and_recorded(ledger: AlertLedger) -> None:
    assert ledger.state(STORY).sent_update is None
    assert ledger.claim(STORY, 1, lease_until=NOW + 30, now=NOW) is None  # #1 before #0: refused
    attempt = ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    assert attempt is not None
    assert ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW) is None  # a second consumer: refused

    ledger.record_sent(STORY, 0, attempt=attempt, alert=alert(urgency=Urgency.URGENT, outlets=2), held=False)

    state = ledger.state(STORY)
    assert (state.sent_update, state.sent_urgency, state.sent_outlets) == (0, Urgency.URGENT, 2)
    assert (state.sent_alert_id, state.held, state.pending_update) == (f"{STORY}#0", False, None)
    assert (state.sent_article, state.unconfirmed) == ("art-0", False)
    assert ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW) is None  # sent: never again
    assert ledger.claim(STORY, 1, lease_until=NOW + 30, now=NOW) is not None


def test_a_claim_whose_lease_ran_out_can_be_taken_over_and_a_released_one_at_once(ledger: AlertLedger) -> None:
    first = ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    assert ledger.claim(STORY, 0, lease_until=NOW + 60, now=NOW + 29) is None
    taker = ledger.claim(STORY, 0, lease_until=NOW + 90, now=NOW + 31)  # the first attempt died
    assert first is not None
    assert taker is not None

    ledger.release(STORY, 0, attempt=first)  # the dead attempt's late release changes nothing
    assert ledger.state(STORY).pending_update == 0
    ledger.release(STORY, 0, attempt=taker)

    assert ledger.state(STORY).pending_update is None
    assert ledger.claim(STORY, 0, lease_until=NOW + 120, now=NOW + 32) is not None


def test_a_claim_that_reached_its_publish_is_settled_never_taken_over(ledger: AlertLedger) -> None:
    attempt = ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    assert attempt is not None
    assert ledger.mark_publishing(STORY, 0, attempt=attempt, alert=alert(outlets=3))

    assert ledger.claim(STORY, 0, lease_until=NOW + 90, now=NOW + 31) is None  # may have gone out
    assert not ledger.settle_unconfirmed(STORY, 0, now=NOW + 29)  # its attempt may still answer
    assert ledger.settle_unconfirmed(STORY, 0, now=NOW + 31)
    assert not ledger.settle_unconfirmed(STORY, 0, now=NOW + 32)  # settled once

    state = ledger.state(STORY)
    assert (state.sent_update, state.sent_outlets, state.sent_article) == (0, 3, "art-0")
    assert (state.unconfirmed, state.publishing, state.pending_update) == (True, False, None)
    with pytest.raises(LookupError, match="no longer"):  # the attempt's late record loses
        ledger.record_sent(STORY, 0, attempt=attempt, alert=alert(), held=False)


def test_an_attempt_settles_its_own_unanswered_publish_at_once(ledger: AlertLedger) -> None:
    attempt = ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    assert attempt is not None
    assert ledger.mark_publishing(STORY, 0, attempt=attempt, alert=alert())

    assert not ledger.settle_unconfirmed(STORY, 0, now=NOW, attempt="someone-else")
    assert ledger.settle_unconfirmed(STORY, 0, now=NOW, attempt=attempt)
    assert ledger.state(STORY).unconfirmed


def test_recording_a_claim_that_is_no_longer_this_attempt_s_says_so(ledger: AlertLedger) -> None:
    with pytest.raises(LookupError, match="no longer"):
        ledger.record_sent(STORY, 0, attempt="gone", alert=alert(), held=False)
    attempt = ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    assert attempt is not None
    assert not ledger.mark_publishing(STORY, 0, attempt="another", alert=alert())


def test_the_hourly_counter_stops_at_its_limit_but_counts_without_one(ledger: AlertLedger) -> None:
    taken = [ledger.take("sco", "2024070408", limit=2) for _ in range(3)]

    assert taken == [True, True, False]
    assert ledger.take("sco", "2024070408", limit=None)  # an urgent alert still goes out
    assert not ledger.take("sco", "2024070408", limit=3)  # and counted: 3 sent
    assert ledger.take("sco", "2024070409", limit=2)  # a new hour


def test_held_stories_wait_oldest_first_until_cleared_and_a_digest_is_claimed_once(ledger: AlertLedger) -> None:
    def held(minute: int, story: str) -> HeldStory:
        entry = DigestEntry(
            story_id=story,
            article_id="art-" + "0" * 32,
            title=f"Story {story}",
            url=None,
            source="Desk",
            published=datetime(2024, 7, 4, 8, tzinfo=UTC),
        )
        return HeldStory("sco", "Shanghai Cooperation Organisation", datetime(2024, 7, 4, 8, minute, tzinfo=UTC), entry)

    later, earlier = held(40, "story-b"), held(10, "story-a")
    ledger.hold(later)
    ledger.hold(earlier)

    assert ledger.held() == [earlier, later]
    assert ledger.claim_digest("digest-sco-2024070409-0")
    assert not ledger.claim_digest("digest-sco-2024070409-0")
    ledger.clear([earlier, later])
    assert ledger.held() == []
    ledger.release_digest("digest-sco-2024070409-0")
    assert ledger.claim_digest("digest-sco-2024070409-0")


def test_every_item_expires(ledger: AlertLedger, runtime: Any) -> None:
    ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    ledger.take("sco", "2024070408", limit=None)

    items = runtime.table_items()

    assert items
    assert all(float(item["expires_at"]) > NOW for item in items)
