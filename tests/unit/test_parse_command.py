"""``newsalert parse`` prints what a file or a URL would put into the pipeline, as JSON lines.

URLs are served by a local HTTP server on 127.0.0.1: nothing leaves this machine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from newsalert.tools.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "feeds"
SAMPLES = Path(__file__).parents[2] / "events" / "samples"
NOW = "2024-07-04T09:30:00Z"

HTML_PAGE = b"""<!doctype html><html lang="en"><head><title>Dam repairs finished | Valley Post</title>
<meta property="article:published_time" content="2024-07-04T08:00:00Z">
<link rel="canonical" href="https://valley.example.com/dam-repairs"></head>
<body><article><h1>Dam repairs finished ahead of the rains</h1>
<p>Engineers finished sealing the spillway on Wednesday, a month early.</p></article></body></html>"""


@dataclass
class Run:
    status: int
    lines: list[dict[str, Any]]
    stderr: str

    @property
    def articles(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "rejected" not in line]

    @property
    def rejections(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "rejected" in line]


@pytest.fixture
def newsalert_parse(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*arguments: str) -> Run:
        status = main(["parse", *arguments, "--now", NOW])
        captured = capsys.readouterr()
        return Run(status, [json.loads(line) for line in captured.out.splitlines()], captured.err)

    return run


# ------------------------------------------------------------------------- files


def test_a_feed_file_gives_one_json_line_per_article_with_its_flags(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(SAMPLES / "feed-rss.xml"))

    assert run.status == 0
    assert [article["title"] for article in run.articles][:2] == [
        "Bangladesh beat Sri Lanka by six wickets to win Tri-Nation Cup final",
        "Central bank holds policy rate at 8.5% as inflation eases",
    ]
    first = run.articles[0]
    assert first["published"] == "2024-07-04T08:52:00Z"
    assert first["flags"] == []
    assert first["language"] == "en"
    assert "read as feed (RSS 2.0, utf-8): 5 article(s), 0 rejected" in run.stderr


def test_rejected_items_are_printed_with_reason_and_origin(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(FIXTURES / "jsonfeed-strict.json"), "--feed-url", "https://strict.example.com/feed.json")

    assert run.status == 0
    assert [article["title"] for article in run.articles] == ["The one good item"]
    assert run.rejections[0] == {
        "rejected": '"not an object"',
        "reason": "item is a string, not an object",
        "origin": "https://strict.example.com/feed.json#item-1",
    }
    assert len(run.rejections) == 5


def test_flags_show_what_was_doubtful(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(FIXTURES / "encoding-declares-utf8-is-cp1252.xml"))

    assert run.articles[0]["flags"] == ["decoded-as-cp1252", "published-missing"]
    assert run.articles[0]["published"] == "2024-07-04T09:30:00Z"  # the --now arrival time


def test_a_raw_text_article_file(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(SAMPLES / "xi-putin-sco-astana.txt"))

    assert run.status == 0
    assert [article["title"] for article in run.articles] == [
        "Xi Jinping holds talks with Vladimir Putin on SCO sidelines in Kazakhstan"
    ]
    assert run.articles[0]["source"] == "Bangladesh Global"


def test_an_html_page(newsalert_parse: Any, tmp_path: Path) -> None:
    page = tmp_path / "dam.html"
    page.write_bytes(HTML_PAGE)

    run = newsalert_parse(str(page))

    assert run.status == 0
    assert run.articles[0]["title"] == "Dam repairs finished ahead of the rains"
    assert run.articles[0]["url"] == "https://valley.example.com/dam-repairs"


def test_pushed_json_articles_are_validated_item_by_item(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(SAMPLES / "pushed-articles.json"))

    assert run.status == 0
    assert [article["title"] for article in run.articles] == [
        "Parliament passes amended Digital Security Act after all-night session"
    ]
    assert len(run.rejections) == 1
    assert run.rejections[0]["reason"] == "title: Field required"
    assert run.rejections[0]["origin"].endswith("pushed-articles.json#1")


def test_json_lines_are_read_one_article_a_line(newsalert_parse: Any, tmp_path: Path) -> None:
    lines = tmp_path / "push.jsonl"
    item = {"title": "Ferry strike ends", "source": "Wire", "published": "2024-07-04T08:00:00Z"}
    lines.write_text(json.dumps(item) + "\n" + json.dumps({**item, "title": "Second"}) + "\n", encoding="utf-8")

    run = newsalert_parse(str(lines))

    assert [article["title"] for article in run.articles] == ["Ferry strike ends", "Second"]


def test_nothing_usable_exits_1_with_the_reason(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(FIXTURES / "attack-external-entity.xml"))

    assert run.status == 1
    assert run.articles == []
    assert run.rejections[0]["reason"].startswith("XML entity declarations are refused")


def test_a_feeds_zone_and_language_can_be_given(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(FIXTURES / "dates-local-time.xml"), "--timezone", "Asia/Dhaka", "--language", "bn")

    assert {article["published"] for article in run.articles} == {"2024-07-04T07:29:00Z"}
    assert {article["language"] for article in run.articles} == {"bn"}


def test_a_configured_source_applies_its_name(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(FIXTURES / "rss-2.0.xml"), "--name", "Deutsche Welle")

    assert run.articles[0]["source"] == "Deutsche Welle"


def test_the_kind_can_be_forced(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(SAMPLES / "feed-rss.xml"), "--as", "text")

    assert run.status == 0
    assert "read as text" in run.stderr


# --------------------------------------------------------------------- usage errors


def test_a_missing_file_is_a_usage_error(newsalert_parse: Any, tmp_path: Path) -> None:
    run = newsalert_parse(str(tmp_path / "nothing.xml"))

    assert run.status == 2
    assert "cannot read" in run.stderr


def test_an_unknown_source_name_gets_the_default_profile_and_a_warning(newsalert_parse: Any) -> None:
    run = newsalert_parse(str(FIXTURES / "rss-2.0.xml"), "--name", "No Such Outlet")

    assert run.status == 0
    assert run.articles[0]["source"] == "No Such Outlet"
    assert "no source named 'No Such Outlet' in the sources file" in run.stderr


def test_an_unreadable_sources_file_is_a_usage_error(newsalert_parse: Any, tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("default: [not, a, profile]\n", encoding="utf-8")

    run = newsalert_parse(str(FIXTURES / "rss-2.0.xml"), "--sources", str(sources))

    assert run.status == 2
    assert str(sources) in run.stderr


@pytest.mark.parametrize("arguments", [["--timezone", "Mars/Olympus"], ["--language", "English"], ["--max-items", "0"]])
def test_bad_options_are_usage_errors(arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["parse", str(FIXTURES / "rss-2.0.xml"), *arguments])

    assert raised.value.code == 2


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml"])
def test_urls_other_than_http_are_refused(newsalert_parse: Any, url: str) -> None:
    run = newsalert_parse(url)

    assert run.status == 2
    assert "only http and https URLs are fetched" in run.stderr


# ------------------------------------------------------------------------------ URLs


class _FixtureServer(BaseHTTPRequestHandler):
    documents: ClassVar[dict[str, tuple[bytes, str]]] = {
        "/feeds/relative.xml": ((FIXTURES / "relative-links.xml").read_bytes(), "application/atom+xml"),
        "/feeds/lights.json": ((FIXTURES / "jsonfeed-1.1.json").read_bytes(), "application/feed+json"),
        "/pages/dam.html": (HTML_PAGE, "text/html; charset=utf-8"),
    }

    def do_GET(self) -> None:
        document = self.documents.get(self.path)
        if document is None:
            self.send_error(404)
            return
        body, content_type = document
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        pass


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FixtureServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_feed_url_on_this_machine_is_read_with_allow_loopback(newsalert_parse: Any, local_server: str) -> None:
    url = f"{local_server}/feeds/relative.xml"

    run = newsalert_parse(url, "--allow-loopback")

    assert run.status == 0
    # Relative links are resolved against the URL the feed was fetched from.
    assert run.articles[0]["url"] == "http://127.0.0.1:{}/news/2024/07/04/root-relative".format(
        local_server.rsplit(":", 1)[1]
    )
    assert f"{url}: read as feed (Atom 1.0, utf-8): 3 article(s)" in run.stderr


@pytest.mark.parametrize(
    ("path", "title"), [("/feeds/lights.json", "Strong aurora"), ("/pages/dam.html", "Dam repairs")]
)
def test_json_feeds_and_pages_are_read_from_urls_too(
    newsalert_parse: Any, local_server: str, path: str, title: str
) -> None:
    run = newsalert_parse(f"{local_server}{path}", "--allow-loopback")

    assert run.status == 0
    assert run.articles[0]["title"].startswith(title)


def test_without_allow_loopback_the_guard_refuses_this_machine(newsalert_parse: Any, local_server: str) -> None:
    run = newsalert_parse(f"{local_server}/feeds/relative.xml")

    assert run.status == 2
    assert run.lines == []
    assert "resolves to 127.0.0.1, a loopback address: refused" in run.stderr
    assert "pass --allow-loopback" in run.stderr


def test_a_url_that_fails_exits_1_with_the_reason(newsalert_parse: Any, local_server: str) -> None:
    run = newsalert_parse(f"{local_server}/feeds/missing.xml", "--allow-loopback")

    assert run.status == 1
    assert "answered HTTP 404" in run.stderr
