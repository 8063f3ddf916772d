"""``newsalert parse`` and ``classify`` on hostile and broken files: one clear answer each, never a traceback.

Each input once ended a command with a traceback, was read with replacement characters, or was
taken by one command and refused by another. The limits are ingest's (``newsalert.ingest.limits``).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from newsalert.ingest.limits import (
    MAX_ARTICLE_FILE_BYTES,
    MAX_BODY_LENGTH,
    MAX_FEED_BYTES,
    MAX_JSON_ARTICLES,
    MAX_TITLE_LENGTH,
)
from newsalert.tools.cli import main
from tests.unit.test_parse_command import Run

NOW = "2024-07-04T09:30:00Z"
TOO_DEEP = "JSON nested deeper than 64 levels (an article is two): not read"


def reasons(run: Run) -> list[str]:
    """The reason of each rejection line (``parse`` and ``classify`` write them alike)."""
    return [line["reason"] for line in run.rejections]


@pytest.fixture
def newsalert(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(*arguments: str, stdin: str = "") -> Run:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(list(arguments))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return Run(status, [json.loads(line) for line in captured.out.splitlines()], captured.err)

    return run


def article_line(number: int, **changes: Any) -> str:
    item = {"title": f"Minister resigns, day {number}", "source": "Wire", "published": "2024-07-04T09:00:00Z"}
    return json.dumps(item | changes, ensure_ascii=False)


def feed_of(size: int) -> bytes:
    item = "<item><title>Minister resigns {n}</title><link>https://wire.example/{n}</link></item>"
    items = "".join(item.format(n=number) for number in range(size // 70))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl", "deep"])
@pytest.mark.parametrize("depth", [1_000, 5_000])
def test_json_nested_thousands_deep_is_one_rejection_with_the_reason(
    newsalert: Any, tmp_path: Path, name: str, depth: int
) -> None:
    path = tmp_path / name
    path.write_text("[" * depth + "]" * depth)

    parsed = newsalert("parse", str(path), "--now", NOW)
    classified = newsalert("classify", str(path))

    assert (parsed.status, reasons(parsed)) == (1, [TOO_DEEP])
    assert (classified.status, reasons(classified)) == (1, [TOO_DEEP])


def test_a_json_line_nested_too_deep_is_refused_alone_by_classify(newsalert: Any) -> None:
    run = newsalert("classify", stdin=f"{article_line(1)}\n{'[' * 3_000}{']' * 3_000}\n{article_line(2)}\n")

    assert run.status == 1
    assert [line.get("reason") for line in run.lines] == [None, TOO_DEEP, None]
    assert run.lines[1]["origin"] == "stdin:2"


def test_a_json_file_that_is_not_utf8_is_refused_naming_the_byte_by_both_commands(
    newsalert: Any, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(article_line(1, title="Pétin visits Astana").encode("latin-1"))

    for run in (newsalert("parse", str(path), "--now", NOW), newsalert("classify", str(path))):
        assert run.status == 1
        [reason] = reasons(run)
        assert reason.startswith("the body is not UTF-8 (byte 0xe9 at position")


def test_more_json_articles_than_a_request_may_carry_is_refused_whole_by_parse_as_by_ingest(
    newsalert: Any, tmp_path: Path
) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(article_line(number) for number in range(MAX_JSON_ARTICLES + 1)))

    run = newsalert("parse", str(path), "--now", NOW)

    assert run.status == 1
    assert reasons(run) == [
        f"{MAX_JSON_ARTICLES + 1} articles in one request; at most {MAX_JSON_ARTICLES} are accepted"
    ]


def test_a_feed_over_the_limit_is_refused_by_parse_as_the_fetcher_refuses_it(newsalert: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(feed_of(MAX_FEED_BYTES + 100_000))

    run = newsalert("parse", str(path), "--now", NOW)

    assert run.status == 1
    [reason] = reasons(run)
    assert reason == f"the feed is {path.stat().st_size:,} bytes, over the limit of {MAX_FEED_BYTES:,} bytes: not read"


def test_a_text_file_over_the_limit_is_refused_naming_the_limit(newsalert: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Minister resigns\n\n" + "word " * (MAX_ARTICLE_FILE_BYTES // 5 + 10))

    for run in (newsalert("parse", str(path), "--now", NOW), newsalert("classify", str(path))):
        assert run.status == 1
        [reason] = reasons(run)
        assert reason.endswith(f"over the limit of {MAX_ARTICLE_FILE_BYTES:,} bytes: not read")


@pytest.mark.parametrize("size", [450_000, 900_000])
def test_a_large_text_file_gives_one_article_capped_as_ingest_caps_it(
    newsalert: Any, tmp_path: Path, size: int
) -> None:
    path = tmp_path / "large.txt"
    path.write_text("Minister resigns over the budget\n\n" + ("The minister resigned today. " * size)[:size])

    run = newsalert("parse", str(path), "--now", NOW)

    assert run.status == 0
    [article] = run.lines
    assert len(article["body"]) <= MAX_BODY_LENGTH
    assert "text-truncated" in article["flags"]


def test_a_long_json_article_is_classified_as_ingest_would_cap_it(newsalert: Any) -> None:
    line = article_line(1, title="Summit " * 9_000, body="The talks went on. " * 60_000)

    run = newsalert("classify", stdin=line + "\n")

    assert run.status == 0
    [result] = run.lines
    evidence = [item for topic in result["topics"] for item in topic["evidence"] if item["field"] == "title"]
    assert all(item["end"] <= MAX_TITLE_LENGTH for item in evidence)


def test_classify_reads_a_json_lines_data_set_past_the_request_cap(newsalert: Any, tmp_path: Path) -> None:
    # A labelled set for eval holds thousands of articles: a data set, not one request to ingest.
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(article_line(number) for number in range(MAX_JSON_ARTICLES + 1)))

    run = newsalert("classify", str(path))

    assert run.status == 0
    assert len(run.lines) == MAX_JSON_ARTICLES + 1
    # and says that ingest and parse would refuse the same file
    assert f"{MAX_JSON_ARTICLES + 1} articles in" in run.stderr
    assert f"ingest and parse take at most {MAX_JSON_ARTICLES} articles" in run.stderr


def test_a_shift_jis_text_file_is_read_as_japanese_not_refused_as_binary(newsalert: Any, tmp_path: Path) -> None:
    path = tmp_path / "jishin.txt"
    path.write_bytes(
        "東京で震度五強の地震\n\n気象庁によると、東京都内で震度五強の揺れを観測した。\n".encode("shift_jis")
    )

    parsed = newsalert("parse", str(path), "--now", NOW)
    classified = newsalert("classify", str(path))

    assert parsed.status == 0
    [article] = parsed.lines
    assert article["title"] == "東京で震度五強の地震"
    assert classified.status == 0
