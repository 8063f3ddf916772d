"""Fetching feeds: the SSRF guard refuses before connecting, and bodies are capped in size and time.

No test here sends a packet beyond loopback: resolvers are replaced, the local server listens on
127.0.0.1, and an autouse guard fails any connection or name lookup that would leave the machine.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import socketserver
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from newsalert.ingest.fetch import (
    USER_AGENT,
    FetchFailedError,
    FetchPolicy,
    FetchRefusedError,
    SafeFetcher,
    pinned_connection,
    refusal_reason,
)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>'
ONE_MB = 1024 * 1024


# ------------------------------------------------------------------------ guards and fakes


@pytest.fixture(autouse=True)
def _only_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail, instead of sending a packet, if anything connects to or looks up a non-loopback name."""
    real_connect = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] in LOOPBACK, f"test tried to connect to {address}"
        return real_connect(address, *args, **kwargs)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        assert host in LOOPBACK or host is None, f"test tried to resolve {host!r}"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


def resolver_to(*addresses: str) -> Callable[[str, int], list[str]]:
    return lambda host, port: list(addresses)


def must_not_resolve(host: str, port: int) -> list[str]:
    raise AssertionError(f"resolver called for {host}:{port}")


def must_not_connect(*args: Any) -> http.client.HTTPConnection:
    raise AssertionError(f"connection attempted: {args}")


def fake_resolver(host: str, port: int) -> list[str]:
    """IP literals resolve to themselves (as the system resolver does); test names are fixed."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    names = {"feeds.test": ["127.0.0.1"], "internal.test": ["10.0.0.5"]}
    assert host in names, f"unexpected lookup of {host!r}"
    return names[host]


class ConnectionRecorder:
    """A connection factory that notes every address it is asked to connect to, then connects (pinned)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int, str]] = []

    def __call__(self, scheme: str, host: str, port: int, address: str, timeout: float) -> http.client.HTTPConnection:
        self.calls.append((scheme, host, port, address))
        return pinned_connection(scheme, host, port, address, timeout)

    @property
    def addresses(self) -> list[str]:
        return [call[3] for call in self.calls]


# ------------------------------------------------------------------------ the SSRF guard (no connection at all)


REFUSED_ALWAYS = [
    pytest.param("10.0.0.5", id="private-10/8"),
    pytest.param("172.16.0.1", id="private-172.16/12"),
    pytest.param("172.31.255.254", id="private-172.16/12-top"),
    pytest.param("192.168.1.1", id="private-192.168/16"),
    pytest.param("169.254.169.254", id="link-local-metadata"),
    pytest.param("fe80::1", id="ipv6-link-local"),
    pytest.param("fe80::1%eth0", id="ipv6-link-local-with-zone"),
    pytest.param("fc00::1", id="ipv6-unique-local"),
    pytest.param("fd00:ec2::254", id="ipv6-aws-metadata"),
    pytest.param("::ffff:10.0.0.1", id="ipv4-mapped-private"),
    pytest.param("::ffff:169.254.169.254", id="ipv4-mapped-metadata"),
    pytest.param("224.0.0.1", id="multicast"),
    pytest.param("ff02::1", id="ipv6-multicast"),
    pytest.param("0.0.0.0", id="unspecified"),
    pytest.param("::", id="ipv6-unspecified"),
    pytest.param("240.0.0.1", id="reserved"),
    pytest.param("255.255.255.255", id="broadcast"),
    pytest.param("100.64.0.1", id="cgnat"),  # ipaddress: neither private nor global; the policy refuses it
]
LOOPBACKS = [
    pytest.param("127.0.0.1", id="loopback"),
    pytest.param("127.1.2.3", id="loopback-127/8"),
    pytest.param("::1", id="ipv6-loopback"),
    pytest.param("::ffff:127.0.0.1", id="ipv4-mapped-loopback"),
]


def test_cgnat_is_neither_private_nor_global_for_ipaddress() -> None:
    # Why the policy needs its `not is_global` clause: is_private alone would let CGNAT through.
    cgnat = ipaddress.ip_address("100.64.0.1")
    assert not cgnat.is_private
    assert not cgnat.is_global


