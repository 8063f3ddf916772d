"""Notify on in-memory adapters: one alert per story, an update when it escalates, never twice, limits, digests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newsalert.models import (
    AlertRoute,
    Article,
    Classification,
    ClassifiedArticle,
    Fate,
    StoryRef,
    TopicMatch,
    Urgency,
)
from newsalert.notify.rendering import render_alert, render_digest
from newsalert.notify.stage import AlertInProgressError, NotifyStage
from newsalert.notify.story_alerts import PendingAlert
from newsalert.ports import Publication, PublishNotSentError
from tests.unit.fakes import FakeAlertLedger, FakeAlertsTopic, FakeArticlesTable

PUBLISHED = datetime(2024, 7, 4, 7, 0, tzinfo=UTC)
STORY = "story-" + "5" * 24
NOW = 1_720_080_000.0  # 2024-07-04 08:00 UTC
QUAKE = AlertRoute(topic="disaster", label="Disaster", max_per_hour=12)
GEO = AlertRoute(topic="geopolitics", label="Geopolitics", max_per_hour=2)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


class Remaining:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def get_remaining_time_in_millis(self) -> int:
        return int(self.seconds * 1000)


def report(
    number: int,
    *,
    outlets: int = 1,
    urgency: Urgency = Urgency.ROUTINE,
    routes: tuple[AlertRoute, ...] = (QUAKE,),
    story_id: str = STORY,
) -> ClassifiedArticle:
    """Outlet ``number``'s report of the story, arriving when ``outlets`` outlets carry it."""
    article = Article.create(
        title=f"Earthquake strikes the north, report {number}",
        source=f"Outlet {number}",
        published=PUBLISHED,
        received_at=PUBLISHED + timedelta(minutes=5 * number),
        url=f"https://outlet{number}.example/quake",
        summary="A strong earthquake struck the north on Thursday.",
    )
    return ClassifiedArticle(
        article=article,
        classification=Classification(
            article_id=article.id,
            category="disaster",
            topics=tuple(TopicMatch(topic=route.topic, label=route.label, score=0.95) for route in routes),
            breaking=True,
            reason="breaking",
            alert_topics=tuple(route.topic for route in routes),
            routes=routes,
            story=StoryRef(
                story_id=story_id,
                new_story=outlets == 1,
                articles=outlets,
                outlets=tuple(f"Outlet {n}" for n in range(number - outlets + 1, number + 1)),
            ),
            urgency=urgency,
        ),
    )


class Notify:
    """A notify stage on fakes, with the article items ingest and classify would have left."""

    def __init__(self) -> None:
        self.articles = FakeArticlesTable(clock=lambda: NOW)
        self.ledger = FakeAlertLedger()
        self.topic = FakeAlertsTopic()
        self.clock = Clock()
        self.stage = self.new_consumer()

    def new_consumer(self) -> NotifyStage:
        """Another notify invocation on the same state (a concurrent consumer, or a later one)."""
        stage = NotifyStage(
            self.articles,
            self.ledger,
            self.ledger,
            self.ledger,
            self.topic,
            render_alert=render_alert,
            render_digest=render_digest,
            clock=self.clock,
        )
        stage.begin_invocation(Remaining(30))
        return stage

    def breaking(self, classified: ClassifiedArticle) -> ClassifiedArticle:
        self.articles.claim(classified.article, lease_until=NOW + 60)
        self.articles.set_fate(classified.article.id, Fate.QUEUED)
        self.articles.set_fate(classified.article.id, Fate.BREAKING)
        return classified

    def alert_ids(self) -> list[str]:
        return [publication.attributes["alert_id"]["StringValue"] for publication in self.topic.published]


@pytest.fixture
def notify() -> Notify:
    return Notify()


def test_the_first_breaking_article_of_a_story_alerts(notify: Notify) -> None:
    outcome = notify.stage.notify(notify.breaking(report(1)))

    assert (outcome.fate, outcome.alert_id, outcome.sent_to) == (Fate.ALERTED, f"{STORY}#0", ("disaster",))
    assert notify.alert_ids() == [f"{STORY}#0"]
    assert notify.articles.articles[report(1).article.id].status is Fate.ALERTED


def test_three_outlets_on_one_earthquake_give_one_alert(notify: Notify) -> None:
    outcomes = [notify.stage.notify(notify.breaking(report(n, outlets=n))) for n in (1, 2, 3)]

    assert [outcome.fate for outcome in outcomes] == [Fate.ALERTED, Fate.JOINED, Fate.JOINED]
    assert notify.alert_ids() == [f"{STORY}#0"]
    assert (
        notify.articles.articles[report(3).article.id].details["reason"]
        == f"joined its story, already alerted in {STORY}#0"
    )


