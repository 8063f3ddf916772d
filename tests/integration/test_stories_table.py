"""Stories on the articles table (moto, the table as template.yaml declares it): the same stories as in memory,
idempotent under redelivery, small items with a time to live, and two openers at once ending in one story."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from newsalert.aws.stories_table import STORY_ITEM_LIMIT, StoriesTable, item_size, story_from, story_item
from newsalert.classify.entities import load_entities
from newsalert.classify.stories import (
    FILED_KEYS,
    MAX_OUTLETS,
    InMemoryStories,
    Story,
    StoryEntry,
    StoryGrouper,
    StoryRepository,
    story_id_for,
)
from newsalert.flags import FLAG_PUBLISHED_MISSING
from newsalert.models import Article, StoryRef
from newsalert.tools.local.cfn_yaml import load_template
from tests.conftest import PROJECT_ROOT

NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
ENTITIES = load_entities()
TABLE = "articles"


def _article(title: str, body: str, source: str, hours_ago: float | None) -> Article:
    published = NOW - timedelta(hours=hours_ago) if hours_ago is not None else NOW
    return Article.create(
        title=title,
        body=body,
        source=source,
        published=published,
        received_at=NOW,
        url=f"https://{source.lower().replace(' ', '-')}.example/{'-'.join(title.lower().split())}",
        flags=() if hours_ago is not None else (FLAG_PUBLISHED_MISSING,),
    )


STREAM = [
    _article(
        "Magnitude 6.8 earthquake strikes near Izmir, Turkey",
        "A magnitude 6.8 earthquake struck western Turkey near Izmir, collapsing buildings in the Bayrakli district.",
        "Wire One",
        3,
    ),
    _article(
        "Harbour City fire head coach Tom Ridley after losing run",
        "Harbour City have fired head coach Tom Ridley after seven defeats, owner Dana Whitfield said.",
        "Sports Desk",
        3,
    ),
    _article(
        "Buildings collapse in Izmir as strong quake hits Turkey's Aegean coast",
        "Apartment blocks collapsed in Izmir's Bayrakli district after a 6.8-magnitude tremor shook Turkey.",
        "Daily Courier",
        2,
    ),
    _article(
        "Northgate Rovers hire Elena Marsh as head coach",
        "Northgate Rovers have hired Elena Marsh as head coach, chairman Ivo Brandt announced.",
        "Sports Desk",
        2,
    ),
    _article(
        "Rescuers search rubble in Izmir after 6.8 tremor",
        "Search teams worked through the night in Bayrakli, Izmir, after the 6.8 earthquake in western Turkey.",
        "Evening Post",
        None,
    ),
    _article(
        "Tom Ridley sacked by Harbour City",
        "Harbour City sacked coach Tom Ridley after seven straight defeats; Dana Whitfield thanked him.",
        "Morning Sport",
        1,
    ),
]


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    """The articles table as template.yaml declares it (keys and time to live), in moto."""
    declared = load_template(PROJECT_ROOT / "template.yaml")["Resources"]["ArticlesTable"]["Properties"]
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=declared["KeySchema"],
            AttributeDefinitions=declared["AttributeDefinitions"],
            BillingMode=declared["BillingMode"],
        )
        client.update_time_to_live(TableName=TABLE, TimeToLiveSpecification=declared["TimeToLiveSpecification"])
        yield client


def _grouper(repository: StoryRepository) -> StoryGrouper:
    return StoryGrouper(repository, ENTITIES)


def test_the_table_groups_the_stream_exactly_as_memory_does(dynamodb: Any) -> None:
    in_table = _grouper(StoriesTable(dynamodb, TABLE))
    in_memory = _grouper(InMemoryStories())

    from_table = [in_table.assign(article) for article in STREAM]
    from_memory = [in_memory.assign(article) for article in STREAM]

    assert from_table == from_memory
    quake, coach_fired, _, coach_hired, _, fired_again = from_table
    assert from_table[4].story_id == quake.story_id
    assert from_table[4].articles == 3
    assert from_table[4].outlets == ("Wire One", "Daily Courier", "Evening Post")
    assert fired_again.story_id == coach_fired.story_id
    assert coach_hired.story_id not in {quake.story_id, coach_fired.story_id}


def test_a_wall_clock_finer_than_the_table_keeps_changes_nothing(dynamodb: Any) -> None:
    # The handler opens stories at the wall clock's microseconds; the table keeps milliseconds. A story
    # read back must not look opened before itself (and so yield to itself, leaving its event split).
    clock = iter(datetime(2024, 7, 4, 9, 30, 0, 123456 + step, tzinfo=UTC) for step in range(len(STREAM)))
    in_table = StoryGrouper(StoriesTable(dynamodb, TABLE), ENTITIES, clock=lambda: next(clock))

    from_table = [in_table.assign(article) for article in STREAM]

    assert [ref.story_id for ref in from_table] == [ref.story_id for ref in _memory_refs()]
    assert from_table[4].articles == 3


def _memory_refs() -> list[StoryRef]:
    grouper = _grouper(InMemoryStories())
    return [grouper.assign(article) for article in STREAM]


def test_redelivered_articles_get_their_first_ref_and_count_once(dynamodb: Any) -> None:
    table = StoriesTable(dynamodb, TABLE)
    first = [_grouper(table).assign(article) for article in STREAM[:3]]

    # Another invocation (a fresh grouper) gets the same three articles again.
    again = [_grouper(table).assign(article) for article in STREAM[:3]]

    assert again == first
    [story] = table.stories([first[0].story_id])
    assert story.articles == 2


def test_every_item_has_a_time_to_live_and_stories_stay_under_a_kilobyte(dynamodb: Any) -> None:
    grouper = _grouper(StoriesTable(dynamodb, TABLE))
    for article in STREAM:
        grouper.assign(article)

    items = dynamodb.scan(TableName=TABLE)["Items"]
    kinds = {item["pk"]["S"].split("#", 1)[0] for item in items}
    assert kinds == {"STORY", "STORYKEY", "STORYARTICLE"}
    assert all(int(item["expires_at"]["N"]) > NOW.timestamp() for item in items)
    stories = [item for item in items if item["pk"]["S"].startswith("STORY#")]
    assert len(stories) == 3
    assert all(item_size(item) <= STORY_ITEM_LIMIT for item in stories)
    # Each story is filed under its opening article's strongest keys.
    assert sum(item["pk"]["S"].startswith("STORYKEY#") for item in items) <= 3 * FILED_KEYS
    # Only the joining articles needed an assignment of their own.
    assert sum(item["pk"]["S"].startswith("STORYARTICLE#") for item in items) == 3


def _story_of_long_outlet_names(opening_digit: str, *, articles: int, **fields: Any) -> Story:
    """A story reported by as many outlets as it keeps, each with a long name, opened by a 40-term profile."""
    return Story(
        story_id=story_id_for("art-" + opening_digit * 32),
        opened_at=NOW,
        expires_at=NOW + timedelta(days=2),
        articles=articles,
        outlets=tuple(f"{'An Outlet With A Very Long Name Indeed':<38}{n:02d}" for n in range(MAX_OUTLETS)),
        first_seen=NOW,
        last_seen=NOW,
        profile={f"term{number:02d}long": 40.0 - number for number in range(40)},
        keys=("izmir", "turkey", "bayrakli", "@turkey"),
        **fields,
    )


def test_a_story_with_many_long_outlet_names_still_fits_in_a_kilobyte() -> None:
    story = _story_of_long_outlet_names("0", articles=500)

    item = story_item(story)

    assert item_size(item) <= STORY_ITEM_LIMIT
    assert item["profile"]["S"].startswith("term00long 40")


def test_a_story_read_back_is_the_story_written(dynamodb: Any) -> None:
    table = StoriesTable(dynamodb, TABLE)
    ref = _grouper(table).assign(STREAM[0])

    [story] = table.stories([ref.story_id])
    [entry, *_] = table.filed_under(story.keys[:1], now=NOW)

    assert table.open(story) is False  # created once only
    assert entry == StoryEntry(ref.story_id, story.keys[0])
    assert table.update(story, expected_version=story.version + 1) is False
    assert table.stories([ref.story_id]) == [story]


def test_filings_are_not_found_once_expired_even_before_dynamodb_deletes_them(dynamodb: Any) -> None:
    table = StoriesTable(dynamodb, TABLE)
    ref = _grouper(table).assign(STREAM[0])
    [story] = table.stories([ref.story_id])

    assert table.filed_under(story.keys, now=story.expires_at + timedelta(seconds=2)) == []


class _LookedTooEarly(StoriesTable):
    """The second of two invocations that looked up their keys at the same moment, before either wrote."""

    def __init__(self, dynamodb: Any, table: str) -> None:
        super().__init__(dynamodb, table)
        self.lookups = 0

    def filed_under(self, keys: Sequence[str], *, now: datetime) -> list[StoryEntry]:
        self.lookups += 1
        return [] if self.lookups == 1 else super().filed_under(keys, now=now)


def test_two_invocations_opening_one_event_at_once_end_with_one_story(dynamodb: Any) -> None:
    first = _grouper(StoriesTable(dynamodb, TABLE)).assign(STREAM[0])
    late = _LookedTooEarly(dynamodb, TABLE)

    second = _grouper(late).assign(STREAM[2])

    assert second.story_id == first.story_id
    assert second.articles == 2
    [yielded] = late.stories([story_id_for(STREAM[2].id)])
    assert yielded.merged_into == first.story_id
    # Its redelivery gets the same ref, and a third report joins the one story.
    assert _grouper(StoriesTable(dynamodb, TABLE)).assign(STREAM[2]) == second
    assert _grouper(StoriesTable(dynamodb, TABLE)).assign(STREAM[4]).articles == 3


def test_a_story_s_first_joiners_are_kept_and_read_back_as_in_memory(dynamodb: Any) -> None:
    table = StoriesTable(dynamodb, TABLE)
    in_table, in_memory = _grouper(table), InMemoryStories()
    memory_grouper = _grouper(in_memory)
    for article in STREAM:
        in_table.assign(article)
        memory_grouper.assign(article)
    quake_id = story_id_for(STREAM[0].id)

    [stored] = table.stories([quake_id])
    [kept] = in_memory.stories([quake_id])

    assert len(stored.joiners) == 2
    assert stored.profile == kept.profile
    assert stored.joiners == kept.joiners
    item = dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": f"STORY#{quake_id}"}, "sk": {"S": "STORY"}})["Item"]
    # One list of terms, the opening article's first; each joiner as positions in it.
    assert int(item["opening_terms"]["N"]) == len(stored.profile)
    assert len(item["joiners"]["L"]) == 2


def test_a_story_written_before_joiners_were_kept_reads_as_its_opening_profile() -> None:
    item: dict[str, Any] = {
        "pk": {"S": "STORY#story-" + "0" * 24},
        "sk": {"S": "STORY"},
        "opened_at": {"N": f"{NOW.timestamp():.3f}"},
        "expires_at": {"N": str(int(NOW.timestamp()) + 3600)},
        "expires_exact": {"N": f"{NOW.timestamp() + 3600:.3f}"},
        "articles": {"N": "3"},
        "outlets": {"L": [{"S": "Wire One"}]},
        "keys": {"L": [{"S": "izmir"}]},
        "version": {"N": "2"},
        "profile": {"S": "izmir 3.5 turkey 3.5 6.8 3"},
    }

    story = story_from(item)

    assert story.profile == {"izmir": 3.5, "turkey": 3.5, "6.8": 3.0}
    assert story.joiners == ()


def test_a_story_with_joiners_and_long_outlet_names_still_fits_and_keeps_its_opening_terms_first(
    dynamodb: Any,
) -> None:
    joiners = tuple({f"joiner{kept}term{number:02d}": 20.0 - number for number in range(20)} for kept in range(2))
    story = _story_of_long_outlet_names("1", articles=3, joiners=joiners)
    table = StoriesTable(dynamodb, TABLE)

    item = story_item(story)
    assert table.open(story)
    [read] = table.stories([story.story_id])

    assert item_size(item) <= STORY_ITEM_LIMIT
    # The joiners' own terms went first; what is left of each profile is read back as it was.
    assert list(read.profile.items()) == list(story.profile.items())[: len(read.profile)]
    assert len(read.profile) >= len(story.profile) // 2
    for read_joiner, joiner in zip(read.joiners, joiners, strict=True):
        assert read_joiner.items() <= joiner.items()
