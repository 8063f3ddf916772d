"""The topic taxonomy: what classify looks for, read from YAML and checked on load.

A taxonomy is a tree of topics. Top-level topics are broad *categories*
(politics, sport...); *watch* topics hang below them and name the narrow
subjects people asked to be alerted about (the SCO, China-Russia ties...).
Each topic says how to recognise it (its ``match`` block), how strong the
evidence must be to count (``threshold``) and whether a match may make an
article breaking news (``alert``).

The ``match`` block is deliberately a block of its own rather than a flat
list of words: today it holds plain term lists and ``all_of`` groups, and a
richer boolean ``query`` can later sit beside them without changing the rest
of the schema or the classifier's contract. Every regular expression is built
once here, when the taxonomy loads, never per article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from newsalert.models import TopicId
from newsalert.validation import Location, describe_problems, located_entry

SUPPORTED_VERSION = 1
DEFAULT_CONTEXT_WINDOW = 10
"""Words either side of an ambiguous term in which its context must appear."""


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be read or does not make sense."""


def _has_a_word(text: str) -> str:
    # A term made only of punctuation cannot sit between word boundaries, so it would never match.
    if not re.search(r"\w", text):
        raise ValueError(f"term {text!r} has no letters or digits")
    return text


Phrase = Annotated[str, Field(min_length=1), AfterValidator(str.strip), AfterValidator(_has_a_word)]


class _Spec(BaseModel):
    # Unknown keys are refused so that a typo ("phrase:") fails on load instead of silently matching nothing.
    model_config = ConfigDict(frozen=True, extra="forbid")


class ContextRule(_Spec):
    """An ambiguous term counts only when one of these phrases is near it."""

    any_of: tuple[Phrase, ...] = Field(min_length=1)
    within: int = Field(default=DEFAULT_CONTEXT_WINDOW, ge=1, le=200)
    """Greatest distance, in words, between the term and a context phrase."""


class Term(_Spec):
    """One thing to look for; a bare string in YAML is shorthand for ``{text: ...}``."""

    text: Phrase
    aliases: tuple[Phrase, ...] = ()
    """Other spellings of the same thing; their repeats count as repeats of ``text``."""
    weight: float = Field(default=1.0, gt=0.0, le=5.0)
    requires_context: ContextRule | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_bare_string(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.text, *self.aliases)


class TermSet(_Spec):
    """Terms, any one of which is evidence: phrases ignore case, ``case_sensitive`` terms do not."""

    phrases: tuple[Term, ...] = ()
    case_sensitive: tuple[Term, ...] = ()
    """Exact-case words such as acronyms: ``SCO`` must not match "sco" or "Sco"."""

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.case_sensitive)

    @model_validator(mode="after")
    def _no_duplicate_spellings(self) -> Self:
        for terms, fold in ((self.phrases, str.casefold), (self.case_sensitive, str)):
            seen: set[str] = set()
            for term in terms:
                for spelling in term.spellings:
                    key = fold(" ".join(spelling.split()))
                    if key in seen:
                        raise ValueError(f"term {spelling!r} is listed twice")
                    seen.add(key)
        return self


class TermGroup(TermSet):
    """One group of an ``all_of``: at least one of its terms must be found."""

    name: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.is_empty:
            raise ValueError(f"all_of group {self.name or '(unnamed)'} has no terms")
        return self


