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
    assert message in capsys.readouterr().err


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
