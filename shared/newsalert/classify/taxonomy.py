"""The topic taxonomy: what classify looks for, read from YAML and checked on load.

A taxonomy is a tree of topics. Top-level topics are broad *categories*
(politics, sport...); *watch* topics hang below them and name the narrow
subjects people asked to be alerted about (the SCO, China-Russia ties...).
Each topic says how to recognise it (its ``query``, in the language of
docs/topic-queries.md), how strong the evidence must be to count
(``threshold``) and whether a match may make an article breaking news
(``alert``).

Queries name entities (``@china``) from an entity catalog, by default the
bundled ``data/entities.yaml``, which loads with the taxonomy. Every query is
parsed and compiled once, here, when the taxonomy loads (at cold start), never
per article: a query with a syntax error or an unknown entity refuses the whole
file, with the topic, the problem and its place in the query. The bundled
taxonomy's queries were parsed when the package was built (``make data``): their
trees are read from ``data/taxonomy.queries.json`` instead.

An operator's taxonomy in the ingest bucket replaces the bundled one at classify's
cold start when it loads (``load_classify_taxonomy``), and is reported when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from newsalert.bundled_data import parsed_queries, read_bundled
from newsalert.classify.entities import EntityCatalog, load_entities
from newsalert.classify.query import CompiledQuery, EntityRef, PatternSet, Query, Term, parse_query
from newsalert.classify.query.trees import query_of
from newsalert.classify.urgency import UrgencyPolicy
from newsalert.models import TopicId, Urgency
from newsalert.ports import ObjectReader
from newsalert.yaml_files import Location, describe_problems, located_entry, read_versioned_yaml, unique_by_id

SUPPORTED_VERSION = 1


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be read or does not make sense."""


def _entities_in(context: object) -> EntityCatalog | None:
    """The entity catalog a taxonomy is validated against (``parse_taxonomy`` passes it as context)."""
    catalog = context.get("entities") if isinstance(context, dict) else None
    return catalog if isinstance(catalog, EntityCatalog) else None


def _parse_topic_query(value: object, info: ValidationInfo) -> Query:
    if isinstance(value, Query):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the query must be a non-empty string")
    catalog = _entities_in(info.context)
    return parse_query(value, known_entities=catalog.ids if catalog else None)


TopicQuery = Annotated[Query, PlainValidator(_parse_topic_query), PlainSerializer(str, return_type=str)]
"""A query string in YAML, parsed on load (``str(query)`` gives the text back)."""


class _Spec(BaseModel):
    # Unknown keys are refused so that a typo ("querry:") fails on load instead of silently matching nothing.
    model_config = ConfigDict(frozen=True, extra="forbid")


class AlertPolicy(_Spec):
    """Whether a match of this topic can make an article breaking news, from which score, and how loudly."""

    breaking: bool = False
    min_score: float = Field(default=1.0, ge=0.0, le=1.0)
    min_urgency: Urgency = Urgency.ROUTINE
    """The least urgency an alert of this topic gets (a desk's own watch topic may start at urgent)."""
    max_urgency: Urgency = Urgency.FLASH
    """The most urgency an alert of this topic may get (sport is never a flash)."""
    max_per_hour: int = Field(default=12, ge=1)
    """Routine alerts of this topic in one hour beyond which the rest wait for the hourly digest."""

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Self:
        if self.min_urgency.rank > self.max_urgency.rank:
            raise ValueError(f"min_urgency {self.min_urgency.value} is above max_urgency {self.max_urgency.value}")
        return self


class Topic(_Spec):
    """One node of the taxonomy: a broad category or a narrow watch topic under one."""

    id: TopicId
    label: str = Field(min_length=1)
    parent: TopicId | None = None
    kind: Literal["category", "watch"]
    iptc: str | None = Field(default=None, pattern=r"^medtop:\d{8}$")
    """The IPTC Media Topic code, where one fits."""
    description: str = ""
    query: TopicQuery
    threshold: float = Field(ge=0.0, le=1.0)
    """Least score at which the topic counts as matched."""
    alert: AlertPolicy = AlertPolicy()


