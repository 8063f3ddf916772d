"""What one query term or entity alias looks for, and finding thousands of them in one pass.

A ``Pattern`` is a sequence of words (one word, or a phrase), matched in any case or, for
words written in capitals, exactly; its last word may be a prefix (``sanction*``). A
``PatternSet`` holds every pattern of a taxonomy and its entities, keyed by first word, so
that finding all of them in an article costs one dictionary lookup per distinct word of the
article, however many patterns there are, instead of one search per pattern.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress

from newsalert.classify.words import TextIndex, Zone, words_of

MIN_PREFIX = 3
"""Letters a wildcard needs before its ``*``: a shorter prefix would match half the language."""

Occurrence = tuple[int, int, int]
"""Where a pattern stands: (zone number, first word, last word), word numbers within the zone."""


class Pattern(tuple[tuple[str, ...], bool, bool]):
    """A word or a phrase to find, in any case or exactly, possibly as a prefix.

    Patterns are the dictionary keys of what is found in an article and of what its queries
    look up: hundreds of lookups per article. There is one object per distinct pattern (making
    an equal one gives back the first), so a pattern hashes by identity, in C, instead of
    hashing its words again at every lookup; equality is still the tuple's, and equal patterns
    are the same object, so the two agree.
    """

    __slots__ = ()
    __hash__ = object.__hash__  # consistent with equality: equal patterns are one object

    def __new__(cls, words: tuple[str, ...], case_sensitive: bool = False, prefix: bool = False) -> Pattern:
        value = (words, case_sensitive, prefix)
        pattern = _INTERNED.get(value)
        if pattern is None:
            pattern = _INTERNED[value] = super().__new__(cls, value)
        return pattern

    def __getnewargs__(self) -> tuple[tuple[str, ...], bool, bool]:
        return self.words, self.case_sensitive, self.prefix  # copies and pickles come back interned

    @property
    def words(self) -> tuple[str, ...]:
        """Case-folded, or as written when ``case_sensitive``."""
        return self[0]

    @property
    def case_sensitive(self) -> bool:
        return self[1]

    @property
    def prefix(self) -> bool:
        """The (only) word is a prefix: it matches every word that starts with it."""
        return self[2]

    def __repr__(self) -> str:
        return f"Pattern(words={self.words!r}, case_sensitive={self.case_sensitive}, prefix={self.prefix})"

    def __str__(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


_INTERNED: dict[tuple[tuple[str, ...], bool, bool], Pattern] = {}
"""One object per distinct pattern, across every taxonomy and entity catalog loaded (a few thousand)."""


def written_in_capitals(text: str) -> bool:
    """``SCO``, ``NATO``, ``G20``, ``U.S.``: two or more letters or digits, a letter, no lower case."""
    alphanumeric = [char for char in text if char.isalnum()]
    return (
        len(alphanumeric) >= 2
        and any(char.isalpha() for char in alphanumeric)
        and not any(char.islower() for char in alphanumeric)
    )


def make_pattern(text: str, *, case_sensitive: bool, prefix: bool = False) -> Pattern:
    """The pattern for ``text`` cut into words as articles are; raises ``ValueError`` saying what is wrong."""
    words = words_of(unicodedata.normalize("NFC", text))
    if not words:
        raise ValueError(f"{text!r} has no letters or digits")
    if prefix and len(words) > 1:
        raise ValueError(f"a wildcard applies to one word, and {text!r} is several")
    if prefix and len(words[0]) < MIN_PREFIX:
        raise ValueError(f"a wildcard needs at least {MIN_PREFIX} letters before '*'")
    if not case_sensitive:
        words = [word.casefold() for word in words]
    return Pattern(tuple(words), case_sensitive, prefix)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A pattern as the matcher checks it, with what it needs precomputed."""

    pattern: Pattern
    words: list[str]
    first: str
    folded_first: str


@dataclass(frozen=True, slots=True)
class _Starting:
    """The patterns that start with one (folded) word."""

    any_case: Pattern | None
    """The one-word pattern of that word matched in any case, if any (equal patterns are one
    object, so there is at most one): every place of the word is one of its occurrences."""
    exact: tuple[_Candidate, ...]
    """The one-word patterns of that word matched exactly (written in capitals)."""
    phrases: dict[str, tuple[_Candidate, ...]]
    """Longer patterns by their folded second word: most places of a common first word ("world")
    are then ruled out by one lookup, however many phrases start with it."""


