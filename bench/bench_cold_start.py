"""Cold start of each Lambda handler: importing ``functions/<name>/app.py``, then its first invocation's setup.

Each measurement is one fresh Python process (as a new Lambda execution environment is), which

1. imports ``app`` from the function's folder (timed: **import**),
2. calls ``app.lambda_handler`` with a representative event (timed: **first call**),
3. calls it again with an equivalent event, new articles that take the same path (timed: **warm call**).

The **cold start** is ``import + (first call - warm call)``: the import, plus what the first call does
that a warm one does not (configuration, boto3 and its clients, the taxonomy or the source catalogue,
modules imported when a trigger first needs them, the first connection). The work on the event itself
(parsing, classifying, the AWS calls) is in both calls and cancels out; the first call's whole time is
printed too. Beside the wall-clock figures, the cold start in CPU time of the measured process, which
other load on the machine disturbs less.

Not counted: starting the interpreter (before ``import app``; Lambda's runtime has done it before the
handler's module is loaded) and everything about the AWS it talks to. That AWS is moto in server mode,
run in *this* process: tables, queues, topic and buckets are made (from template.yaml's key schemas)
and seeded before each run, and the handler reaches them with ``AWS_ENDPOINT_URL``. moto runs in
another process than the handler so that the measured process imports nothing before ``app``: moto
in the same process would have imported boto3 and botocore already, which a handler pays for on its
first call (~100 ms). Feeds are served from the samples on 127.0.0.1 (``newsalert.tools.local.feedserver``,
loopback allowed).

Tracing: off (``POWERTOOLS_TRACE_DISABLED=true``, as outside Lambda or with tracing off), and on (the
Lambda environment variables of a traced function, X-Ray segments sent over UDP to no daemon) unless
``--no-tracing``. Run: ``.venv/bin/python bench/bench_cold_start.py [--runs N] [--only NAME] [--tree CHECKOUT]...``
(or ``make coldstart``); ``--tree`` measures another checkout's handlers, and given more than once
(``--tree /tmp/main --tree .``) measures them interleaved, each run of a case going round the checkouts,
for a before and after on one machine under one load; ``--profile DIR`` writes a cProfile of each
case's import and first call.
Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import yaml
from moto.server import ThreadedMotoServer
from timing import cpu_model

from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.feeds_table import FeedsTable
from newsalert.ingest.feed_registry import FeedEntry
from newsalert.models import Article, Fate
from newsalert.ports import Claim
from newsalert.tools.local.feedserver import serve_feeds

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events" / "lambda"
SAMPLES = ROOT / "events" / "samples"
REGION, ACCOUNT = "us-east-1", "123456789012"
INGEST_BUCKET = f"newsalert-ingest-{ACCOUNT}-{REGION}"  # the bucket of the sample S3 event
TAXONOMY_BUCKET, TAXONOMY_KEY = "newsalert-config", "taxonomy/taxonomy.yaml"  # no override: the bundled one
TICK = datetime(2024, 7, 4, 7, 35, tzinfo=UTC)

# What the measured process runs: nothing is imported before ``app`` but what the clock needs.
CHILD = """
import os, sys, time
if os.environ.get("COLD_START_PROFILE"):  # --profile: cProfile over the import and the first call
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
started, started_cpu = time.perf_counter(), time.process_time()
import app
imported, imported_cpu = time.perf_counter(), time.process_time()
import json

class Context:
    function_name = sys.argv[3]
    function_version = "$LATEST"
    invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{sys.argv[3]}"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-00000000c01d"
    log_group_name = f"/aws/lambda/{sys.argv[3]}"
    log_stream_name = "cold-start"

    def get_remaining_time_in_millis(self):
        return 60_000

with open(sys.argv[1], encoding="utf-8") as handle:
    first_event, warm_event = json.load(handle)
before_first, before_first_cpu = time.perf_counter(), time.process_time()
first = app.lambda_handler(first_event, Context())
after_first, after_first_cpu = time.perf_counter(), time.process_time()
if os.environ.get("COLD_START_PROFILE"):
    profile.disable()
    profile.dump_stats(os.environ["COLD_START_PROFILE"])
