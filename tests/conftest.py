"""Fixtures shared by every layer of tests."""

from __future__ import annotations

import importlib
import io
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = PROJECT_ROOT / "events" / "samples"
LAMBDA_EVENTS = PROJECT_ROOT / "events" / "lambda"
BENCH = PROJECT_ROOT / "bench"
SAMPLE_ARTICLE = SAMPLES / "xi-putin-sco-astana.txt"
SAMPLE_TITLE = "Xi Jinping holds talks with Vladimir Putin on SCO sidelines in Kazakhstan"
# The watch topics issue 4 asks the default taxonomy for.
WATCH_TOPICS = (
    "geopolitics",
    "sco",
    "china-russia",
    "brics",
    "nato",
    "ukraine-war",
    "middle-east",
    "elections",
    "un",
    "g7-g20",
    "sanctions",
    "climate-diplomacy",
)
# The sample was published at 07:29 UTC; this is soon after, so it is still news.
SAMPLE_NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach a real AWS account, whatever the developer's environment holds."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def lambda_event(name: str) -> dict[str, Any]:
    """One of the sample events in events/lambda (the ones `sam local invoke -e` takes)."""
    document: dict[str, Any] = json.loads((LAMBDA_EVENTS / name).read_text(encoding="utf-8"))
    return document


@pytest.fixture
def runtime() -> Iterator[Any]:
    """The stack from template.yaml, deployed into embedded AWS, with its functions' logs kept."""
    from newsalert.tools.local.runtime import LocalRuntime

    with LocalRuntime(PROJECT_ROOT, now=SAMPLE_NOW, log=io.StringIO()) as deployed:
        yield deployed


def import_bench(name: str) -> ModuleType:
    """A module of bench/ (not a package: its modules import each other by name), imported with bench/
    on the path only while it loads, so that no other test finds its modules by accident."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCH))