@dataclass(frozen=True)
class PatternSet:
    """Every pattern of a taxonomy and its entities, ready to be found in an article at once.

    Made at cold start, for thousands of patterns of which an article starts a few dozen: the
    patterns are only grouped by first word here, and what the matcher needs for the patterns of
    one first word (``_Starting``) is made the first time an article has that word, then kept.
    """

    patterns: frozenset[Pattern]
    # Derived from ``patterns``: equal sets give equal matchers.
    _by_first: _StartingByWord = field(init=False, compare=False, repr=False)
    _by_stem: dict[str, tuple[_Candidate, ...]] = field(init=False, compare=False, repr=False)
    _first_words: frozenset[str] = field(init=False, compare=False, repr=False)
    _phrase_starts: frozenset[str] = field(init=False, compare=False, repr=False)
    """First words that only start phrases (no one-word pattern is that word)."""
    _prefix_memo: dict[str, tuple[_Candidate, ...]] = field(init=False, compare=False, repr=False, default_factory=dict)
    _seen: set[str] = field(init=False, compare=False, repr=False, default_factory=set)

    @classmethod
    def of(cls, patterns: Iterable[Pattern]) -> PatternSet:
        return cls(frozenset(patterns))

    def __post_init__(self) -> None:
        by_first: dict[str, list[Pattern]] = {}
        by_stem: dict[str, list[Pattern]] = {}
        one_word: set[str] = set()
        for pattern in self.patterns:
            # Keyed by the folded first word: the index looks words up folded, and a case-sensitive
            # pattern is then checked against the word as written.
            words = pattern[0]
            key = words[0].casefold()
            if pattern[2]:  # a prefix
                by_stem.setdefault(key[:MIN_PREFIX], []).append(pattern)
            else:
                by_first.setdefault(key, []).append(pattern)
                if len(words) == 1:
                    one_word.add(key)
        object.__setattr__(self, "_by_first", _StartingByWord(by_first))
        object.__setattr__(self, "_by_stem", {key: _candidates(found) for key, found in by_stem.items()})
        object.__setattr__(self, "_first_words", frozenset(by_first))
        object.__setattr__(self, "_phrase_starts", frozenset(by_first.keys() - one_word))

    def find(self, index: TextIndex) -> dict[Pattern, list[Occurrence]]:
        """Every occurrence of every pattern in the article, in reading order per pattern."""
        found: dict[Pattern, list[Occurrence]] = {}
        from_prefixes: set[Pattern] = set()
        for number, zone in enumerate(index.zones):
            if not zone.folded:
                continue
            vocabulary = set(zone.folded)
            # Set operations in C pick the few words of the article that can start a pattern; only
            # their positions are collected, in one pass over the words.
            starts = vocabulary & self._first_words
            # Common words ("new", "over", "record") start a phrase or two: where none of the second
            # words of their phrases is in the zone, none of their places need be looked at.
            for word in starts & self._phrase_starts:
                if vocabulary.isdisjoint(self._by_first[word].phrases):
                    starts.discard(word)
            prefixed = self._prefixes_of(vocabulary) if self._by_stem else {}
            if not starts and not prefixed:
                continue
            places = _places(number, zone.folded, starts.union(prefixed))
            # In whatever order the sets give: each pattern's list is in reading order (zones come
            # in order, and within a zone places are visited in order), except for prefixes, sorted
            # below; nothing downstream depends on the order of the patterns themselves.
            for word in starts:
                starting = self._by_first[word]
                occurrences = places[word]
                pattern = starting.any_case
                if pattern is not None:
                    # Every place of the word is one of its occurrences: the list is taken as it is.
                    known = found.get(pattern)
                    if known is None:
                        found[pattern] = occurrences
                    else:
                        known += occurrences
                if starting.exact or starting.phrases:
                    _match_longer(starting, zone, occurrences, vocabulary, found)
            for word in prefixed:
                for candidate in prefixed[word]:
                    _match_prefix(candidate, zone, places[word], found)
                    from_prefixes.add(candidate.pattern)
        for pattern in from_prefixes:
            if pattern in found:
                found[pattern].sort()  # a prefix collects from several words, one after the other
        return found

    def _prefixes_of(self, vocabulary: set[str]) -> dict[str, tuple[_Candidate, ...]]:
        """The words of ``vocabulary`` that some prefix pattern matches, with those patterns."""
        # News repeats its vocabulary from article to article, so what each word matches is
        # remembered: set operations in C sort out the words already seen, and only new words are
        # compared with the prefixes. The memo starts afresh when it grows large.
        memo = self._prefix_memo
        if len(self._seen) > _MEMO_SIZE:
            memo.clear()
            self._seen.clear()
        for word in vocabulary - self._seen:
            self._seen.add(word)
            matching = tuple(
                candidate
                for candidate in self._by_stem.get(word[:MIN_PREFIX], ())
                if word.startswith(candidate.folded_first)
            )
            if matching:
                memo[word] = matching
        return {word: memo[word] for word in vocabulary & memo.keys()}


