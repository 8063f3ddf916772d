"""The stack from template.yaml, live on 127.0.0.1: what ``newsalert serve`` runs.

moto runs as a server on a loopback port (``ThreadedMotoServer``, in this process), and the
local runtime deploys the template into it exactly as ``simulate`` does into embedded moto. Then
this module plays the services that call the functions, continuously: the schedules tick (at the
template's rates, or every ``schedule_every`` seconds), the queues are delivered as Lambda's
pollers deliver them, an object put under ``inbox/`` by any client is notified as S3 would, and
the HTTP API's routes are served on a second loopback port. Any AWS client pointed at the
endpoint (the AWS CLI with ``--endpoint-url``, boto3, every ``newsalert`` command with
``AWS_ENDPOINT_URL``) sees and changes the same stack.

Everything that invokes a function goes through one lock: the functions run in this process, one
at a time, as the local runtime runs them. State lives in memory (moto keeps no state on disk):
it ends when the server stops.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from newsalert.tools.local.invoker import patched_environment
from newsalert.tools.local.runtime import LocalRuntime

LOOPBACK = "127.0.0.1"
STACK_NAME = "newsalert"
"""The name every ``newsalert`` command looks for by default: no ``--stack`` needed against it."""
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
MAX_REQUEST_BYTES = 10 * 1024 * 1024
"""Larger than API Gateway takes (10 MB), so that ingest, not this server, says what is too large."""


def rate_seconds(expression: str) -> float:
    """The interval of an EventBridge ``rate(...)`` expression, in seconds."""
    match = RATE.match(expression.strip())
    if match is None:
        raise ValueError(f"only rate(...) schedules can run locally, not {expression!r}")
    return int(match.group(1)) * UNIT_SECONDS[match.group(2).removesuffix("s")]


@dataclass
class DueSchedule:
    action: str
    every: float
    next_at: float


class LiveStack:
    """``with LiveStack(root, port=..., api_port=...) as live: live.serve_forever()`` (or ``start()``/``stop()``)."""

    def __init__(
        self,
        root: Path,
        *,
        port: int,
        api_port: int,
        region: str = "us-east-1",
        schedule_every: float | None = None,
        tick_seconds: float = 1.0,
        say: Callable[[str], None] = print,
    ) -> None:
        self.root = root
        self.port = port
        self.api_port = api_port
        self.region = region
        self._schedule_every = schedule_every
        self._tick = tick_seconds
        self._say = say
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._loop: threading.Thread | None = None
        self._seen_objects: set[tuple[str, str]] = set()
        self._delivered = 0
        self.log = io.StringIO()
        self.runtime: LocalRuntime

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.api_port}"

    @property
    def environment(self) -> dict[str, str]:
        """What a client exports to talk to this stack."""
        # boto3 reads AWS_DEFAULT_REGION, the AWS CLI either: both, so that every client finds it.
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            **CREDENTIALS,
        }

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> LiveStack:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request to moto: noise
        self._env = patched_environment(self.environment)
        self._env.__enter__()
        self._server = ThreadedMotoServer(ip_address=LOOPBACK, port=self.port, verbose=False)
        self._server.start()
        try:
            self._reset_moto()  # moto's backends live in this process: start from an empty account
            self.runtime = LocalRuntime(
                self.root, now=datetime.now(UTC), log=self.log, stack_name=STACK_NAME, embedded=False
            ).__enter__()
            self._api = ThreadingHTTPServer((LOOPBACK, self.api_port), self._api_handler())
        except BaseException:
            self._server.stop()
            self._env.__exit__(None, None, None)
            raise
        threading.Thread(target=self._api.serve_forever, name="newsalert-api", daemon=True).start()
        now = time.monotonic()
        self._schedules = [
            DueSchedule(action, every, now + every) for action, every in self._schedule_intervals().items()
        ]
        self._seen_objects = {(key, etag) for _, key, _, etag in self._listed()}
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
        self._api.shutdown()
        self._api.server_close()
        self.runtime.__exit__(kind, error, trace)
        self._reset_moto()
        self._server.stop()
        self._env.__exit__(None, None, None)

    def _reset_moto(self) -> None:
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")  # noqa: S310 - loopback
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - our own moto server on 127.0.0.1
            pass

    def _schedule_intervals(self) -> dict[str, float]:
        intervals = {}
        for schedule in self.runtime.wiring.schedules:
            action = str(json.loads(schedule.input).get("action", schedule.logical_id))
            intervals[action] = self._schedule_every or rate_seconds(schedule.expression)
        return intervals

    # ----------------------------------------------------------------------- loop
    def start(self) -> None:
        """Run the pipeline in a background thread (tests); ``stop()`` ends it."""
        self._loop = threading.Thread(target=self.serve_forever, name="newsalert-pipeline", daemon=True)
        self._loop.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._loop is not None and self._loop is not threading.current_thread():
            self._loop.join(timeout=30)
            self._loop = None

    def serve_forever(self) -> None:
        """Tick until ``stop()``: schedules due, objects put in the inbox, the queues drained."""
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception as error:  # the pipeline goes on: one bad tick is reported, not fatal
                self._say(f"tick failed: {type(error).__name__}: {error}")
            self._stopping.wait(self._tick)

    def tick(self) -> None:
        with self._lock:
            self.runtime.now = datetime.now(UTC)
            now = time.monotonic()
            for schedule in self._schedules:
                if now >= schedule.next_at:
                    schedule.next_at = now + schedule.every
                    for invocation in self.runtime.run_schedules(schedule.action):
                        self._report(invocation.trigger, invocation.function, invocation.error)
            for bucket, key, size, etag in self._new_inbox_objects():
                for invocation in self.runtime.object_created(bucket, key, size=size, etag=etag):
                    self._report(invocation.trigger, invocation.function, invocation.error)
            self.runtime.drain()
            self._report_deliveries()

    def _listed(self) -> Iterator[tuple[str, str, int, str]]:
        bucket = self.runtime.stack.outputs["IngestBucketName"]
        pages = self.runtime.clients.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="inbox/")
        for page in pages:
            for entry in page.get("Contents", []):
                yield bucket, entry["Key"], int(entry["Size"]), str(entry["ETag"]).strip('"')

    def _new_inbox_objects(self) -> list[tuple[str, str, int, str]]:
        new = []
        for bucket, key, size, etag in self._listed():
            if (key, etag) not in self._seen_objects:
                self._seen_objects.add((key, etag))
                new.append((bucket, key, size, etag))
        return new

    def _report(self, trigger: str, function: str, error: str | None) -> None:
        self._say(f"{trigger} -> {function}" + (f": failed, {error}" if error else ""))

    def _report_deliveries(self) -> None:
        deliveries = self.runtime.mailbox.deliveries
        for delivery in deliveries[self._delivered :]:
            subject = delivery.subject or delivery.message.splitlines()[0][:80]
            self._say(f"delivered to {delivery.endpoint} ({delivery.protocol}): {subject}")
        self._delivered = len(deliveries)

    # ------------------------------------------------------------------ HTTP API
    def request(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """One request to the HTTP API, through the function its route names (IAM signatures are not checked)."""
        with self._lock:
            self.runtime.now = datetime.now(UTC)
            try:
                self.runtime.wiring.route_for(method, path)
            except LookupError:
                return 404, {"content-type": "application/json"}, b'{"message": "Not Found"}'
            invocation = self.runtime.http_request(method, path, body)
        self._report(invocation.trigger, invocation.function, invocation.error)
        result = invocation.result if isinstance(invocation.result, dict) else None
        if result is None:
            return 500, {"content-type": "application/json"}, b'{"message": "Internal Server Error"}'
        headers = {str(name): str(value) for name, value in (result.get("headers") or {}).items()}
        text = result.get("body") or ""
        if result.get("isBase64Encoded"):
            return int(result.get("statusCode", 200)), headers, base64.b64decode(text)
        return int(result.get("statusCode", 200)), headers, str(text).encode("utf-8")

    def _api_handler(self) -> type[BaseHTTPRequestHandler]:
        live = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_REQUEST_BYTES:
                    self.send_error(413, "request larger than API Gateway takes (10 MB)")
                    return
                body = self.rfile.read(length) if length else b""
                status, headers, payload = live.request(self.command, self.path.split("?", 1)[0], body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = do_PUT = _answer  # http.server's names

            def log_message(self, format: str, *args: Any) -> None:
                return  # each request is reported once, by the live stack

        return Handler