def test_an_hour_of_one_event_gives_one_alert_then_one_update_when_it_escalates(notify: Notify) -> None:
    # Outlets join over an hour; the third report comes as a flash: one update, then silence again.
    fates = [
        notify.stage.notify(notify.breaking(report(1, outlets=1))).fate,
        notify.stage.notify(notify.breaking(report(2, outlets=2))).fate,  # 2 outlets: not markedly more than 1
        notify.stage.notify(notify.breaking(report(3, outlets=3, urgency=Urgency.FLASH))).fate,  # urgency rose
        notify.stage.notify(notify.breaking(report(4, outlets=4, urgency=Urgency.FLASH))).fate,
        notify.stage.notify(notify.breaking(report(5, outlets=5, urgency=Urgency.FLASH))).fate,
    ]

    assert fates == [Fate.ALERTED, Fate.JOINED, Fate.ALERTED, Fate.JOINED, Fate.JOINED]
    assert notify.alert_ids() == [f"{STORY}#0", f"{STORY}#1"]
    update = notify.topic.published[1]
    assert update.attributes["urgency"]["StringValue"] == "flash"


def test_markedly_more_outlets_make_an_update_and_fewer_do_not(notify: Notify) -> None:
    notify.stage.notify(notify.breaking(report(1, outlets=2)))

    four = notify.stage.notify(notify.breaking(report(2, outlets=4)))  # needs max(2 * 2, 2 + 3) = 5
    five = notify.stage.notify(notify.breaking(report(3, outlets=5)))

    assert (four.fate, five.fate) == (Fate.JOINED, Fate.ALERTED)
    assert five.reason == "5 outlets now carry the story (2 at its last alert)"
    assert five.alert_id == f"{STORY}#1"


def test_a_redelivered_message_does_not_alert_twice(notify: Notify) -> None:
    first = notify.breaking(report(1))

    notify.stage.notify(first)
    again = notify.new_consumer().notify(first)

    assert (again.fate, again.already_sent) == (Fate.ALERTED, True)
    assert notify.alert_ids() == [f"{STORY}#0"]
    assert notify.articles.articles[first.article.id].status is Fate.ALERTED


def test_a_concurrent_consumer_waits_while_another_holds_the_claim(notify: Notify) -> None:
    first, second = notify.breaking(report(1)), notify.breaking(report(2, outlets=2))
    other = notify.ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)  # another consumer is publishing #0
    assert other is not None

    with pytest.raises(AlertInProgressError):
        notify.stage.notify(second)

    alert = PendingAlert(Urgency.ROUTINE, 1, f"{STORY}#0", first.article.id)
    notify.ledger.record_sent(STORY, 0, attempt=other, alert=alert, held=False)
    assert notify.new_consumer().notify(second).fate is Fate.JOINED  # the retry finds it sent
    assert notify.topic.published == []  # (the other consumer's publish is not in this fake topic)
    assert first.article.id in notify.articles.articles


class Unanswered:
    """A topic whose publish reaches SNS but whose answer is lost (a 500 after acceptance, a read timeout)."""

    def __init__(self, topic: FakeAlertsTopic) -> None:
        self.topic = topic

    def publish(self, publication: Publication) -> str:
        self.topic.publish(publication)
        raise TimeoutError("read timeout on the SNS endpoint")


class Refusing:
    """A topic that refuses every publish before taking it (throttled past its retries)."""

    def publish(self, publication: Publication) -> str:
        raise PublishNotSentError("SNS did not take the alert: Throttled")


def test_a_publish_sns_refused_releases_the_claim_so_the_retry_sends_it(notify: Notify) -> None:
    classified = notify.breaking(report(1))
    broken = notify.new_consumer()
    broken._topic = Refusing()

    with pytest.raises(PublishNotSentError):
        broken.notify(classified)

    assert notify.ledger.state(STORY).pending_update is None
    assert notify.stage.notify(classified).fate is Fate.ALERTED
    assert notify.alert_ids() == [f"{STORY}#0"]


def test_a_publish_without_an_answer_is_never_sent_again_and_is_counted_unconfirmed(notify: Notify) -> None:
    classified = notify.breaking(report(1))
    broken = notify.new_consumer()
    broken._topic = Unanswered(notify.topic)

    outcome = broken.notify(classified)

    assert (outcome.fate, outcome.unconfirmed) == (Fate.ALERTED, True)
    assert "read timeout" in (outcome.error or "")
    assert notify.articles.articles[classified.article.id].details["delivery"] == "unconfirmed"
    # Redelivered anyway (at-least-once), and the story's next article: neither publishes it again.
    again = notify.new_consumer().notify(classified)
    later = notify.new_consumer().notify(notify.breaking(report(2, outlets=2)))
    assert (again.fate, again.already_sent, again.unconfirmed) == (Fate.ALERTED, True, True)
    assert later.fate is Fate.JOINED
    assert "unconfirmed" in later.reason
    assert notify.alert_ids() == [f"{STORY}#0"]


