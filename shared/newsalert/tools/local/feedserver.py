"""Serving feed files on 127.0.0.1, so that ingest fetches them over HTTP as it would in AWS."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote


class _FeedHandler(BaseHTTPRequestHandler):
    documents: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.documents.get(self.path)
        if body is None:
            self.send_error(404, "no such feed")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (ConnectionResetError, BrokenPipeError):
            # The fetcher hung up: it stops reading a feed over its size limit, and says so
            # itself. A server on a real host would not notice either.
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the runtime reports fetches through ingest's own logs."""


@contextmanager
def serve_documents(documents: dict[str, bytes]) -> Iterator[str]:
    """Serve ``documents`` (route to body) on 127.0.0.1 for the duration; yields the base URL.

    The dict is read at each request: a caller may change what a route serves between polls.
    """
    handler = type("FeedHandler", (_FeedHandler,), {"documents": documents})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="newsalert-feeds", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_feeds(files: list[Path]) -> Iterator[dict[Path, str]]:
    """Serve ``files`` on 127.0.0.1 for the duration; yields each file's URL."""
    documents = {f"/feeds/{index}/{quote(path.name)}": path.read_bytes() for index, path in enumerate(files)}
    with serve_documents(documents) as base:
        yield {path: f"{base}{route}" for path, route in zip(files, documents, strict=True)}
