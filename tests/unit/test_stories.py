"""Grouping articles into stories: one story per event whatever the outlet and wording, apart otherwise."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsalert.classify import stories
from newsalert.classify.entities import load_entities
from newsalert.classify.stories import (
    DEFAULT_THRESHOLD,
    JOINER_PROFILES,
    JOINER_TERMS,
    NO_NAME_IN_COMMON,
    OTHER_WEEKDAY,
    InMemoryStories,
    Story,
    StoryEntry,
    StoryGrouper,
    StoryRepository,
    TermRarity,
    WeighedTerms,
    article_time,
    story_id_for,
)
from newsalert.classify.taxonomy import load_taxonomy
from newsalert.classify.topics import read_article
from newsalert.classify.words import words_of
from newsalert.flags import FLAG_PUBLISHED_MISSING
from newsalert.models import Article, StoryRef

NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
ENTITIES = load_entities()


def _article(title: str, body: str, source: str, *, published: datetime | None = None, **more: Any) -> Article:
    flags = () if published is not None else (FLAG_PUBLISHED_MISSING,)
    return Article.create(
        title=title,
        body=body,
        source=source,
        published=published or NOW,
        received_at=NOW,
        flags=flags,
        url=f"https://{source.lower().replace(' ', '-')}.example/{(published or NOW).date()}/{'-'.join(title.split())}",
        **more,
    )


QUAKE_REPORTS = [
    _article(
        "Magnitude 6.8 earthquake strikes near Izmir, Turkey",
        "A magnitude 6.8 earthquake struck western Turkey near the city of Izmir on Thursday, collapsing "
        "buildings in the Bayrakli district. Rescuers pulled survivors from the rubble.",
        "Wire One",
        published=NOW - timedelta(hours=3),
    ),
    _article(
        "Buildings collapse in Izmir as strong quake hits Turkey's Aegean coast",
        "Several apartment blocks collapsed in Izmir's Bayrakli district after a 6.8-magnitude tremor shook "
        "the Aegean coast of Turkey, the disaster agency AFAD said.",
        "Daily Courier",
        published=NOW - timedelta(hours=2),
    ),
    _article(
        "Rescuers search rubble in Izmir after 6.8 tremor",
        "Search teams worked through the night in the Bayrakli district of Izmir, where a 6.8 earthquake "
        "brought down apartment buildings in western Turkey.",
        "Evening Post",
        published=NOW - timedelta(hours=1),
    ),
]


def _grouper(repository: StoryRepository | None = None, **options: Any) -> StoryGrouper:
    return StoryGrouper(repository if repository is not None else InMemoryStories(), ENTITIES, **options)


def test_three_outlets_reporting_one_quake_in_their_own_words_make_one_story() -> None:
    grouper = _grouper()

    refs = [grouper.assign(article) for article in QUAKE_REPORTS]

    assert len({ref.story_id for ref in refs}) == 1
    assert [ref.new_story for ref in refs] == [True, False, False]
    assert [ref.articles for ref in refs] == [1, 2, 3]
    assert refs[-1].outlets == ("Wire One", "Daily Courier", "Evening Post")


def test_the_story_id_comes_from_the_opening_article_so_reprocessing_gives_the_same_id() -> None:
    first = QUAKE_REPORTS[0]

    ref = _grouper().assign(first)
    again = _grouper().assign(first)  # a fresh repository: the whole stream processed again

    assert ref.story_id == again.story_id == story_id_for(first.id)
    assert ref.story_id.startswith("story-")
    assert len(ref.story_id) == len("story-") + 24


def test_an_article_assigned_twice_gets_the_same_ref_and_counts_once() -> None:
    grouper = _grouper()
    opening = grouper.assign(QUAKE_REPORTS[0])
    joined = grouper.assign(QUAKE_REPORTS[1])

    assert grouper.assign(QUAKE_REPORTS[1]) == joined  # redelivered by SQS
    assert grouper.assign(QUAKE_REPORTS[0]) == opening
    third = grouper.assign(QUAKE_REPORTS[2])

    assert third.articles == 3
    assert third.outlets == ("Wire One", "Daily Courier", "Evening Post")


def test_the_same_quake_a_year_later_in_the_same_place_is_another_story() -> None:
    grouper = _grouper()
    first = grouper.assign(QUAKE_REPORTS[0])
    year_later = _article(
        "Magnitude 6.8 earthquake strikes near Izmir, Turkey",
        "A magnitude 6.8 earthquake struck western Turkey near Izmir on Thursday, damaging buildings in "
        "the Bayrakli district.",
        "Wire One",
        published=NOW + timedelta(days=365),
    )

    assert grouper.assign(year_later).story_id != first.story_id


def test_two_quakes_of_one_size_in_different_places_on_one_day_stay_apart() -> None:
    grouper = _grouper()
    turkey = grouper.assign(QUAKE_REPORTS[0])
    chile = _article(
        "Magnitude 6.8 earthquake strikes off Valparaiso, Chile",
        "A magnitude 6.8 earthquake struck off the coast of central Chile near Valparaiso on Thursday; "
        "residents of Vina del Mar fled to higher ground as a precaution.",
        "Wire One",
        published=NOW - timedelta(hours=2),
    )

    assert grouper.assign(chile).story_id != turkey.story_id
    assert grouper.assign(QUAKE_REPORTS[1]).story_id == turkey.story_id


def test_a_coach_fired_and_a_coach_hired_stay_apart() -> None:
    grouper = _grouper()
    fired = _article(
        "Harbour City fire head coach Tom Ridley after losing run",
        "Harbour City have fired head coach Tom Ridley after a run of seven defeats left the club bottom of "
        "the league, owner Dana Whitfield said.",
        "Sports Desk",
        published=NOW - timedelta(hours=5),
    )
    hired = _article(
        "Northgate Rovers hire Elena Marsh as head coach",
        "Northgate Rovers have hired Elena Marsh as their new head coach on a three-year contract, chairman "
        "Ivo Brandt announced.",
        "Sports Desk",
        published=NOW - timedelta(hours=4),
    )
    fired_elsewhere = _article(
        "Tom Ridley sacked by Harbour City",
        "Harbour City sacked coach Tom Ridley following seven straight defeats; Dana Whitfield thanked him.",
        "Morning Sport",
        published=NOW - timedelta(hours=3),
    )

    fired_ref = grouper.assign(fired)
    hired_ref = grouper.assign(hired)
    other_report = grouper.assign(fired_elsewhere)

    assert hired_ref.story_id != fired_ref.story_id
    assert other_report.story_id == fired_ref.story_id


def test_an_undated_article_is_timed_by_its_arrival_and_still_joins_its_story() -> None:
    grouper = _grouper()
    grouper.assign(QUAKE_REPORTS[0])
    undated = _article(
        "Izmir quake: survivors pulled from rubble in Bayrakli",
        "Rescuers in the Bayrakli district of Izmir pulled survivors from collapsed buildings after the "
        "magnitude 6.8 earthquake in western Turkey.",
        "Radio Nine",
    )

    assert article_time(undated) is None
    assert grouper.assign(undated).articles == 2


def test_outlets_are_listed_once_each_in_join_order_and_capped() -> None:
    grouper = _grouper()
    base = QUAKE_REPORTS[0]
    refs = [grouper.assign(base)]
    for number in range(12):
        copy = _article(base.title + f" ({number})", base.body, f"Outlet {number % 11}", published=base.published)
        refs.append(grouper.assign(copy))

    last = refs[-1]
    assert last.articles == 13
    assert last.outlets[:3] == ("Wire One", "Outlet 0", "Outlet 1")
    assert len(last.outlets) == 10
    assert len(set(last.outlets)) == 10


def test_classify_s_own_reading_of_the_article_gives_the_same_stories() -> None:
    taxonomy = load_taxonomy()
    plain, reused = _grouper(), _grouper()

    for article in QUAKE_REPORTS:
        document = read_article(article, taxonomy)
        assert reused.assign(article, index=document.index, mentions=document.mentions) == plain.assign(article)


class _LateToSee(InMemoryStories):
    """A repository whose first lookup misses the stories already there: as when two classify
    invocations look at the same moment, before either has written its story."""

    def __init__(self) -> None:
        super().__init__()
        self.blind = False

    def filed_under(self, keys: Sequence[str], *, now: datetime) -> list[StoryEntry]:
        if self.blind:
            self.blind = False
            return []
        return super().filed_under(keys, now=now)


def test_two_first_articles_of_one_event_opened_at_once_end_in_the_older_story() -> None:
    repository = _LateToSee()
    first = _grouper(repository).assign(QUAKE_REPORTS[0])
    repository.blind = True  # the second invocation looked before the first had written

    second = _grouper(repository).assign(QUAKE_REPORTS[1])

    assert second.story_id == first.story_id
    assert second.articles == 2
    assert not second.new_story
    [yielded] = repository.stories([story_id_for(QUAKE_REPORTS[1].id)])
    assert yielded.merged_into == first.story_id
    third = _grouper(repository).assign(QUAKE_REPORTS[2])
    assert (third.story_id, third.articles) == (first.story_id, 3)


class _Contended(InMemoryStories):
    """A repository where another writer changes the story once between this writer's read and write."""

    def __init__(self) -> None:
        super().__init__()
        self.contend = False

    def update(self, story: Story, *, expected_version: int) -> bool:
        if self.contend:
            self.contend = False
            [current] = self.stories([story.story_id])
            bumped = Story(**{**_fields(current), "articles": current.articles + 1, "version": current.version + 1})
            super().update(bumped, expected_version=current.version)
        return super().update(story, expected_version=expected_version)


