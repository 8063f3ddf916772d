"""Category vocabulary derived from the IPTC Media Topics scheme: ``make categories IPTC=scheme.jsonl``.

The seventeen categories of the taxonomy are the IPTC Media Topics top level (each names its
``iptc:`` code). Their hand-written queries are the main evidence; this tool derives *extra,
lower-weight* vocabulary for each from what the standard says the category covers: the labels of
the concepts under it (levels 2-5) and the definition words that belong to it alone. Nothing comes
from a labelled test set. The derivation, step by step (docs/classifier.md, "Vocabulary from the
IPTC Media Topics"):

1. **Labels** of the concepts under the category's top-level concept (levels 2-5). A label is cut
   at commas, slashes and " - " into segments, and a segment at " and " / " or " into parts when
   the parts are all single words ("crime, law and justice" gives ``crime``, ``law``, ``justice``)
   or all phrases; where a lone word shares the head of a longer part ("rock and roll music",
   "air and space accident") the whole segment is the term. A single word that the standard
   itself qualifies ("beam (artistic gymnastics)", "appeal (court)") is dropped: the qualifier
   says the word alone means something else; a phrase keeps its words without the qualifier. A
   single lower-case word also gives its plural where the scheme's own text has that plural.
2. **Definition words**: words of four letters or more, outside a list of function words, that
   stand in the definitions of at least ``MIN_DEFINITION_CONCEPTS`` concepts of the category, in
   at least ``DEFINITION_SHARE`` of all the definitions they stand in (a word of every field's
   definitions says nothing of any), and in a label of the category too (the standard names it
   as part of the field, not only uses it to describe one: "javelin", "fencing", not "whilst").
3. **Filters**, in this order: the written exclusion list ``GENERIC`` (each entry with its reason:
   "teams" would make sport fire on fire-service teams); a term derived for two categories (the
   standard files it under both); a term that a hand-written category query already covers,
   its own (it would add nothing) or another's (the hand vocabulary decided where it belongs:
   "software", under economy's IT sector in the scheme, stays science-technology's).

The result is a set of ``term^weight`` alternatives per category (labels ``LABEL_WEIGHT``,
definition words ``DEFINITION_WEIGHT``), meant to be OR-ed after the hand-written query as extra,
weaker evidence. It is written to ``iptc_vocabulary.yaml`` beside this module (not in the Lambda
layer); ``--candidate FILE`` also writes the taxonomy with those terms added, to measure with
``newsalert eval --taxonomy FILE``. Measured on the AG News halves it changed nothing worth having,
so the bundled taxonomy does not use it (docs/classifier.md has the figures). ``--check``
changes nothing and exits 1 when the generated file differs from what the scheme and the
taxonomy give (the filters read the taxonomy: a change to a category query can change it).

The scheme is copyright IPTC (International Press Telecommunications Council), www.iptc.org;
IPTC NewsCodes may be used royalty free provided the copyright is stated, and everything this
tool writes states it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from newsalert.classify.taxonomy import Taxonomy, parse_taxonomy
from newsalert.classify.topics import read_article
from newsalert.models import Article

COPYRIGHT = (
    "Derived from the IPTC Media Topics vocabulary, copyright IPTC (International Press Telecommunications "
    "Council), www.iptc.org. IPTC NewsCodes may be used royalty free provided the IPTC's copyright is stated."
)

LABEL_WEIGHT = 0.3
"""What a derived label term adds, against 1 for an ordinary hand-written word of the field."""
DEFINITION_WEIGHT = 0.2
"""What a derived definition word adds: it says less than a label."""
MIN_DEFINITION_CONCEPTS = 2
"""A definition word must stand in the definitions of this many concepts of the category."""
DEFINITION_SHARE = 0.8
"""...and this share of all the definitions it stands in must be the category's."""

