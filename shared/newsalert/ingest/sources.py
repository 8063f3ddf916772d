"""The news sources ingest knows, as operators describe them in ``data/sources.yaml``.

A ``SourceProfile`` says how to recognise one outlet's files (markers in the
text, its web domains), which time zone its bare times are in, and which lines
are its boilerplate. Parsers get the profile from ``SourceCatalog.match`` and
never name an outlet in code, so adding an outlet is an edit of the YAML file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from newsalert.bundled_data import bundled_document
from newsalert.models import LanguageCode, NonEmptyText, SourcePriority
from newsalert.yaml_files import Location, describe_problems, located_entry

BUNDLED_CATALOG = "sources.yaml"
"""The catalog shipped in ``newsalert/data``, used when no path is given."""


class SourceConfigError(ValueError):
    """The sources file cannot be used; the message names the file, the source and the problem."""


def _compile_pattern(value: object) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    try:
        # Case-insensitive: operators copy phrases as they saw them once, and
        # outlets change capitalisation freely.
        return re.compile(value, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"{value!r} is not a valid regular expression ({error})") from None


Pattern = Annotated[re.Pattern[str], BeforeValidator(_compile_pattern)]


class SourceProfile(BaseModel):
    """How to read one outlet's articles."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: NonEmptyText
    """The outlet's name as it appears on articles and alerts."""
    timezone: str = "UTC"
    """IANA zone (``Asia/Dhaka``) for times the outlet prints without an offset."""
    language: LanguageCode = "en"
    priority: SourcePriority = "normal"
    """How much the outlet's word weighs when classify decides how urgent a story is."""
    domains: tuple[str, ...] = ()
    """Web domains of the outlet; a URL or S3 key hint on one of them (or a subdomain) picks this profile."""
    markers: tuple[Pattern, ...] = ()
    """Regular expressions found in the outlet's files (credit line, footer, domain)."""
    boilerplate: tuple[Pattern, ...] = ()
    """Regular expressions for whole lines to drop (searched in each line; anchor with ^...$)."""
    end_markers: tuple[Pattern, ...] = ()
    """Regular expressions for a line where the article ends: it and everything after it are dropped."""
    credit_prefixes: tuple[Pattern, ...] = ()
    """Regular expressions for a credit at the start of the first body paragraph, removed from the body."""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Asia/Dhaka')") from None
        return value

    @field_validator("domains")
    @classmethod
    def _plain_domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        domains = tuple(domain.strip().lower().rstrip(".") for domain in value)
        for domain in domains:
            if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
                raise ValueError(f"{domain!r} is not a domain name (write 'example.com', without scheme or path)")
        return domains

    @property
    def zone(self) -> ZoneInfo:
        """The time zone as an object, for localising the outlet's bare times."""
        return ZoneInfo(self.timezone)

    def owns_host(self, host: str) -> bool:
        """Whether ``host`` is one of the outlet's domains or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def marker_hits(self, text: str) -> int:
        """How many of the outlet's markers occur in ``text``."""
        return sum(1 for marker in self.markers if marker.search(text))

    def is_boilerplate(self, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.boilerplate)

    def ends_article(self, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.end_markers)

    def strip_credit(self, paragraph: str) -> str:
        """The paragraph without the outlet's leading credit ("International Desk, Bangladesh Global:")."""
        for pattern in self.credit_prefixes:
            match = pattern.match(paragraph)
            if match:
                return paragraph[match.end() :].lstrip()
        return paragraph


def _hint_hosts(hint: str) -> list[str]:
    """Host names a hint may carry: the host of a URL, or any segment of a path or S3 key."""
    text = hint.strip().lower()
    if "://" in text:
        host = urlsplit(text).hostname
        return [host] if host else []
    return [segment for segment in re.split(r"[/\\]", text) if segment]


@dataclass(frozen=True)
class FeedSource:
    """How one feed's items are read, and whose name they carry."""

    profile: SourceProfile | None
    """Reading rules (time zone, language, boilerplate): a configured outlet's, or the default one
    with the zone and language the operator gave; None when there is nothing to apply."""
    outlet: str | None
    """The name its articles carry: the name the feed was registered under, else the configured
    outlet whose domain it is on; None lets the feed's own title name them (its host only as a last resort)."""
    priority: SourcePriority = "normal"


