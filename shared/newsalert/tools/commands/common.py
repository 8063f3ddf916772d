"""Argument types, options and look-ups that several subcommands share."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from newsalert.classify.entities import EntityError, load_entities
from newsalert.classify.taxonomy import Taxonomy, TaxonomyError, load_taxonomy


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds template.yaml."""
    for folder in (start, *start.parents):
        if (folder / "template.yaml").is_file():
            return folder
    raise SystemExit(f"newsalert: no template.yaml in {start} or above it; pass --root")


def stack_options(default_stack: str = "newsalert") -> argparse.ArgumentParser:
    """``--stack`` and ``--region``, for the commands that find a deployed stack by its name (a parent parser)."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--stack", default=default_stack, help=f"the stack's name (default: {default_stack})")
    options.add_argument("--region", help="AWS region (default: boto3's)")
    return options


def aware_time(text: str) -> datetime:
    """An ISO 8601 time with a zone, as UTC (an argparse type)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a time zone, e.g. {text}Z for UTC")
    return moment.astimezone(UTC)


# The taxonomy options of every command that classifies (classify, explain, eval, backtest).


def add_taxonomy_option(parser: argparse.ArgumentParser, *, help_text: str | None = None) -> None:
    parser.add_argument(
        "--taxonomy",
        type=Path,
        metavar="FILE",
        help=help_text or "classify with this taxonomy file instead of the bundled one (to try one before it ships)",
    )
    add_entities_option(parser)


def add_entities_option(parser: argparse.ArgumentParser, *, help_text: str | None = None) -> None:
    parser.add_argument(
        "--entities",
        type=Path,
        metavar="FILE",
        help=help_text
        or "with this entities file instead of the bundled one (for a taxonomy whose queries name new @entities)",
    )


def load_taxonomy_or_explain(path: Path | None, command: str, entities: Path | None = None) -> Taxonomy | None:
    """The taxonomy (with the entities of ``entities``, else the bundled ones), or None after saying on
    stderr why it does not load (a usage error for every command)."""
    try:
        catalog = load_entities(entities) if entities is not None else None
        return load_taxonomy(path, entities=catalog)
    except (TaxonomyError, EntityError) as error:
        print(f"newsalert {command}: {error}", file=sys.stderr)
        return None
