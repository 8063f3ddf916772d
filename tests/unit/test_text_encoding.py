"""Article files in the encoding they are in: declared, marked, detected for non-Latin scripts, or refused.

The samples are written here, in each encoding, as a newsroom's system would save them.
"""

from __future__ import annotations

import codecs
import random
from datetime import UTC, datetime

import pytest

from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.feed_document import parse_feed
from newsalert.ingest.formats.html_page import parse_html_article
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.sources import SourceCatalog, load_source_catalog
from newsalert.models import Article

RECEIVED = datetime(2024, 7, 7, 3, 0, tzinfo=UTC)

# A headline and a paragraph in each language, as a newsroom would write them (typographic
# punctuation included: it is what tells one encoding from another).
JAPANESE = (
    "東京で震度五強の地震",
    "気象庁によると、午前九時ごろ東京都内で震度五強の揺れを観測した。津波の心配はない。",
)
KOREAN = (
    "서울에서 규모 5의 지진 발생",
    "기상청에 따르면 오전 9시쯤 서울에서 규모 5의 지진이 발생했다. 해일 위험은 없다.",
)
CHINESE = ("北京发生五级地震", "据中国地震台网测定，今天上午九时许北京发生五级地震，暂无人员伤亡报告。")  # noqa: RUF001
FRENCH = (
    "L’Élysée annonce un remaniement",  # noqa: RUF001
    "Le président a déclaré « c’est une nouvelle étape » — 50 € par foyer.",  # noqa: RUF001
)
GERMAN = ("Größere Maßnahmen in München", "Der Bürgermeister erklärte, dass die Lage ernst sei. Übermorgen folgt mehr.")


@pytest.fixture(scope="module")
def catalog() -> SourceCatalog:
    return load_source_catalog()


def text_file(parts: tuple[str, str], encoding: str) -> bytes:
    title, body = parts
    return f"{title}\n\n{body}\n\n{body}\n".encode(encoding)


def read_text(data: bytes, catalog: SourceCatalog) -> Article:
    return parse_raw_article(data, received_at=RECEIVED, origin="inbox/story.txt", catalog=catalog)


def read_page(data: bytes, catalog: SourceCatalog) -> Article:
    return parse_html_article(data, received_at=RECEIVED, origin="inbox/story.html", catalog=catalog)


@pytest.mark.parametrize(
    ("parts", "encoding", "read_as"),
    [
        pytest.param(JAPANESE, "shift_jis", {"shift_jis", "cp932"}, id="Shift-JIS"),
        pytest.param(JAPANESE, "euc_jp", {"euc_jp", "euc_jis_2004", "euc_jisx0213"}, id="EUC-JP"),
        pytest.param(KOREAN, "euc_kr", {"euc_kr", "cp949"}, id="EUC-KR"),
        pytest.param(CHINESE, "gb18030", {"gb18030", "gbk", "gb2312"}, id="GB18030"),
    ],
)
def test_an_undeclared_file_in_a_non_latin_script_is_detected_and_flagged(
    parts: tuple[str, str], encoding: str, read_as: set[str], catalog: SourceCatalog
) -> None:
    article = read_text(text_file(parts, encoding), catalog)

    assert (article.title, article.body.split("\n\n")[0]) == parts
    [flag] = [flag for flag in article.flags if flag.startswith("decoded-as-")]
    assert flag.removeprefix("decoded-as-") in read_as


@pytest.mark.parametrize(
    ("parts", "encoding"),
    [pytest.param(FRENCH, "cp1252", id="Windows-1252"), pytest.param(GERMAN, "latin-1", id="Latin-1")],
)
def test_an_undeclared_western_file_reads_as_windows_1252_and_is_flagged(
    parts: tuple[str, str], encoding: str, catalog: SourceCatalog
) -> None:
    article = read_text(text_file(parts, encoding), catalog)

    assert (article.title, article.body.split("\n\n")[0]) == parts
    assert "decoded-as-cp1252" in article.flags