def test_a_record_that_fails_after_the_publish_never_leads_to_a_second_alert(notify: Notify) -> None:
    classified = notify.breaking(report(1))

    def refuse(*args: object, **kwargs: object) -> None:
        raise TimeoutError("DynamoDB throttled")

    notify.ledger.record_sent = refuse  # type: ignore[method-assign]
    outcome = notify.stage.notify(classified)

    # The alert went out once and the message succeeds (failing it would only bring it back)...
    assert (outcome.fate, outcome.record_failed) == (Fate.ALERTED, True)
    # ...and the publishing claim left behind is settled by the story's next article after its lease,
    # not published again.
    del notify.ledger.record_sent
    notify.clock.now = NOW + 31
    later = notify.new_consumer().notify(notify.breaking(report(2, outlets=2)))
    assert later.fate is Fate.JOINED
    assert notify.ledger.state(STORY).unconfirmed
    assert notify.alert_ids() == [f"{STORY}#0"]


def test_a_crash_during_the_publish_is_settled_by_the_redelivery_without_a_second_alert(notify: Notify) -> None:
    classified = notify.breaking(report(1))
    crashed = notify.new_consumer()

    def die(publication: Publication) -> str:
        notify.topic.publish(publication)
        raise SystemExit("the function ran out of time")  # not an Exception: nothing of notify's runs after

    crashed._topic = type("Dying", (), {"publish": staticmethod(die)})()
    with pytest.raises(SystemExit):
        crashed.notify(classified)

    with pytest.raises(AlertInProgressError):  # SQS redelivers within the lease: it waits
        notify.new_consumer().notify(classified)
    notify.clock.now = NOW + 31
    again = notify.new_consumer().notify(classified)

    assert (again.fate, again.already_sent, again.unconfirmed) == (Fate.ALERTED, True, True)
    assert notify.alert_ids() == [f"{STORY}#0"]


def test_a_fate_that_cannot_be_written_after_the_publish_is_written_by_the_redelivery(notify: Notify) -> None:
    classified = notify.breaking(report(1))
    original = notify.articles.set_fate

    def throttled(*args: object, **kwargs: object) -> bool:
        raise TimeoutError("DynamoDB throttled")

    notify.articles.set_fate = throttled  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        notify.stage.notify(classified)
    notify.articles.set_fate = original  # type: ignore[method-assign]

    again = notify.new_consumer().notify(classified)

    assert (again.fate, again.already_sent) == (Fate.ALERTED, True)
    assert notify.articles.articles[classified.article.id].status is Fate.ALERTED
    assert notify.alert_ids() == [f"{STORY}#0"]


def test_a_story_never_alerted_but_claimed_by_a_dead_attempt_is_sent_after_the_lease(notify: Notify) -> None:
    notify.ledger.claim(STORY, 0, lease_until=NOW - 1, now=NOW - 60)  # died before its publish, lease over

    outcome = notify.stage.notify(notify.breaking(report(1)))

    assert (outcome.fate, outcome.took_over) == (Fate.ALERTED, True)
    assert notify.alert_ids() == [f"{STORY}#0"]


def test_an_attempt_whose_claim_was_taken_over_cannot_record_over_the_taker(notify: Notify) -> None:
    stale = notify.ledger.claim(STORY, 0, lease_until=NOW - 1, now=NOW - 60)
    taker = notify.ledger.claim(STORY, 0, lease_until=NOW + 30, now=NOW)
    assert stale is not None
    assert taker is not None
    assert stale != taker
    alert = PendingAlert(Urgency.ROUTINE, 1, f"{STORY}#0", "art-1")

    assert not notify.ledger.mark_publishing(STORY, 0, attempt=stale, alert=alert)
    with pytest.raises(LookupError):
        notify.ledger.record_sent(STORY, 0, attempt=stale, alert=alert, held=False)
    notify.ledger.release(STORY, 0, attempt=stale)
    assert notify.ledger.state(STORY).pending_update == 0  # still the taker's


# ------------------------------------------------------------------------ limits and digests


def routine_story(number: int, routes: tuple[AlertRoute, ...] = (GEO,)) -> ClassifiedArticle:
    return report(number, routes=routes, story_id=f"story-{number:024x}")


