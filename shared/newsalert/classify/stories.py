"""Articles about one event, from any outlet, grouped into one story: streaming, in one pass.

Three outlets reporting one earthquake in three wordings make one story; two earthquakes of
the same size in one country make two. Near-duplicate hashing only finds copied text, so an
article is compared with the stories open around its time on what identifies an event: the
names in it (people, places, organisations, from the entity catalog and from capitalised
words), its figures, the day of the week it names, and the content words of its headline and lead.

For each article, once:

1. **Already assigned?** SQS delivers at least once: an article seen before gets back the
   ``StoryRef`` it got then, and no count changes.
2. **Features** (``newsalert.classify.story_features``): weighted terms of the headline and the
   lead (the summary, or the start of the body). A catalog entity counts as one term whatever
   name the article calls it by (``@united-states`` for "U.S.", "America", "Americans"); a
   capitalised word that is not a common word counts as a name; figures count whole ("5.9");
   words count by their stem ("killed" is "kill", "quake" is "earthquake"); common words do not.
3. **Blocking keys**: the article's strongest terms. A story is filed under its opening
   article's keys; an article looks up the stories filed under any of its own. A lookup costs
   the same however many stories there are (a handful of key reads), and so does the rest.
4. **Similarity**: among the few candidates that share the most keys, and within the time
   window (when both times are known), the cosine between the article's terms and each of the
   story's **member profiles**: the terms of the article that opened it and of its first
   ``JOINER_PROFILES`` joiners, each term weighted by how rare it is in the recent stream
   (``TermRarity``: a name in every article of the week says little, a rare one a lot). The
   story's similarity is the best of its members': an event told from several sides is found
   from any of them, and no summed profile drifts into the next event of the same kind. A member
   that names another day of the week than the article counts ``OTHER_WEEKDAY`` times less.
5. **Join or open**: the best story at or above the threshold is joined, else the article opens
   a story whose id derives from its own id (``story-`` and 24 hex), so that reprocessing it
   gives the same id.

Where the state lives is a port, ``StoryRepository``: ``InMemoryStories`` here (the CLI, the
tests), ``newsalert.aws.stories_table.StoriesTable`` on the articles table in DynamoDB.

Two classify invocations may open a story each for the first two articles of one event at the
same moment: each looked before the other wrote. After opening, the grouper looks again; when
a matching story was opened before its own (by the repository's clock, then by id), its story
yields: it is marked merged into the older one, and the article joins that. (When both look
again before either write is visible, both keep their story: two stories, at worst two alerts.)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from newsalert.classify.entities import EntityCatalog
from newsalert.classify.query.document import Mention
from newsalert.classify.story_features import WEEKDAY_PREFIX, WEEKDAYS, ArticleFeatures, FeatureReader, names_in
from newsalert.classify.words import TextIndex
from newsalert.flags import FLAG_PUBLISHED_MISSING
from newsalert.models import Article, StoryRef

STORY_ID_PREFIX = "story-"
DEFAULT_WINDOW = timedelta(days=2)
"""How far apart in time an article and a story may be (both times known): a story that goes on
longer than this, with its articles always within it of each other, stays one story."""
DEFAULT_THRESHOLD = 0.24
"""The least similarity at which an article joins a story (tuned on half A of the dev set; docs/stories.md)."""
MAX_OUTLETS = 10
MAX_OUTLET_LENGTH = 40
"""Characters kept of an outlet's name (a story's item must stay small)."""
FILED_KEYS = 4
"""Blocking keys a story is filed under when it opens (each one write)."""
CANDIDATES = 5
"""Stories whose profiles are compared with the article: those that share the most keys with it."""
PROFILE_TERMS = 40
"""Terms of the opening article's profile, strongest first (it must fit in a small item)."""
JOINER_PROFILES = 2
"""Joiners whose profiles a story keeps beside its opening article's, compared alike: the first
ones. A profile that summed its joiners drifted (one event's story swallowed the next event of the
same kind); a few members compared one by one find an event told from another side without
drifting (measured in docs/stories.md)."""
JOINER_TERMS = 20
"""Terms of a joiner's profile, strongest first."""
OTHER_WEEKDAY = 0.8
"""What a member's similarity is multiplied by when it names another day of the week than the
article ("on Monday" against "on Tuesday"): two events of one kind a day apart, with no time to
tell them apart, are more often two stories."""
NO_NAME_IN_COMMON = 0.5
"""What a member's similarity is multiplied by when both it and the article name someone or
somewhere, and not one name is the same: two earthquakes of one size, one near Izmir and one off
Valparaiso, share their figure and their words, not their places."""