def _fields(story: Story) -> dict[str, Any]:
    return {name: getattr(story, name) for name in Story.__dataclass_fields__}


def test_a_join_that_loses_a_race_is_applied_again_on_the_fresh_story() -> None:
    repository = _Contended()
    grouper = _grouper(repository)
    grouper.assign(QUAKE_REPORTS[0])
    repository.contend = True

    ref = grouper.assign(QUAKE_REPORTS[1])

    assert ref.articles == 3  # the other writer's article, then this one
    assert repository.recall(QUAKE_REPORTS[1].id, story_id_for(QUAKE_REPORTS[1].id)) == (ref, None)


def test_stories_expire_after_the_window() -> None:
    repository = InMemoryStories()
    grouper = _grouper(repository, window=timedelta(hours=6))
    grouper.assign(QUAKE_REPORTS[0])
    much_later = QUAKE_REPORTS[1].model_copy(update={"received_at": NOW + timedelta(days=2)})

    ref = grouper.assign(much_later)

    assert ref.new_story


@pytest.mark.parametrize("article", QUAKE_REPORTS, ids=lambda article: article.source)
def test_a_ref_is_a_valid_story_ref(article: Article) -> None:
    ref = _grouper().assign(article)

    assert StoryRef.model_validate(ref.model_dump()) == ref


