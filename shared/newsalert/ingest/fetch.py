"""Fetching feeds over HTTP without letting a URL reach what it should not (SSRF).

Every URL, and every redirect target, is checked before a connection is made: only
http and https, and the host is resolved here and each of its addresses must be a
public one. The connection then goes to the address that was checked, so a DNS answer
that changes between the check and the connection (DNS rebinding) cannot slip through.
Loopback is refused too unless the policy allows it (the local runtime and tests serve
feeds on 127.0.0.1); private, link-local (the instance metadata service among them),
multicast and reserved addresses are always refused.

Responses are capped in size (after decompression, so a gzip bomb stops at the cap)
and in time, per read and for the whole body.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from newsalert.ingest.limits import MAX_FEED_BYTES

USER_AGENT = "newsalert/0.1 (+https://github.com/newsalert/newsalert)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024

Resolver = Callable[[str, int], list[str]]
"""Host and port to the IP addresses a connection may go to."""


class FetchRefusedError(Exception):
    """The URL is not allowed: wrong scheme, or a host that resolves to a refused address."""


class FetchFailedError(Exception):
    """The fetch was allowed but did not succeed: network error, HTTP error, too big or too slow."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_loopback: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = MAX_FEED_BYTES  # what a feed may be, however it arrives
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    url: str
    """The URL the body came from, after redirects."""
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def system_resolver(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchFailedError(f"cannot resolve {host}: {error}") from None
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def refusal_reason(address: str, *, allow_loopback: bool) -> str | None:
    """Why a connection to ``address`` is refused, or None when it is allowed."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip.is_link_local:
        return "a link-local address (where instance metadata lives)"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address that was checked, whatever the host name says now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the host name, not the address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


ConnectionFactory = Callable[[str, str, int, str, float], http.client.HTTPConnection]
"""Scheme, host, port, checked address and timeout to an unopened connection."""


def pinned_connection(scheme: str, host: str, port: int, address: str, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return _PinnedHTTPSConnection(host, port, address, timeout)
    return _PinnedHTTPConnection(host, port, address, timeout)


class SafeFetcher:
    """GETs http(s) URLs under a ``FetchPolicy``. The resolver and connections can be replaced in tests."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: Resolver = system_resolver,
        connect: ConnectionFactory = pinned_connection,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolve = resolver
        self._connect = connect

    def check(self, url: str) -> tuple[str, str, int, str]:
        """Scheme, host, port and the checked address for ``url``; raises ``FetchRefusedError``."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise FetchRefusedError(f"not a valid URL: {url[:200]!r} ({error})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefusedError(f"only http and https URLs are fetched, not {scheme or 'no scheme'}: {url[:200]}")
        host = parts.hostname
        if not host:
            raise FetchRefusedError(f"URL has no host: {url[:200]}")
        port = port or (443 if scheme == "https" else 80)
        addresses = self._resolve(host, port)
        if not addresses:
            raise FetchFailedError(f"{host} has no address")
        for address in addresses:
            reason = refusal_reason(address, allow_loopback=self.policy.allow_loopback)
            if reason:
                raise FetchRefusedError(f"{host} resolves to {address}, {reason}: refused")
        return scheme, host, port, addresses[0]

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> FetchResult:
        deadline = time.monotonic() + self.policy.total_timeout
        current = url
        for _ in range(self.policy.max_redirects + 1):
            scheme, host, port, address = self.check(current)
            parts = urlsplit(current)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection = self._connect(scheme, host, port, address, self.policy.connect_timeout)
            try:
                connection.request(
                    "GET",
                    target,
                    headers={
                        "User-Agent": USER_AGENT,
                        "Accept-Encoding": "gzip, deflate",
                        "Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml, */*;q=0.5",
                        **(headers or {}),
                    },
                )
                self._limit_wait(connection, deadline)
                response = connection.getresponse()
                if response.status in REDIRECT_STATUSES and response.getheader("Location"):
                    current = urljoin(current, response.getheader("Location", ""))
                    continue
                if response.status >= 400:
                    raise FetchFailedError(f"{current} answered HTTP {response.status} {response.reason}")
                body = self._read_capped(response, connection, deadline)
                return FetchResult(
                    url=current,
                    status=response.status,
                    body=body,
                    headers={name.lower(): value for name, value in response.getheaders()},
                )
            except TimeoutError:
                if time.monotonic() >= deadline:
                    raise FetchFailedError(
                        f"fetching {current}: response not complete within {self.policy.total_timeout:.0f} s"
                    ) from None
                raise FetchFailedError(f"fetching {current}: no data for {self.policy.read_timeout:.0f} s") from None
            except (OSError, http.client.HTTPException, zlib.error) as error:
                raise FetchFailedError(f"fetching {current} failed: {error}") from None
            finally:
                connection.close()
        raise FetchFailedError(f"more than {self.policy.max_redirects} redirects from {url}")

    def _limit_wait(self, connection: http.client.HTTPConnection, deadline: float) -> None:
        """Let the next read wait no longer than the read timeout, nor past the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailedError(f"response not complete within {self.policy.total_timeout:.0f} s")
        if connection.sock is not None:
            connection.sock.settimeout(min(self.policy.read_timeout, remaining))

    def _read_capped(
        self, response: http.client.HTTPResponse, connection: http.client.HTTPConnection, deadline: float
    ) -> bytes:
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding == "identity":
            decoder = None
        else:
            raise FetchFailedError(f"unsupported Content-Encoding {encoding!r}")
        limit = self.policy.max_bytes
        declared = response.getheader("Content-Length") or ""
        if encoding == "identity" and declared.isdigit() and int(declared) > limit:
            raise FetchFailedError(_too_large(limit))  # said before a byte of it is read: none is
        body = bytearray()
        while True:
            self._limit_wait(connection, deadline)
            # read1 returns what has arrived, so a body that trickles in is still timed.
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            if decoder is not None:
                # Decompress at most one byte past the limit, so a bomb never inflates in memory.
                chunk = decoder.decompress(chunk, limit + 1 - len(body))
            body += chunk
            if len(body) > limit:
                raise FetchFailedError(_too_large(limit))
        if decoder is not None:
            body += decoder.flush()
            if len(body) > limit:
                raise FetchFailedError(_too_large(limit))
        return bytes(body)


def _too_large(limit: int) -> str:
    # The reading stops here: what a feed that big holds is never known, only that it is too big.
    return f"response larger than {limit:,} bytes, the limit for a feed: not read"
