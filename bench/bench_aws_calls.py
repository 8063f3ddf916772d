"""AWS calls per article and per alert: the bundled samples through the whole stack on embedded AWS.

Runs ``newsalert simulate``'s pipeline on ``events/samples`` (and the demo's subscribers),
counting every AWS API call each function makes, by operation, and prints the calls per
article that entered, and notify's calls per alert it published (first alerts and updates) and
per article it let join a story silently. Nothing is timed: the figures are counts, the same on
every run for the same samples.

Run: ``.venv/bin/python bench/bench_aws_calls.py`` (figures in docs/alerts.md, "AWS calls per alert").
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.client import BaseClient

from newsalert.classify.topic_ids import bundled_topic_ids
from newsalert.notify.subscribers import load_subscribers
from newsalert.tools.local.invoker import FunctionInvoker
from newsalert.tools.local.simulation import plan_inputs, run_simulation

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)


class CallCounter:
    """Every AWS call made while a function is being invoked, by function and operation."""

    def __init__(self) -> None:
        self.calls: dict[str, Counter[str]] = defaultdict(Counter)
        self.function: str | None = None

    @contextmanager
    def counting(self) -> Iterator[None]:
        # botocore's stubs do not show the private method every API call goes through: patched untyped.
        clients: Any = BaseClient
        invoker: Any = FunctionInvoker
        original_call = clients._make_api_call
        original_invoke = invoker.invoke
        counter = self

        def call(client: BaseClient, operation: str, parameters: dict[str, Any]) -> Any:
            if counter.function is not None:
                counter.calls[counter.function][operation] += 1
            return original_call(client, operation, parameters)

        def invoke(runner: FunctionInvoker, spec: Any, event: dict[str, Any]) -> Any:
            counter.function = spec.logical_id
            try:
                return original_invoke(runner, spec, event)
            finally:
                counter.function = None

        clients._make_api_call = call
        invoker.invoke = invoke
        try:
            yield
        finally:
            clients._make_api_call = original_call
            invoker.invoke = original_invoke


def main() -> None:
    counter = CallCounter()
    subscribers = load_subscribers(ROOT / "events" / "subscribers.yaml", known_topics=bundled_topic_ids())
    with counter.counting():
        report = run_simulation(
            ROOT, plan_inputs([str(ROOT / "events" / "samples")]), subscribers, now=NOW, log=io.StringIO()
        )
    fates = Counter(article.fate for entry in report.inputs for article in entry.articles)
    entered = sum(fates.values())
    print(f"{entered} articles in: " + ", ".join(f"{count} {fate}" for fate, count in sorted(fates.items())))
    print()
    print(f"| {'function':<22} | {'operation':<28} | {'calls':>5} | {'per article':>11} |")
    print(f"|{'-' * 24}|{'-' * 30}|{'-' * 7}|{'-' * 13}|")
    for function in sorted(counter.calls):
        for operation, count in sorted(counter.calls[function].items(), key=lambda pair: (-pair[1], pair[0])):
            print(f"| {function:<22} | {operation:<28} | {count:>5} | {count / entered:>11.2f} |")
    notify = counter.calls.get("NotifyFunction", Counter())
    alerts = fates.get("alerted", 0)
    joined = fates.get("joined", 0)
    print()
    print(f"notify: {sum(notify.values())} calls for {alerts} alerts and {joined} silent joins")
    print("  publish calls: " + str(notify.get("Publish", 0)))


if __name__ == "__main__":
    main()
