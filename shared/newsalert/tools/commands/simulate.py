"""``newsalert simulate``: the whole pipeline on embedded AWS, deployed from template.yaml."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsalert.tools.commands.common import aware_time, project_root
from newsalert.tools.progress import Progress

SAMPLES = Path("events") / "samples"
DEFAULT_SUBSCRIBERS = Path("events") / "subscribers.yaml"
DEFAULT_LOG = Path(".newsalert") / "simulate.log"


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "simulate",
        help="run the whole pipeline on embedded AWS (moto), deployed from template.yaml",
        description=(
            "Deploy template.yaml into embedded AWS, subscribe the subscribers, send the inputs in as AWS would "
            "(files dropped in the inbox bucket, JSON pushed to POST /articles, feeds served on 127.0.0.1 and "
            "polled by the schedule), drain the queues, and report every article's fate and every subscriber's alerts."
        ),
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="article files (.txt, .html), JSON or JSON-lines articles, feed files (.xml) or feed URLs on 127.0.0.1; "
        "folders are read whole (default: events/samples)",
    )
    parser.add_argument("--subscribers", type=Path, help="subscribers file (default: events/subscribers.yaml)")
    parser.add_argument(
        "--now", type=aware_time, help="the clock, ISO 8601 with a zone, to replay archived news as live"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--root", type=Path, help="the project folder holding template.yaml (default: found upwards)")
    parser.add_argument("--log", type=Path, help="where the functions' logs and metrics go (.newsalert/simulate.log)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the local runtime needs moto, which the Lambda layer does not carry.
    from newsalert.classify.topic_ids import bundled_topic_ids
    from newsalert.notify.subscribers import SubscriberError, load_subscribers
    from newsalert.tools.local.render import render_report
    from newsalert.tools.local.simulation import InputError, plan_inputs, run_simulation

    root = (args.root or project_root(Path.cwd())).resolve()
    try:
        plan = plan_inputs(args.inputs or [str(root / SAMPLES)])
        subscribers = load_subscribers(args.subscribers or root / DEFAULT_SUBSCRIBERS, known_topics=bundled_topic_ids())
    except (InputError, SubscriberError) as error:
        print(f"newsalert simulate: {error}", file=sys.stderr)
        return 2
    log_path: Path = args.log or root / DEFAULT_LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    bars = {
        "inputs": Progress("simulate: inputs sent", len(plan.drops) + len(plan.pushes)),
        "messages": Progress("simulate: messages delivered"),
    }
    with log_path.open("w", encoding="utf-8") as log:
        try:
            report = run_simulation(
                root,
                plan,
                subscribers,
                now=args.now or datetime.now(UTC),
                log=log,
                progress=lambda what, count: bars[what].reached(count),
            )
        except SubscriberError as error:  # refused by the stack's POST /subscriptions
            print(f"newsalert simulate: {error}", file=sys.stderr)
            return 2
        finally:
            for bar in bars.values():
                bar.done()
    print(report.to_json() if args.json else render_report(report))
    if not args.json:
        print(f"(function logs and metrics: {log_path})")
    return 0