_FUNCTION_WORD_LIST = """
about above across after against along also although among amongst another anything around because
been before being below between beyond both but by can could does doing done down during each either
else even ever every following from further given have having here however including into itself
just least less like made make makes making many more most much must near neither never none nor not
often only other others otherwise over own rather same several shall should since some such than
that their them themselves then there these they this those though through thus together towards
under unless until upon very well were what whatever when where whether which while whom whose will
with within without would your etc
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
"""English function words: never a topic word."""

GENERIC: Mapping[str, str] = {
    # Words of the scheme's labels and definitions that would make a category fire on news of
    # another: each with the reason, so that a change to this list is a decision.
    "activities": "any field has activities",
    "activity": "any field has activities",
    "adults": "people of every story",
    "affairs": "every desk covers affairs",
    "air": "air travel, air strikes, on air",
    "alpine": "an Alpine village, Alpine roads",
    "animal": "animals are in sport (horse racing), science and the environment too",
    "animals": "as animal",
    "announcements": "any announcements",
    "annual": "any annual event",
    "appeal": "an appeal for calm, for donations, a product's appeal",
    "association": "associations of every kind (clubs, trade bodies)",
    "associations": "as association",
    "authorities": "police, health and tax authorities",
    "authority": "as authorities",
    "award": "a contract award, a damages award",
    "awards": "as award",
    "ball": "a gymnastics apparatus in the scheme, but most balls in news are games or dances",
    "bar": "behind bars, a bar to entry, a gymnastics apparatus",
    "bars": "as bar",
    "beam": "as ball",
    "benefit": "any benefit",
    "benefits": "any benefits",
    "bowls": "a sport, but 'bowls over' and salad bowls",
    "business": "already economy's, and used of every field ('the business of politics')",
    "case": "a court case, a medical case, a case of wine",
    "ceremony": "a signing ceremony, a memorial ceremony",
    "child": "children are in every kind of story",
    "children": "as child",
    "civil": "civil war, civil servants, civil law: every field",
    "club": "as clubs",
    "clubs": "sports clubs, nightclubs, a gymnastics apparatus",
    "college": "college sport is sport (the hand query of education says so)",
    "colleges": "as college",
    "combined": "any combined",
    "communities": "any communities",
    "company": "already economy's with a low weight",
    "competition": "sport, business competition and competition law",
    "competitions": "as competition",
    "components": "any components",
    "condition": "as conditions",
    "conditions": "weather, health, working and market conditions",
    "construction": "a sector, but also 'under construction' of anything",
    "contract": "players', employment and commercial contracts",
    "contracts": "as contract",
    "control": "control of anything",
    "credit": "'credited with', 'credit to': any field",
    "credits": "as credit",
    "cult": "a cult film, a cult following",
    "cults": "as cult",
    "culture": "company culture, a culture of fear",
    "customs": "border customs (trade, crime)",
    "cycle": "the business cycle, a news cycle",
    "days": "counts of days in event names",
    "death": "deaths are in conflict, disaster, crime and health",
    "deaths": "as death",
    "defence": "a court defence, a team's defence",
    "design": "any design",
    "designs": "any designs",
    "development": "any development",
    "developments": "any developments",
    "disabled": "'disabled a bomb', systems disabled",
    "discipline": "a sport's discipline, party discipline, disciplinary action",
    "disciplines": "as discipline",
    "discovery": "the discovery of a body, a fraud; legal discovery",
    "distance": "any distance",
    "distances": "any distances",
    "distribution": "any distribution",
    "diving": "prices diving, shares diving",
    "double": "any double",
    "doubles": "any doubles",
    "drawing": "drawing criticism, drawing up plans",
    "dying": "as death",
    "education": "already education's; also 'public education campaign'",
    "employee": "every sector's employees",
    "employees": "as employee",
    "energy": "an economy sector, the environment's resources and science in the scheme",
    "equipment": "military, sports and medical equipment",
    "event": "any event",
    "events": "any events",
    "exchange": "an exchange of fire, a prisoner exchange",
    "exchanges": "as exchange",
    "facilities": "sports, health and religious facilities",
    "facility": "as facilities",
    "family": "families are in every kind of story",
    "field": "a field of study, an oil field, a playing field",
    "fields": "as field",
    "fire": "fire is disaster's; also 'under fire', 'opened fire', 'fired'",
    "fires": "as fire; also 'fires a manager'",
    "fishing": "a sport, an industry and a hobby in the scheme",
    "flat": "flat prices, flat growth",
    "floor": "the Senate floor, the trading floor",
    "flying": "any flying",
    "foil": "'foiled a plot'",
    "foils": "as foil",
    "food": "an industry, a regulation and a pastime in the scheme",
    "four": "counts in event names",
    "game": "sport and lifestyle: 'game' in sport is a match",
    "games": "as game",
    "gas": "tear gas, a gas attack, gas prices",
    "government": "already politics'; also 'government bonds', 'government health care'",
    "grass": "any grass",
    "group": "any group",
    "groups": "any groups",
    "health": "already health's; also 'health and safety at work' (labour), 'economic health'",
    "history": "a science in the scheme; in news, 'the first in history', 'a history of'",
    "holiday": "a public holiday is news of every field",
    "holidays": "as holiday; holiday sales are economy's",
    "home": "at home, home sales (economy), a home win",
    "homes": "as home",
    "horizontal": "any horizontal",
    "house": "the House of Representatives, a publishing house",
    "houses": "as house",
    "hunting": "a manhunt, job hunting",
    "hurdles": "regulatory hurdles",
    "incident": "any incident (a diplomatic incident, a border incident)",
    "incidents": "as incident",
    "income": "any income",
    "individual": "any individual",
    "individuals": "any individuals",
    "industry": "already economy's with a low weight",
    "information": "any information",
    "injuries": "sport injuries, disaster injuries",
    "inline": "any inline",
    "instruments": "financial and musical instruments",
    "intelligence": "artificial intelligence, spies",
    "iron": "golf irons, iron ore",
    "irons": "as iron",
    "issue": "any issue",
    "issues": "any issues",
    "it": "IT (information technology) is 'IT' in any headline written in capitals",
    "jump": "prices jump",
    "jumping": "as jump",
    "jumps": "as jump",
    "language": "programming languages, the language of a treaty",
    "languages": "as language",
    "law": "every field has its law (election law, labour law)",
    "laws": "as law",
    "learning": "machine learning, 'learning that'",
    "life": "any life",
    "management": "any management",
    "market": "already economy's; also 'labour market', 'market town'",
    "martial": "martial law",
    "matters": "any matters",
    "media": "a sector (economy) and the arts in the scheme",
    "members": "any members",
    "mental": "as an adjective, anywhere",
    "movements": "market and troop movements",
    "national": "any national",
    "nationals": "foreign nationals",
    "nature": "the nature of anything",
    "news": "every item is news",
    "occupations": "a military occupation",
    "options": "any options",
    "organisation": "any organisation",
    "organisations": "any organisations",
    "organization": "any organisation",
    "oval": "the Oval Office",
    "paper": "a paper of any field",
    "papers": "as paper",
    "parallel": "any parallel",
    "parent": "a parent company",
    "parents": "as parent",
    "parks": "business parks, car parks",
    "parties": "political parties",
    "party": "a political party and a celebration",
    "people": "people are in every story",
    "peoples": "as people",
    "person": "as people",
    "persons": "as people",
    "philosophy": "a company's philosophy",
    "plant": "a power plant, a factory, a plant in the garden",
    "plants": "as plant",
    "pole": "a Pole, the North Pole, opinion poles",
    "policies": "as policy",
    "policy": "every field has its policy",
    "polo": "a car and a shirt",
    "polos": "as polo",
    "pool": "a betting pool, a gene pool",
    "pools": "as pool",
    "precious": "any precious",
    "process": "any process",
    "product": "any product",
    "production": "film, oil and any production",
    "products": "any products",
    "programme": "any programme",
    "properties": "any properties",
    "public": "any public",
    "puzzle": "any puzzle (a mystery)",
    "race": "a horse race, the presidential race, the arms race",
    "radio": "satellite radio (technology), a radio message",
    "radios": "as radio",
    "rate": "any rate (crime, death, birth)",
    "rates": "as rate",
    "recall": "a product recall (economy), 'recalled'",
    "recalls": "as recall",
    "recommendation": "any recommendation",
    "record": "a world record, a criminal record, a record label",
    "records": "as record",
    "regional": "any regional",
    "regulation": "market regulation is economy's in the hand queries",
    "regulations": "as regulation",
    "relations": "international, labour and public relations",
    "relay": "relaying a message",
    "reports": "any reports",
    "research": "already science-technology's; research by banks, polls",
    "resource": "any resource",
    "resources": "any resources",
    "revolution": "a digital revolution",
    "revolutions": "as revolution",
    "riding": "riding high, a riding (a constituency)",
    "rifle": "rifles are weapons (conflict, crime)",
    "rights": "human, broadcast and voting rights",
    "rings": "a gymnastics apparatus in the scheme; spy rings, drug rings in news",
    "roller": "any roller",
    "roman": "part of names",
    "rope": "a gymnastics apparatus in the scheme",
    "routine": "any routine",
    "rules": "any rules",
    "running": "running for office, running a company",
    "runs": "as running",
    "sabre": "sabre-rattling",
    "safety": "road, food, nuclear and workplace safety",
    "security": "national security, social security, computer security, securities",
    "sell": "any seller: a food festival sells food",
    "service": "any service",
    "services": "any services",
    "shot": "gunshots, a shot at anything",
    "shotgun": "a weapon",
    "single": "any single",
    "singles": "a record's singles",
    "skeleton": "skeletons found (crime, science)",
    "skeletons": "as skeleton",
    "speed": "any speed",
    "sport": "already sport's; 'sports policies' is politics in the scheme",
    "squash": "'squash a rebellion'",
    "squashes": "as squash",
    "state": "any state",
    "state relations": "a fragment of 'religious institutions and state relations'",
    "statements": "any statements",
    "strategies": "as strategy",
    "strategy": "any strategy",
    "study": "already science-technology's with a low weight",
    "surfing": "web surfing",
    "swiss": "the Swiss, Swiss banks",
    "system": "any system",
    "systems": "any systems",
    "table": "'on the table'",
    "targets": "military and sales targets",
    "team": "sport's teams and fire-service, rescue, negotiating teams",
    "teams": "as team",
    "technology": "already science-technology's; IT is also an economy sector in the scheme",
    "television": "an economy sector and the arts in the scheme; TV technology",
    "televisions": "as television",
    "test": "nuclear tests, Test matches, tests of anything",
    "tests": "as test",
    "three": "counts in event names",
    "throw": "any throw",
    "throws": "as throw",
    "times": "counts, and newspapers' names",
    "track": "'on track', a track record",
    "tracks": "as track",
    "tradition": "any tradition",
    "traditions": "as tradition",
    "traffic": "road traffic, drug trafficking",
    "transfer": "money and power transfers",
    "transfers": "as transfer",
    "transport": "any transport",
    "trend": "any trend",
    "trends": "as trend",
    "type": "any type",
    "types": "any types",
    "value": "any value",
    "values": "any values",
    "vault": "a gymnastics apparatus; a bank vault",
    "water": "water supply (economy), water pollution (environment), water sports",
    "waters": "territorial waters",
    "weight": "any weight",
    "work": "any work",
    "world": "any world",
}
"""Words never derived, with the reason (ambiguous across fields, or too general to say anything)."""

_QUALIFIER = re.compile(r"\s*\(([^)]*)\)")
_WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class Concept:
    """One concept of the scheme."""

    qcode: str
    label: str
    definition: str
    top: str
    level: int


@dataclass(frozen=True)
class Derived:
    """One derived term of a category, as the query writes it, with its weight and where it came from."""

    term: str
    weight: float
    source: str
    """``label`` or ``definition``."""

    def query_text(self) -> str:
        written = f'"{self.term}"' if " " in self.term or "-" in self.term else self.term
        return f"{written}^{self.weight:g}"


def read_scheme(lines: Iterable[str]) -> list[Concept]:
    """The concepts of a scheme file in JSON lines (``qcode``, ``label``, ``definition``, ``top``, ``level``)."""
    concepts = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            concepts.append(
                Concept(row["qcode"], row["label"], row.get("definition") or "", row["top"], int(row["level"]))
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"line {number}: not a scheme concept ({error})") from error
    return concepts


def plural(word: str) -> str | None:
    """The plural of a singular English noun, or None where the word does not take one this simply."""
    if not word.isalpha() or word.endswith(("s", "ing", "ism", "ics", "ure", "ice", "ence", "ance")):
        return None
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("x", "ch", "sh")):
        return word + "es"
    return word + "s"


def label_terms(label: str, attested: frozenset[str] = frozenset()) -> list[str]:
    """The terms a concept's label gives (step 1 of the module's description).

    A single lower-case word also gives its plural when ``attested`` (the scheme's own words) has it."""
    qualified = bool(_QUALIFIER.search(label))
    terms: list[str] = []
    for segment in re.split(r",\s*|\s*/\s*|\s+-\s+", _QUALIFIER.sub("", label)):
        parts = [part.strip() for part in re.split(r"\s+(?:and|or)\s+", segment.strip()) if part.strip()]
        sizes = {len(part.split()) == 1 for part in parts}
        if len(sizes) > 1:
            # "rock and roll music", "oil and gas", "air and space accident": a lone word shares the
            # head of a longer part, and on its own would say something else. The whole is the term.
            parts = [segment.strip()]
        for part in parts:
            if len(part.split()) == 1:
                if qualified:
                    continue  # the standard qualifies it: alone, the word means something else
                terms.append(part)
                if part.islower() and (plural_form := plural(part)) in attested:
                    terms.append(plural_form)
            else:
                terms.append(part)
    return terms


def definition_words(definition: str) -> set[str]:
    """The candidate words of one definition: four letters or more, no function words, lower case."""
    return {word.lower() for word in _WORD.findall(definition) if len(word) >= 4 and word.lower() not in FUNCTION_WORDS}


def _claims(taxonomy: Taxonomy, term: str, categories: Iterable[str]) -> set[str]:
    """The categories whose hand-written query has a term that covers the whole of ``term``."""
    now = datetime(2000, 1, 1, tzinfo=UTC)
    article = Article.create(title=term, source="iptc", published=now, received_at=now)
    document = read_article(article, taxonomy)
    last = len(document.index.zones[0].words) - 1
    claimed = set()
    for category in categories:
        hits = taxonomy.compiled(category).evaluate(document) or []
        if any(zone == 0 and first == 0 and end == last for zone, first, end, *_ in hits):
            claimed.add(category)
    return claimed


def candidates(concepts: list[Concept], category_of: Mapping[str, str]) -> dict[str, dict[str, Derived]]:
    """Every category's terms from its labels and definitions (steps 1 and 2), before the filters.

    Keyed by the term in lower case; a label term wins over the same definition word. ``weight``
    is 0 here: ``derive`` sets it."""
    attested = frozenset(
        word.lower() for concept in concepts for word in _WORD.findall(f"{concept.label} {concept.definition}")
    )
    found: dict[str, dict[str, Derived]] = defaultdict(dict)
    label_words: dict[str, set[str]] = defaultdict(set)
    definitions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for concept in concepts:
        category = category_of.get(concept.top)
        if category is None:
            continue
        label_words[category].update(word.lower() for word in _WORD.findall(concept.label))
        for word in definition_words(concept.definition):
            definitions[word][category] += 1
        if concept.level >= 2:
            for term in label_terms(concept.label, attested):
                found[category][term.lower()] = Derived(term, 0.0, "label")
    for word, counts in sorted(definitions.items()):
        category, count = max(counts.items(), key=lambda item: (item[1], item[0]))
        named = word in label_words[category] or word.removesuffix("s") in label_words[category]
        if named and count >= MIN_DEFINITION_CONCEPTS and count >= DEFINITION_SHARE * sum(counts.values()):
            found[category].setdefault(word, Derived(word, 0.0, "definition"))
    return found


def derive(
    concepts: list[Concept],
    taxonomy: Taxonomy,
    *,
    label_weight: float = LABEL_WEIGHT,
    definition_weight: float = DEFINITION_WEIGHT,
) -> dict[str, list[Derived]]:
    """Each category's derived terms (steps 1-3 of the module's description), sorted, by category id.

    Categories are the taxonomy's topics of kind ``category`` with an ``iptc:`` code; a weight of 0
    leaves that source out."""
    category_of = {topic.iptc: topic.id for topic in taxonomy.topics if topic.kind == "category" and topic.iptc}
    found = candidates(concepts, category_of)
    owners: dict[str, set[str]] = defaultdict(set)
    for category, terms in found.items():
        for key in terms:
            owners[key].add(category)
    weights = {"label": label_weight, "definition": definition_weight}
    categories = sorted(category_of.values())
    derived: dict[str, list[Derived]] = {}
    for category in categories:
        kept = []
        for key, item in sorted(found.get(category, {}).items()):
            weight = weights[item.source]
            if weight <= 0 or key in GENERIC or len(owners[key]) > 1:
                continue
            if _claims(taxonomy, item.term, categories):
                continue  # its own query has it already, or another category's does
            kept.append(Derived(item.term, weight, item.source))
        derived[category] = kept
    return derived


def derived_query(terms: list[Derived]) -> str:
    """The derived terms as one OR of weighted alternatives."""
    return " OR ".join(item.query_text() for item in terms)


def augmented_document(document: dict[str, Any], derived: Mapping[str, list[Derived]]) -> dict[str, Any]:
    """A copy of a taxonomy document whose category queries have the derived terms OR-ed after them."""
    topics = []
    for topic in document["topics"]:
        terms = derived.get(topic["id"]) if topic.get("kind") == "category" else None
        if terms:
            topic = {**topic, "query": f"({topic['query']}) OR {derived_query(terms)}"}
        topics.append(topic)
    return {**document, "topics": topics}


def render(derived: Mapping[str, list[Derived]], scheme_name: str) -> str:
    """The generated vocabulary file: the copyright, then each category's derived query, one term a line."""
    lines = [
        "# GENERATED by `make categories IPTC=...` (newsalert.tools.iptc_categories): do not edit by hand.",
        f"# Source: {scheme_name}.",
        *(f"# {line}" for line in textwrap.wrap(COPYRIGHT, 98, break_on_hyphens=False)),
        "# Each category's terms derived from the labels and definitions of the concepts under its IPTC",
        "# top-level concept (docs/classifier.md, 'Vocabulary from the IPTC Media Topics'). Measured, not",
        "# adopted: the bundled taxonomy does not use these terms.",
        "version: 1",
        "categories:",
    ]
    for category, terms in derived.items():
        lines.append(f"  {category}:")
        lines.extend(f"    - {json.dumps(item.query_text(), ensure_ascii=False)}  # {item.source}" for item in terms)
        if not terms:
            lines[-1] += " []"
    return "\n".join(lines) + "\n"


DATA = Path(__file__).resolve().parents[1] / "data"
GENERATED = Path(__file__).resolve().with_name("iptc_vocabulary.yaml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("scheme", type=Path, help="the IPTC Media Topics scheme, JSON lines")
    parser.add_argument("--taxonomy", type=Path, default=DATA / "taxonomy.yaml", help="the taxonomy to augment")
    parser.add_argument("--out", type=Path, default=GENERATED, help="the generated vocabulary file")
    parser.add_argument("--candidate", type=Path, help="also write the augmented taxonomy here, to measure it")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if --out is stale")
    parser.add_argument("--label-weight", type=float, default=LABEL_WEIGHT, help="0 leaves the labels out")
    parser.add_argument("--definition-weight", type=float, default=DEFINITION_WEIGHT, help="0 leaves definitions out")
    args = parser.parse_args(argv)
    concepts = read_scheme(args.scheme.read_text(encoding="utf-8").splitlines())
    taxonomy_text = args.taxonomy.read_text(encoding="utf-8")
    taxonomy = parse_taxonomy(taxonomy_text, source=str(args.taxonomy))
    derived = derive(concepts, taxonomy, label_weight=args.label_weight, definition_weight=args.definition_weight)
    text = render(derived, args.scheme.name)
    if args.check:
        if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is stale: run `make categories IPTC={args.scheme}`", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    counts = ", ".join(f"{category} {len(terms)}" for category, terms in derived.items())
    print(f"{args.out}: {sum(len(terms) for terms in derived.values())} terms ({counts})")
    if args.candidate:
        document = augmented_document(yaml.safe_load(taxonomy_text), derived)
        args.candidate.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
        print(f"{args.candidate}: the taxonomy with the derived terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