@pytest.mark.parametrize(
    ("parts", "label", "codec"),
    [
        pytest.param(JAPANESE, "Shift_JIS", "shift_jis", id="Shift-JIS"),
        pytest.param(KOREAN, "EUC-KR", "euc_kr", id="EUC-KR"),
        pytest.param(CHINESE, "GB18030", "gb18030", id="GB18030"),
        pytest.param(FRENCH, "windows-1252", "cp1252", id="Windows-1252"),
        pytest.param(GERMAN, "ISO-8859-1", "latin-1", id="Latin-1"),
    ],
)
@pytest.mark.parametrize("declaration", ["meta", "http-equiv", "xml"])
def test_a_page_is_read_in_the_encoding_it_declares_unflagged(
    parts: tuple[str, str], label: str, codec: str, declaration: str, catalog: SourceCatalog
) -> None:
    title, body = parts
    head = {
        "meta": f'<!DOCTYPE html><html><head><meta charset="{label}">',
        "http-equiv": f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={label}">',
        "xml": f'<?xml version="1.0" encoding="{label}"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>',
    }[declaration]
    page = f"{head}<title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"

    article = read_page(page.encode(codec), catalog)

    assert (article.title, article.body) == parts
    assert not [flag for flag in article.flags if flag.startswith("decoded-as-")]


def test_a_page_that_its_declared_encoding_cannot_read_is_refused_naming_the_encoding_and_the_byte(
    catalog: SourceCatalog,
) -> None:
    head = b'<html><head><meta charset="shift_jis"></head><body><h1>'
    data = head + "東京".encode("shift_jis") + b"\xff\xfe</h1></body></html>"

    with pytest.raises(ArticleParseError) as refused:
        read_page(data, catalog)

    offset = len(head) + 4
    assert refused.value.reason == (
        f"not readable in shift_jis, the encoding it declares: byte 0xff at offset {offset} is not valid shift_jis"
    )


def test_a_file_that_its_byte_order_mark_contradicts_is_refused_naming_the_encoding(catalog: SourceCatalog) -> None:
    data = codecs.BOM_UTF8 + b"Headline\n\nBody " + b"\xe9t\xe9\n"

    with pytest.raises(ArticleParseError) as refused:
        read_text(data, catalog)

    assert refused.value.reason == (
        "not readable in utf-8, the encoding its byte-order mark says: byte 0xe9 at offset 18 is not valid utf-8"
    )


def test_binary_bytes_are_refused_naming_where_they_stop_being_utf8(catalog: SourceCatalog) -> None:
    noise = random.Random(11)
    data = b"Headline\n\n\x80" + bytes(noise.randrange(1, 0x100) for _ in range(2_000))

    with pytest.raises(ArticleParseError) as refused:
        read_text(data, catalog)

    assert refused.value.reason.startswith("file is not text (binary content): not UTF-8 (byte 0x80 at offset 10)")


@pytest.mark.parametrize(
    ("parts", "encoding"),
    [pytest.param(JAPANESE, "shift_jis", id="Shift-JIS"), pytest.param(KOREAN, "euc_kr", id="EUC-KR")],
)
def test_an_undeclared_feed_in_a_non_latin_script_is_read_as_its_files_are(
    parts: tuple[str, str], encoding: str
) -> None:
    title, body = parts
    rss = (
        f'<rss version="2.0"><channel><title>{title}</title><item><title>{title}</title>'
        f"<link>https://news.example/1</link><description>{body}</description></item></channel></rss>"
    )

    result = parse_feed(rss.encode(encoding), feed_url="https://news.example/rss", received_at=RECEIVED)

    [article] = result.articles
    assert (article.title, article.body) == parts
    assert [flag for flag in article.flags if flag.startswith("decoded-as-")] == [f"decoded-as-{result.encoding}"]
