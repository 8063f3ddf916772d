"""Benchmark of story grouping (``StoryGrouper.assign``) with the in-memory repository.

Measures, each several times (median and best of the repetitions), in one process:

- grouping generated articles shaped like news: a headline, a lead of about 600 characters and
  a body of about 4 KB (only the headline and lead are read), 5,000 of them in stories of one to
  six articles, each story written in its own words around its own invented names, places and
  numbers, with the events of a few recurring kinds (so that stories share their topic words);
- the same with classify's reading of each article reused (``index`` and ``mentions``, as the
  classify stage would pass them; the reading itself is not timed, classify has paid for it);
- the hashing baseline of ``newsalert eval --method near-duplicate`` (MinHash over the whole text,
  pure Python, on the first ``BASELINE_ARTICLES`` only: it is some thirty times slower).

Every repetition starts from an empty repository and a fresh grouper (assigning an article twice
is a redelivery, which is cheaper). The texts are generated in memory from a fixed seed; nothing
is read from disk but the entity catalog. ``--stories PATH`` also times the articles of a
JSON-lines file such as ``../shared/data/stories-dev.jsonl`` (never read unless asked: its
licence keeps it out of the project).

Run: ``.venv/bin/python bench/bench_stories.py [--articles N] [--repeat N] [--stories PATH]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from timing import Result, cpu_model, measure

from newsalert.classify.collector import settle_after_loading
from newsalert.classify.entities import load_entities
from newsalert.classify.query.document import Mention
from newsalert.classify.stories import InMemoryStories, StoryGrouper
from newsalert.classify.taxonomy import load_taxonomy
from newsalert.classify.topics import read_article
from newsalert.classify.words import TextIndex
from newsalert.models import Article
from newsalert.tools.article_input import InputArticle, read_json_lines
from newsalert.tools.near_duplicates import NearDuplicateGrouper

SEED = 20240704
ARTICLES = 5_000
BASELINE_ARTICLES = 500
RECEIVED = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)

_GENERAL_TEXT = """
the a of to and in on for with at by from after before over under about against between during said says
told added according officials statement report week month today yesterday Monday Tuesday morning night
city town region country capital province district village border coast river bridge road people residents
workers families police council agency committee company board court judge hearing case plan budget cost
million billion percent rise fall new first last next several many expected announced agreed rejected
approved opened closed started ended continued decision meeting talks vote law bill deal support leaders
"""
_GENERAL = _GENERAL_TEXT.split()
_KINDS = {
    "quake": "earthquake magnitude tremor struck collapsed rubble rescuers buildings aftershocks injured",
    "coach": "coach fired hired manager club season defeats contract appointed replaced team",
    "summit": "summit leaders talks agreement declaration delegations hosted bilateral trade security",
    "crash": "crash driver killed injured highway collision police investigation vehicle charged",
    "vote": "parliament vote bill passed lawmakers opposition majority amendment session approved",
    "storm": "storm hurricane winds flooding evacuated landfall rainfall power outages damage",
}
_SYLLABLES = "ka ro mi ten vas lu bor chen dar el fi gor han is jo kel mar nor os pel rud sa tor ul ver wen ya zo"


class Writer:
    """Invented news: each event has its own names, place and numbers, told differently by each outlet."""

    def __init__(self, seed: int = SEED) -> None:
        self._random = random.Random(seed)
        self._syllables = _SYLLABLES.split()

    def _name(self) -> str:
        return "".join(self._random.choice(self._syllables) for _ in range(self._random.randint(2, 3))).capitalize()

    def _words(self, pool: list[str], count: int) -> list[str]:
        return [self._random.choice(pool) for _ in range(count)]

    def story(self, articles: int, published: datetime) -> list[Article]:
        kind = self._random.choice(list(_KINDS)).split()
        kind_words = _KINDS[kind[0]].split()
        names = [f"{self._name()} {self._name()}", self._name(), self._name()]
        numbers = [str(self._random.randint(2, 900)) for _ in range(2)]
        facts = names + numbers + kind_words[:4]
        written = []
        for number in range(articles):
            title_words = self._random.sample(facts, 4) + self._words(kind_words, 2) + self._words(_GENERAL, 3)
            self._random.shuffle(title_words)
            lead = " ".join(self._random.sample(facts, 6) + self._words(kind_words, 10) + self._words(_GENERAL, 60))
            body = " ".join(self._words(_GENERAL + kind_words, 650))
            written.append(
                Article.create(
                    title=" ".join(title_words).capitalize(),
                    summary=lead[:600],
                    body=body,
                    source=f"Outlet {self._random.randint(1, 40)}",
                    published=published + timedelta(minutes=10 * number),
                    received_at=RECEIVED,
                    url=f"https://outlet.example/{published.timestamp():.0f}/{number}/{self._random.random()}",
                )
            )
        return written

    def stream(self, count: int) -> list[Article]:
        articles: list[Article] = []
        published = RECEIVED - timedelta(days=1)
        while len(articles) < count:
            articles += self.story(self._random.randint(1, 6), published)
            published += timedelta(seconds=30)
        articles = articles[:count]
        # Outlets report in their own time: a story's articles arrive interleaved with others'.
        window = 40
        for start in range(0, len(articles), window):
            chunk = articles[start : start + window]
            self._random.shuffle(chunk)
            articles[start : start + window] = chunk
        return articles


def file_articles(path: Path) -> list[Article]:
    with path.open(encoding="utf-8") as lines:
        items = read_json_lines(lines, origin=str(path), received_at=RECEIVED)
        return [item.article for item in items if isinstance(item, InputArticle)]


Readings = list[tuple[TextIndex, dict[str, list[Mention]]]]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=ARTICLES, help=f"generated articles (default {ARTICLES:,})")
    parser.add_argument("--repeat", type=int, default=5, help="measured repetitions of each case (default 5)")
    parser.add_argument("--stories", type=Path, help="also time the articles of this JSON-lines file")
    parser.add_argument("--no-baseline", action="store_true", help="skip the near-duplicate baseline")
    args = parser.parse_args()

    entities = load_entities()
    taxonomy = load_taxonomy(entities=entities)
    cases = {"generated news": Writer().stream(args.articles)}
    if args.stories:
        cases[args.stories.name] = file_articles(args.stories)
    settle_after_loading()  # as the classify handler does once loaded

    def group_all(articles: list[Article]) -> Callable[[], int]:
        def run() -> int:
            grouper = StoryGrouper(InMemoryStories(), entities)
            return len({grouper.assign(article).story_id for article in articles})

        return run

    def group_reusing(articles: list[Article], readings: Readings) -> Callable[[], int]:
        def run() -> int:
            grouper = StoryGrouper(InMemoryStories(), entities)
            return len(
                {
                    grouper.assign(article, index=index, mentions=mentions).story_id
                    for article, (index, mentions) in zip(articles, readings, strict=True)
                }
            )

        return run

    def near_duplicates(articles: list[Article]) -> Callable[[], int]:
        def run() -> int:
            grouper = NearDuplicateGrouper()
            return len({grouper.assign(article) for article in articles})

        return run

    rows: list[tuple[Result, int]] = []
    for kind, articles in cases.items():
        size = statistics.mean(len(a.title) + len(a.summary) + len(a.body) for a in articles)
        label = f"{len(articles):,} {kind} ({size:,.0f} chars)"
        result, stories = measure(f"assign {label}", len(articles), group_all(articles), args.repeat)
        rows.append((result, stories))
        documents = [read_article(article, taxonomy) for article in articles]
        readings: Readings = [(document.index, document.mentions) for document in documents]
        reused = group_reusing(articles, readings)
        result, stories = measure(f"assign, classify's reading reused, {label}", len(articles), reused, args.repeat)
        rows.append((result, stories))
        if not args.no_baseline:
            some = articles[:BASELINE_ARTICLES]
            name = f"near-duplicate {len(some):,} {kind}"
            result, stories = measure(name, len(some), near_duplicates(some), args.repeat)
            rows.append((result, stories))

    print(
        f"Python {platform.python_version()} on {cpu_model()} ({os.cpu_count()} CPUs), one thread, "
        f"{args.repeat} repetitions, in-memory repository"
    )
    print()
    print(f"| {'case':<70} | {'median':>9} | {'best':>9} | {'per item':>9} | {'items/s':>9} | {'stories':>7} |")
    print(f"|{'-' * 72}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 9}|")
    for result, stories in rows:
        per_item = result.median / result.items
        print(
            f"| {result.name:<70} | {result.median * 1000:>6.0f} ms | {result.best * 1000:>6.0f} ms "
            f"| {per_item * 1e6:>6.0f} µs | {result.per_second:>9,.0f} | {stories:>7,} |"
        )


if __name__ == "__main__":
    main()
