"""Text cleaning: what a reader would see, without markup or invisible noise."""

from __future__ import annotations

import pytest

from newsalert.ingest.cleaning import (
    clean_body,
    clean_inline,
    html_to_line,
    html_to_text,
    normalize_unicode,
    split_paragraphs,
    truncate_at_word,
    unescape_entities,
)


def test_unicode_spaces_become_plain_spaces_and_curly_quotes_stay() -> None:
    text = "Dhaka\u00a0\u00a0Sunday\u2009and\u202fthe \u201cgolden age\u201d of Russia\u2019s ties"

    assert clean_inline(text) == "Dhaka Sunday and the \u201cgolden age\u201d of Russia\u2019s ties"


def test_invisible_and_control_characters_are_removed() -> None:
    assert clean_inline("Zero\u200bwidth, soft\u00adhyphen, bell\x07 and\ufeff BOM") == (
        "Zerowidth, softhyphen, bell and BOM"
    )


def test_decomposed_characters_are_composed_but_ligatures_are_kept() -> None:
    assert normalize_unicode("Cafe\u0301 \ufb01nal") == "Caf\u00e9 \ufb01nal"


def test_every_kind_of_line_break_becomes_a_newline() -> None:
    assert normalize_unicode("a\r\nb\rc\u2028d\u2029e\x85f") == "a\nb\nc\nd\ne\nf"


def test_body_keeps_paragraphs_and_collapses_space_within_them() -> None:
    text = "  First   paragraph,\nhard-wrapped.\n\n\n\t\nSecond\u00a0one.  \n"

    assert clean_body(text) == "First paragraph, hard-wrapped.\n\nSecond one."
    assert split_paragraphs(text) == ["First paragraph, hard-wrapped.", "Second one."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Price rose to &#36;5", "Price rose to $5"),
        ("Russia&#x2019;s &amp; China&rsquo;s", "Russia\u2019s & China\u2019s"),
        ("R&D at AT&T", "R&D at AT&T"),
        ("no &notanentity; here", "no &notanentity; here"),
    ],
)
def test_entities_in_plain_text_are_resolved_only_when_well_formed(text: str, expected: str) -> None:
    assert unescape_entities(text) == expected


def test_html_becomes_paragraphs_without_tags_scripts_or_styles() -> None:
    markup = (
        "<style>p { color: red }</style><p>First <b>bold</b> &amp; <a href='x?a=1&b=2'>linked</a>.</p>"
        "<script>if (a < b) { alert('x') }</script>"
        "<div>Second<br>line<br><br>Third &#36;5</div><!-- a > comment -->"
    )

    assert html_to_text(markup) == "First bold & linked.\n\nSecond line\n\nThird $5"


def test_attribute_with_a_greater_than_sign_does_not_leak_markup() -> None:
    assert html_to_text('<img alt="a > b" src="x.png">Caption') == "Caption"


def test_html_title_comes_out_on_one_line() -> None:
    assert html_to_line("<h1>UN <em>emergency</em>\n session</h1>") == "UN emergency session"


def test_short_text_is_not_truncated() -> None:
    assert truncate_at_word("Short enough.", 300) == "Short enough."


def test_long_text_is_cut_between_words_and_marked() -> None:
    text = "word " * 100

    summary = truncate_at_word(text.strip(), 50)

    assert len(summary) <= 50
    assert summary.endswith("word\u2026")


def test_one_very_long_word_is_cut_hard() -> None:
    summary = truncate_at_word("x" * 400, 300)

    assert summary == "x" * 299 + "\u2026"