class Taxonomy(_Spec):
    """The whole taxonomy, checked as a tree, with its entities and every query compiled."""

    version: Literal[1] = 1
    urgency: UrgencyPolicy = UrgencyPolicy()
    """How urgent a breaking article is (``newsalert.classify.urgency``)."""
    topics: tuple[Topic, ...]

    _by_id: dict[str, Topic] = PrivateAttr(default_factory=dict)
    _entities: EntityCatalog | None = PrivateAttr(default=None)
    _compiled: dict[str, CompiledQuery] = PrivateAttr(default_factory=dict)
    _matchers: tuple[tuple[Topic, CompiledQuery], ...] = PrivateAttr(default=())
    _patterns: PatternSet = PrivateAttr(default_factory=lambda: PatternSet.of(()))

    @model_validator(mode="after")
    def _check_tree_and_compile(self, info: ValidationInfo) -> Self:
        # Checked here rather than with min_length, which would also complain when topics merely failed to parse.
        if not self.topics:
            raise ValueError("the taxonomy has no topics")
        by_id = unique_by_id(self.topics, "topic")
        entities = _entities_in(info.context) or load_entities()
        for topic in self.topics:
            _check_topic_in_tree(topic, by_id)
            _check_entities_known(topic, entities)
        self._by_id = by_id
        self._entities = entities
        self._compiled = {topic.id: CompiledQuery(topic.query) for topic in self.topics}
        self._matchers = tuple((topic, self._compiled[topic.id]) for topic in self.topics)
        query_patterns = (
            leaf.pattern for topic in self.topics for leaf in topic.query.leaves() if isinstance(leaf, Term)
        )
        self._patterns = PatternSet.of((*query_patterns, *entities.patterns))
        return self

    def topic(self, topic_id: str) -> Topic:
        try:
            return self._by_id[topic_id]
        except KeyError:
            raise KeyError(f"no topic {topic_id!r} in the taxonomy") from None

    def root_of(self, topic_id: str) -> Topic:
        """The top-level category a topic sits under (itself when it is top-level)."""
        root = self._roots.get(topic_id)
        return root if root is not None else self.topic(topic_id)  # (which raises, naming it)

    # What classify reads for every article is cached in plain attributes: a private attribute of
    # a pydantic model takes a Python call to reach (about 2 µs), a tenth of classifying a short item.

    @cached_property
    def _roots(self) -> dict[str, Topic]:
        roots = {}
        for topic in self.topics:
            root = topic
            while root.parent is not None:
                root = self._by_id[root.parent]
            roots[topic.id] = root
        return roots

    @cached_property
    def entities(self) -> EntityCatalog:
        """The entities the queries name."""
        assert self._entities is not None  # set by the validator
        return self._entities

    @cached_property
    def patterns(self) -> PatternSet:
        """Every word and phrase of every query and entity, to find in an article at once."""
        return self._patterns

    def compiled(self, topic_id: str) -> CompiledQuery:
        """The topic's query, ready to evaluate."""
        return self._compiled[topic_id]

    @cached_property
    def matchers(self) -> tuple[tuple[Topic, CompiledQuery], ...]:
        """Every topic with its compiled query, in taxonomy order."""
        return self._matchers


def _check_topic_in_tree(topic: Topic, by_id: dict[str, Topic]) -> None:
    where = f"topic {topic.id!r}"
    if topic.parent is None and topic.kind != "category":
        raise ValueError(f"{where}: a top-level topic must be a category, not {topic.kind!r}")
    if topic.parent is not None and topic.parent not in by_id:
        raise ValueError(f"{where}: unknown parent {topic.parent!r}")
    if topic.alert.breaking and topic.alert.min_score < topic.threshold:
        # A match below the threshold never happens, so such a min_score would be a silent lie.
        raise ValueError(f"{where}: alert.min_score {topic.alert.min_score} is below threshold {topic.threshold}")
    seen = [topic.id]
    parent = topic.parent
    while parent is not None:
        if parent in seen:
            raise ValueError(f"{where}: cycle in parents: {' -> '.join([*seen, parent])}")
        seen.append(parent)
        parent = by_id[parent].parent if parent in by_id else None


def _check_entities_known(topic: Topic, entities: EntityCatalog) -> None:
    # Queries parsed without the catalog at hand (no validation context) are checked here instead.
    for leaf in topic.query.leaves():
        if isinstance(leaf, EntityRef) and leaf.entity not in entities.ids:
            raise ValueError(f"topic {topic.id!r}: unknown entity '@{leaf.entity}'")


# --- loading -----------------------------------------------------------------------------------


