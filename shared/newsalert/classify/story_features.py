"""What the story grouper reads of an article: weighted terms of its headline and lead.

``FeatureReader.read`` gives an article's ``ArticleFeatures``:

- **terms**, each weighted by the kind of evidence it is: a catalog **entity** as one term whatever
  it is called (``@united-states`` for "U.S." and "Americans"); a **name** (a word written with a
  capital that is not a common word); a **figure**, read whole from the text ("5.9", "3.5", "2,000"
  as ``2000``: never cut at its point or comma; a figure with decimals is rarer, and weighs more,
  than a whole number; times of day are not figures); the **weekday** the lead names
  (``~thursday``: "on Thursday", not a dateline's "Tuesday, July 9, 2024"); other **words**,
  folded to a crude stem, with a few synonyms of news ("quake" is "earthquake"; "kills", "killed"
  and "killing" are one term). A term in the headline weighs more;
- **keys**: the strongest terms, the blocking keys the grouper looks stories up by.

Everything here is written by hand from how news is written; nothing is derived from a data set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsalert.classify.entities import EntityCatalog
from newsalert.classify.query.document import Mention
from newsalert.classify.query.patterns import PatternSet
from newsalert.classify.words import LEAD, TITLE, TextIndex
from newsalert.models import Article

LEAD_WORDS = 120
"""Words of the lead (the summary, or the body's first paragraph) that are read: what identifies an
event is at the top, and a long body must not cost more."""
LEAD_CHARACTERS = 900
"""Characters of the lead read for figures (about ``LEAD_WORDS`` words)."""
BODY_HEAD_CHARACTERS = 1_200
"""Characters of a body without summary that are indexed to find its first ``LEAD_WORDS`` words."""
LOOKUP_KEYS = 8
"""Blocking keys an article looks up (each a cheap read)."""

# Weights of the kinds of term: what tells one event from another weighs most.
ENTITY_WEIGHT = 3.0
NAME_WEIGHT = 2.5
NUMBER_WEIGHT = 1.5
DECIMAL_WEIGHT = 2.0
"""A figure with decimals ("5.9", "3.5"): rarely the same in two events that share their words."""
WEEKDAY_WEIGHT = 1.5
WORD_WEIGHT = 1.0
TITLE_BONUS = 1.0
"""Added to a term the headline has: the headline says what the event is."""
ENTITY_PREFIX = "@"
WEEKDAY_PREFIX = "~"

# Words that say nothing about which event an article is about: function words, and the words
# of news itself ("said", "officials", "Monday"). Written by hand, not derived from any data set.
_COMMON_WORDS = """
    a about above across after again against ago all almost along already also although always am among an and
    another any anyone anything are around as at away back be became because been before being below between
    both but by can cannot could did do does doing done down during each either else even ever every few for
    from further get gets got had has have having he her here hers herself him himself his how however i if in
    into is it its itself just last late later least less like made make makes many may me might more most
    much must my myself near never new next no nor not now of off often on once one only or other others our
    ours out over own per perhaps put rather s same say says said she should since so some still such than
    that the their theirs them themselves then there these they this those though through thus to too toward
    towards under until up upon us very via was we were what when where whether which while who whom whose
    why will with within without would yet you your yours t ll ve re d m
    mr mrs ms dr st jr sr inc ltd co corp
    am pm et gmt bst utc est edt cst cdt mst mdt pst pdt cet cest ist
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight week weeks
    weekend month months year years day days hour hours minute minutes morning afternoon evening night time
    times january february march april june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec
    news report reports reported reporting reporter according told tell tells telling statement statements
    announce announced announcement official officials spokesman spokeswoman spokesperson source sources
    say saying added add adds asked ask asks called call calls comment comments claim claims claimed
    people person man men woman women group groups part parts number numbers percent lot way thing things
    first second third two three four five six seven eight nine ten hundred hundreds thousand thousands
    million millions billion billions trillion half several dozens dozen
    update updated updates live latest breaking story stories article articles video photo photos read
    watch click share posted published copyright rights reserved image images getty ap reuters afp
    world national local international public general major big large small high low long short old young
    make making made take taking took taken give given gave come came coming go going went gone see seen
    saw know known knew think thought want wanted use used using work working worked need needs needed
    help helped keep kept set show showed shown find found left right well good best better bad worse
    just including include includes included end ended ending start started starting began begin begins
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())