# --- one event told three ways; another event of the same kind ---------------------------------

SYLHET_REPORTS = [
    _article(
        "Earthquake shakes Sylhet, residents flee buildings",
        "A magnitude 5.9 earthquake struck near Sylhet in northeastern Bangladesh on Thursday afternoon, "
        "sending residents running into the streets.",
        "Wire One",
        published=NOW - timedelta(hours=3),
    ),
    _article(
        "Magnitude 5.9 quake hits near Sylhet, tremors felt in Dhaka",
        "An earthquake of magnitude 5.9 hit the Sylhet region on Thursday, the meteorological department "
        "said, and was felt in the capital.",
        "Daily Courier",
        published=NOW - timedelta(hours=2),
    ),
    _article(
        "Sylhet earthquake: death toll rises to 12 as rescuers search collapsed homes",
        "At least 12 people were killed when homes collapsed in the magnitude 5.9 earthquake near Sylhet, "
        "officials said, and rescuers are searching the rubble.",
        "Evening Post",
        published=NOW - timedelta(hours=1),
    ),
]
MANDALAY = _article(
    "Magnitude 5.6 earthquake strikes near Mandalay in Myanmar",
    "A magnitude 5.6 earthquake struck near Mandalay in central Myanmar on Thursday, damaging pagodas and homes.",
    "Wire One",
    published=NOW - timedelta(hours=1),
)

