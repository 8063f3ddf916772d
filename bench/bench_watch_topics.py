"""Watch topics measured on a labelled multilingual set, per half and per language group.

The set is JSON lines, one article each: ``id``, ``language`` (the gold ISO 639-1 code),
``title`` (may be null), ``summary``, ``topics`` (gold topic ids), and optionally ``half`` (the
first set's ``A`` and ``B``, set C's ``C1`` and ``C2``, and so on to set F's ``F1`` and ``F2``),
and ``case``. The blind sets described in ``docs/classifier.md`` have this shape; their text is kept
outside the repository, so the path is given on the command line.

For every half the file names (and all together) and for three language groups (English, every other
language, all) it prints each watch topic's precision, recall, F1 and counts, then how often
the language detector (``newsalert.ingest.language``) agrees with the gold language on the
headline and lead.

An article without a headline (the page showed none) is read with the lead's first sentence as
its title and the rest as its summary, the way a feed item with a lead only is shown. An item
with neither (``tests/data/blind-set-paraphrased.jsonl``, the publishable part of the set) is read
from its ``paraphrase``: one English sentence of ours per article, a different (easier) measure.

An article is read as its headline and its whole lead. Ingest keeps at most 300 characters of a lead
as the summary (the rest of a feed item's description is kept as its body, read with less weight and
outside the headline-and-lead scope): ``--as-ingested`` reads every article that way, to see what the
cut costs.

Run: ``.venv/bin/python bench/bench_watch_topics.py PATH [--half D1] [--errors] [--json] [--as-ingested]``
(``--errors`` lists every wrong article of the halves asked for: ask only for the half being tuned
on, so that the other stays unseen).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsalert.classify.taxonomy import Taxonomy, load_taxonomy
from newsalert.classify.topics import classify
from newsalert.ingest.cleaning import truncate_at_word
from newsalert.ingest.language import detect_language
from newsalert.ingest.limits import MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH
from newsalert.models import Article

GROUPS = ("en", "other", "all")
NOW = datetime(2026, 1, 1, tzinfo=UTC)
# Sentence ends: the Latin ones, the ideographic full stop and full-width marks, the Arabic
# question mark and the Devanagari danda.
_FIRST_SENTENCE = re.compile("^(.{20,240}?[.!?\u3002\uff01\uff1f\u061f\u0964])\\s*(.*)$", re.S)


@dataclass(frozen=True)
class Item:
    item_id: str
    language: str
    half: str
    case: str
    gold: frozenset[str]
    title: str
    summary: str


@dataclass(frozen=True)
class Judged:
    item: Item
    predicted: frozenset[str]
    detected: str


def read_items(path: Path) -> list[Item]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        title, summary = headline_and_lead(record.get("title"), record.get("summary") or "")
        if not title:  # the published file (tests/data/blind-set-paraphrased.jsonl): our paraphrase only
            title = str(record.get("paraphrase") or "")
        if not title:
            print(f"{path}:{number}: no headline and no lead, left out", file=sys.stderr)
            continue
        items.append(
            Item(
                str(record["id"]),
                str(record.get("language") or "und"),
                str(record.get("half") or "-"),
                str(record.get("case") or "-"),
                frozenset(record.get("topics") or ()),
                title,
                summary,
            )
        )
    return items


def headline_and_lead(title: str | None, summary: str) -> tuple[str, str]:
    """The headline, or the lead's first sentence when there is none, and the rest of the lead."""
    summary = summary.strip()
    if title and title.strip():
        return title.strip(), summary
    match = _FIRST_SENTENCE.match(summary)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    first, _, rest = summary.partition("\n")
    return first.strip(), rest.strip()


def as_article(item: Item, *, as_ingested: bool = False) -> Article:
    """The item as classify gets it: its headline and whole lead; or, ``as_ingested``, as ingest keeps a
    feed item whose description is the lead (its first paragraph, cut at a word to ``MAX_SUMMARY_LENGTH``,
    is the summary, and the whole lead is the body), so that words past the cut are read as body."""
    summary, body = item.summary, ""
    if as_ingested:
        summary = truncate_at_word(item.summary.split("\n")[0].strip(), MAX_SUMMARY_LENGTH)
        body = item.summary
    return Article.create(
        title=truncate_at_word(item.title, MAX_TITLE_LENGTH) if as_ingested else item.title,
        summary=summary,
        body=body,
        source="blind-set",
        published=NOW,
        received_at=NOW,
        language=item.language if len(item.language) == 2 else "en",
    )