@pytest.mark.parametrize("allow_loopback", [False, True])
@pytest.mark.parametrize("address", REFUSED_ALWAYS)
def test_non_public_address_is_refused_before_any_connection(address: str, allow_loopback: bool) -> None:
    fetcher = SafeFetcher(
        FetchPolicy(allow_loopback=allow_loopback), resolver=resolver_to(address), connect=must_not_connect
    )

    with pytest.raises(FetchRefusedError) as refused:
        fetcher.fetch("http://feeds.example.com/rss.xml")

    assert address in str(refused.value)
    assert refusal_reason(address, allow_loopback=allow_loopback) is not None


def test_metadata_address_is_called_link_local() -> None:
    reason = refusal_reason("169.254.169.254", allow_loopback=True)

    assert reason is not None
    assert "link-local" in reason


@pytest.mark.parametrize("address", LOOPBACKS)
def test_loopback_is_refused_by_default(address: str) -> None:
    fetcher = SafeFetcher(resolver=resolver_to(address), connect=must_not_connect)

    with pytest.raises(FetchRefusedError, match="loopback"):
        fetcher.fetch("http://feeds.example.com/rss.xml")


@pytest.mark.parametrize("address", LOOPBACKS)
def test_loopback_is_allowed_when_the_policy_says_so(address: str) -> None:
    fetcher = SafeFetcher(FetchPolicy(allow_loopback=True), resolver=resolver_to(address), connect=must_not_connect)

    assert fetcher.check("http://feeds.example.com:8080/rss.xml") == ("http", "feeds.example.com", 8080, address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])
def test_public_address_is_allowed_and_is_the_one_connected_to(address: str) -> None:
    fetcher = SafeFetcher(resolver=resolver_to(address), connect=must_not_connect)

    assert refusal_reason(address, allow_loopback=False) is None
    assert fetcher.check("https://news.example.com/rss") == ("https", "news.example.com", 443, address)


@pytest.mark.parametrize("private", ["10.0.0.5", "169.254.169.254", "127.0.0.1"])
def test_host_with_one_public_and_one_private_address_is_refused(private: str) -> None:
    for answers in (["93.184.216.34", private], [private, "93.184.216.34"]):
        fetcher = SafeFetcher(resolver=resolver_to(*answers), connect=must_not_connect)

        with pytest.raises(FetchRefusedError, match=private):
            fetcher.fetch("http://news.example.com/rss")


def test_host_without_any_address_fails_without_connecting() -> None:
    fetcher = SafeFetcher(resolver=resolver_to(), connect=must_not_connect)

    with pytest.raises(FetchFailedError, match="no address"):
        fetcher.fetch("http://news.example.com/rss")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example.com/rss.xml",
        "gopher://news.example.com:70/_GET%20/",
        "javascript:alert(1)",
        "news.example.com/rss.xml",
        "//news.example.com/rss.xml",
    ],
)
def test_non_http_scheme_is_refused_without_resolving(url: str) -> None:
    fetcher = SafeFetcher(resolver=must_not_resolve, connect=must_not_connect)

    with pytest.raises(FetchRefusedError, match="only http and https"):
        fetcher.fetch(url)


@pytest.mark.parametrize("url", ["http:///rss.xml", "https://", "http://:8080/rss.xml", "http://user@/rss"])
def test_url_without_host_is_refused(url: str) -> None:
    fetcher = SafeFetcher(resolver=must_not_resolve, connect=must_not_connect)

    with pytest.raises(FetchRefusedError, match="no host"):
        fetcher.fetch(url)


@pytest.mark.parametrize("url", ["http://news.example.com:99999/", "http://news.example.com:http/", "http://[::1/"])
def test_malformed_url_is_refused(url: str) -> None:
    fetcher = SafeFetcher(resolver=must_not_resolve, connect=must_not_connect)

    with pytest.raises(FetchRefusedError, match="not a valid URL"):
        fetcher.fetch(url)


def test_ip_literal_in_the_url_is_checked_like_a_resolved_name() -> None:
    fetcher = SafeFetcher(FetchPolicy(allow_loopback=True), resolver=fake_resolver, connect=must_not_connect)

    for url in ("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[::ffff:a00:1]/"):
        with pytest.raises(FetchRefusedError):
            fetcher.fetch(url)


def test_ipv6_site_local_is_refused() -> None:
    assert refusal_reason("fec0::1", allow_loopback=False) is not None


# ------------------------------------------------------------------------ a real server on 127.0.0.1