def _locate(location: Location, raw: object) -> tuple[str, Location]:
    """Name a topic by its id (or its place in the list when it has none), not by its index."""
    found = located_entry(location, raw, "topics")
    if found is None:
        return "", location
    index, entry = found
    name = entry.get("id")
    return (f"topic {name!r}" if name else f"topic #{index + 1}"), location[2:]


def parse_taxonomy(text: str, *, source: str = "<string>", entities: EntityCatalog | None = None) -> Taxonomy:
    """Build a taxonomy from YAML text; ``source`` names it in error messages.

    Its queries may name the entities of ``entities``, by default the bundled catalog.
    """
    raw = read_versioned_yaml(text, source=source, collection="topics", version=SUPPORTED_VERSION, error=TaxonomyError)
    return _taxonomy(raw, source, entities)


def _taxonomy(raw: dict[str, Any], source: str, entities: EntityCatalog | None) -> Taxonomy:
    try:
        return Taxonomy.model_validate(raw, context={"entities": entities or load_entities()})
    except ValidationError as exc:
        problems = describe_problems(exc, raw, locate=_locate)
        raise TaxonomyError(f"{source}: {problems}") from exc


def _with_parsed_queries(raw: dict[str, Any]) -> dict[str, Any]:
    """The bundled taxonomy's document with each query already parsed (``data/taxonomy.queries.json``).

    A query whose text is not the one that file parsed (a stale file) is left as text, and parsed
    as any other; a test keeps the file fresh (tests/unit/test_bundled_data.py).
    """
    trees = parsed_queries()
    topics = raw.get("topics")
    for topic in topics if isinstance(topics, list) else ():
        parsed = trees.get(topic["id"]) if isinstance(topic, dict) and isinstance(topic.get("id"), str) else None
        if parsed is not None and parsed[0] == topic["query"]:
            topic["query"] = query_of(parsed[0], parsed[1])
    return raw


def load_taxonomy(path: Path | None = None, *, entities: EntityCatalog | None = None) -> Taxonomy:
    """Load and check a taxonomy file; without a path, the one bundled with the package.

    Its queries may name the entities of ``entities``, by default the bundled catalog.
    """
    if path is None:  # from its compact twin, which a test keeps equal to the YAML (newsalert.bundled_data)
        raw, source = read_bundled("taxonomy.yaml", collection="topics", version=SUPPORTED_VERSION, error=TaxonomyError)
        return _taxonomy(_with_parsed_queries(raw), source, entities)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy: {exc}") from exc
    return parse_taxonomy(text, source=str(path), entities=entities)


# ---------------------------------------------------------------------------
# The taxonomy classify runs on: the operator's override, or the bundled one
# ---------------------------------------------------------------------------

MAX_OVERRIDE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LoadedTaxonomy:
    taxonomy: Taxonomy
    origin: str
    """``bundled`` or the S3 URI the taxonomy came from."""
    rejected: str | None = None
    """Why the operator's file was not used, when there was one and it did not load."""


def load_classify_taxonomy(objects: ObjectReader, bucket: str, key: str) -> LoadedTaxonomy:
    """The operator's taxonomy at ``s3://bucket/key`` if it exists and loads, else the bundled one.

    An operator changes topics without a deployment by putting a taxonomy file at the
    ``TaxonomyKey`` of the ingest bucket; classify reads it at cold start. A file that does not
    load (bad YAML, an unknown parent, a query with a syntax error...) must never take the
    function down: classify keeps the bundled taxonomy, and the error, which names the topic and
    the problem, is returned for the log and the ``TaxonomyOverrideRejected`` metric.
    """
    uri = f"s3://{bucket}/{key}"
    try:
        data = objects.read(bucket, key, limit=MAX_OVERRIDE_BYTES + 1)
    except Exception as error:  # any failure to read falls back to the bundled one; the reason is reported
        return LoadedTaxonomy(load_taxonomy(), "bundled", rejected=f"{uri} could not be read: {error}")
    if data is None:
        return LoadedTaxonomy(load_taxonomy(), "bundled")
    if len(data) > MAX_OVERRIDE_BYTES:
        return LoadedTaxonomy(load_taxonomy(), "bundled", rejected=f"{uri} is over {MAX_OVERRIDE_BYTES} bytes")
    try:
        return LoadedTaxonomy(parse_taxonomy(data.decode("utf-8"), source=uri), uri)
    except (TaxonomyError, UnicodeDecodeError) as error:
        return LoadedTaxonomy(load_taxonomy(), "bundled", rejected=str(error))