_SYLLABLES = words_of("ka ro mi ten vas lu bor chen dar el fi gor han jo kel mar nor os pel rud sa tor ul ver wen zo")
_KINDS = [
    "council approves a new budget for the harbour district",
    "police investigate a warehouse burglary",
    "club signs a young striker on a four-year contract",
    "storm floods roads and closes schools",
    "court hears an appeal over the mayor's planning decision",
    "hospital opens a new cancer ward",
]


def _other_news(count: int) -> list[Article]:
    """Invented local news of other kinds, each about its own invented place and person."""
    chooser = random.Random(7)

    def name() -> str:
        return "".join(chooser.choice(_SYLLABLES) for _ in range(chooser.randint(2, 3))).capitalize()

    news = []
    for number in range(count):
        place, person, kind = name(), f"{name()} {name()}", chooser.choice(_KINDS)
        news.append(
            _article(
                f"{place}: {kind.capitalize()}",
                f"In {place}, {person} said the {kind} after weeks of debate. Residents of {place} reacted.",
                f"Outlet {number % 7}",
                published=NOW - timedelta(hours=5),
            )
        )
    return news


@pytest.mark.parametrize("seen_before", [0, 60], ids=["fresh grouper", "after 60 other articles"])
def test_three_reports_of_one_quake_in_other_words_are_one_story_and_another_quake_is_not(seen_before: int) -> None:
    grouper = _grouper()
    for article in _other_news(seen_before):
        grouper.assign(article)

    sylhet = [grouper.assign(article) for article in SYLHET_REPORTS]
    mandalay = grouper.assign(MANDALAY)

    assert len({ref.story_id for ref in sylhet}) == 1
    assert sylhet[-1].articles == 3
    assert mandalay.new_story


# --- a story is compared through its first joiners too ------------------------------------------

WAREHOUSE_FIRE = [
    _article(
        "Fire destroys Kestrel Mills warehouse in Dunmore",
        "A fire destroyed the Kestrel Mills warehouse in Dunmore overnight, and firefighters fought the "
        "blaze for six hours.",
        "Wire One",
        published=NOW - timedelta(hours=4),
    ),
    _article(
        "Dunmore warehouse fire: chief Aldo Brenner suspects faulty wiring",
        "Fire chief Aldo Brenner said faulty wiring may have started the fire that destroyed the Kestrel Mills "
        "warehouse in Dunmore.",
        "Daily Courier",
        published=NOW - timedelta(hours=3),
    ),
    # Like the second report, hardly like the first: found through the second's profile.
    _article(
        "Aldo Brenner orders wiring checks across Dunmore",
        "Chief Aldo Brenner ordered electricians to check the wiring of every old building in Dunmore, "
        "saying faulty wiring put them all at risk.",
        "Evening Post",
        published=NOW - timedelta(hours=2),
    ),
]


def test_an_article_like_a_joiner_of_the_story_joins_it() -> None:
    grouper = _grouper()

    refs = [grouper.place(article) for article in WAREHOUSE_FIRE]

    assert [place.ref.story_id for place in refs] == [refs[0].ref.story_id] * 3
    assert refs[-1].ref.articles == 3


def test_with_the_opening_profile_alone_it_would_have_opened_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "JOINER_PROFILES", 0)
    grouper = _grouper()

    opening, joiner, late = (grouper.place(article) for article in WAREHOUSE_FIRE)

    assert joiner.ref.story_id == opening.ref.story_id
    assert late.ref.new_story
    assert late.similarity is not None
    assert late.similarity < DEFAULT_THRESHOLD