def _gzip(data_chunks: Iterator[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [compressor.compress(chunk) for chunk in data_chunks]
    out.append(compressor.flush())
    return b"".join(out)


GZIP_BOMB = _gzip(bytes(ONE_MB) for _ in range(50))  # 50 MB of zeros, about 50 kB on the wire
METADATA_URL = "http://169.254.169.254/latest/meta-data/"


class FeedHandler(BaseHTTPRequestHandler):
    """Routes by path; everything the fetcher must cope with."""

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        # The fetcher may hang up on purpose: it refuses a body whose Content-Length is over its cap.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, headers={"Location": location})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        path = parts.path
        if path == "/feed":
            self._send(200, FEED, {"Content-Type": "application/rss+xml", "X-Feed": "yes"})
        elif path == "/user-agent":
            self._send(200, (self.headers.get("User-Agent") or "").encode())
        elif path == "/redirect":
            self._redirect("/feed")
        elif path == "/redirect-absolute":
            self._redirect(f"http://feeds.test:{self.connection.getsockname()[1]}/feed")
        elif path == "/to-metadata":
            self._redirect(METADATA_URL)
        elif path == "/to-internal":
            self._redirect("http://internal.test/admin")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/bytes":
            self._send(200, b"x" * int(query["n"]))
        elif path == "/gzip":
            self._send(200, _gzip(iter([FEED])), {"Content-Encoding": "gzip"})
        elif path == "/bomb":
            self._send(200, GZIP_BOMB, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})
        elif path == "/not-gzip":
            self._send(200, b"this is not gzip at all", {"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self._send(200, b"\x1b\x03", {"Content-Encoding": "br"})
        elif path == "/drip":
            self._drip(chunk=int(query["chunk"]), seconds=float(query["seconds"]))
        elif path.startswith("/status/"):
            self._send(int(path.removeprefix("/status/")), b"nope")
        else:
            self._send(404)

    def _drip(self, *, chunk: int, seconds: float) -> None:
        """A body without length that trickles every 0.2 s; stops on its own after ``seconds``."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        stop = time.monotonic() + seconds
        try:
            while time.monotonic() < stop:
                self.wfile.write(b"x" * chunk)
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up
            return


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self) -> None:
        # Skip HTTPServer.server_bind, whose getfqdn() could trigger a reverse DNS lookup.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base URL of the local server, spelled with a name only the test resolver knows."""
    httpd = LoopbackServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://feeds.test:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def recorder() -> ConnectionRecorder:
    return ConnectionRecorder()


def local_fetcher(recorder: ConnectionRecorder, **policy: Any) -> SafeFetcher:
    settings: dict[str, Any] = {"allow_loopback": True, "connect_timeout": 2.0, "read_timeout": 2.0, **policy}
    return SafeFetcher(FetchPolicy(**settings), resolver=fake_resolver, connect=recorder)


def test_body_is_fetched_from_the_checked_address(server: str, recorder: ConnectionRecorder) -> None:
    result = local_fetcher(recorder).fetch(f"{server}/feed")

    assert result.status == 200
    assert result.body == FEED
    assert result.url == f"{server}/feed"
    assert result.headers["content-type"] == "application/rss+xml"
    assert result.headers["x-feed"] == "yes"
    # The name feeds.test exists only in the test resolver: the connection went to the pinned address.
    assert recorder.calls == [("http", "feeds.test", int(server.rsplit(":", 1)[1]), "127.0.0.1")]


def test_local_server_is_refused_without_allow_loopback(server: str, recorder: ConnectionRecorder) -> None:
    fetcher = SafeFetcher(resolver=fake_resolver, connect=recorder)

    with pytest.raises(FetchRefusedError, match="loopback"):
        fetcher.fetch(f"{server}/feed")
    assert recorder.calls == []


def test_user_agent_names_newsalert(server: str, recorder: ConnectionRecorder) -> None:
    assert local_fetcher(recorder).fetch(f"{server}/user-agent").body.decode() == USER_AGENT


def test_name_is_resolved_once_per_hop_so_a_rebinding_answer_is_never_used(
    server: str, recorder: ConnectionRecorder
) -> None:
    # Given a resolver whose second answer would point inside the network (DNS rebinding)
    answers = iter([["127.0.0.1"], ["10.0.0.5"]])
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers)

    fetcher = SafeFetcher(FetchPolicy(allow_loopback=True), resolver=rebinding, connect=recorder)

    assert fetcher.fetch(f"{server}/feed").body == FEED
    assert lookups == ["feeds.test"]
    assert recorder.addresses == ["127.0.0.1"]


@pytest.mark.parametrize("path", ["/redirect", "/redirect-absolute"])
def test_redirect_on_the_same_server_is_followed(server: str, recorder: ConnectionRecorder, path: str) -> None:
    result = local_fetcher(recorder).fetch(server + path)

    assert result.body == FEED
    assert result.url == f"{server}/feed"
    assert recorder.addresses == ["127.0.0.1", "127.0.0.1"]


@pytest.mark.parametrize(
    ("path", "refused"),
    [("/to-metadata", "169.254.169.254"), ("/to-internal", "10.0.0.5"), ("/to-file", "only http and https")],
)
def test_redirect_to_a_refused_target_is_refused_before_connecting_to_it(
    server: str, recorder: ConnectionRecorder, path: str, refused: str
) -> None:
    with pytest.raises(FetchRefusedError, match=refused):
        local_fetcher(recorder).fetch(server + path)

    # Only the first hop (the local server) was connected to.
    assert recorder.addresses == ["127.0.0.1"]


def test_redirect_loop_stops_after_max_redirects(server: str, recorder: ConnectionRecorder) -> None:
    with pytest.raises(FetchFailedError, match="more than 3 redirects"):
        local_fetcher(recorder, max_redirects=3).fetch(f"{server}/loop")

    assert len(recorder.calls) == 4  # the first request and three redirects


@pytest.mark.parametrize("status", [404, 500])
def test_http_error_status_fails_with_the_status_in_the_message(
    server: str, recorder: ConnectionRecorder, status: int
) -> None:
    with pytest.raises(FetchFailedError, match=f"HTTP {status}"):
        local_fetcher(recorder).fetch(f"{server}/status/{status}")


def test_gzip_body_is_decompressed(server: str, recorder: ConnectionRecorder) -> None:
    assert local_fetcher(recorder).fetch(f"{server}/gzip").body == FEED


def test_gzip_bomb_stops_at_the_cap_without_inflating_in_memory(server: str, recorder: ConnectionRecorder) -> None:
    fetcher = local_fetcher(recorder, max_bytes=ONE_MB)
    tracemalloc.start()
    try:
        with pytest.raises(FetchFailedError, match=f"larger than {ONE_MB:,} bytes"):
            fetcher.fetch(f"{server}/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 16 * ONE_MB  # the bomb inflates to 50 MB


def test_body_at_the_cap_is_accepted_and_one_byte_more_is_refused(server: str, recorder: ConnectionRecorder) -> None:
    fetcher = local_fetcher(recorder, max_bytes=ONE_MB)

    assert len(fetcher.fetch(f"{server}/bytes?n={ONE_MB}").body) == ONE_MB
    with pytest.raises(FetchFailedError, match="larger than"):
        fetcher.fetch(f"{server}/bytes?n={ONE_MB + 1}")
    with pytest.raises(FetchFailedError, match="larger than"):
        fetcher.fetch(f"{server}/bytes?n={3 * ONE_MB}")


def test_unsupported_content_encoding_fails(server: str, recorder: ConnectionRecorder) -> None:
    with pytest.raises(FetchFailedError, match="Content-Encoding"):
        local_fetcher(recorder).fetch(f"{server}/brotli")


def test_corrupt_gzip_body_fails_as_a_fetch_failure(server: str, recorder: ConnectionRecorder) -> None:
    with pytest.raises(FetchFailedError):
        local_fetcher(recorder).fetch(f"{server}/not-gzip")


def test_endless_slow_body_fails_after_the_total_timeout(server: str, recorder: ConnectionRecorder) -> None:
    # Given a server that sends 16 kB every 0.2 s for up to 5 s, each read well within read_timeout
    fetcher = local_fetcher(recorder, total_timeout=1.0, read_timeout=1.0)
    started = time.monotonic()

    with pytest.raises(FetchFailedError, match="not complete within 1 s"):
        fetcher.fetch(f"{server}/drip?chunk=16384&seconds=5")

    assert time.monotonic() - started < 2.5


def test_trickling_body_fails_within_the_total_timeout(server: str, recorder: ConnectionRecorder) -> None:
    # Given a server that sends 10 bytes every 0.2 s, and stops by itself after 2.5 s
    fetcher = local_fetcher(recorder, total_timeout=1.0, read_timeout=1.0)
    started = time.monotonic()

    with pytest.raises(FetchFailedError):
        fetcher.fetch(f"{server}/drip?chunk=10&seconds=2.5")

    assert time.monotonic() - started < 2.0
