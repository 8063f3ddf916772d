"""Stories on the articles table (``newsalert.classify.stories.StoryRepository``), beside the articles.

Layout (the articles table's ``pk``/``sk``; every item has ``expires_at`` for DynamoDB's time to live):

- ``STORY#<story id>`` / ``STORY``: the story: when it opened, its article count, outlets, first
  and last publication times, its member profiles, the keys it is filed under, a version for
  optimistic locking and, if it yielded to another, ``merged_into``. The member profiles share
  one list of terms, ``profile`` (written ``term weight term weight...``): the opening article's
  strongest terms first (``opening_terms`` of them; all when that is absent, as in stories
  written before joiners were kept), then the terms its first joiners added; ``joiners`` gives
  each joiner's profile as the positions of its terms in that list (``0 1 5 40 41``). Kept under
  1 KB: every write of it is one write unit (the last terms of the list, the joiners' weakest
  first, are dropped if ten long outlet names would push it over).
- ``STORYKEY#<key>`` / ``<opened at>#<story id>``: a story filed under one blocking key, until the
  story would have expired unjoined. A lookup is one Query per key, newest first, at most
  ``FILED_PER_KEY`` items, whatever the number of stories a day.
- ``STORYARTICLE#<article id>`` / ``STORYARTICLE``: the story a joining article was given (its
  ``StoryRef`` as JSON), written before the story is changed and only if absent, so that a
  redelivered or doubly delivered article is counted once. An opening article needs none: the
  story's own item, created only if absent under an id derived from the article's, records it.

Cost per article: a join writes its assignment and the story (2 write units); an opening writes
the story and its ``FILED_KEYS`` filings (5). Reads: one BatchGetItem (assignment and own story),
one Query per blocking key (``LOOKUP_KEYS``, each half a read unit for a few small items), one
BatchGetItem of at most ``CANDIDATES`` stories. docs/stories.md works the figures out.

Time to live deletes items up to a few days late, so every read also checks ``expires_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsalert.classify.stories import FILED_PER_KEY, Story, StoryEntry
from newsalert.models import StoryRef

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

STORY_ITEM_LIMIT = 1000
"""Bytes a story item may take (DynamoDB bills a write per started kilobyte)."""
_BATCH_GET_ATTEMPTS = 5


def _epoch(moment: datetime) -> str:
    return f"{moment.timestamp():.3f}"


def _moment(value: dict[str, Any] | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(float(value["N"]), UTC)


def _ttl(moment: datetime) -> str:
    return str(int(moment.timestamp()) + 1)  # whole seconds, never before the moment itself


def _story_key(story_id: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"STORY#{story_id}"}, "sk": {"S": "STORY"}}


def _assignment_key(article_id: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"STORYARTICLE#{article_id}"}, "sk": {"S": "STORYARTICLE"}}


def _profile_text(terms: list[tuple[str, float]]) -> str:
    return " ".join(f"{term} {weight:g}" for term, weight in terms)


def _profile_of(text: str) -> list[tuple[str, float]]:
    parts = text.split()
    return [(parts[index], float(parts[index + 1])) for index in range(0, len(parts) - 1, 2)]


def _shared_terms(story: Story) -> tuple[list[tuple[str, float]], list[list[int]]]:
    """The story's member profiles as one list of terms (the opening article's first) and, for each
    joiner, the positions of its terms in the list."""
    terms = list(story.profile.items())
    place = {term: index for index, (term, _) in enumerate(terms)}
    joiners = []
    for joiner in story.joiners:
        positions = []
        for term, weight in joiner.items():
            if term not in place:
                place[term] = len(terms)
                terms.append((term, weight))
            positions.append(place[term])
        joiners.append(positions)
    return terms, joiners


def _write_profiles(
    item: dict[str, Any], terms: list[tuple[str, float]], opening: int, joiners: list[list[int]]
) -> None:
    item["profile"] = {"S": _profile_text(terms)}
    if joiners:
        item["opening_terms"] = {"N": str(min(opening, len(terms)))}
        item["joiners"] = {"L": [{"S": " ".join(str(p) for p in positions if p < len(terms))} for positions in joiners]}


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's size of an item (names and values, UTF-8), near enough to keep under a limit."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        if "S" in value:
            size += len(value["S"].encode())
        elif "N" in value:
            size += len(value["N"]) // 2 + 1
        elif "L" in value:
            size += 3 + sum(1 + len(element["S"].encode()) for element in value["L"])
    return size


def story_item(story: Story) -> dict[str, AttributeValueTypeDef]:
    """The story as an item under ``STORY_ITEM_LIMIT`` bytes (the last terms of its profiles dropped if need be)."""
    item: dict[str, Any] = {
        **_story_key(story.story_id),
        "opened_at": {"N": _epoch(story.opened_at)},
        "expires_at": {"N": _ttl(story.expires_at)},
        "expires_exact": {"N": _epoch(story.expires_at)},
        "articles": {"N": str(story.articles)},
        "outlets": {"L": [{"S": outlet} for outlet in story.outlets]},
        "keys": {"L": [{"S": key} for key in story.keys]},
        "version": {"N": str(story.version)},
    }
    if story.first_seen is not None and story.last_seen is not None:
        item["first_seen"] = {"N": _epoch(story.first_seen)}
        item["last_seen"] = {"N": _epoch(story.last_seen)}
    if story.merged_into is not None:
        item["merged_into"] = {"S": story.merged_into}
    terms, joiners = _shared_terms(story)
    opening = len(story.profile)
    _write_profiles(item, terms, opening, joiners)
    while item_size(item) > STORY_ITEM_LIMIT and terms:
        terms = terms[: max(0, len(terms) - 4)]
        _write_profiles(item, terms, opening, joiners)
    return item


def story_from(item: dict[str, Any]) -> Story:
    expires = _moment(item["expires_exact"])
    assert expires is not None
    opened = _moment(item["opened_at"])
    assert opened is not None
    terms = _profile_of(item["profile"]["S"])
    opening = int(item["opening_terms"]["N"]) if "opening_terms" in item else len(terms)
    return Story(
        story_id=item["pk"]["S"].removeprefix("STORY#"),
        opened_at=opened,
        expires_at=expires,
        articles=int(item["articles"]["N"]),
        outlets=tuple(element["S"] for element in item["outlets"]["L"]),
        first_seen=_moment(item.get("first_seen")),
        last_seen=_moment(item.get("last_seen")),
        profile=dict(terms[:opening]),
        joiners=tuple(
            {terms[int(p)][0]: terms[int(p)][1] for p in positions["S"].split() if int(p) < len(terms)}
            for positions in item.get("joiners", {}).get("L", [])
        ),
        keys=tuple(element["S"] for element in item["keys"]["L"]),
        version=int(item["version"]["N"]),
        merged_into=item.get("merged_into", {}).get("S"),
    )


class StoriesTable:
    """Stories on the articles table. Receives its client; never creates one."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    # --- assignments ------------------------------------------------------------------------

    def recall(self, article_id: str, opened_story_id: str) -> tuple[StoryRef | None, Story | None]:
        found = self._batch_get([_assignment_key(article_id), _story_key(opened_story_id)], consistent=False)
        recorded = opened = None
        for item in found:
            if item["pk"]["S"].startswith("STORYARTICLE#"):
                recorded = StoryRef.model_validate_json(item["ref"]["S"])
            else:
                opened = story_from(item)
        return recorded, opened

    def record_assignment(self, article_id: str, ref: StoryRef, *, expires_at: datetime) -> StoryRef:
        try:
            self._dynamodb.put_item(
                TableName=self._table,
                Item=self._assignment_item(article_id, ref, expires_at),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            kept = self._dynamodb.get_item(
                TableName=self._table, Key=_assignment_key(article_id), ConsistentRead=True
            ).get("Item")
            if kept is not None:
                return StoryRef.model_validate_json(kept["ref"]["S"])
        return ref

    def replace_assignment(self, article_id: str, ref: StoryRef, *, expires_at: datetime) -> None:
        self._dynamodb.put_item(TableName=self._table, Item=self._assignment_item(article_id, ref, expires_at))

    def _assignment_item(
        self, article_id: str, ref: StoryRef, expires_at: datetime
    ) -> dict[str, AttributeValueTypeDef]:
        return {
            **_assignment_key(article_id),
            "ref": {"S": ref.model_dump_json()},
            "expires_at": {"N": _ttl(expires_at)},
        }

    # --- finding stories --------------------------------------------------------------------

    def filed_under(self, keys: Sequence[str], *, now: datetime) -> list[StoryEntry]:
        entries: list[StoryEntry] = []
        for key in keys:
            page = self._dynamodb.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk",
                FilterExpression="expires_at > :now",
                ExpressionAttributeValues={":pk": {"S": f"STORYKEY#{key}"}, ":now": {"N": str(int(now.timestamp()))}},
                ProjectionExpression="story_id",
                ScanIndexForward=False,  # newest first: the sort key starts with the opening time
                Limit=FILED_PER_KEY,
            )
            entries.extend(StoryEntry(item["story_id"]["S"], key) for item in page.get("Items", []))
        return entries

    def stories(self, story_ids: Sequence[str]) -> list[Story]:
        if not story_ids:
            return []
        unique = list(dict.fromkeys(story_ids))
        # Strongly consistent: a story is updated only at the version read, so read the latest.
        return [story_from(item) for item in self._batch_get([_story_key(s) for s in unique], consistent=True)]

    def _batch_get(self, keys: list[dict[str, AttributeValueTypeDef]], *, consistent: bool) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": consistent}}
        for _ in range(_BATCH_GET_ATTEMPTS):
            answer = self._dynamodb.batch_get_item(RequestItems=request)
            found.extend(answer.get("Responses", {}).get(self._table, []))
            request = dict(answer.get("UnprocessedKeys") or {})
            if not request:
                return found
        raise RuntimeError(f"{self._table}: keys still unprocessed after {_BATCH_GET_ATTEMPTS} batch reads")

    # --- writing stories --------------------------------------------------------------------

    def open(self, story: Story) -> bool:
        try:
            self._dynamodb.put_item(
                TableName=self._table, Item=story_item(story), ConditionExpression="attribute_not_exists(pk)"
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        # Filed after the story exists, so that a lookup never finds a filing without its story.
        # (If this invocation ends in between, the story stays unfindable: its articles are alone.)
        filings: list[Any] = [
            {
                "PutRequest": {
                    "Item": {
                        "pk": {"S": f"STORYKEY#{key}"},
                        "sk": {"S": f"{story.opened_at.timestamp():017.3f}#{story.story_id}"},
                        "story_id": {"S": story.story_id},
                        "expires_at": {"N": _ttl(story.expires_at)},
                    }
                }
            }
            for key in dict.fromkeys(story.keys)
        ]
        pending: dict[str, Any] = {self._table: filings}
        for _ in range(_BATCH_GET_ATTEMPTS):
            if not filings:
                break
            answer = self._dynamodb.batch_write_item(RequestItems=pending)
            pending = dict(answer.get("UnprocessedItems") or {})
            if not pending:
                break
        return True

    def update(self, story: Story, *, expected_version: int) -> bool:
        try:
            self._dynamodb.put_item(
                TableName=self._table,
                Item=story_item(story),
                ConditionExpression="version = :expected",
                ExpressionAttributeValues={":expected": {"N": str(expected_version)}},
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
