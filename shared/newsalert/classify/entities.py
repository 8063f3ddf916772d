"""People, organisations and countries, with every name an article may call them by.

``data/entities.yaml`` lists each entity's **aliases** (its names), **demonyms**
("Chinese"), **metonyms** (the capital standing for the government: "Beijing") and
**ambiguous aliases**, which count only with context: "SCO" is the Shanghai Cooperation
Organisation near "summit" or a member state, not in "SCO Group"; "Xi" is Xi Jinping next
to "President" or "Jinping". A query names an entity as ``@id`` and gets all of that.

An ambiguous alias counts, unless one of its ``none_of`` phrases stands within ``within``
words of it, when one of its ``any_of`` phrases or entities does, when it has no ``any_of``
at all, or when the entity is named unambiguously anywhere in the article (after "Xi
Jinping", "Xi" is Xi; after "Shanghai Cooperation Organisation", "SCO" is the SCO).

Mentions are found once per article for every entity, from the patterns the taxonomy's
``PatternSet`` found: where names overlap, the leftmost, then longest, wins ("Xi Jinping"
is one mention, not also "Xi").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from newsalert.bundled_data import read_bundled
from newsalert.classify.query.document import Mention
from newsalert.classify.query.lexer import MAX_NEAR
from newsalert.classify.query.patterns import Occurrence, Pattern, make_pattern, written_in_capitals
from newsalert.models import LanguageCode, TopicId
from newsalert.yaml_files import Location, describe_problems, located_entry, read_versioned_yaml, unique_by_id

SUPPORTED_VERSION = 1
DEFAULT_WITHIN = 10

EntityKind = Literal["person", "organisation", "country", "place"]
NameKind = Literal["alias", "demonym", "metonym", "ambiguous alias"]


class EntityError(ValueError):
    """An entities file that cannot be read or does not make sense."""


def _a_name(text: str) -> str:
    name = " ".join(text.split())
    if not any(char.isalnum() for char in name):
        raise ValueError(f"name {text!r} is empty or has no letters or digits")
    return name


def _a_context_term(text: str) -> str:
    if text.startswith("@"):
        if not _is_entity_id(text[1:]):
            raise ValueError(f"{text!r} is not an entity reference (@ and an entity id)")
        return text
    return _a_name(text)


def _is_entity_id(text: str) -> bool:
    return bool(text) and text[0].isalnum() and all(char.isdigit() or char.islower() or char == "-" for char in text)


Name = Annotated[str, AfterValidator(_a_name)]
ContextTerm = Annotated[str, AfterValidator(_a_context_term)]


@lru_cache(maxsize=1 << 14)
def name_pattern(name: str) -> Pattern:
    """The pattern of a name: one word written in capitals (``SCO``, ``U.S.``) is case-sensitive.

    A one-word name ending in ``*`` is a stem: it names the entity in every inflected form that
    starts with it (Russian declines names: ``Путин*`` is Путин, Путина, Путину...; ``ШОС*`` is
    ШОС and ШОСа, in capitals).

    Remembered: loading a catalog asks for each name's pattern twice (checking an entity's names,
    then the whole catalog's), and a pattern is immutable and one object per value anyway.
    """
    stem = name.endswith("*")
    text = name[:-1] if stem else name
    return make_pattern(text, case_sensitive=" " not in text and written_in_capitals(text), prefix=stem)


_ARABIC_LETTERS = range(0x0620, 0x064B)
_DEFINITE_ARTICLE = "\u0627\u0644"  # al-
_PROCLITICS = ("\u0648", "\u0641", "\u0628", "\u0643", "\u0648\u0628")  # wa-, fa-, bi-, ka-, wa-bi-
_TO = "\u0644"  # li-: before al- it takes the alif (li + al-Nato is lil-Nato)


def clitic_forms(name: str) -> tuple[str, ...]:
    """The forms an Arabic name takes with a conjunction or preposition written onto it.

    Arabic writes "and", "with", "for", "like" as one letter joined to the next word: الناتو
    (al-Nato) is also والناتو, بالناتو, للناتو... A bounded rule instead of a stemmer: these few
    one-letter proclitics, on the first word of a name written in Arabic script, and nothing else.
    """
    first, _, rest = name.partition(" ")
    if name.endswith("*") or len(first) < 3 or not all(ord(char) in _ARABIC_LETTERS for char in first):
        return ()
    forms = [proclitic + first for proclitic in _PROCLITICS]
    if first.startswith(_DEFINITE_ARTICLE):
        forms += [_TO + first[1:], "\u0648" + _TO + first[1:]]
    else:
        forms += [_TO + first, "\u0648" + _TO + first]
    return tuple(f"{form} {rest}".strip() for form in forms)


class _Spec(BaseModel):
    # Unknown keys are refused so that a typo ("alias:") fails on load instead of silently matching nothing.
    model_config = ConfigDict(frozen=True, extra="forbid")


class ContextRule(_Spec):
    """What must, or must not, stand near an ambiguous alias for it to count."""

    within: int = Field(default=DEFAULT_WITHIN, ge=1, le=MAX_NEAR)
    """Greatest distance in words between the alias and a context phrase (in the same field)."""
    any_of: tuple[ContextTerm, ...] = ()
    """Phrases or ``@entities`` of which one must be near (an entity by an unambiguous name)."""
    none_of: tuple[ContextTerm, ...] = ()
    """Phrases or ``@entities`` of which none may be near: "SCO Group" is never the SCO."""

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not self.any_of and not self.none_of:
            raise ValueError("context needs any_of, none_of or both")
        return self

    def references(self) -> Iterator[str]:
        """The entity ids the rule names."""
        for term in (*self.any_of, *self.none_of):
            if term.startswith("@"):
                yield term[1:]


class AmbiguousAlias(_Spec):
    alias: Name
    context: ContextRule


class Entity(_Spec):
    """One person, organisation, country or place, and its names."""

    id: TopicId
    kind: EntityKind
    label: str = Field(min_length=1)
    aliases: tuple[Name, ...] = ()
    demonyms: tuple[Name, ...] = ()
    metonyms: tuple[Name, ...] = ()
    ambiguous: tuple[AmbiguousAlias, ...] = ()
    translations: dict[LanguageCode, tuple[Name, ...]] = Field(default_factory=dict)
    """Its names in other languages, by ISO 639-1 code (``ru: [ШОС*, Шанхайская организация сотрудничества]``):
    unambiguous like aliases; the code says which language each is, for editors and for coverage."""

    @model_validator(mode="after")
    def _names_are_distinct(self) -> Self:
        if not (self.aliases or self.ambiguous):
            raise ValueError("no aliases: give aliases or ambiguous aliases")
        seen: dict[tuple[str, ...], str] = {}
        for name, _ in self.names():
            key = _folded(name_pattern(name))
            if key in seen:
                raise ValueError(f"name {name!r} is listed twice (as {seen[key]!r} too)")
            seen[key] = name
        return self

    def names(self) -> Iterator[tuple[str, NameKind]]:
        yield from ((name, "alias") for name in self.aliases)
        yield from ((name, "demonym") for name in self.demonyms)
        yield from ((name, "metonym") for name in self.metonyms)
        yield from ((entry.alias, "ambiguous alias") for entry in self.ambiguous)
        yield from ((name, "alias") for language in sorted(self.translations) for name in self.translations[language])


@lru_cache(maxsize=1 << 14)
def _folded(pattern: Pattern) -> tuple[str, ...]:
    # Two names that fold to the same words would claim the same text ("Nato" in any case covers "NATO").
    # A stem is another claim than the word it starts with.
    return tuple(word.casefold() for word in pattern.words) + (("*",) if pattern.prefix else ())


# --- compiled for finding mentions ----------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    within: int
    any_patterns: tuple[Pattern, ...]
    any_entities: tuple[str, ...]
    none_patterns: tuple[Pattern, ...]
    none_entities: tuple[str, ...]

    @classmethod
    def compile(cls, rule: ContextRule) -> _Context:
        def split(terms: tuple[str, ...]) -> tuple[tuple[Pattern, ...], tuple[str, ...]]:
            patterns = tuple(name_pattern(term) for term in terms if not term.startswith("@"))
            return patterns, tuple(term[1:] for term in terms if term.startswith("@"))

        return cls(rule.within, *split(rule.any_of), *split(rule.none_of))

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        return self.any_patterns + self.none_patterns


@dataclass(frozen=True)
class _Name:
    entity: str
    alias: str
    context: _Context | None
    """None for an unambiguous name."""


class _Candidate(NamedTuple):
    """A name found in an article, before context and overlaps decide whether it is a mention."""

    zone: int
    first: int
    last: int
    name: _Name

    def mention(self) -> Mention:
        return Mention(self.zone, self.first, self.last, self.name.alias)


class EntityCatalog(_Spec):
    """Every entity, checked, with its names compiled into patterns."""

    version: Literal[1] = 1
    entities: tuple[Entity, ...]

    _by_id: dict[str, Entity] = PrivateAttr(default_factory=dict)
    _names: dict[Pattern, _Name] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_and_compile(self) -> Self:
        # Checked here rather than with min_length, which would also complain when entities merely failed to parse.
        if not self.entities:
            raise ValueError("no entities")
        by_id = unique_by_id(self.entities, "entity")
        names: dict[Pattern, _Name] = {}
        claimed: dict[tuple[str, ...], tuple[str, str]] = {}
        derived: list[tuple[str, str, _Context | None]] = []
        for entity in self.entities:
            for entry in entity.ambiguous:
                unknown = [ref for ref in entry.context.references() if ref not in by_id]
                if unknown:
                    raise ValueError(
                        f"entity {entity.id!r}: context of {entry.alias!r} names unknown entity '@{unknown[0]}'"
                    )
            contexts = {entry.alias: _Context.compile(entry.context) for entry in entity.ambiguous}
            for name, _ in entity.names():
                pattern = name_pattern(name)
                key = _folded(pattern)
                if key in claimed and claimed[key][0] != entity.id:
                    owner, spelled = claimed[key]
                    raise ValueError(f"entity {entity.id!r}: name {name!r} is also {owner!r}'s name {spelled!r}")
                claimed[key] = (entity.id, name)
                names[pattern] = _Name(entity.id, name, contexts.get(name))
                derived += [(form, entity.id, contexts.get(name)) for form in clitic_forms(name)]
        # After every written name: a derived form is never an error, and a form some name is
        # written as (or an earlier derived form) stays that name's.
        for form, entity_id, context in derived:
            form_pattern = name_pattern(form)
            if _folded(form_pattern) not in claimed:
                claimed[_folded(form_pattern)] = (entity_id, form)
                names[form_pattern] = _Name(entity_id, form, context)
        self._by_id = by_id
        self._names = names
        return self

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    @cached_property
    def _name_table(self) -> dict[Pattern, _Name]:
        # In a plain attribute once read: a pydantic private attribute takes a Python call to reach,
        # and mentions() needs this for every article.
        return self._names

    def entity(self, entity_id: str) -> Entity:
        try:
            return self._by_id[entity_id]
        except KeyError:
            raise KeyError(f"no entity {entity_id!r}") from None

    @property
    def patterns(self) -> frozenset[Pattern]:
        """Every pattern finding mentions needs: the names and their context phrases."""
        context = (pattern for name in self._names.values() if name.context for pattern in name.context.patterns)
        return frozenset((*self._names, *context))

    def mentions(
        self, found: dict[Pattern, list[Occurrence]]
    ) -> tuple[dict[str, list[Mention]], dict[str, list[Mention]]]:
        """Every entity's mentions among the patterns found in an article, and the ambiguous aliases
        left out for want of context (for explanations), both by entity id in reading order."""
        plain: list[_Candidate] = []
        ambiguous: list[tuple[_Name, list[_Candidate]]] = []
        names = self._name_table
        for pattern, places in found.items():
            name = names.get(pattern)
            if name is None:
                continue
            candidates = [_new_tuple(_Candidate, (zone, first, last, name)) for zone, first, last in places]
            if name.context is None:
                plain += candidates
            else:
                ambiguous.append((name, candidates))  # one name per pattern: grouped by name already
        if not plain and not ambiguous:
            return {}, {}
        certain = _leftmost_longest(plain)
        accepted: list[_Candidate] = []
        rejected: dict[str, list[Mention]] = {}
        if ambiguous:
            named = _by_entity(certain)
            for name, candidates in ambiguous:
                check = _ContextCheck(name, found, named)
                for candidate in candidates:
                    if check.allows(candidate):
                        accepted.append(candidate)
                    else:
                        rejected.setdefault(name.entity, []).append(candidate.mention())
        mentions: dict[str, list[Mention]] = {}
        for zone, first, last, name in _leftmost_longest(certain + accepted):
            mention = _new_tuple(Mention, (zone, first, last, name.alias))
            known = mentions.get(name.entity)
            if known is None:
                mentions[name.entity] = [mention]
            else:
                known.append(mention)
        return mentions, {entity: sorted(left_out) for entity, left_out in sorted(rejected.items())}


_new_tuple = tuple.__new__
"""Makes a named tuple from its fields in C, without its Python-level ``__new__`` (made by the hundred)."""


def _leftmost_longest(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    reached: dict[int, int] = {}
    for candidate in sorted(candidates, key=lambda c: (c.zone, c.first, -c.last, c.name.entity, c.name.alias)):
        if candidate.first > reached.get(candidate.zone, -1):
            kept.append(candidate)
            reached[candidate.zone] = candidate.last
    return kept


def _by_entity(candidates: list[_Candidate]) -> dict[str, list[Occurrence]]:
    named: dict[str, list[Occurrence]] = {}
    for candidate in candidates:
        named.setdefault(candidate.name.entity, []).append((candidate.zone, candidate.first, candidate.last))
    return named


class _ContextCheck:
    """Whether each find of one ambiguous name has its context: the places that support or veto it,
    gathered once per name and article, then looked up by bisection for every find."""

    def __init__(self, name: _Name, found: dict[Pattern, list[Occurrence]], named: dict[str, list[Occurrence]]) -> None:
        context = name.context
        assert context is not None  # only ambiguous names are checked
        self._within = context.within
        self._vetoes = _Places(
            [found.get(pattern, []) for pattern in context.none_patterns]
            + [named.get(entity, []) for entity in context.none_entities]
        )
        # Named unambiguously in the article, or with no any_of at all: only a veto can stop it.
        self._always = name.entity in named or not (context.any_patterns or context.any_entities)
        self._supports = _Places(
            [found.get(pattern, []) for pattern in context.any_patterns]
            + [named.get(entity, []) for entity in context.any_entities]
        )

    def allows(self, candidate: _Candidate) -> bool:
        if self._vetoes.near(candidate, self._within):
            return False
        return self._always or self._supports.near(candidate, self._within)


class _Places:
    """Occurrences sorted by zone and first word, to ask "is one within n words of this?" quickly."""

    def __init__(self, groups: list[list[Occurrence]]) -> None:
        self._places = sorted(place for group in groups for place in group)
        self._keys = [(zone, first) for zone, first, _ in self._places]
        self._longest = max((last - first for _, first, last in self._places), default=0)

    def near(self, candidate: _Candidate, within: int) -> bool:
        # Overlapping counts as near: "SCO Group" vetoes the "SCO" inside it.
        zone, first, last = candidate.zone, candidate.first, candidate.last
        low = bisect_left(self._keys, (zone, first - within - self._longest))
        high = bisect_right(self._keys, (zone, last + within))
        return any(place_last >= first - within for _, _, place_last in self._places[low:high])


# --- loading ---------------------------------------------------------------------------------


def _locate(location: Location, raw: object) -> tuple[str, Location]:
    found = located_entry(location, raw, "entities")
    if found is None:
        return "", location
    index, entry = found
    name = entry.get("id")
    return (f"entity {name!r}" if name else f"entity #{index + 1}"), location[2:]


def parse_entities(text: str, *, source: str = "<string>") -> EntityCatalog:
    """Build an entity catalog from YAML text; ``source`` names it in error messages."""
    raw = read_versioned_yaml(text, source=source, collection="entities", version=SUPPORTED_VERSION, error=EntityError)
    return _catalog(raw, source)


def _catalog(raw: dict[str, Any], source: str) -> EntityCatalog:
    try:
        return EntityCatalog.model_validate(raw)
    except ValidationError as exc:
        raise EntityError(f"{source}: {describe_problems(exc, raw, locate=_locate)}") from exc


def load_entities(path: Path | None = None) -> EntityCatalog:
    """Load and check an entities file; without a path, the one bundled with the package."""
    if path is None:  # from its compact twin, which a test keeps equal to the YAML (newsalert.bundled_data)
        raw, source = read_bundled("entities.yaml", collection="entities", version=SUPPORTED_VERSION, error=EntityError)
        return _catalog(raw, source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EntityError(f"{path}: cannot read entities: {exc}") from exc
    return parse_entities(text, source=str(path))
