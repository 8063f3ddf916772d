"""``newsalert serve``: the stack from template.yaml, live on 127.0.0.1, for any AWS client to talk to.

moto runs as a server on ``--port``; the template is deployed into it as ``simulate`` deploys it;
the schedules tick, the queues are delivered, objects put under ``inbox/`` are ingested and the
HTTP API answers on ``--api-port``, until Ctrl-C. Point the AWS CLI (``--endpoint-url``), boto3
or any ``newsalert`` command at it with the environment it prints. State is kept in memory only.

Exit status: 0 stopped by Ctrl-C; 2 a usage error (no template.yaml, a port already taken).
"""

from __future__ import annotations

import argparse
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsalert.tools.commands.common import project_root

DEFAULT_PORT = 4566


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "serve",
        help="run the stack live on 127.0.0.1 for the AWS CLI, boto3 and newsalert commands",
        description="Deploy template.yaml into a moto server on 127.0.0.1 and keep the pipeline running "
        "(schedules, queues, inbox, HTTP API) until Ctrl-C. Exit 0 when stopped, 2 for a usage error.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the AWS endpoint's port ({DEFAULT_PORT})")
    parser.add_argument("--api-port", type=int, help="the HTTP API's port (default: --port + 1)")
    parser.add_argument("--region", default="us-east-1", help="the region the stack is deployed in (us-east-1)")
    parser.add_argument(
        "--schedule-every",
        type=float,
        metavar="SECONDS",
        help="fire every schedule this often instead of at the template's rates (e.g. 30 for a demo)",
    )
    parser.add_argument("--root", type=Path, help="the project folder holding template.yaml (default: found upwards)")
    parser.set_defaults(run=run)


def _taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def run(args: argparse.Namespace) -> int:
    from newsalert.tools.local.live import STACK_NAME, LiveStack

    root = (args.root or project_root(Path.cwd())).resolve()
    api_port = args.api_port or args.port + 1
    for port in (args.port, api_port):
        if not 0 < port < 65536 or _taken(port):
            print(f"newsalert serve: port {port} on 127.0.0.1 is taken or invalid; pass --port", file=sys.stderr)
            return 2
    if args.schedule_every is not None and args.schedule_every <= 0:
        print("newsalert serve: --schedule-every must be more than 0 seconds", file=sys.stderr)
        return 2

    def say(text: str) -> None:
        print(f"{datetime.now(UTC):%H:%M:%S} {text}", flush=True)

    print(f"newsalert serve: deploying {root / 'template.yaml'} into moto on 127.0.0.1:{args.port}...", flush=True)
    live = LiveStack(
        root, port=args.port, api_port=api_port, region=args.region, schedule_every=args.schedule_every, say=say
    )
    with live:
        exports = " ".join(f"{name}={value}" for name, value in live.environment.items())
        print(
            f"""
  AWS endpoint  {live.endpoint}   (CloudFormation, SQS, DynamoDB, S3, SNS... of stack {STACK_NAME})
  HTTP API      {live.api_url}   (POST /articles, /subscriptions; IAM signatures are not checked)

In another terminal:
  export {exports}
  aws --endpoint-url {live.endpoint} sqs list-queues
  newsalert status
  newsalert subscribe --email you@example.org --topics sco
  curl -X POST {live.api_url}/articles -d @events/samples/pushed-articles.json
  aws --endpoint-url {live.endpoint} s3 cp events/samples/xi-putin-sco-astana.txt s3://$(aws --endpoint-url \\
    {live.endpoint} cloudformation describe-stacks --stack-name {STACK_NAME} \\
    --query "Stacks[0].Outputs[?OutputKey=='IngestBucketName'].OutputValue" --output text)/inbox/

Ctrl-C stops it (the state is in memory and goes with it).
""",
            flush=True,
        )
        try:
            live.serve_forever()
        except KeyboardInterrupt:
            print("\nstopping...", flush=True)
    return 0
