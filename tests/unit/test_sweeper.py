"""The sweeper on in-memory adapters: what counts as unfinished, what becomes of it, and resuming a long scan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsalert.models import Article, Fate, Urgency
from newsalert.notify.story_alerts import PendingAlert
from newsalert.sweep.sweeper import Stalled, StalledAlertClaim, StalledArticle, Sweeper
from tests.unit.fakes import FakeAlertLedger, FakeArticlesTable

NOW = 1_720_080_000.0  # the functions' clock (leases)
SCHEDULED = datetime(2024, 7, 4, 8, 0, tzinfo=UTC)  # the schedule's time (arrivals)
STORY = "story-" + "9" * 24


class Remaining:
    def __init__(self, millis: int = 300_000) -> None:
        self.millis = millis

    def get_remaining_time_in_millis(self) -> int:
        return self.millis


class PagedScan:
    """The table's stalled candidates, served a page at a time, with the cursor the adapter keeps."""

    def __init__(self, candidates: list[Stalled], page_size: int = 100) -> None:
        self.candidates = candidates
        self.page_size = page_size
        self.cursor: str | None = None
        self.pages_read = 0

    def saved_cursor(self) -> str | None:
        return self.cursor

    def page(self, cursor: str | None) -> tuple[list[Stalled], str | None]:
        self.pages_read += 1
        start = int(cursor or 0)
        end = start + self.page_size
        return self.candidates[start:end], (str(end) if end < len(self.candidates) else None)

    def save_cursor(self, cursor: str | None) -> None:
        self.cursor = cursor


class Table:
    def __init__(self) -> None:
        self.articles = FakeArticlesTable(clock=lambda: NOW)
        self.ledger = FakeAlertLedger()

    def article(self, number: int, status: Fate, *, hours_ago: float, lease_left: float = -1.0) -> StalledArticle:
        received = SCHEDULED - timedelta(hours=hours_ago)
        article = Article.create(
            title=f"Article {number}", source="Outlet", published=received, received_at=received, url=None
        )
        self.articles.claim(article, lease_until=NOW + lease_left)
        for fate in {Fate.QUEUED: (Fate.QUEUED,), Fate.BREAKING: (Fate.QUEUED, Fate.BREAKING)}.get(status, ()):
            self.articles.set_fate(article.id, fate)
        return StalledArticle(article.id, status, received, NOW + lease_left)

    def sweeper(self, scan: PagedScan) -> Sweeper:
        return Sweeper(scan, self.articles, self.ledger, unfinished_after=timedelta(hours=1), clock=lambda: NOW)


@pytest.fixture
def table() -> Table:
    return Table()


def test_articles_still_on_their_way_long_after_they_arrived_are_marked_unfinished_with_their_stage(
    table: Table,
) -> None:
    never_classified = table.article(1, Fate.RECEIVED, hours_ago=3)
    never_notified = table.article(2, Fate.BREAKING, hours_ago=2, lease_left=30)  # ingest's lease: not its matter
    recent = table.article(3, Fate.RECEIVED, hours_ago=0.5)
    still_leased = table.article(4, Fate.RECEIVED, hours_ago=2, lease_left=30)

    report = table.sweeper(PagedScan([never_classified, never_notified, recent, still_leased])).sweep(
        SCHEDULED, Remaining()
    )

    assert report.unfinished == {"classify": [never_classified.article_id], "notify": [never_notified.article_id]}
    stored = table.articles.articles
    assert stored[never_classified.article_id].status is Fate.UNFINISHED
    assert stored[never_classified.article_id].details["unfinished_before"] == "classify"
    assert "classify dead-letter queue" in stored[never_classified.article_id].details["reason"]
    assert stored[never_notified.article_id].details["unfinished_before"] == "notify"
    assert {stored[recent.article_id].status, stored[still_leased.article_id].status} == {Fate.RECEIVED}
    assert report.complete


def test_an_unfinished_article_is_still_finished_by_a_late_redrive(table: Table) -> None:
    stalled = table.article(1, Fate.BREAKING, hours_ago=3)
    table.sweeper(PagedScan([stalled])).sweep(SCHEDULED, Remaining())

    assert table.articles.set_fate(stalled.article_id, Fate.ALERTED, alert_id=f"{STORY}#0")
    assert table.articles.articles[stalled.article_id].status is Fate.ALERTED


def test_an_article_that_moved_on_meanwhile_is_left_as_it_is(table: Table) -> None:
    stalled = table.article(1, Fate.BREAKING, hours_ago=3)
    table.articles.set_fate(stalled.article_id, Fate.ALERTED)  # notify finished it after the scan read it

    report = table.sweeper(PagedScan([stalled])).sweep(SCHEDULED, Remaining())

    assert report.unfinished == {}
    assert table.articles.articles[stalled.article_id].status is Fate.ALERTED


def _claim(table: Table, *, publishing: bool, lease_until: float) -> StalledAlertClaim:
    attempt = table.ledger.claim(STORY, 0, lease_until=lease_until, now=lease_until - 30)
    assert attempt is not None
    if publishing:
        table.ledger.mark_publishing(
            STORY, 0, attempt=attempt, alert=PendingAlert(Urgency.URGENT, 2, f"{STORY}#0", "a")
        )
    return StalledAlertClaim(STORY, 0, attempt, lease_until, publishing)


def test_a_claim_whose_attempt_died_during_its_publish_is_settled_unconfirmed_never_sent(table: Table) -> None:
    claim = _claim(table, publishing=True, lease_until=NOW - 300)

    report = table.sweeper(PagedScan([claim])).sweep(SCHEDULED, Remaining())

    assert report.alerts_unconfirmed == [f"{STORY}#0"]
    state = table.ledger.state(STORY)
    assert (state.sent_update, state.unconfirmed, state.pending_update) == (0, True, None)


def test_a_claim_whose_attempt_died_before_its_publish_is_released_for_the_story_s_next_article(
    table: Table,
) -> None:
    claim = _claim(table, publishing=False, lease_until=NOW - 300)

    report = table.sweeper(PagedScan([claim])).sweep(SCHEDULED, Remaining())

    assert report.claims_released == [f"{STORY}#0"]
    assert table.ledger.state(STORY).pending_update is None
    assert table.ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW) is not None  # free to send at once


def test_a_claim_just_out_of_its_lease_is_left_to_the_story_s_next_article(table: Table) -> None:
    claim = _claim(table, publishing=True, lease_until=NOW - 10)

    report = table.sweeper(PagedScan([claim])).sweep(SCHEDULED, Remaining())

    assert (report.alerts_unconfirmed, report.claims_released) == ([], [])
    assert table.ledger.state(STORY).publishing


def test_a_scan_too_long_for_one_run_stops_in_time_and_the_next_run_goes_on_from_there(table: Table) -> None:
    stalled = [table.article(n, Fate.RECEIVED, hours_ago=2) for n in range(250)]
    scan = PagedScan(list(stalled), page_size=100)

    first = table.sweeper(scan).sweep(SCHEDULED, Remaining(millis=5_000))  # short of time after each page
    assert (first.articles_unfinished, first.complete, scan.cursor) == (100, False, "100")
    second = table.sweeper(scan).sweep(SCHEDULED, Remaining())

    assert (second.articles_unfinished, second.complete, scan.cursor) == (150, True, None)
    assert {table.articles.articles[article.article_id].status for article in stalled} == {Fate.UNFINISHED}
