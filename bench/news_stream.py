"""A day of news, generated: stories reported by several outlets in their own words, as feeds and pushes.

For the cost benchmark and the load test (bench/bench_cost.py, ``make load``): what matters is the
shape of the traffic, not its prose. Each story is an event of one kind (an earthquake, a
summit, a final, a rate decision, an exhibition...) with its own place, names and figures; one
to several outlets report it at different times, each in its own words built from the same
facts, so that classification and story grouping do the work they do on real news. Outlets
publish through feeds (RSS) or push JSON; some items are duplicates (the same article in two
feeds, an item seen again at the next poll), and some input is bad (a pushed item without a
title, a malformed feed item). Everything comes from a seeded random generator: the same seed
gives the same day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape

PLACES = [
    "Sylhet",
    "Chattogram",
    "Rajshahi",
    "Khulna",
    "Mandalay",
    "Almaty",
    "Tashkent",
    "Bishkek",
    "Dushanbe",
    "Astana",
    "Lahore",
    "Kathmandu",
    "Colombo",
    "Chennai",
    "Kolkata",
    "Yangon",
    "Hanoi",
    "Manila",
    "Jakarta",
    "Nairobi",
    "Lagos",
    "Accra",
    "Lima",
    "Quito",
    "Porto",
    "Valencia",
    "Lyon",
    "Gdansk",
    "Brno",
    "Tbilisi",
]
PEOPLE = [
    "Amina Rahman",
    "Karim Ahmed",
    "Nadia Sultana",
    "Omar Faruk",
    "Leila Haddad",
    "Ivan Petrov",
    "Li Wei",
    "Maria Santos",
    "Jonas Berg",
    "Aisha Bello",
    "Ravi Menon",
    "Elena Popescu",
    "Tomas Novak",
    "Sara Cohen",
]
CLUBS = [
    "Aldmoor",
    "Brixford",
    "Caravel",
    "Dunmere",
    "Elsbury",
    "Fenwick",
    "Garford",
    "Hollins",
    "Ironbridge",
    "Kestrel Bay",
    "Lowther",
    "Marlow Cross",
    "Northam",
    "Oakhurst",
    "Quarry Bank",
    "Redcastle",
    "Saltby",
]
OUTLETS = [
    f"{name} {kind}"
    for name in (
        "Delta",
        "Harbour",
        "Summit",
        "Meridian",
        "Capital",
        "Valley",
        "Coastal",
        "Northern",
        "Eastern",
        "Civic",
        "Metro",
        "Frontier",
    )
    for kind in ("Wire", "Daily", "Post", "Herald")
]


def _earthquake(rng: random.Random) -> dict[str, str]:
    return {
        "place": rng.choice(PLACES),
        "magnitude": f"{rng.randint(50, 78) / 10:.1f}",
        "dead": str(rng.randint(2, 90)),
    }


def _summit(rng: random.Random) -> dict[str, str]:
    return {"place": rng.choice(PLACES), "leader": rng.choice(PEOPLE), "year": str(rng.randint(2024, 2026))}


def _final(rng: random.Random) -> dict[str, str]:
    home, away = rng.sample(CLUBS, 2)
    return {
        "home": home,
        "away": away,
        "score": f"{rng.randint(1, 4)}-{rng.randint(0, 1)}",
        "place": rng.choice(PLACES),
    }


def _rates(rng: random.Random) -> dict[str, str]:
    return {"place": rng.choice(PLACES), "rate": f"{rng.randint(30, 95) / 10:.1f}", "governor": rng.choice(PEOPLE)}


def _exhibition(rng: random.Random) -> dict[str, str]:
    return {"place": rng.choice(PLACES), "artist": rng.choice(PEOPLE), "works": str(rng.randint(20, 200))}


# For each kind of event: how it is generated, how often, and the headlines and leads outlets write.
KINDS: dict[str, tuple[object, int, list[str], list[str]]] = {
    "earthquake": (
        _earthquake,
        1,
        [
            "Magnitude {magnitude} earthquake strikes near {place}",
            "Earthquake of magnitude {magnitude} shakes {place}, buildings evacuated",
            "{place} earthquake: death toll rises to {dead} as rescuers search rubble",
        ],
        [
            "A magnitude {magnitude} earthquake struck near {place} on Thursday, sending residents into the streets.",
            "At least {dead} people were killed when buildings collapsed in the magnitude {magnitude} earthquake "
            "near {place}, officials said.",
        ],
    ),
    "summit": (
        _summit,
        1,
        [
            "Leaders meet in {place} for Shanghai Cooperation Organisation summit",
            "SCO summit opens in {place} with {leader} as host",
            "{leader} welcomes SCO leaders to {place} summit",
        ],
        [
            "Leaders of the Shanghai Cooperation Organisation gathered in {place} for their {year} summit, "
            "hosted by {leader}.",
            "The SCO summit in {place} opened on Thursday with talks on security and trade, {leader} said.",
        ],
    ),
    "final": (
        _final,
        2,
        [
            "{home} beat {away} {score} to win the cup final in {place}",
            "Cup final: {home} defeat {away} {score} in {place}",
            "{home} lift the cup after {score} win over {away}",
        ],
        [
            "{home} won the cup final against {away} {score} in {place}, their striker scoring the winning goal.",
            "The cup final in {place} ended {score} to {home}, who beat {away} in front of a full stadium.",
        ],
    ),
    "rates": (
        _rates,
        1,
        [
            "Central bank holds policy rate at {rate}% as inflation eases",
            "{place} central bank keeps interest rate at {rate}%",
            "Governor {governor} says interest rates stay at {rate}%",
        ],
        [
            "The central bank kept its policy interest rate at {rate}% on Thursday as inflation eased, "
            "governor {governor} said in {place}.",
            "Interest rates stay at {rate}%, the central bank said, citing slowing inflation and a weaker economy.",
        ],
    ),
    "exhibition": (
        _exhibition,
        5,
        [
            "{artist} retrospective opens in {place} with {works} works",
            "Museum in {place} shows {works} works by {artist}",
        ],
        [
            "An exhibition of {works} paintings by {artist} opened at the city museum in {place} on Thursday.",
            "Visitors queued in {place} for the first day of the {artist} retrospective, which shows {works} works.",
        ],
    ),
    "festival": (
        _exhibition,
        5,
        [
            "Food festival in {place} draws crowds for its opening weekend",
            "{place} food festival returns with {works} stalls",
        ],
        [
            "The annual food festival in {place} opened with {works} stalls and music on the riverside, "
            "organiser {artist} said.",
            "Families filled the riverside in {place} for the food festival, where {works} stalls sell local dishes.",
        ],
    ),
}


@dataclass
class Report:
    """One outlet's article about one story."""

    story: int
    outlet: str
    url: str
    title: str
    summary: str
    body: str
    published: datetime