before_warm_cpu = time.process_time()
warm = app.lambda_handler(warm_event, Context())
after_warm, after_warm_cpu = time.perf_counter(), time.process_time()
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump({"import": imported - started, "first": after_first - before_first,
               "warm": after_warm - after_first, "import_cpu": imported_cpu - started_cpu,
               "first_cpu": after_first_cpu - before_first_cpu, "warm_cpu": after_warm_cpu - before_warm_cpu,
               "responses": [first, warm]}, handle, default=str)
"""


@dataclass
class Aws:
    """The moto server, the names of what each run makes on it, and a client per service."""

    endpoint: str
    env: dict[str, str] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return boto3.client(  # type: ignore[call-overload]
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    @property
    def dynamodb(self) -> DynamoDBClient:
        client: DynamoDBClient = self.client("dynamodb")
        return client

    def reset(self) -> None:
        """A fresh, empty AWS with the stack's tables, queues, topic and buckets."""
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")).close()
        dynamodb, sqs, sns, s3 = (self.client(name) for name in ("dynamodb", "sqs", "sns", "s3"))
        for name, properties in template_tables().items():
            definition = {key: properties[key] for key in ("KeySchema", "AttributeDefinitions")}
            if "GlobalSecondaryIndexes" in properties:
                definition["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
            dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **definition)
        queues = {name: sqs.create_queue(QueueName=name)["QueueUrl"] for name in ("classify", "notify", "poll")}
        topic = sns.create_topic(Name="alerts")["TopicArn"]
        for bucket in (INGEST_BUCKET, TAXONOMY_BUCKET):
            s3.create_bucket(Bucket=bucket)
        self.env = {
            "ARTICLES_TABLE": "ArticlesTable",
            "FEEDS_TABLE": "FeedsTable",
            "CLASSIFY_QUEUE_URL": queues["classify"],
            "NOTIFY_QUEUE_URL": queues["notify"],
            "POLL_QUEUE_URL": queues["poll"],
            "ALERTS_TOPIC_ARN": topic,
            "TAXONOMY_BUCKET": TAXONOMY_BUCKET,
            "TAXONOMY_KEY": TAXONOMY_KEY,
            "ARCHIVE_BUCKET": INGEST_BUCKET,
            "NEWSALERT_ALLOW_LOOPBACK_FETCH": "true",
        }


def template_tables() -> dict[str, dict[str, Any]]:
    """The DynamoDB tables of template.yaml (logical id: properties), so the bench follows the template."""

    class CloudFormationLoader(yaml.SafeLoader):
        pass

    def any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        assert isinstance(node, yaml.MappingNode)
        return loader.construct_mapping(node)

    CloudFormationLoader.add_multi_constructor("!", any_tag)
    template = yaml.load((ROOT / "template.yaml").read_text(encoding="utf-8"), Loader=CloudFormationLoader)
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }


# ---------------------------------------------------------------- the events, and what each run seeds


