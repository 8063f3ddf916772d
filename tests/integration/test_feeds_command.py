"""``newsalert feeds`` against the stack from template.yaml, found by its outputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsalert.tools.cli import main


def _feeds(runtime: Any, *args: str) -> int:
    return main(["feeds", *args, "--stack", runtime.stack.name, "--region", runtime.region])


def test_an_operator_adds_lists_and_removes_a_feed(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    added = _feeds(
        runtime, "add", "https://News.Example.com/world/rss.xml?utm_source=x", "--name", "Example", "--priority", "high"
    )
    assert added == 0
    assert "added https://news.example.com/world/rss.xml as feed-" in capsys.readouterr().out

    assert _feeds(runtime, "list", "--json") == 0
    [listed] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert listed["url"] == "https://news.example.com/world/rss.xml"
    assert listed["priority"] == "high"
    assert listed["health"] == "not polled yet"

    assert _feeds(runtime, "remove", "https://news.example.com/world/rss.xml") == 0
    assert _feeds(runtime, "list") == 0
    assert "no feeds registered" in capsys.readouterr().out


def test_adding_a_feed_twice_is_refused_with_the_reason(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _feeds(runtime, "add", "https://news.example.com/rss.xml")

    assert _feeds(runtime, "add", "https://NEWS.example.com:443/rss.xml#top") == 2
    assert "already registered" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["ftp://news.example.com/rss.xml"], "only http and https"),
        (["https://news.example.com/rss.xml", "--timezone", "Mars/Olympus"], "unknown time zone"),
        (["https://news.example.com/rss.xml", "--language", "English"], "language"),
    ],
)
def test_a_bad_feed_is_refused_with_a_clear_error(
    runtime: Any, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert _feeds(runtime, "add", *arguments) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1  # one line: no traceback, no pydantic dump
    assert "errors.pydantic.dev" not in err


def test_removing_an_unknown_feed_says_so(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert _feeds(runtime, "remove", "https://news.example.com/never-added.xml") == 2
    assert "no feed" in capsys.readouterr().err


def test_the_list_shows_a_failing_feed_and_why(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    runtime.register_feeds(["http://10.255.255.1/feed.xml"])
    runtime.run_schedules()
    runtime.drain()

    assert _feeds(runtime, "list") == 0
    out = capsys.readouterr().out
    assert "failing (1 in a row)" in out
    assert "private address" in out


def test_a_feed_never_polled_is_due_now(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _feeds(runtime, "add", "https://news.example.com/world/rss.xml")
    capsys.readouterr()

    assert _feeds(runtime, "list") == 0
    assert "next poll due now" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["list", "--stack", "NoSuch"], "no stack named NoSuch"),
        (["list", "--table", "NoSuch"], "no table named NoSuch"),
        (["add", "https://news.example.com/rss.xml", "--stack", "NoSuch"], "no stack named NoSuch"),
        (["remove", "https://news.example.com/rss.xml", "--table", "NoSuch"], "no table named NoSuch"),
    ],
)
def test_a_stack_or_table_that_is_not_there_is_said_in_one_line(
    runtime: Any, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(["feeds", *arguments, "--region", runtime.region]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_no_region_and_an_unreachable_endpoint_are_said_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    assert main(["feeds", "list"]) == 2
    assert "no AWS region" in capsys.readouterr().err

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # loopback, nothing listens on port 9
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert main(["feeds", "list", "--region", "us-east-1"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach http://127.0.0.1:9" in err
    assert err.count("\n") == 1
