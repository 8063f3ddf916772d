"""One rule says what kind of input a document is, content first, and ingest and every command follow it."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from newsalert.ingest.admission import Ingestor
from newsalert.ingest.errors import UnsupportedInputError
from newsalert.ingest.input_kind import input_kind
from newsalert.ingest.sources import load_source_catalog
from newsalert.tools.article_input import InputArticle, read_article_input
from newsalert.tools.cli import main
from newsalert.tools.local.simulation import plan_inputs
from tests.conftest import SAMPLE_ARTICLE, SAMPLE_NOW, SAMPLE_TITLE, SAMPLES
from tests.unit.fakes import FakeArticlesTable, FakeStageQueue

FIXTURES = Path(__file__).parents[1] / "fixtures" / "feeds"
RSS = (FIXTURES / "rss-2.0.xml").read_bytes()
TEXT_ARTICLE = SAMPLE_ARTICLE.read_bytes()
PUSHED = (SAMPLES / "pushed-articles.json").read_bytes()
PAGE = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Dam repairs finished | Valley Post</title>
<meta property="article:published_time" content="2024-07-04T08:00:00Z"/></head>
<body><article><h1>Dam repairs finished ahead of the rains</h1>
<p>Engineers finished sealing the spillway on Wednesday, a month early.</p></article></body></html>"""
BRACKETED_TEXT = b"[Update] Dam repairs finished ahead of the rains\n\nEngineers finished sealing the spillway.\n"


@pytest.mark.parametrize(
    ("document", "name", "kind"),
    [
        pytest.param(RSS, "news/rss.txt", "feed", id="a feed named .txt"),
        pytest.param(RSS, "feed.php", "feed", id="a feed named .php"),
        pytest.param(RSS, "latest", "feed", id="a feed without a suffix"),
        pytest.param((FIXTURES / "jsonfeed-1.1.json").read_bytes(), "feed.json", "feed", id="JSON Feed named .json"),
        pytest.param((FIXTURES / "encoding-utf16-bom.xml").read_bytes(), "feed.xml", "feed", id="UTF-16 feed"),
        pytest.param(PUSHED, "pushed.txt", "json", id="JSON articles named .txt"),
        pytest.param(b'{"title": "A"}\n{"title": "B"}\n', "items.log", "json", id="JSON lines"),
        pytest.param(BRACKETED_TEXT, "story.txt", "text", id="text that starts with a bracket"),
        pytest.param(BRACKETED_TEXT, "story.json", "json", id="not JSON, named .json: JSON explains"),
        pytest.param(TEXT_ARTICLE, "story.md", "text", id="Markdown is text"),
        pytest.param(TEXT_ARTICLE, "story.html", "text", id="plain text named .html"),
        pytest.param(TEXT_ARTICLE, "", "text", id="text without a name"),
        pytest.param(PAGE, "story.xhtml", "html", id="an XHTML page"),
        pytest.param(PAGE, "story.txt", "html", id="a page named .txt"),
        pytest.param(b"<div><p>A fragment of a page</p></div>", "story.html", "html", id="a fragment named .html"),
        pytest.param(b"<rss version='2.0'><channel>", "broken.dat", "feed", id="broken feed markup"),
        pytest.param(b"not a feed at all", "feed.xml", "feed", id="not a feed, named .xml: the feed reader explains"),
        pytest.param(b"", "", "text", id="empty"),
    ],
)
def test_the_content_decides_and_the_name_only_hints(document: bytes, name: str, kind: str) -> None:
    assert input_kind(document, name) == kind


@pytest.mark.parametrize(
    ("document", "named"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
    ],
)
def test_a_known_binary_format_is_refused_as_what_it_is(document: bytes, named: str) -> None:
    with pytest.raises(UnsupportedInputError) as refused:
        input_kind(document, "story.txt")

    assert refused.value.reason.startswith(named)


# Every reader of inputs gives the same articles for the same file, whatever its name.
AGREEMENT_CASES = [
    ("story.md", TEXT_ARTICLE),
    ("plain-text.html", TEXT_ARTICLE),
    ("page.xhtml", PAGE),
    ("feed.php", RSS),
    ("latest-news", RSS),
    ("pushed.txt", PUSHED),
]


def _ingested_titles(path: Path) -> list[str]:
    ingestor = Ingestor(FakeArticlesTable(), FakeStageQueue(), load_source_catalog(), deadline=0.0)
    outcomes = ingestor.ingest_file(path.read_bytes(), key=f"s3://inbox/{path.name}", received_at=SAMPLE_NOW)
    return sorted(outcome.title or "" for outcome in outcomes if outcome.title)


def _parsed_titles(path: Path) -> list[str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main(["parse", str(path), "--now", SAMPLE_NOW.isoformat()])
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return sorted(line["title"] for line in lines if "rejected" not in line)


def _classified_titles(path: Path) -> list[str]:
    items = read_article_input(str(path), received_at=SAMPLE_NOW, catalog=load_source_catalog())
    return sorted(item.article.title for item in items if isinstance(item, InputArticle))


@pytest.mark.parametrize(("name", "document"), AGREEMENT_CASES, ids=[name for name, _ in AGREEMENT_CASES])
def test_ingest_parse_and_classify_read_a_file_alike(name: str, document: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(document)

    ingested = _ingested_titles(path)

    assert ingested  # every case holds articles...
    assert _parsed_titles(path) == ingested  # ...and parse shows an operator exactly those
    assert _classified_titles(path) == ingested  # ...as the classify commands read them


def test_simulate_sends_each_file_in_the_way_its_kind_calls_for(tmp_path: Path) -> None:
    for name, document in AGREEMENT_CASES:
        (tmp_path / name).write_bytes(document)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n")

    plan = plan_inputs([str(tmp_path)])

    assert sorted(path.name for path in plan.feed_files) == ["feed.php", "latest-news"]
    assert [path.name for path in plan.pushes] == ["pushed.txt"]
    # Articles and what cannot be read are dropped in the inbox, where ingest reads or quarantines them.
    assert sorted(path.name for path in plan.drops) == ["page.xhtml", "plain-text.html", "scan.pdf", "story.md"]


def test_the_sample_article_named_markdown_keeps_its_headline(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(TEXT_ARTICLE)

    assert _ingested_titles(path) == [SAMPLE_TITLE]