class MatchSpec(TermSet):
    """How to recognise a topic.

    ``phrases`` and ``case_sensitive`` terms are optional evidence. When
    ``all_of`` is given, every one of its groups must find something, or the
    topic does not match at all (China-Russia needs both a China side and a
    Russia side); the groups' finds add to the score like any other term.
    """

    all_of: tuple[TermGroup, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.is_empty and not self.all_of:
            raise ValueError("match has no terms: give phrases, case_sensitive or all_of")
        return self


class AlertPolicy(_Spec):
    """Whether a match of this topic can make an article breaking news, and from which score."""

    breaking: bool = False
    min_score: float = Field(default=1.0, ge=0.0, le=1.0)


class Topic(_Spec):
    """One node of the taxonomy: a broad category or a narrow watch topic under one."""

    id: TopicId
    label: str = Field(min_length=1)
    parent: TopicId | None = None
    kind: Literal["category", "watch"]
    iptc: str | None = Field(default=None, pattern=r"^medtop:\d{8}$")
    """The IPTC Media Topic code, where one fits."""
    description: str = ""
    threshold: float = Field(ge=0.0, le=1.0)
    """Least score at which the topic counts as matched."""
    alert: AlertPolicy = AlertPolicy()
    match: MatchSpec


# --- compiled matchers -------------------------------------------------------------------------


# The compiled forms are frozen dataclasses compared by value, so that two loads of one file are equal
# and an equal context rule shares one cache entry per article in the classifier.


@dataclass(frozen=True)
class CompiledContext:
    """A context rule ready to search."""

    pattern: re.Pattern[str]
    within: int


@dataclass(frozen=True, slots=True)
class TermOccurrence:
    """A place in a text where a term's spelling stands between word boundaries."""

    term: str
    """The term's main spelling: repeats are counted per term, whichever alias was used."""
    spelling: str
    weight: float
    context: CompiledContext | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Alternative:
    term: str
    spelling: str
    weight: float
    context: CompiledContext | None


_APOSTROPHE = "['\u2019]"
"""A straight or a typographic (right single quote) apostrophe."""


def _spelling_pattern(spelling: str) -> str:
    # Any run of white space matches any other, and either apostrophe matches the other:
    # normalised article text keeps the typographer's apostrophe, the taxonomy author types '.
    pattern = r"\s+".join(re.escape(word) for word in spelling.split())
    return re.sub(_APOSTROPHE, _APOSTROPHE, pattern)


def _whole_words_regex(spellings: list[str], flags: int, *, capture: bool) -> re.Pattern[str]:
    """One regex for many spellings, each only as whole words (not "sco" inside "Scotland").

    Pass the spellings longest first (``_longest_first``), so that where "Xi Jinping" and "Xi"
    both fit, the longer is found. With ``capture``, spelling number i is capturing group i + 1.
    """
    template = "({})" if capture else "(?:{})"
    body = "|".join(template.format(_spelling_pattern(s)) for s in spellings)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)


def _longest_first(spellings: list[str] | tuple[str, ...]) -> list[str]:
    return sorted(spellings, key=lambda s: (-len(s), s))


@dataclass(frozen=True)
class _CompiledPattern:
    """One regular expression for many spellings; the capturing group that matched names the term."""

    regex: re.Pattern[str]
    by_group: tuple[_Alternative, ...]

    @classmethod
    def build(cls, alternatives: dict[str, _Alternative], flags: int) -> _CompiledPattern:
        ordered = _longest_first(list(alternatives))
        return cls(_whole_words_regex(ordered, flags, capture=True), tuple(alternatives[s] for s in ordered))

    def scan(self, text: str) -> Iterator[TermOccurrence]:
        for found in self.regex.finditer(text):
            assert found.lastindex is not None  # one of the groups always matched
            alt = self.by_group[found.lastindex - 1]
            yield TermOccurrence(alt.term, alt.spelling, alt.weight, alt.context, found.start(), found.end())


def _compile_context(rule: ContextRule) -> CompiledContext:
    regex = _whole_words_regex(_longest_first(rule.any_of), re.IGNORECASE, capture=False)
    return CompiledContext(regex, rule.within)


