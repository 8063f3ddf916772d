"""``newsalert classify [FILE...]``: the topics, category and evidence of each article, as JSON lines.

Input is JSON lines (``id``, ``title``, ``summary``, ``body``, ``url``, ``source``,
``published``; only ``title`` is required), from stdin when no file is named, or article files
of any kind ``newsalert parse`` reads (raw text, HTML, a feed, JSON). Each article gives one
line on stdout::

    {"id": "ag-5147", "category": "science-technology",
     "topics": [{"id": "science-technology", "label": "...", "score": 0.7769,
                 "evidence": [{"term": "Internet", "text": "Internet", "field": "summary", "start": 88, "end": 96}]}]}

An item that cannot be classified gives, in its place on stdout, ``{"id": ..., "rejected": <its
start>, "reason": ..., "origin": "<file>:<line>"}`` (the shape ``newsalert parse`` uses), so a
script reading the output sees every input item once and in order. Evidence offsets point into
the text as ingest cleans it (white space collapsed), which is what the pipeline classifies.

Exit status: 0 when every item was classified, 1 when at least one was refused (the others are
still written) or there was nothing to classify, 2 for a usage error (a file that cannot be read,
a taxonomy that does not load).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsalert.classify.taxonomy import Taxonomy
from newsalert.classify.topics import classify
from newsalert.models import Evidence, TopicMatch
from newsalert.tools.article_input import InputArticle, RefusedInput, read_articles
from newsalert.tools.commands.common import add_taxonomy_option, load_taxonomy_or_explain
from newsalert.tools.inputs import InputUnreadableError

SCORE_DECIMALS = 4


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "classify",
        help="classify articles: topics, category and evidence, as JSON lines",
        description=(
            "Classify JSON-lines articles (stdin when no FILE) or article files (text, HTML, feeds, JSON) and "
            "print one JSON line per article: id, category and topics, each with its score and evidence. "
            "An item that cannot be classified gives a line with 'rejected' and 'reason' instead. "
            "Exit 0 if every item was classified, 1 if any was refused, 2 for a usage error."
        ),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="JSON-lines or article files (default: stdin)")
    add_taxonomy_option(parser)
    parser.add_argument("--sources", type=Path, help="sources file for article files (default: the bundled one)")
    parser.set_defaults(run=run)


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "term": evidence.term,
        "text": evidence.text,
        "field": evidence.field,
        "start": evidence.start,
        "end": evidence.end,
    }


def topic_json(match: TopicMatch) -> dict[str, Any]:
    return {
        "id": match.topic,
        "label": match.label,
        "score": round(match.score, SCORE_DECIMALS),
        "evidence": [evidence_json(evidence) for evidence in match.evidence],
    }


def classification_line(item: InputArticle, taxonomy: Taxonomy) -> dict[str, Any]:
    result = classify(item.article, taxonomy)
    return {"id": item.item_id, "category": result.category, "topics": [topic_json(m) for m in result.topics]}


def refusal_line(refused: RefusedInput) -> dict[str, Any]:
    return {"id": refused.item_id, "rejected": refused.raw, "reason": refused.reason, "origin": refused.origin}


def _note(text: str) -> None:
    # A labelled set is classified whole, but whoever drops it in the inbox should know ingest would not take it.
    print(f"newsalert classify: {text}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy_or_explain(args.taxonomy, "classify", args.entities)
    if taxonomy is None:
        return 2
    classified = refused = 0
    try:
        items = read_articles(
            args.files, stdin=sys.stdin, sources=args.sources, received_at=datetime.now(UTC), note=_note
        )
        for item in items:
            if isinstance(item, RefusedInput):
                refused += 1
                line = refusal_line(item)
            else:
                classified += 1
                line = classification_line(item, taxonomy)
            # From stdin, each answer goes out as soon as its line came in, for a pipeline that waits on it.
            print(json.dumps(line, ensure_ascii=False), flush=not args.files)
    except InputUnreadableError as error:
        print(f"newsalert classify: {error}", file=sys.stderr)
        return 2
    print(f"newsalert classify: {classified} article(s) classified, {refused} refused", file=sys.stderr)
    return 0 if classified and not refused else 1
