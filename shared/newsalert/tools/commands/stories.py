"""``newsalert stories [FILE...]``: which story each article joins or opens, as JSON lines.

Reads articles exactly as ``newsalert classify`` does (JSON lines from stdin when no file is
named, or article files of any kind), groups them **in the order given** with
``newsalert.classify.stories.StoryGrouper`` and an in-memory repository, and prints one line per
article::

    {"id": "n0042", "story": "story-1f0c...", "new_story": false, "articles": 3,
     "outlets": ["Reuters", "CNN"], "similarity": 0.41, "candidates": 4}

``similarity`` is the joined story's similarity or, for an article that opened a story, the best
candidate's (null when no story shared a blocking key with it): what to look at when tuning
``--threshold``. An item that cannot be read gives ``{"id", "rejected", "reason", "origin"}`` in
its place, as ``classify`` does.

Articles with no publication date are grouped without the time window (their time is unknown);
every other article must lie within ``--window-hours`` of a story's articles to join it.

Exit status: 0 when every item was placed, 1 when one was refused or there was nothing to read,
2 for a usage error (a file that cannot be read, an entities file that does not load).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsalert.classify.entities import EntityCatalog, EntityError, load_entities
from newsalert.classify.stories import DEFAULT_THRESHOLD, DEFAULT_WINDOW, Assignment, InMemoryStories, StoryGrouper
from newsalert.tools.article_input import RefusedInput, read_articles
from newsalert.tools.commands.classify import refusal_line
from newsalert.tools.commands.common import add_entities_option
from newsalert.tools.inputs import InputUnreadableError

SIMILARITY_DECIMALS = 4


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "stories",
        help="group articles into stories, in order, as JSON lines (one story per event)",
        description=(
            "Read JSON-lines articles (stdin when no FILE) or article files, in order, and print for each the story "
            "it joins or opens: story id, whether it opened it, the story's article count and outlets so far, and "
            "the similarity behind the decision. An item that cannot be read gives a line with 'rejected' and "
            "'reason'. Exit 0 if every item was placed, 1 if any was refused, 2 for a usage error."
        ),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="JSON-lines or article files (default: stdin)")
    add_grouping_options(parser)
    add_entities_option(parser, help_text="with this entities file instead of the bundled one")
    parser.add_argument("--sources", type=Path, help="sources file for article files (default: the bundled one)")
    parser.set_defaults(run=run)


def add_grouping_options(parser: argparse.ArgumentParser) -> None:
    """The grouper's settings, for ``stories`` and ``eval``: to try a setting before it ships."""
    parser.add_argument(
        "--threshold",
        type=_fraction,
        default=DEFAULT_THRESHOLD,
        help=f"least similarity at which an article joins a story (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--window-hours",
        type=_positive_hours,
        default=DEFAULT_WINDOW,
        metavar="HOURS",
        help=f"how far apart in time an article and a story may be (default {DEFAULT_WINDOW.total_seconds() / 3600:g})",
    )


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("give a similarity between 0 and 1")
    return value


def _positive_hours(text: str) -> timedelta:
    try:
        hours = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of hours: {text!r}") from None
    if hours <= 0:
        raise argparse.ArgumentTypeError("give a positive number of hours")
    return timedelta(hours=hours)


def load_entities_or_explain(path: Path | None, command: str) -> EntityCatalog | None:
    try:
        return load_entities(path)
    except EntityError as error:
        print(f"newsalert {command}: {error}", file=sys.stderr)
        return None


def grouper_from(args: argparse.Namespace, entities: EntityCatalog) -> StoryGrouper:
    return StoryGrouper(InMemoryStories(), entities, window=args.window_hours, threshold=args.threshold)


def assignment_line(item_id: str, placed: Assignment) -> dict[str, Any]:
    ref = placed.ref
    similarity = None if placed.similarity is None else round(placed.similarity, SIMILARITY_DECIMALS)
    return {
        "id": item_id,
        "story": ref.story_id,
        "new_story": ref.new_story,
        "articles": ref.articles,
        "outlets": list(ref.outlets),
        "similarity": similarity,
        "candidates": placed.candidates,
    }


def run(args: argparse.Namespace) -> int:
    entities = load_entities_or_explain(args.entities, "stories")
    if entities is None:
        return 2
    grouper = grouper_from(args, entities)
    placed = refused = 0
    stories: set[str] = set()
    try:
        for item in read_articles(args.files, stdin=sys.stdin, sources=args.sources, received_at=datetime.now(UTC)):
            if isinstance(item, RefusedInput):
                refused += 1
                line = refusal_line(item)
            else:
                placed += 1
                assignment = grouper.place(item.article)
                stories.add(assignment.ref.story_id)
                line = assignment_line(item.item_id, assignment)
            # From stdin, each answer goes out as soon as its line came in, for a pipeline that waits on it.
            print(json.dumps(line, ensure_ascii=False), flush=not args.files)
    except InputUnreadableError as error:
        print(f"newsalert stories: {error}", file=sys.stderr)
        return 2
    print(f"newsalert stories: {placed} article(s) in {len(stories)} stories, {refused} refused", file=sys.stderr)
    return 0 if placed and not refused else 1
