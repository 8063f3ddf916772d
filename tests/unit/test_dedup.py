"""One story, many ways in: each of them gives exactly one article downstream.

(Two concurrent ingests of one item are decided by DynamoDB's conditional writes:
tests/integration/test_article_store.py runs those against the deployed table.)
"""

from __future__ import annotations

from newsalert.ingest.admission import Ingestor
from newsalert.ingest.sources import load_source_catalog
from newsalert.models import Fate
from tests.conftest import SAMPLE_NOW
from tests.unit.fakes import FakeArticlesTable, FakeStageQueue

CATALOG = load_source_catalog()
DEADLINE = SAMPLE_NOW.timestamp() + 60


def _rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example.com/</link>" + "".join(items) + "</channel></rss>"
    ).encode()


def _item(*, title: str, link: str | None, guid: str, body: str = "Leaders met in Astana on Wednesday.") -> str:
    link_element = f"<link>{link}</link>" if link else ""
    return (
        f"<item><title>{title}</title>{link_element}<guid isPermaLink='false'>{guid}</guid>"
        f"<pubDate>Thu, 04 Jul 2024 07:20:00 +0000</pubDate><description>{body}</description></item>"
    )


STORY = {"title": "Leaders meet at the SCO summit", "link": "https://wire.example.com/world/sco-summit"}


def _ingestor() -> tuple[Ingestor, FakeStageQueue]:
    queue = FakeStageQueue()
    return Ingestor(FakeArticlesTable(clock=lambda: SAMPLE_NOW.timestamp()), queue, CATALOG, deadline=DEADLINE), queue


def test_the_same_article_through_two_feeds_goes_downstream_once() -> None:
    ingestor, queue = _ingestor()
    world = _rss(_item(**STORY, guid="world-1"))
    asia = _rss(_item(**STORY, guid="asia-77"))

    first = ingestor.admit_feed(world, feed_url="https://wire.example.com/world.xml", received_at=SAMPLE_NOW)
    second = ingestor.admit_feed(asia, feed_url="https://wire.example.com/asia.xml", received_at=SAMPLE_NOW)

    assert [outcome.fate for outcome in first.outcomes + second.outcomes] == [Fate.QUEUED, Fate.DUPLICATE]
    assert len(queue.messages) == 1


def test_an_item_republished_with_a_new_guid_is_a_duplicate() -> None:
    ingestor, queue = _ingestor()
    url = "https://wire.example.com/world.xml"

    ingestor.admit_feed(_rss(_item(**STORY, guid="v1")), feed_url=url, received_at=SAMPLE_NOW)
    again = ingestor.admit_feed(_rss(_item(**STORY, guid="v2-republished")), feed_url=url, received_at=SAMPLE_NOW)

    assert [outcome.fate for outcome in again.outcomes] == [Fate.DUPLICATE]
    assert len(queue.messages) == 1


def test_without_links_the_same_text_under_a_new_guid_is_a_duplicate() -> None:
    ingestor, queue = _ingestor()
    url = "https://wire.example.com/world.xml"

    ingestor.admit_feed(_rss(_item(title=STORY["title"], link=None, guid="a")), feed_url=url, received_at=SAMPLE_NOW)
    again = ingestor.admit_feed(
        _rss(_item(title=STORY["title"], link=None, guid="b")), feed_url=url, received_at=SAMPLE_NOW
    )

    assert [outcome.fate for outcome in again.outcomes] == [Fate.DUPLICATE]
    assert len(queue.messages) == 1


def test_the_same_url_with_tracking_parameters_is_one_article() -> None:
    ingestor, queue = _ingestor()
    tracked = STORY | {"link": STORY["link"] + "?utm_source=rss&amp;utm_medium=feed&amp;fbclid=abc#comments"}
    document = _rss(_item(**STORY, guid="1"), _item(**tracked, guid="2"))

    outcomes = ingestor.admit_feed(document, feed_url="https://wire.example.com/w.xml", received_at=SAMPLE_NOW).outcomes

    assert [outcome.fate for outcome in outcomes] == [Fate.QUEUED, Fate.DUPLICATE]
    assert len(queue.messages) == 1