_DIGITS = frozenset("0123456789")

# ---------------------------------------------------------------------------------------------
# Words: a crude stem, and the synonyms of news
# ---------------------------------------------------------------------------------------------

# The verbs of news, whose forms are one term ("kills", "killed", "killing" are all ``kill``). Their
# regular forms are written out below; a crude stemmer for every word was measured and dropped: it also
# merged the forms of topic words ("unveils", "unveiled"), which made two events of one topic alike.
_NEWS_VERBS = """
    kill murder injure wound attack bomb shoot explode crash collapse burn destroy damage flood erupt
    arrest detain charge convict sentence jail release free sue fine ban raid seize capture
    fire hire appoint resign quit elect vote pass approve reject sign veto block
    strike hit evacuate rescue flee escape search recover sink
    win lose beat defeat score protest clash invade withdraw
    warn threaten accuse deny confirm investigate probe order extend suspend delay cancel
    unveil introduce propose raise cut hike surge plunge
"""
# One event, told in other words: each of these stands for the word after the colon. Irregular
# forms of the verbs of news first, then the words outlets use for the same thing.
_SAME_WORDS = """
    quake quakes temblor temblors earthquakes: earthquake
    die dies died dying dead deadly death deaths: death
    struck: strike
    fled: flee
    fell fallen falls falling: fall
    shot: shoot
    won: win
    lost: lose
    beaten: beat
    sank sunk: sink
    stole stolen: steal
    caught: catch
    rose risen: rise
    hurt: injure
    sacked sacks sacking sack: fire
    quits quitting: quit
    cuts cutting: cut
    hits hitting: hit
    sets setting: set
"""


_VOWELS = frozenset("aeiouy")


def _regular_forms(verb: str) -> set[str]:
    """The forms a regular English verb takes (and a few it does not: they are never met)."""
    stem_e = verb[:-1] if verb.endswith("e") else verb
    doubled = verb + verb[-1]
    forms = {verb, verb + "s", verb + "es", stem_e + "ed", stem_e + "ing", doubled + "ed", doubled + "ing"}
    if verb.endswith("y") and verb[-2:-1] not in _VOWELS:
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return forms


