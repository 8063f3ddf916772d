"""Benchmark of ingest's parsing and normalisation, on generated input (no files, no network).

Measures, each several times (median and best of the repetitions):

- parsing one RSS 2.0 feed of 1,000 items (``newsalert.ingest.formats.feed_document.parse_feed``: decoding,
  the DTD check, feedparser, text cleaning, dates, canonical URLs, language detection);
- normalising 10,000 pushed articles as ``POST /articles`` does
  (``newsalert.ingest.formats.pushed_json.article_from_pushed``: validation, the time and its
  zone, text cleaning, then ``Article.create``: canonical URL, content hash, id);
- parsing 10,000 raw text article files (``newsalert.ingest.formats.raw_text.parse_raw_article``);
- language detection alone on the 10,000 articles.

Input is generated in memory from a fixed seed, so every run measures the same work.
Run: ``.venv/bin/python bench/bench_ingest.py [--repeat N]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from timing import cpu_model, measure

from newsalert.ingest.formats.feed_document import parse_feed
from newsalert.ingest.formats.pushed_json import article_from_pushed
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.language import detect_language
from newsalert.ingest.sources import load_source_catalog
from newsalert.models import Article

SEED = 20240704
FEED_ITEMS = 1_000
ARTICLES = 10_000
RECEIVED = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)

# Sentences to build articles from, in the languages the detector meets most.
SENTENCES = {
    "en": [
        "The council said on Monday that the new bridge would open to traffic in the spring.",
        "Officials expect the work to cost more than the original estimate of 40 million.",
        "Residents have complained about the noise from the site for more than a year.",
        "The minister told reporters that the government would not change its plans.",
        "Shares in the company rose by four per cent after the results were published.",
    ],
    "fr": [
        "Le conseil a annoncé lundi que le nouveau pont serait ouvert à la circulation au printemps.",
        "Les habitants se plaignent du bruit du chantier depuis plus d'un an.",
        "Le ministre a déclaré que le gouvernement ne changerait pas ses projets.",
    ],
    "de": [
        "Der Stadtrat hat am Montag mitgeteilt, dass die neue Brücke im Frühjahr eröffnet wird.",
        "Die Anwohner beschweren sich seit mehr als einem Jahr über den Lärm der Baustelle.",
        "Der Minister sagte, die Regierung werde ihre Pläne nicht ändern.",
    ],
    "bn": [
        "সোমবার পৌরসভা জানিয়েছে যে নতুন সেতুটি বসন্তে যান চলাচলের জন্য খুলে দেওয়া হবে।",
        "বাসিন্দারা এক বছরেরও বেশি সময় ধরে নির্মাণস্থলের শব্দ নিয়ে অভিযোগ করছেন।",
    ],
}
TITLE_WORDS = [
    "council",
    "bridge",
    "minister",
    "rates",
    "floods",
    "election",
    "strike",
    "port",
    "market",
    "court",
    "police",
    "storm",
    "budget",
    "talks",
    "summit",
    "ceasefire",
    "vote",
    "harbour",
    "school",
    "hospital",
    "airport",
    "festival",
]


def _title(rng: random.Random) -> str:
    words = rng.sample(TITLE_WORDS, 6)
    return f"{words[0].capitalize()} {' '.join(words[1:])} after {rng.randint(2, 90)} days"


def _paragraphs(rng: random.Random) -> list[str]:
    language = rng.choices(list(SENTENCES), weights=(6, 2, 2, 1))[0]
    pool = SENTENCES[language]
    return [" ".join(rng.choices(pool, k=3)) for _ in range(rng.randint(3, 8))]


def generate_feed(rng: random.Random, items: int = FEED_ITEMS) -> bytes:
    """An RSS 2.0 feed with HTML descriptions, content:encoded, CDATA and tracking parameters."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Bench Wire</title><link>https://bench.example.com/</link>"
    ]
    for number in range(items):
        paragraphs = _paragraphs(rng)
        published = RECEIVED - timedelta(minutes=rng.randint(1, 6 * 60))
        html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        parts.append(
            f"<item><title>{escape(_title(rng))}</title>"
            f"<link>https://bench.example.com/news/{number}?utm_source=rss&amp;utm_medium=feed</link>"
            f'<guid isPermaLink="false">bench-{number}</guid>'
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(paragraphs[0])}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def generate_pushed(rng: random.Random, count: int = ARTICLES) -> list[dict[str, str]]:
    """Articles as a newsroom system pushes them: HTML bodies, URLs with tracking parameters."""
    items = []
    for number in range(count):
        paragraphs = _paragraphs(rng)
        items.append(
            {
                "title": _title(rng),
                "source": "Bench Newsroom",
                "published": (RECEIVED - timedelta(minutes=rng.randint(1, 600))).isoformat(),
                "url": f"HTTPS://Newsroom.Example.NET:443/story/{number}?id={number}&utm_campaign=push#top",
                "summary": paragraphs[0],
                "body": "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
            }
        )
    return items