def _event(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return document


def _retold(text: str) -> str:
    """Another article's text: the same shape, other words (so not a duplicate of the first)."""
    return text.replace("Xi Jinping", "Li Qiang").replace("Vladimir Putin", "Mikhail Mishustin")


def _article_records(event: dict[str, Any], nested: bool) -> Iterator[dict[str, Any]]:
    for record in event["Records"]:
        body = json.loads(record["body"])
        yield body["article"] if nested else body


def _second_sqs_event(event: dict[str, Any], nested: bool) -> dict[str, Any]:
    """The same batch with another article (another id, other words, its own story)."""
    warm: dict[str, Any] = json.loads(json.dumps(event))
    for record in warm["Records"]:
        body = json.loads(record["body"])
        article = body["article"] if nested else body
        article["id"] = "art-" + "c01d" * 8
        article["title"] = _retold(article["title"])
        article["body"] = _retold(article["body"])
        article["summary"] = _retold(article["summary"])
        article["content_hash"] = "c01d" * 16
        if nested and body["classification"].get("story"):
            body["classification"]["story"]["story_id"] = "story-" + "c01d" * 6
        record["body"] = json.dumps(body)
        record["messageId"] = "00000000-0000-0000-0000-00000000c01d"
    return warm


def _seed_articles(aws: Aws, events: list[dict[str, Any]], fates: tuple[Fate, ...], nested: bool) -> None:
    """Store the events' articles as the stages before would have left them."""
    table = ArticlesTable(aws.dynamodb, aws.env["ARTICLES_TABLE"])
    for event in events:
        for document in _article_records(event, nested):
            article = Article.model_validate_json(json.dumps(document))
            assert table.claim(article, lease_until=time.time()).claim is Claim.NEW
            for fate in fates:
                assert table.set_fate(article.id, fate)


def classify_events(aws: Aws) -> list[dict[str, Any]]:
    first = _event("classify-sqs.json")
    events = [first, _second_sqs_event(first, nested=False)]
    _seed_articles(aws, events, (Fate.QUEUED,), nested=False)
    return events


def notify_events(aws: Aws) -> list[dict[str, Any]]:
    first = _event("notify-sqs.json")
    events = [first, _second_sqs_event(first, nested=True)]
    _seed_articles(aws, events, (Fate.QUEUED, Fate.BREAKING), nested=True)
    return events


def push_events(aws: Aws) -> list[dict[str, Any]]:
    first = _event("ingest-api-post.json")
    warm = json.loads(json.dumps(first))
    pushed = json.loads(warm["body"])
    for article in pushed:  # the second is refused (it has no title), the first is queued
        if "title" in article:
            article["title"] = "Later: " + article["title"]
        article["url"] = article["url"] + "-later"
    warm["body"] = json.dumps(pushed)
    warm["requestContext"]["requestId"] = "c01dc01dc01dc01dc01d"
    return [first, warm]


def inbox_events(aws: Aws) -> list[dict[str, Any]]:
    first = _event("ingest-s3-put.json")
    key = first["Records"][0]["s3"]["object"]["key"]
    text = (SAMPLES / "xi-putin-sco-astana.txt").read_text(encoding="utf-8")
    warm = json.loads(json.dumps(first))
    warm["Records"][0]["s3"]["object"]["key"] = "inbox/retold.txt"
    s3 = aws.client("s3")
    s3.put_object(Bucket=INGEST_BUCKET, Key=key, Body=text.encode())
    s3.put_object(Bucket=INGEST_BUCKET, Key="inbox/retold.txt", Body=_retold(text).encode())
    return [first, warm]


def _register_feeds(aws: Aws, feeds: list[str]) -> list[FeedEntry]:
    table = FeedsTable(aws.dynamodb, aws.env["FEEDS_TABLE"])
    return [table.add(FeedEntry.new(url, added_at=TICK - timedelta(days=1))) for url in feeds]


def _poll_record(entry: FeedEntry, number: int) -> dict[str, Any]:
    record: dict[str, Any] = _event("ingest-poll-sqs.json")["Records"][0]
    request = {"feed_id": entry.feed_id, "url": entry.url, "scheduled_time": TICK.isoformat()}
    return record | {"messageId": f"00000000-0000-0000-0000-{number:012d}", "body": json.dumps(request)}


def poll_events(aws: Aws, feeds: list[str]) -> list[dict[str, Any]]:
    entries = _register_feeds(aws, feeds)
    return [{"Records": [_poll_record(entry, n)]} for n, entry in enumerate(entries)]


def schedule_events(aws: Aws, feeds: list[str]) -> list[dict[str, Any]]:
    _register_feeds(aws, feeds)
    first = _event("ingest-schedule.json")
    warm = first | {"scheduled_time": (TICK + timedelta(days=1)).isoformat().replace("+00:00", "Z")}
    return [first | {"scheduled_time": TICK.isoformat().replace("+00:00", "Z")}, warm]


def subscription_events(aws: Aws) -> list[dict[str, Any]]:
    def post(endpoint: str, request_id: str) -> dict[str, Any]:
        event = _event("ingest-api-post.json")
        event["routeKey"] = event["requestContext"]["routeKey"] = "POST /subscriptions"
        event["rawPath"] = event["requestContext"]["http"]["path"] = "/subscriptions"
        event["requestContext"]["requestId"] = request_id
        event["body"] = json.dumps({"protocol": "email", "endpoint": endpoint, "topics": ["sco"]})
        event["headers"]["content-length"] = str(len(event["body"]))
        return event

    return [post("desk@example.org", "c01d0001"), post("night-desk@example.org", "c01d0002")]


# ---------------------------------------------------------------- checking that both calls did the work


def _batch_ok(responses: list[Any]) -> bool:
    return all(response == {"batchItemFailures": []} for response in responses)


def _http_ok(responses: list[Any]) -> bool:
    return all(200 <= response["statusCode"] < 300 for response in responses)


def _push_ok(responses: list[Any]) -> bool:
    fates = [[result["fate"] for result in json.loads(response["body"])["results"]] for response in responses]
    return fates == [["queued", "quarantined"]] * 2


def _inbox_ok(responses: list[Any]) -> bool:
    return all([outcome["fate"] for outcome in response["outcomes"]] == ["queued"] for response in responses)


def _schedule_ok(responses: list[Any]) -> bool:
    return all(response["dispatched"] == 2 for response in responses)


@dataclass(frozen=True)
class Case:
    name: str
    function: str
    events: Callable[[Aws], list[dict[str, Any]]]
    ok: Callable[[list[Any]], bool]


def cases(feeds: list[str]) -> list[Case]:
    return [
        Case("ingest (POST /articles)", "ingest", push_events, _push_ok),
        Case("ingest (poll queue)", "ingest", partial(poll_events, feeds=feeds), _batch_ok),
        Case("ingest (S3 inbox)", "ingest", inbox_events, _inbox_ok),
        Case("ingest (schedule)", "ingest", partial(schedule_events, feeds=feeds), _schedule_ok),
        Case("classify", "classify", classify_events, _batch_ok),
        Case("notify", "notify", notify_events, _batch_ok),
        Case("subscriptions", "subscriptions", subscription_events, _http_ok),
    ]


# ---------------------------------------------------------------- running


def _environment(aws: Aws, function: str, traced: bool) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {key: value for key, value in os.environ.items() if key in keep}
    env |= aws.env | {
        "AWS_ENDPOINT_URL": aws.endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "POWERTOOLS_SERVICE_NAME": function,
        "POWERTOOLS_METRICS_NAMESPACE": "newsalert",
    }
    if traced:  # what Lambda sets for a function with active tracing
        env |= {
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "LAMBDA_TASK_ROOT": str(ROOT / "functions" / function),
            "_X_AMZN_TRACE_ID": "Root=1-66865cb4-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1",
            "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
            "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR",
        }
    else:
        env["POWERTOOLS_TRACE_DISABLED"] = "true"
    return env


def run_once(aws: Aws, case: Case, traced: bool, profile: Path | None = None, tree: Path = ROOT) -> dict[str, float]:
    aws.reset()
    events = case.events(aws)
    with tempfile.TemporaryDirectory() as folder:
        given, result = Path(folder, "events.json"), Path(folder, "result.json")
        given.write_text(json.dumps(events), encoding="utf-8")
        process = subprocess.run(
            [sys.executable, "-c", CHILD, str(given), str(result), case.function],
            cwd=tree / "functions" / case.function,
            env=_environment(aws, case.function, traced)
            | ({"COLD_START_PROFILE": str(profile)} if profile else {})
            | ({"PYTHONPATH": str(tree / "shared")} if tree != ROOT else {}),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if process.returncode != 0:
            raise RuntimeError(f"{case.name} failed:\n{process.stderr[-3000:]}")
        measured: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    if not case.ok(measured["responses"]):
        raise RuntimeError(f"{case.name}: a call did not do the work: {json.dumps(measured['responses'])[:2000]}")
    times = {key: measured[key] * 1000 for key in ("import", "first", "warm", "import_cpu", "first_cpu", "warm_cpu")}
    times["cold"] = times["import"] + times["first"] - times["warm"]
    times["cold_cpu"] = times["import_cpu"] + times["first_cpu"] - times["warm_cpu"]
    return times


@contextmanager
def moto_server() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@contextmanager
def feed_server() -> Iterator[list[str]]:
    """The sample RSS feed, and the same feed with other items: their URLs on 127.0.0.1."""
    rss = (SAMPLES / "feed-rss.xml").read_text(encoding="utf-8")
    other = rss.replace("<title>", "<title>Later: ").replace("news.example.com/", "news.example.com/later/")
    other = other.replace('<guid isPermaLink="false">', '<guid isPermaLink="false">later-')
    with tempfile.TemporaryDirectory() as folder:
        files = [Path(folder, "feed-1.xml"), Path(folder, "feed-2.xml")]
        files[0].write_text(rss, encoding="utf-8")
        files[1].write_text(other, encoding="utf-8")
        with serve_feeds(files) as urls:
            yield [urls[path] for path in files]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per handler and mode (default 7)")
    parser.add_argument("--only", help="only the cases whose name contains this (e.g. ingest)")
    parser.add_argument("--no-tracing", action="store_true", help="skip the runs with tracing on")
    parser.add_argument(
        "--tree",
        type=Path,
        action="append",
        help="the handlers and package of a checkout (say, main's) to measure; repeat it to compare checkouts "
        "interleaved, each run of a case going round them in turn (this checkout: --tree .)",
    )
    parser.add_argument(
        "--profile", type=Path, help="write a cProfile of each case's import and first call into this folder instead"
    )
    args = parser.parse_args()
    trees: list[Path] = [tree.resolve() for tree in args.tree] if args.tree else [ROOT]
    labels = {tree: _label(tree, trees) for tree in trees}

    for tree in trees:
        if tree != ROOT or len(trees) > 1:
            print(f"{labels[tree]}: handlers and package of {tree}")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.runs} fresh processes each; times in ms, median (max); cold start = import + first call - warm call;")
    print("its CPU: the same in CPU time of the measured process (moto's own work is in another process)")
    if len(trees) > 1:
        print("interleaved: each run of a case goes round the checkouts in turn, starting one further each time")
    print()
    header = (
        f"{'handler':<26}{'tracing':<9}{'tree':<12}{'cold start':>14}{'(its CPU)':>11}"
        f"{'import':>14}{'first call':>14}{'warm call':>11}"
    )
    print(header)
    print("-" * len(header))
    with moto_server() as endpoint, feed_server() as feeds:
        aws = Aws(endpoint)
        for case in cases(feeds):
            if args.only and args.only not in case.name:
                continue
            for traced in (False,) if args.no_tracing else (False, True):
                if args.profile:
                    args.profile.mkdir(parents=True, exist_ok=True)
                    name = "".join(c if c.isalnum() else "-" for c in case.name).strip("-")
                    for tree in trees:
                        suffix = f"-{labels[tree]}" if len(trees) > 1 else ""
                        profile = args.profile / f"{name}-tracing-{'on' if traced else 'off'}{suffix}.prof"
                        run_once(aws, case, traced, profile, tree=tree)
                    continue
                for tree in trees:  # not counted: compiles what has no .pyc, fills caches
                    run_once(aws, case, traced, tree=tree)
                runs: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
                for round_number in range(args.runs):
                    turn = round_number % len(trees)
                    for tree in trees[turn:] + trees[:turn]:
                        runs[tree].append(run_once(aws, case, traced, tree=tree))
                for tree in trees:
                    print(_row(case.name, traced, labels[tree], runs[tree]), flush=True)


def _label(tree: Path, trees: list[Path]) -> str:
    """A short name for a checkout in the table: its folder's name, or its place in the list if two share one."""
    name = tree.name or str(tree)
    return name if [other.name for other in trees].count(tree.name) == 1 else f"{trees.index(tree) + 1}:{name}"


def _row(case: str, traced: bool, label: str, runs: list[dict[str, float]]) -> str:
    def cell(key: str) -> str:
        values = [run[key] for run in runs]
        return f"{statistics.median(values):.0f} ({max(values):.0f})"

    return (
        f"{case:<26}{'on' if traced else 'off':<9}{label[:11]:<12}{cell('cold'):>14}"
        f"{statistics.median(run['cold_cpu'] for run in runs):>11.0f}{cell('import'):>14}"
        f"{cell('first'):>14}{statistics.median(run['warm'] for run in runs):>11.0f}"
    )


if __name__ == "__main__":
    main()