SAME_WORDS: Mapping[str, str] = {
    **{form: verb for verb in _NEWS_VERBS.split() for form in _regular_forms(verb)},
    **{
        word: meaning.strip()
        for line in _SAME_WORDS.strip().splitlines()
        for words, meaning in [line.split(":")]
        for word in words.split()
    },
}


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The term a word counts as: a form of a verb of news or a synonym (``SAME_WORDS``) as the word it
    stands for ("killed" as ``kill``, "quake" as ``earthquake``), any other word without its plural
    ending ("pirates" as ``pirate``, "cities" as ``city``; never below four letters)."""
    same = SAME_WORDS.get(word)
    if same is not None:
        return same
    if len(word) <= 4 or word[-1] != "s" or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


# ---------------------------------------------------------------------------------------------
# Figures and weekdays
# ---------------------------------------------------------------------------------------------

# Figures are read from runs of digits, points, commas and colons ("5.9", "2,000", "11:26"), the
# simplest pattern there is (a cleverer one costs five times as much); what a run is, is told after.
_NUMBER_RUN = re.compile(r"\d[\d.,:]*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_SET = frozenset(WEEKDAYS)

_MONTH_NAMES = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905 - a list of words, read as one
)


def event_weekday(folded: Sequence[str]) -> str | None:
    """The first day of the week the words name ("on Thursday"), unless it heads a date ("Tuesday,
    July 9, 2024": a dateline's day, when the article was written, not the event's)."""
    if _WEEKDAY_SET.isdisjoint(folded):
        return None
    for place, word in enumerate(folded):
        if word in _WEEKDAY_SET:
            following = folded[place + 1] if place + 1 < len(folded) else ""
            if following in _MONTH_NAMES or following.isdigit():
                continue
            return word
    return None


def figures(text: str) -> list[tuple[str, bool]]:
    """The figures written in ``text``, each as a term and whether it has decimals: "5.9", "6.8-magnitude",
    "$3.5T", "2,000" (as ``2000``), "12". Not a figure: a single digit, digits glued to a word ("G20"),
    a time of day ("11:26", "8:44AM", "8.05am", "2 a.m."), anything in a link."""
    if "/" in text:
        text = _LINK.sub(" ", text)
    found = []
    for match in _NUMBER_RUN.finditer(text):
        start = match.start()
        run = match.group().rstrip(".,:")
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.,"):
            continue
        if ":" in run or _time_follows(text, start + len(run)):
            continue
        if _THOUSANDS.fullmatch(run):
            run = run.replace(",", "")
        for part in run.split(","):
            for figure in part.split(".") if part.count(".") > 1 else (part,):
                if len(figure) > 1:
                    found.append((figure, "." in figure))
    return found


def _time_follows(text: str, end: int) -> bool:
    """Whether "am", "pm", "a.m." or "p.m." follows (after spaces) the figure that ends at ``end``."""
    after = text[end : end + 6].lstrip().lower()
    return after[:1] in ("a", "p") and (after[1:3] == ".m" or (after[1:2] == "m" and not after[2:3].isalpha()))


# ---------------------------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What the grouper compares: weighted terms, and the strongest of them as blocking keys."""

    terms: Mapping[str, float]
    """Term to weight: ``@entity`` ids, names, figures, ``~weekday`` and content words (folded, stemmed)."""
    keys: tuple[str, ...]
    """The strongest terms, strongest first: the blocking keys."""


def read_headline_and_lead(article: Article) -> TextIndex:
    """The article indexed as classify indexes it, but only as far as the grouper reads (headline and lead)."""
    if article.summary:
        return TextIndex(article.title, article.summary)
    body = article.body
    if len(body) > BODY_HEAD_CHARACTERS:
        cut = body.rfind(" ", 0, BODY_HEAD_CHARACTERS)
        body = body[: cut if cut > 0 else BODY_HEAD_CHARACTERS]
    return TextIndex(article.title, "", body)


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class FeatureReader:
    """Reads an article's features: its headline and lead, the catalog's entities in them, names, figures."""

    def __init__(self, entities: EntityCatalog) -> None:
        self._entities = entities
        self._patterns = PatternSet.of(entities.patterns)

    def read(
        self,
        article: Article,
        *,
        index: TextIndex | None = None,
        mentions: Mapping[str, Sequence[Mention]] | None = None,
    ) -> ArticleFeatures:
        """The features of ``article``; ``index`` and ``mentions`` as classify found them, when it has (cheaper)."""
        if index is None:
            index = read_headline_and_lead(article)
        if mentions is None:
            mentions, _ = self._entities.mentions(self._patterns.find(index))
        title_zone, lead_zone = index.zones[TITLE], index.zones[LEAD]
        terms: dict[str, float] = {}
        # Entities first, and the words of their names are not counted again as names. Only the
        # headline's and the lead's first words count, whoever found the mentions.
        named_words: set[str] = set()
        for entity, places in mentions.items():
            read = [
                place for place in places if place.zone == TITLE or (place.zone == LEAD and place.last < LEAD_WORDS)
            ]
            if not read:
                continue
            in_title = any(place.zone == TITLE for place in read)
            terms[ENTITY_PREFIX + entity] = ENTITY_WEIGHT + (TITLE_BONUS if in_title else 0.0)
            for place in read:
                named_words.update(index.zones[place.zone].folded[place.first : place.last + 1])
        lead_words = lead_zone.words[:LEAD_WORDS]
        names = _names(lead_words, named_words)
        # A headline in Title Case capitalises everything: there a word is a name only if the lead
        # writes it as one; a headline in sentence case names the way the lead does.
        title_words = title_zone.words
        if _title_case(title_words):
            title_names = names
        else:
            # In sentence case the first word has its capital by rule: a name only if the lead writes it as one.
            opening = title_words[:1] if title_words and title_words[0].lower() not in names else []
            title_names = names | _names(title_words[len(opening) :], named_words)
        for words, bonus, known_names in ((title_words, TITLE_BONUS, title_names), (lead_words, 0.0, names)):
            for word in words:
                folded = word.lower()
                if folded in COMMON_WORDS or folded in named_words:
                    continue  # (a name is never a common word, nor a figure)
                if folded in known_names:
                    weight = NAME_WEIGHT
                elif not _DIGITS.isdisjoint(word):
                    if word.isdigit() or len(word) < 2:
                        continue  # figures are read whole from the text, below
                    weight = NUMBER_WEIGHT  # a code with digits: "F35", "COVID19"
                elif len(folded) < 3:
                    continue
                else:
                    folded = stem(folded)
                    weight = WORD_WEIGHT
                weight += bonus
                if weight > terms.get(folded, 0.0):
                    terms[folded] = weight
        for text, bonus in ((title_zone.text, TITLE_BONUS), (_lead_text(index), 0.0)):
            for figure, decimal in figures(text):
                weight = (DECIMAL_WEIGHT if decimal else NUMBER_WEIGHT) + bonus
                if weight > terms.get(figure, 0.0):
                    terms[figure] = weight
        weekday = event_weekday(title_zone.folded) or event_weekday(lead_zone.folded[:LEAD_WORDS])
        if weekday is not None:
            terms[WEEKDAY_PREFIX + weekday] = WEEKDAY_WEIGHT
        return features_of(terms)


def _lead_text(index: TextIndex) -> str:
    """The lead's text as written (the summary, or the body's first paragraph), up to ``LEAD_CHARACTERS``."""
    text = index.zones[LEAD].text[:LEAD_CHARACTERS]
    if index.lead_from_body:
        end = _PARAGRAPH_BREAK.search(text)
        if end is not None:
            text = text[: end.start()]
    return text


def features_of(terms: dict[str, float]) -> ArticleFeatures:
    """The features of these weighted terms: the strongest that tell events apart (not a weekday) are the keys."""
    ranked = sorted(terms, key=lambda term: (-terms[term], term))
    keys = tuple(term for term in ranked if terms[term] > WORD_WEIGHT and term[0] != WEEKDAY_PREFIX)[:LOOKUP_KEYS]
    if len(keys) < LOOKUP_KEYS:
        keys += tuple(term for term in ranked if terms[term] <= WORD_WEIGHT)[: LOOKUP_KEYS - len(keys)]
    return ArticleFeatures(terms, keys)


def names_in(terms: Mapping[str, float]) -> frozenset[str]:
    """The names and entities among weighted terms (an article's, or a story's profile): the terms that
    weigh at least ``NAME_WEIGHT`` and are neither figures nor a weekday (a word, even in the
    headline, weighs less)."""
    return frozenset(
        term
        for term, weight in terms.items()
        if weight >= NAME_WEIGHT and term[0] != WEEKDAY_PREFIX and not term[0].isdigit()
    )


assert WORD_WEIGHT + TITLE_BONUS < NAME_WEIGHT <= ENTITY_WEIGHT, "names_in tells names from words by weight"


def _names(words: Sequence[str], named: set[str]) -> set[str]:
    """The folded words written with a capital that are not common words: names, by how they are written."""
    found = set()
    for word in words:
        if word[:1].isupper():
            folded = word.lower()
            if folded not in COMMON_WORDS and folded not in named and len(folded) > 1 and _DIGITS.isdisjoint(word):
                found.add(folded)
    return found


def _title_case(words: Sequence[str]) -> bool:
    significant = [word for word in words if len(word) > 3 and word.isalpha()]
    return bool(significant) and sum(word[0].isupper() for word in significant) > 0.6 * len(significant)