def generate_raw_articles(rng: random.Random, count: int = ARTICLES) -> list[bytes]:
    """Raw text article files: dateline, headline, timestamp line, body, footer."""
    files = []
    for _ in range(count):
        published = RECEIVED - timedelta(minutes=rng.randint(1, 600))
        body = "\n\n".join(_paragraphs(rng))
        files.append(
            f"Dhaka      {published:%A, %d %B, %Y}\n\n{_title(rng)}\n\n"
            f"{published:%d %B %Y, %H:%M}\n\n{body}\n\nRead more\n".encode()
        )
    return files


# ---------------------------------------------------------------------------
# The measured work
# ---------------------------------------------------------------------------


def normalise_pushed(items: list[dict[str, str]]) -> list[Article]:
    # What ingest does with each pushed item (validation, time, cleaning, ids), through its own function.
    catalog = load_source_catalog()
    return [article_from_pushed(item, RECEIVED, catalog) for item in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="measured repetitions of each case (default 5)")
    args = parser.parse_args()

    rng = random.Random(SEED)
    feed = generate_feed(rng)
    pushed = generate_pushed(rng)
    raw_files = generate_raw_articles(rng)
    catalog = load_source_catalog()
    texts = [f"{item['title']}\n{item['summary']}" for item in pushed]

    def parse_the_feed() -> object:
        result = parse_feed(
            feed, feed_url="https://bench.example.com/rss.xml", received_at=RECEIVED, max_items=FEED_ITEMS
        )
        assert len(result.articles) == FEED_ITEMS, result.rejected[:3]
        return result

    def parse_raw_files() -> object:
        return [
            parse_raw_article(data, received_at=RECEIVED, origin=f"inbox/{n}.txt", catalog=catalog)
            for n, data in enumerate(raw_files)
        ]

    timed = [
        measure(
            f"parse a {FEED_ITEMS:,}-item RSS feed ({len(feed) / 1e6:.1f} MB)", FEED_ITEMS, parse_the_feed, args.repeat
        ),
        measure(f"normalise {ARTICLES:,} pushed articles", ARTICLES, lambda: normalise_pushed(pushed), args.repeat),
        measure(f"parse {ARTICLES:,} raw text articles", ARTICLES, parse_raw_files, args.repeat),
        measure(
            f"detect the language of {ARTICLES:,} texts",
            ARTICLES,
            lambda: [detect_language(text) for text in texts],
            args.repeat,
        ),
    ]
    results = [result for result, _ in timed]

    print(f"Python {platform.python_version()} on {cpu_model()} ({os.cpu_count()} CPUs), {args.repeat} repetitions")
    print()
    print(f"| {'case':<44} | {'median':>9} | {'best':>9} | {'per item':>9} | {'items/s':>9} |")
    print(f"|{'-' * 46}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 11}|")
    for result in results:
        per_item = result.median / result.items
        print(
            f"| {result.name:<44} | {result.median * 1000:>6.0f} ms | {result.best * 1000:>6.0f} ms "
            f"| {per_item * 1e6:>6.0f} µs | {1 / per_item:>9,.0f} |"
        )


if __name__ == "__main__":
    main()