@dataclass
class Day:
    """The generated traffic: what each feed lists, what is pushed, and what every article should become."""

    feeds: dict[str, list[Report]] = field(default_factory=dict)
    """Feed name to its items, newest first (as a feed lists them)."""
    pushes: list[list[dict[str, str]]] = field(default_factory=list)
    """Push requests, each a list of JSON articles (some without a title: refused)."""
    reports: list[Report] = field(default_factory=list)
    stories: int = 0


def _fill(template: str, facts: dict[str, str]) -> str:
    return template.format(**facts)


def generate_day(
    *,
    stories: int,
    start: datetime,
    seed: int = 20240704,
    feeds: int = 8,
    outlets_per_story: tuple[int, int] = (1, 4),
    push_share: float = 0.3,
    syndicated_share: float = 0.05,
    bad_share: float = 0.01,
    body_paragraphs: int = 12,
) -> Day:
    """``stories`` stories over a day from ``start``, each reported by a few outlets."""
    rng = random.Random(seed)
    feed_names = [f"{OUTLETS[index % len(OUTLETS)]}" for index in range(feeds)]
    day = Day(feeds={name: [] for name in feed_names}, stories=stories)
    kinds = [kind for kind, (_, weight, _, _) in KINDS.items() for _ in range(weight)]
    pushed: list[dict[str, str]] = []
    for story in range(stories):
        kind = rng.choice(kinds)
        make, _, titles, leads = KINDS[kind]
        facts = make(rng)  # type: ignore[operator]
        first = start + timedelta(minutes=rng.randint(0, 23 * 60))
        outlets = rng.sample([*feed_names, "Push Desk"], rng.randint(*outlets_per_story))
        for order, outlet in enumerate(outlets):
            published = first + timedelta(minutes=order * rng.randint(3, 25))
            lead = _fill(rng.choice(leads), facts)
            filler = " ".join(_fill(rng.choice(leads), facts) for _ in range(2))
            body = "\n\n".join([lead] + [f"{filler} Paragraph {n} of the report." for n in range(body_paragraphs)])
            report = Report(
                story=story,
                outlet=outlet,
                url=f"https://{outlet.lower().replace(' ', '')}.example/{kind}/{story}-{order}",
                title=_fill(rng.choice(titles), facts),
                summary=lead,
                body=body,
                published=published,
            )
            day.reports.append(report)
            if outlet == "Push Desk" or rng.random() < push_share:
                pushed.append(_as_json(report))
            else:
                day.feeds[outlet].append(report)
                if rng.random() < syndicated_share:  # the same article, word for word, in a second feed
                    day.feeds[rng.choice(feed_names)].append(report)
    for items in day.feeds.values():
        items.sort(key=lambda report: report.published, reverse=True)
    for start_index in range(0, len(pushed), 99):  # room for a bad item within POST /articles' 100
        batch = pushed[start_index : start_index + 99]
        if rng.random() < bad_share * len(batch):
            batch.append({"source": "Push Desk", "published": start.isoformat(), "summary": "A draft without a title."})
        day.pushes.append(batch)
    return day


def _as_json(report: Report) -> dict[str, str]:
    return {
        "title": report.title,
        "source": report.outlet,
        "published": report.published.isoformat(),
        "url": report.url,
        "summary": report.summary,
        "body": report.body,
    }


def feed_document(name: str, items: list[Report], *, limit: int = 100) -> bytes:
    """An RSS 2.0 document listing the feed's newest ``limit`` items."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>https://{name.lower().replace(' ', '')}.example/</link>"
    ]
    for report in items[:limit]:
        paragraphs = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in report.body.split("\n\n"))
        parts.append(
            f"<item><title>{escape(report.title)}</title><link>{escape(report.url)}?utm_source=rss</link>"
            f"<guid>{escape(report.url)}</guid><pubDate>{format_datetime(report.published)}</pubDate>"
            f"<description><![CDATA[{paragraphs}]]></description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")