@dataclass(frozen=True)
class CompiledTerms:
    """A ``TermSet`` turned into at most two regular expressions, one ignoring case and one not."""

    patterns: tuple[_CompiledPattern, ...]

    @classmethod
    def compile(cls, terms: TermSet) -> CompiledTerms:
        patterns = []
        for listed, flags in ((terms.phrases, re.IGNORECASE), (terms.case_sensitive, 0)):
            alternatives = {}
            for term in listed:
                context = _compile_context(term.requires_context) if term.requires_context else None
                for spelling in term.spellings:
                    alternatives[spelling] = _Alternative(term.text, spelling, term.weight, context)
            if alternatives:
                patterns.append(_CompiledPattern.build(alternatives, flags))
        return cls(tuple(patterns))

    def scan(self, text: str) -> Iterator[TermOccurrence]:
        for pattern in self.patterns:
            yield from pattern.scan(text)


@dataclass(frozen=True)
class CompiledMatcher:
    """A topic's ``match`` block, compiled: optional terms plus groups that must all find something."""

    any_terms: CompiledTerms
    all_of: tuple[CompiledTerms, ...]

    @classmethod
    def compile(cls, spec: MatchSpec) -> CompiledMatcher:
        return cls(CompiledTerms.compile(spec), tuple(CompiledTerms.compile(group) for group in spec.all_of))


# --- the taxonomy ------------------------------------------------------------------------------


class Taxonomy(_Spec):
    """The whole taxonomy, checked as a tree, with every topic's matcher compiled."""

    version: Literal[1] = 1
    topics: tuple[Topic, ...]

    _by_id: dict[str, Topic] = PrivateAttr(default_factory=dict)
    _matchers: dict[str, CompiledMatcher] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_tree_and_compile(self) -> Self:
        # Checked here rather than with min_length, which would also complain when topics merely failed to parse.
        if not self.topics:
            raise ValueError("the taxonomy has no topics")
        by_id: dict[str, Topic] = {}
        for topic in self.topics:
            if topic.id in by_id:
                raise ValueError(f"topic {topic.id!r}: duplicate id")
            by_id[topic.id] = topic
        for topic in self.topics:
            _check_topic_in_tree(topic, by_id)
        self._by_id = by_id
        self._matchers = {topic.id: CompiledMatcher.compile(topic.match) for topic in self.topics}
        return self

    def topic(self, topic_id: str) -> Topic:
        try:
            return self._by_id[topic_id]
        except KeyError:
            raise KeyError(f"no topic {topic_id!r} in the taxonomy") from None

    def matcher(self, topic_id: str) -> CompiledMatcher:
        return self._matchers[topic_id]

    def root_of(self, topic_id: str) -> Topic:
        """The top-level category a topic sits under (itself when it is top-level)."""
        topic = self.topic(topic_id)
        while topic.parent is not None:
            topic = self._by_id[topic.parent]
        return topic


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


# --- loading -----------------------------------------------------------------------------------


def _locate(location: Location, raw: object) -> tuple[str, Location]:
    """Name a topic by its id (or its place in the list when it has none), not by its index."""
    found = located_entry(location, raw, "topics")
    if found is None:
        return "", location
    index, entry = found
    name = entry.get("id")
    return (f"topic {name!r}" if name else f"topic #{index + 1}"), location[2:]


def parse_taxonomy(text: str, *, source: str = "<string>") -> Taxonomy:
    """Build a taxonomy from YAML text; ``source`` names it in error messages."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{source}: expected a mapping with 'version' and 'topics'")
    if raw.get("version", SUPPORTED_VERSION) != SUPPORTED_VERSION:
        raise TaxonomyError(f"{source}: unsupported version {raw.get('version')!r} (expected {SUPPORTED_VERSION})")
    try:
        return Taxonomy.model_validate(raw)
    except ValidationError as exc:
        problems = describe_problems(exc, raw, locate=_locate)
        raise TaxonomyError(f"{source}: {problems}") from exc


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and check a taxonomy file; without a path, the one bundled with the package."""
    if path is None:
        bundled = resources.files("newsalert").joinpath("data/taxonomy.yaml")
        return parse_taxonomy(bundled.read_text(encoding="utf-8"), source="newsalert/data/taxonomy.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy: {exc}") from exc
    return parse_taxonomy(text, source=str(path))