def test_routine_alerts_beyond_a_topic_s_hourly_limit_wait_for_its_digest(notify: Notify) -> None:
    outcomes = [notify.stage.notify(notify.breaking(routine_story(n))) for n in (1, 2, 3)]

    assert [outcome.fate for outcome in outcomes] == [Fate.ALERTED, Fate.ALERTED, Fate.HELD]
    assert outcomes[2].held_for == ("geopolitics",)
    assert len(notify.topic.published) == 2
    assert notify.articles.articles[routine_story(3).article.id].status is Fate.HELD


def test_urgent_and_flash_alerts_are_counted_but_never_held(notify: Notify) -> None:
    for n in (1, 2):
        notify.stage.notify(notify.breaking(routine_story(n)))

    routine = routine_story(3)
    urgent = routine.model_copy(
        update={"classification": routine.classification.model_copy(update={"urgency": Urgency.URGENT})}
    )

    assert notify.stage.notify(notify.breaking(urgent)).fate is Fate.ALERTED
    assert notify.ledger.counts[("geopolitics", "2024070408")] == 3


def test_an_alert_goes_to_the_topics_under_their_limit_and_waits_in_the_digest_of_the_others(notify: Notify) -> None:
    for n in (1, 2):
        notify.stage.notify(notify.breaking(routine_story(n)))  # geopolitics is now at its limit of 2

    outcome = notify.stage.notify(notify.breaking(routine_story(3, routes=(GEO, QUAKE))))

    assert (outcome.fate, outcome.sent_to, outcome.held_for) == (Fate.ALERTED, ("disaster",), ("geopolitics",))
    assert json.loads(notify.topic.published[-1].attributes["topics"]["StringValue"]) == ["disaster"]


def test_the_hourly_digest_sends_each_topic_s_held_stories_once_and_marks_them_alerted(notify: Notify) -> None:
    for n in range(1, 6):
        notify.stage.notify(notify.breaking(routine_story(n)))  # 1-2 alerted, 3-5 held for geopolitics
    sent_before = len(notify.topic.published)

    [digest] = notify.stage.send_digests(datetime(2024, 7, 4, 9, 0, tzinfo=UTC))
    again = notify.stage.send_digests(datetime(2024, 7, 4, 9, 0, tzinfo=UTC))

    assert (digest.topic, digest.stories) == ("geopolitics", 3)
    assert len(notify.topic.published) == sent_before + 1
    publication = notify.topic.published[-1]
    assert json.loads(publication.attributes["topics"]["StringValue"]) == ["geopolitics"]
    assert publication.subject == "Digest: 3 more stories on Geopolitics"
    assert again == []  # nothing left to send
    held = [routine_story(n).article.id for n in (3, 4, 5)]
    assert {notify.articles.articles[article_id].status for article_id in held} == {Fate.ALERTED}
    assert notify.ledger.waiting == []


def test_a_digest_whose_publish_got_no_answer_is_never_sent_again(notify: Notify) -> None:
    for n in range(1, 6):
        notify.stage.notify(notify.breaking(routine_story(n)))
    sent_before = len(notify.topic.published)
    hour = datetime(2024, 7, 4, 9, 0, tzinfo=UTC)
    notify.stage._topic = Unanswered(notify.topic)

    [digest] = notify.stage.send_digests(hour)
    notify.stage._topic = notify.topic
    again = notify.stage.send_digests(hour)

    assert (digest.unconfirmed, digest.message_id, again) == (True, None, [])
    assert len(notify.topic.published) == sent_before + 1
    held = [notify.articles.articles[routine_story(n).article.id] for n in (3, 4, 5)]
    assert {(article.status, article.details["delivery"]) for article in held} == {(Fate.ALERTED, "unconfirmed")}


def test_a_digest_sns_refused_is_sent_by_the_next_run(notify: Notify) -> None:
    for n in range(1, 6):
        notify.stage.notify(notify.breaking(routine_story(n)))
    hour = datetime(2024, 7, 4, 9, 0, tzinfo=UTC)
    notify.stage._topic = Refusing()

    with pytest.raises(PublishNotSentError):
        notify.stage.send_digests(hour)
    notify.stage._topic = notify.topic
    [digest] = notify.stage.send_digests(hour)

    assert (digest.stories, digest.unconfirmed) == (3, False)


def test_a_held_story_is_not_held_again_by_its_later_articles(notify: Notify) -> None:
    for n in (1, 2):
        notify.stage.notify(notify.breaking(routine_story(n)))
    held = routine_story(3)
    notify.stage.notify(notify.breaking(held))

    follow_up = report(4, outlets=2, routes=(GEO,), story_id=held.classification.story.story_id)  # type: ignore[union-attr]
    outcome = notify.stage.notify(notify.breaking(follow_up))

    assert outcome.fate is Fate.JOINED
    assert outcome.reason == "joined its story, already alerted in the digest"
    assert len(notify.ledger.waiting) == 1