def story_id_for(article_id: str) -> str:
    """The id of the story an article opens: derived from the article's id, so reprocessing is idempotent."""
    return STORY_ID_PREFIX + hashlib.sha256(f"story:{article_id}".encode()).hexdigest()[:24]


def article_time(article: Article) -> datetime | None:
    """When the article was published, or None when ingest could not tell (then it was stamped on arrival)."""
    return None if FLAG_PUBLISHED_MISSING in article.flags else article.published


# ---------------------------------------------------------------------------------------------
# How rare a term is
# ---------------------------------------------------------------------------------------------


class TermRarity:
    """How many recent articles had each term: a streaming document frequency, for inverse weights.

    A word's weight should fall with how common it is *in the news now*: in a week of Afghanistan
    news "Afghanistan" and "Biden" are in every other article and tell one story from another no
    better than "said". No fixed list knows that, so the grouper counts, as articles pass, in how
    many of them each term stood. The counts are halved when the table grows past
    ``MAX_TERMS`` (older articles weigh less, and memory stays bounded). Each process keeps its
    own: a fresh Lambda container starts with nearly plain weights and learns within a few hundred
    articles; the assignments themselves stay exact and idempotent whatever it has learnt.
    """

    MAX_TERMS = 200_000
    LEARNING_ARTICLES = 20
    """A term's rarity is reckoned over at least this many articles: in a fresh process, counts from
    the first three articles would make what they share (the event they all report) look common."""

    def __init__(self) -> None:
        self._articles = 0
        self._counts: dict[str, int] = {}
        self._logs: dict[str, float] = {}
        """``log(count + 1)`` of every counted term: what its weight is less by (kept as counts change)."""

    def add(self, terms: Iterable[str]) -> None:
        counts, logs = self._counts, self._logs
        known = len(_LOGS)
        for term in terms:
            count = counts.get(term, 0) + 1
            counts[term] = count
            logs[term] = _LOGS[count] if count < known else math.log(count + 1)
        self._articles += 1
        if len(counts) > self.MAX_TERMS:
            self._counts = {term: count // 2 for term, count in counts.items() if count > 1}
            self._logs = {term: math.log(count + 1) for term, count in self._counts.items()}
            self._articles //= 2

    def weight(self, term: str) -> float:
        """The inverse document frequency of ``term`` (smoothed, at least 1)."""
        articles = max(self._articles, self.LEARNING_ARTICLES)
        return math.log((articles + 1) / (self._counts.get(term, 0) + 1)) + 1.0

    def weigh(self, terms: Mapping[str, float]) -> WeighedTerms:
        """An article's terms weighed by their rarity, ready to be compared with several profiles."""
        articles = max(self._articles, self.LEARNING_ARTICLES)
        weighed = WeighedTerms(self._logs, math.log(articles + 1) + 1.0, {}, 0.0)
        weighed.terms = {term: value * weighed.rarity(term) for term, value in terms.items()}
        weighed.norm = math.sqrt(sum(value * value for value in weighed.terms.values()))
        weighed.weekday = weekday_of(terms)
        weighed.names = names_in(terms)
        return weighed


_LOGS = [math.log(count + 1) for count in range(4096)]
"""``log(count + 1)`` of the counts most terms have."""


@dataclass(slots=True)
class WeighedTerms:
    """An article's terms times their rarity, as ``TermRarity`` knew it when the article came."""

    logs: Mapping[str, float]
    """``log(count + 1)`` of each term counted (``TermRarity``)."""
    base: float
    """``log(articles + 1) + 1``: a term's rarity is this less ``log(its count + 1)``."""
    terms: dict[str, float]
    norm: float
    weekday: str | None = None
    """The article's ``~weekday`` term, if it names a day."""
    names: frozenset[str] = frozenset()
    """The article's names and entities (``names_in``)."""

    def rarity(self, term: str) -> float:
        return self.base - self.logs.get(term, 0.0)

    def similarity(self, profile: Mapping[str, float]) -> float:
        """Cosine of the article's weighed terms and a profile weighed alike, in [0, 1]."""
        return self.story_similarity((profile,))

    def story_similarity(self, profiles: Sequence[Mapping[str, float]]) -> float:
        """The best of the cosines with each of a story's member profiles, a member that names another
        weekday than the article counting ``OTHER_WEEKDAY`` times less."""
        terms, base, logs = self.terms, self.base, self.logs.get
        best = 0.0
        for profile in profiles:
            dot = 0.0
            profile_norm = 0.0
            for term, value in profile.items():
                weighed = value * (base - logs(term, 0.0))
                profile_norm += weighed * weighed
                mine = terms.get(term)
                if mine is not None:
                    dot += mine * weighed
            if not dot:
                continue
            similarity = dot / (self.norm * math.sqrt(profile_norm))
            if similarity <= best:
                continue  # what follows can only lower it
            if self.weekday is not None and self.weekday not in profile and not _WEEKDAY_SET.isdisjoint(profile):
                similarity *= OTHER_WEEKDAY
            if self.names and self.names.isdisjoint(profile) and names_in(profile):
                similarity *= NO_NAME_IN_COMMON
            best = max(best, similarity)
        return best


_WEEKDAY_TERMS = tuple(WEEKDAY_PREFIX + day for day in WEEKDAYS)
_WEEKDAY_SET = frozenset(_WEEKDAY_TERMS)


def weekday_of(terms: Mapping[str, float]) -> str | None:
    """The ``~weekday`` term of these terms, if they have one."""
    return next((day for day in _WEEKDAY_TERMS if day in terms), None)


# ---------------------------------------------------------------------------------------------
# Stories and where they live
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    """A story as the repository keeps it: small (its DynamoDB item stays under 1 KB)."""

    story_id: str
    opened_at: datetime
    """When the story was opened, by the grouper's clock (the arrival time): orders two stories opened at once."""
    expires_at: datetime
    """When the story may be forgotten: no article can join it after that."""
    articles: int
    outlets: tuple[str, ...]
    """Distinct sources in the order they joined, at most ``MAX_OUTLETS``."""
    first_seen: datetime | None
    """Earliest publication time among its articles that had one."""
    last_seen: datetime | None
    profile: Mapping[str, float]
    """The opening article's strongest ``PROFILE_TERMS`` terms and their weights."""
    keys: tuple[str, ...]
    """The blocking keys it is filed under."""
    version: int = 0
    """Bumped on every change: a story is replaced only at the version it was read at (optimistic locking)."""
    merged_into: str | None = None
    """Set when it yielded to a story opened just before it for the same event."""
    joiners: tuple[Mapping[str, float], ...] = ()
    """The profiles of its first ``JOINER_PROFILES`` joiners, compared like the opening article's. A
    term the story already knew keeps the weight it had there (the members share their weights)."""

    def profiles(self) -> tuple[Mapping[str, float], ...]:
        """The member profiles compared with an article: the opening article's, then its first joiners'."""
        return (self.profile, *self.joiners)

    def ref(self, *, new_story: bool) -> StoryRef:
        return StoryRef(story_id=self.story_id, new_story=new_story, articles=self.articles, outlets=self.outlets)


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """What a blocking key's lookup gives: a story filed under the key."""

    story_id: str
    key: str


class StoryRepository(Protocol):
    """Where stories, their blocking keys and each article's assignment are kept."""

    def recall(self, article_id: str, opened_story_id: str) -> tuple[StoryRef | None, Story | None]:
        """What a first attempt at an article left: the assignment recorded for it (a join), and the
        story it would have opened (``opened_story_id``), each None when there is none. (One read.)"""
        ...

    def record_assignment(self, article_id: str, ref: StoryRef, *, expires_at: datetime) -> StoryRef:
        """Keep the assignment of an article that joins a story, unless one is kept already; returns the one kept."""
        ...

    def replace_assignment(self, article_id: str, ref: StoryRef, *, expires_at: datetime) -> None:
        """Keep an assignment whatever was kept (the story changed under the join, or the article's
        own story yielded to another)."""
        ...

    def filed_under(self, keys: Sequence[str], *, now: datetime) -> list[StoryEntry]:
        """The stories filed under each of ``keys`` whose filing has not expired by ``now``: at most
        ``FILED_PER_KEY`` per key, the most recently opened. A story's filings expire when the
        story would have expired had no article joined it: a story can be found for a window after
        it opened, and an event that goes on longer opens a new story."""
        ...

    def stories(self, story_ids: Sequence[str]) -> list[Story]:
        """The stories with these ids that exist, in any order."""
        ...

    def open(self, story: Story) -> bool:
        """Create ``story`` and file it under its keys until its ``expires_at``; False, changing
        nothing, when it exists already (this is what records an opening article's assignment)."""
        ...

    def update(self, story: Story, *, expected_version: int) -> bool:
        """Replace the story with ``story`` if it is still at ``expected_version``; False otherwise."""
        ...


FILED_PER_KEY = 25
"""Most recent stories a key lookup returns: bounds a lookup's cost when a key is in every story."""


def expiry(story_time: datetime | None, now: datetime, window: timedelta) -> datetime:
    """A story is kept for a window after the later of its last article's publication and now."""
    return max(story_time or now, now) + window


class InMemoryStories:
    """``StoryRepository`` in memory, for the command line and the tests: one process's, never shared."""

    def __init__(self) -> None:
        self._stories: dict[str, Story] = {}
        self._filed: dict[str, list[tuple[str, datetime]]] = {}
        self._assignments: dict[str, StoryRef] = {}

    def recall(self, article_id: str, opened_story_id: str) -> tuple[StoryRef | None, Story | None]:
        return self._assignments.get(article_id), self._stories.get(opened_story_id)

    def record_assignment(self, article_id: str, ref: StoryRef, *, expires_at: datetime) -> StoryRef:
        return self._assignments.setdefault(article_id, ref)

    def replace_assignment(self, article_id: str, ref: StoryRef, *, expires_at: datetime) -> None:
        self._assignments[article_id] = ref

    def filed_under(self, keys: Sequence[str], *, now: datetime) -> list[StoryEntry]:
        found: list[StoryEntry] = []
        for key in keys:
            filed = self._filed.get(key)
            if not filed:
                continue
            live = [(story_id, until) for story_id, until in filed if until > now]
            if len(live) != len(filed):
                self._filed[key] = live  # forgotten, as DynamoDB's time to live forgets them
            found.extend(StoryEntry(story_id, key) for story_id, _ in reversed(live[-FILED_PER_KEY:]))
        return found

    def stories(self, story_ids: Sequence[str]) -> list[Story]:
        return [self._stories[story_id] for story_id in story_ids if story_id in self._stories]

    def open(self, story: Story) -> bool:
        if story.story_id in self._stories:
            return False
        self._stories[story.story_id] = story
        for key in story.keys:
            self._filed.setdefault(key, []).append((story.story_id, story.expires_at))
        return True

    def update(self, story: Story, *, expected_version: int) -> bool:
        current = self._stories.get(story.story_id)
        if current is None or current.version != expected_version:
            return False
        self._stories[story.story_id] = story
        return True

    @property
    def story_count(self) -> int:
        """Stories held, expired ones included until a lookup forgets them."""
        return len(self._stories)


# ---------------------------------------------------------------------------------------------
# The grouper
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """What ``StoryGrouper.place`` decided, with what helps tuning."""

    ref: StoryRef
    similarity: float | None
    """The joined story's similarity or, when the article opened a story, the best candidate's (None: none)."""
    candidates: int
    """Stories it was compared with."""
    redelivered: bool = False
    """The article had been assigned before: this is that assignment, and nothing changed."""


ASSIGNMENT_RETENTION = timedelta(days=30)
"""How long an article's assignment is kept: as long as its article item (redeliveries come within days)."""
UPDATE_ATTEMPTS = 8


class StoryGrouper:
    """Assigns each article to a story, opening one when none is similar enough. See the module's doc."""

    def __init__(
        self,
        stories: StoryRepository,
        entities: EntityCatalog,
        *,
        window: timedelta = DEFAULT_WINDOW,
        threshold: float = DEFAULT_THRESHOLD,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """``clock`` gives the time a story is opened at (it orders two stories opened at once); by
        default the opening article's arrival time."""
        self._stories = stories
        self._reader = FeatureReader(entities)
        self._rarity = TermRarity()
        self._window = window
        self._threshold = threshold
        self._clock = clock

    def assign(
        self,
        article: Article,
        *,
        index: TextIndex | None = None,
        mentions: Mapping[str, Sequence[Mention]] | None = None,
    ) -> StoryRef:
        """The story ``article`` joins or opens. The same article again gets the same ref and changes nothing.

        ``index`` and ``mentions`` are what classify found (a ``TextIndex`` of the article and its
        entity mentions from the same catalog), to save reading the article twice; without them
        the grouper reads the headline and lead itself.
        """
        return self.place(article, index=index, mentions=mentions).ref

    def place(
        self,
        article: Article,
        *,
        index: TextIndex | None = None,
        mentions: Mapping[str, Sequence[Mention]] | None = None,
    ) -> Assignment:
        """``assign``, with the similarity and the number of candidates behind the decision."""
        recorded, opened = self._stories.recall(article.id, story_id_for(article.id))
        if recorded is not None:
            return Assignment(recorded, None, 0, redelivered=True)
        if opened is not None and opened.merged_into is None:
            # It opened this story: an opening article's ref is always the story at its first article.
            return Assignment(_opening_ref(opened), None, 0, redelivered=True)
        features = self._reader.read(article, index=index, mentions=mentions)
        self._rarity.add(features.terms)
        reading = _Reading(article, features, self._rarity.weigh(features.terms))
        candidates = self._candidates(reading)
        best, similarity = self._best(reading, candidates)
        ref = self._join(best, reading) if best is not None and similarity >= self._threshold else self._open(reading)
        return Assignment(ref, similarity if best is not None else None, len(candidates))

    # --- candidates and the choice ---------------------------------------------------------

    def _candidates(self, reading: _Reading) -> list[Story]:
        features, article = reading.features, reading.article
        entries = self._stories.filed_under(features.keys, now=article.received_at)
        if not entries:
            return []
        # The stories that share the most, and the strongest, keys with the article are compared.
        shared: dict[str, float] = {}
        for entry in entries:
            shared[entry.story_id] = shared.get(entry.story_id, 0.0) + features.terms.get(entry.key, 0.0)
        ranked = sorted(shared, key=lambda story_id: (-shared[story_id], story_id))[:CANDIDATES]
        found = self._follow_merges(self._stories.stories(ranked))
        return [story for story in found if story.expires_at > article.received_at]

    def _follow_merges(self, stories: list[Story]) -> list[Story]:
        """The stories, each that yielded to another replaced by that one."""
        kept = {story.story_id: story for story in stories if not story.merged_into}
        merged = [story.merged_into for story in stories if story.merged_into and story.merged_into not in kept]
        if merged:
            kept.update((story.story_id, story) for story in self._stories.stories(merged) if not story.merged_into)
        return sorted(kept.values(), key=lambda story: story.story_id)

    def _best(self, reading: _Reading, candidates: list[Story]) -> tuple[Story | None, float]:
        published = article_time(reading.article)
        best: Story | None = None
        best_similarity = 0.0
        for story in candidates:
            if published is not None and not self._in_window(published, story):
                continue
            similarity = reading.weighed.story_similarity(story.profiles())
            if best is None or similarity > best_similarity:
                best, best_similarity = story, similarity
        return best, best_similarity

    def _in_window(self, published: datetime, story: Story) -> bool:
        if story.first_seen is None or story.last_seen is None:
            return True  # none of its articles told when it was published
        return story.first_seen - self._window <= published <= story.last_seen + self._window

    # --- writing: the assignment first, so that a retry never counts an article twice ------

    def _join(self, story: Story, reading: _Reading) -> StoryRef:
        article = reading.article
        planned = self._joined(story, reading)
        ref = planned.ref(new_story=False)
        kept = self._record(article, ref)
        if kept != ref:
            return kept  # the same article, delivered twice at once: the other delivery counts it
        stored = self._update(story, planned, lambda current: self._joined(current, reading))
        if stored is not planned:
            ref = stored.ref(new_story=False)
            self._stories.replace_assignment(article.id, ref, expires_at=self._kept_until(article))
        return ref

    def _joined(self, story: Story, reading: _Reading) -> Story:
        article = reading.article
        published = article_time(article)
        articles = story.articles + 1
        outlets = story.outlets
        outlet = outlet_name(article.source)
        if outlet not in outlets and len(outlets) < MAX_OUTLETS:
            outlets = (*outlets, outlet)
        first, last = story.first_seen, story.last_seen
        if published is not None:
            first = published if first is None else min(first, published)
            last = published if last is None else max(last, published)
        joiners = story.joiners
        if len(joiners) < JOINER_PROFILES:
            joiners = (*joiners, _joiner_profile(story, reading.features.terms))
        return replace(
            story,
            articles=articles,
            outlets=outlets,
            first_seen=first,
            last_seen=last,
            joiners=joiners,
            expires_at=max(story.expires_at, expiry(last, article.received_at, self._window)),
            version=story.version + 1,
        )

    def _open(self, reading: _Reading) -> StoryRef:
        article, features = reading.article, reading.features
        published = article_time(article)
        opened_at = self._clock() if self._clock is not None else article.received_at
        story = Story(
            story_id=story_id_for(article.id),
            # Kept to the millisecond, as the table keeps it: the story read back must compare equal.
            opened_at=opened_at.replace(microsecond=opened_at.microsecond // 1000 * 1000),
            expires_at=expiry(published, article.received_at, self._window),
            articles=1,
            outlets=(outlet_name(article.source),),
            first_seen=published,
            last_seen=published,
            profile=_top(features.terms, PROFILE_TERMS),
            keys=features.keys[:FILED_KEYS],
        )
        # The story itself records the opening: its id is the article's, and it is created only once.
        if not self._stories.open(story):
            [existing] = self._stories.stories([story.story_id])
            if existing.merged_into is None:
                return _opening_ref(existing)  # the same article, delivered twice at once
            # An attempt that died while yielding: finish joining the story it yielded to.
            targets = self._follow_merges([existing])
            return self._yield_to(existing, targets[0], reading) if targets else _opening_ref(existing)
        older = self._opened_just_before(story, reading)
        if older is None:
            return story.ref(new_story=True)
        # Another invocation opened a story for the same event first: this one yields to it.
        return self._yield_to(story, older, reading)

    def _yield_to(self, story: Story, older: Story, reading: _Reading) -> StoryRef:
        article = reading.article
        if story.merged_into is None:
            yielded = replace(story, merged_into=older.story_id, version=story.version + 1)
            self._update(story, yielded, lambda current: replace(current, merged_into=older.story_id))
        stored = self._update(older, self._joined(older, reading), lambda current: self._joined(current, reading))
        ref = stored.ref(new_story=False)
        self._stories.replace_assignment(article.id, ref, expires_at=self._kept_until(article))
        return ref

    def _opened_just_before(self, story: Story, reading: _Reading) -> Story | None:
        """A matching story opened before ``story`` that the first look did not see (opened at the same moment)."""
        rivals = [
            candidate
            for candidate in self._candidates(reading)
            if candidate.story_id != story.story_id
            and (candidate.opened_at, candidate.story_id) < (story.opened_at, story.story_id)
        ]
        best, similarity = self._best(reading, rivals)
        return best if best is not None and similarity >= self._threshold else None

    def _update(self, story: Story, planned: Story, change: Callable[[Story], Story]) -> Story:
        """Store ``planned`` (``story`` changed); when another writer got there first, ``change`` the
        story as it now stands and try again. Returns what was stored."""
        current, changed = story, planned
        for _ in range(UPDATE_ATTEMPTS):
            if self._stories.update(changed, expected_version=current.version):
                return changed
            [current] = self._stories.stories([story.story_id])
            changed = replace(change(current), version=current.version + 1)
        raise RuntimeError(f"story {story.story_id} kept changing: {UPDATE_ATTEMPTS} attempts to update it failed")

    def _kept_until(self, article: Article) -> datetime:
        return article.received_at + ASSIGNMENT_RETENTION

    def _record(self, article: Article, ref: StoryRef) -> StoryRef:
        return self._stories.record_assignment(article.id, ref, expires_at=self._kept_until(article))


@dataclass(frozen=True, slots=True)
class _Reading:
    """An article as the grouper read it: its features, and its terms weighed by their rarity."""

    article: Article
    features: ArticleFeatures
    weighed: WeighedTerms


def _joiner_profile(story: Story, terms: Mapping[str, float]) -> dict[str, float]:
    """A joiner's strongest terms, each the story knew already at the weight it had (members share weights)."""
    known: dict[str, float] = {}
    for profile in reversed(story.profiles()):
        known.update(profile)
    return {term: known.get(term, weight) for term, weight in _top(terms, JOINER_TERMS).items()}


def outlet_name(source: str) -> str:
    return source[:MAX_OUTLET_LENGTH]


def _opening_ref(story: Story) -> StoryRef:
    return StoryRef(story_id=story.story_id, new_story=True, articles=1, outlets=story.outlets[:1])


def _top(terms: Mapping[str, float], count: int) -> dict[str, float]:
    ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))[:count]
    return {term: round(weight, 2) for term, weight in ranked}