_MEMO_SIZE = 200_000
"""Distinct words remembered before the memo starts afresh (a few megabytes at most)."""


def _places(number: int, words: list[str], wanted: set[str]) -> dict[str, list[Occurrence]]:
    """Where each wanted word stands among the words of zone ``number``, as one-word occurrences."""
    # The wanted words are few: their positions are picked out in C, then grouped.
    places: dict[str, list[Occurrence]] = {word: [] for word in wanted}
    for position in compress(range(len(words)), map(wanted.__contains__, words)):
        places[words[position]].append((number, position, position))
    return places


def _match_prefix(
    candidate: _Candidate, zone: Zone, places: list[Occurrence], found: dict[Pattern, list[Occurrence]]
) -> None:
    if candidate.pattern.case_sensitive:
        places = [place for place in places if zone.words[place[1]].startswith(candidate.first)]
    if places:
        found.setdefault(candidate.pattern, []).extend(places)


def _candidates(patterns: list[Pattern]) -> tuple[_Candidate, ...]:
    # Sorted (a pattern compares as its words, then case sensitivity, then prefix) so that the order
    # candidates are tried in, and so the order of what is found, never varies.
    return tuple(
        _Candidate(pattern, list(pattern.words), pattern.words[0], pattern.words[0].casefold())
        for pattern in sorted(patterns)
    )


class _StartingByWord(dict[str, _Starting]):
    """The patterns of each first word as the matcher needs them, made when an article first has the word."""

    def __init__(self, patterns: dict[str, list[Pattern]]) -> None:
        super().__init__()
        self._patterns = patterns

    def __missing__(self, word: str) -> _Starting:
        starting = self[word] = _starting(_candidates(self._patterns[word]))  # (a word no pattern starts: KeyError)
        return starting


def _starting(candidates: tuple[_Candidate, ...]) -> _Starting:
    phrases: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        if len(candidate.words) > 1:
            phrases.setdefault(candidate.words[1].casefold(), []).append(candidate)
    words = [candidate for candidate in candidates if len(candidate.words) == 1]
    any_case = [candidate.pattern for candidate in words if not candidate.pattern.case_sensitive]
    assert len(any_case) <= 1, any_case  # equal patterns are one object
    exact = tuple(candidate for candidate in words if candidate.pattern.case_sensitive)
    return _Starting(
        any_case[0] if any_case else None, exact, {second: tuple(found) for second, found in phrases.items()}
    )


def _match_longer(
    starting: _Starting,
    zone: Zone,
    places: list[Occurrence],
    vocabulary: set[str],
    found: dict[Pattern, list[Occurrence]],
) -> None:
    """Add what the exact one-word patterns and the phrases of ``starting`` find at ``places``
    (where their first word is)."""
    for candidate in starting.exact:
        exact = [place for place in places if zone.words[place[1]] == candidate.first]
        if exact:
            found.setdefault(candidate.pattern, []).extend(exact)
    phrases = starting.phrases
    if not phrases or vocabulary.isdisjoint(phrases):
        return  # no phrase's second word is in the zone
    folded = zone.folded
    last = len(folded) - 1
    for number, place, _ in places:
        if place >= last:
            break
        candidates = phrases.get(folded[place + 1])
        if candidates is None:
            continue
        for candidate in candidates:
            length = len(candidate.words)
            words = zone.words if candidate.pattern.case_sensitive else folded
            if words[place : place + length] == candidate.words and not zone.broken(place, place + length - 1):
                found.setdefault(candidate.pattern, []).append((number, place, place + length - 1))