def test_a_story_keeps_its_first_joiners_profiles_with_the_weights_it_knew() -> None:
    repository = InMemoryStories()
    grouper = _grouper(repository)
    refs = [grouper.assign(article) for article in [*WAREHOUSE_FIRE, *QUAKE_REPORTS]]

    [story] = repository.stories([refs[0].story_id])

    assert story.articles == 3
    assert len(story.joiners) == JOINER_PROFILES == 2
    assert story.profiles() == (story.profile, *story.joiners)
    for joiner in story.joiners:
        assert 0 < len(joiner) <= JOINER_TERMS
        assert all(joiner[term] == story.profile[term] for term in joiner.keys() & story.profile.keys())
    # A fourth report changes its count, not its profiles: only the first joiners are kept.
    more = _article(
        "Kestrel Mills fire: Dunmore warehouse owners count losses",
        "The owners of the Kestrel Mills warehouse in Dunmore, destroyed by fire, said Aldo Brenner's "
        "firefighters saved the offices.",
        "Radio Nine",
        published=NOW - timedelta(hours=1),
    )
    assert grouper.assign(more).story_id == story.story_id
    [after] = repository.stories([story.story_id])
    assert (after.articles, after.joiners) == (4, story.joiners)


# --- what the similarity counts against ---------------------------------------------------------


def _weighed(terms: dict[str, float]) -> WeighedTerms:
    return TermRarity().weigh(terms)


def test_a_profile_that_names_another_weekday_counts_less() -> None:
    article = {"senate": 3.5, "budget": 2.0, "vote": 2.0, "~tuesday": 1.5}
    same_day = {"senate": 3.5, "budget": 2.0, "vote": 2.0, "~tuesday": 1.5}
    other_day = {"senate": 3.5, "budget": 2.0, "vote": 2.0, "~monday": 1.5}
    no_day = {"senate": 3.5, "budget": 2.0, "vote": 2.0}
    weighed = _weighed(article)
    plain = _weighed(article)
    plain.weekday = None  # the cosine alone

    assert weighed.story_similarity([other_day]) == pytest.approx(OTHER_WEEKDAY * plain.story_similarity([other_day]))
    assert weighed.story_similarity([same_day]) == pytest.approx(plain.story_similarity([same_day]))
    assert weighed.story_similarity([no_day]) == pytest.approx(plain.story_similarity([no_day]))
    # The best member counts: a story one of whose members names the same day is not lowered.
    assert weighed.story_similarity([other_day, same_day]) == pytest.approx(weighed.story_similarity([same_day]))


def test_a_profile_that_shares_no_name_with_the_article_counts_half() -> None:
    izmir = {"izmir": 3.5, "turkey": 3.5, "6.8": 3.0, "earthquak": 2.0, "magnitud": 2.0}
    valparaiso = {"valparaiso": 3.5, "chile": 3.5, "6.8": 3.0, "earthquak": 2.0, "magnitud": 2.0}
    weighed = _weighed(valparaiso)
    nameless = _weighed(valparaiso)
    nameless.names = frozenset()

    assert weighed.story_similarity([izmir]) == pytest.approx(NO_NAME_IN_COMMON * nameless.story_similarity([izmir]))
    assert weighed.story_similarity([{**izmir, "chile": 2.5}]) > weighed.story_similarity([izmir])


def test_a_fresh_process_does_not_take_what_its_first_articles_share_for_common() -> None:
    rarity = TermRarity()
    for terms in ({"sylhet": 1.0, "dhaka": 1.0}, {"sylhet": 1.0}, {"sylhet": 1.0, "rescuers": 1.0}):
        rarity.add(terms)

    # Seen in all three articles, and yet weighed as a term seen three times in twenty.
    assert rarity.weight("sylhet") == pytest.approx(math.log(21 / 4) + 1)
    assert rarity.weight("sylhet") / rarity.weight("dhaka") > 0.7