def judge(items: Iterable[Item], taxonomy: Taxonomy, *, as_ingested: bool = False) -> list[Judged]:
    judged = []
    for item in items:
        article = as_article(item, as_ingested=as_ingested)
        predicted = frozenset(match.topic for match in classify(article, taxonomy).topics)
        judged.append(Judged(item, predicted, detect_language(f"{item.title}\n{item.summary}")))
    return judged


def in_group(item: Item, group: str) -> bool:
    return group == "all" or (item.language == "en") == (group == "en")


def counts(judged: Sequence[Judged], topic: str) -> dict[str, Any]:
    tp = sum(1 for j in judged if topic in j.item.gold and topic in j.predicted)
    fp = sum(1 for j in judged if topic not in j.item.gold and topic in j.predicted)
    fn = sum(1 for j in judged if topic in j.item.gold and topic not in j.predicted)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fn else None
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def report(judged: Sequence[Judged], topics: Sequence[str], halves: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for half in halves:
        chosen = [j for j in judged if half == "all" or j.item.half == half]
        out[half] = {
            "articles": len(chosen),
            "topics": {
                group: {topic: counts([j for j in chosen if in_group(j.item, group)], topic) for topic in topics}
                for group in GROUPS
            },
            "language": _language_agreement(chosen),
        }
    return out


def _language_agreement(judged: Sequence[Judged]) -> dict[str, Any]:
    per: dict[str, Counter[str]] = {}
    for j in judged:
        per.setdefault(j.item.language, Counter())[j.detected] += 1
    return {
        language: {"articles": sum(seen.values()), "right": seen[language], "said": dict(seen.most_common())}
        for language, seen in sorted(per.items())
    }


def _shown(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.2f}"


def render(figures: dict[str, Any], topics: Sequence[str]) -> str:
    lines = []
    for half, part in figures.items():
        lines.append(f"half {half}: {part['articles']} articles")
        lines.append(f"  {'topic':<18} " + "   ".join(f"{group:^27}" for group in GROUPS))
        lines.append(f"  {'':<18} " + "   ".join(f"{'P    R    F1   tp/fp/fn':^27}" for _ in GROUPS))
        for topic in topics:
            cells = []
            for group in GROUPS:
                c = part["topics"][group][topic]
                cells.append(
                    f"{_shown(c['precision'])} {_shown(c['recall'])} {_shown(c['f1'])} "
                    f"{c['tp']:>3}/{c['fp']:>2}/{c['fn']:>2}".ljust(27)
                )
            lines.append(f"  {topic:<18} " + "   ".join(cells))
        agreement = part["language"]
        right = sum(v["right"] for v in agreement.values())
        total = sum(v["articles"] for v in agreement.values())
        lines.append(f"  language detected right: {right}/{total}")
        for language, v in agreement.items():
            if v["right"] != v["articles"]:
                lines.append(f"    {language}: {v['right']}/{v['articles']} (said {v['said']})")
        lines.append("")
    return "\n".join(lines)


def render_errors(judged: Sequence[Judged], topics: Sequence[str]) -> str:
    lines = []
    wanted = set(topics)
    for j in judged:
        gold, predicted = j.item.gold & wanted, j.predicted & wanted
        if gold != predicted:
            missed, extra = sorted(gold - predicted), sorted(predicted - gold)
            lines.append(
                f"{j.item.item_id} [{j.item.language} {j.item.case}] missed {missed} extra {extra}: {j.item.title[:90]}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("path", type=Path, help="labelled JSON lines (id, language, title, summary, topics, half)")
    parser.add_argument(
        "--half",
        action="append",
        help="a half the file names (A, B, C1, D2...) or all (repeatable; default: each half in the file, and all)",
    )
    parser.add_argument("--errors", action="store_true", help="list every wrong article of the halves asked for")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument(
        "--as-ingested",
        action="store_true",
        help="read each lead as ingest keeps a feed item's: its first 300 characters the summary, all of it the body",
    )
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy()
    topics = sorted(topic.id for topic in taxonomy.topics if topic.kind == "watch")
    judged = judge(read_items(args.path), taxonomy, as_ingested=args.as_ingested)
    halves = args.half or [*sorted({j.item.half for j in judged} - {"-"}), "all"]
    figures = report(judged, topics, halves)
    print(json.dumps(figures, indent=1) if args.json else render(figures, topics))
    if args.errors:
        print(render_errors([j for j in judged if "all" in halves or j.item.half in halves], topics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
