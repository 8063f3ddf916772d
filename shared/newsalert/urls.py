"""Canonical article URLs: one spelling per article, whatever link carried it.

Two links that differ only in letter case of the host, a default port, a
fragment or tracking parameters point at the same article, so they must give
the same article id (see ``models.article_id``).
"""

from __future__ import annotations

from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

# Query parameters that say who sent the reader, never which article it is.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref_src"}
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a path or a query keeps as they are; anything else (spaces, quotes, angle
# brackets, non-ASCII) is percent-encoded, and existing escapes are kept byte for byte.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


class InvalidURLError(ValueError):
    """A link that cannot name an article: not http(s), or without a host."""


def _is_tracking(pair: str) -> bool:
    lowered = unquote_plus(pair.split("=", 1)[0]).lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Return the canonical spelling of an http(s) article URL.

    Lower-cases scheme and host, drops the default port, the fragment, the
    user info and tracking parameters, and gives an empty path as ``/``. Other
    query parameters keep their order and their bytes (they are never decoded,
    so a Latin-1 ``%E9`` stays ``%E9``); unsafe characters are percent-encoded,
    so the result is idempotent and holds no markup. Raises ``InvalidURLError``
    for anything that is not an http(s) URL.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:  # a port that is not a number, a bad IPv6 literal
        raise InvalidURLError(f"not a valid URL: {text[:200]!r} ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURLError(f"only http and https article URLs are accepted, got {text[:200]!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidURLError(f"URL has no host: {text[:200]!r}")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    # White space before the fragment or query is a copy-and-paste slip, not part of the path.
    path = quote(parts.path.rstrip(), safe=_PATH_SAFE) or "/"
    pairs = [pair for pair in parts.query.split("&") if pair and not _is_tracking(pair)]
    query = "&".join(quote(pair, safe=_QUERY_SAFE) for pair in pairs)
    return urlunsplit((scheme, netloc, path, query, ""))