class SourceCatalog(BaseModel):
    """Every configured outlet, plus the profile for files that match none of them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default: SourceProfile
    """Used when nothing matches: usually UTC, name 'unknown', generic boilerplate only."""
    sources: tuple[SourceProfile, ...] = Field(default=())

    @model_validator(mode="after")
    def _distinct_and_recognisable(self) -> SourceCatalog:
        seen: set[str] = set()
        for profile in self.sources:
            key = profile.name.casefold()
            if key in seen:
                raise ValueError(f"source {profile.name!r} is configured twice")
            seen.add(key)
            if not profile.markers and not profile.domains:
                raise ValueError(f"source {profile.name!r} has neither markers nor domains, so nothing can match it")
        return self

    def find(self, text: str, hint: str | None = None) -> SourceProfile | None:
        """The configured outlet ``text`` comes from, or None.

        A hint (file name, S3 key or URL) on one of an outlet's domains wins;
        otherwise the outlet with the most markers in the text, the first
        listed on a tie.
        """
        if hint:
            hosts = _hint_hosts(hint)
            for profile in self.sources:
                if any(profile.owns_host(host) for host in hosts):
                    return profile
        best: SourceProfile | None = None
        best_hits = 0
        for profile in self.sources:
            hits = profile.marker_hits(text)
            if hits > best_hits:
                best, best_hits = profile, hits
        return best

    def match(self, text: str, hint: str | None = None) -> SourceProfile:
        """The outlet ``text`` comes from, or the default profile.

        The default profile is renamed after the host when the hint is a URL,
        since "example.com" says more to an operator than "unknown".
        """
        found = self.find(text, hint)
        if found is not None:
            return found
        if hint and "://" in hint:
            host = urlsplit(hint.strip()).hostname
            if host:
                return self.default.model_copy(update={"name": host.removeprefix("www.")})
        return self.default

    def for_feed(
        self,
        url: str,
        *,
        name: str | None = None,
        timezone: str | None = None,
        language: str | None = None,
        priority: SourcePriority | None = None,
    ) -> FeedSource:
        """The reading rules and outlet name of a feed, as its operator registered it (or ``newsalert parse`` is told).

        A configured outlet is the one named, else the one whose domain the feed is on. The
        registered zone and language override the outlet's; the registered priority wins over it.
        """
        configured = (self.get(name) if name else None) or self.find("", hint=url)
        overrides = {key: value for key, value in (("timezone", timezone), ("language", language)) if value}
        base = configured or (self.default if overrides else None)
        profile = base.model_copy(update=overrides) if base is not None and overrides else base
        outlet = name or (configured.name if configured else None)
        return FeedSource(profile, outlet, priority or (configured.priority if configured else "normal"))

    def get(self, name: str) -> SourceProfile | None:
        """The outlet configured under ``name`` (case-insensitive), or None."""
        key = name.casefold()
        return next((profile for profile in self.sources if profile.name.casefold() == key), None)


def _locate(location: Location, raw: object) -> tuple[str, Location]:
    """Name a source by its name as well as its index, and the default profile as such."""
    found = located_entry(location, raw, "sources")
    if found is not None:
        index, entry = found
        name = entry.get("name")
        return (f"source {name!r} (sources[{index}])" if name else f"sources[{index}]"), location[2:]
    if location[:1] == ("default",):
        return "default profile", location[1:]
    return "", location


def parse_source_catalog(document: str, *, origin: str = BUNDLED_CATALOG) -> SourceCatalog:
    """Validate a sources document given as YAML text; ``origin`` names it in error messages."""
    import yaml  # only for an operator's file: the bundled one is read from JSON (newsalert.bundled_data)

    try:
        raw = yaml.safe_load(document)
    except yaml.YAMLError as error:
        raise SourceConfigError(f"{origin}: not valid YAML: {error}") from None
    return _catalog(raw, origin)


def _catalog(raw: object, origin: str) -> SourceCatalog:
    if not isinstance(raw, dict):
        raise SourceConfigError(f"{origin}: expected a mapping with 'default' and 'sources', got {type(raw).__name__}")
    try:
        return SourceCatalog.model_validate(raw)
    except ValidationError as error:
        problems = describe_problems(error, raw, locate=_locate)
        raise SourceConfigError(f"{origin}: {problems}") from None


def load_source_catalog(path: Path | None = None) -> SourceCatalog:
    """Load and validate the sources file at ``path``, or the one bundled with the package.

    Raises ``SourceConfigError`` naming the file, the source and the problem.
    """
    if path is None:  # from its compact twin, which a test keeps equal to the YAML (newsalert.bundled_data)
        return _catalog(bundled_document(BUNDLED_CATALOG), f"newsalert/data/{BUNDLED_CATALOG}")
    try:
        document = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceConfigError(f"{path}: cannot be read ({error})") from None
    return parse_source_catalog(document, origin=str(path))
