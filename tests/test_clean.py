"""Cleaning: mojibake repaired, NFC, white space folded, paragraphs and curly quotes kept."""

from __future__ import annotations

import unicodedata

import pytest

from newsdesk.clean import clean_text, clean_text_flagged


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ukraineâ€™s forces", "Ukraine’s forces"),  # UTF-8 read as cp1252
        ("â€œNo cardsâ€\x9d, he said", "“No cards”, he said"),
        ("“Curly” and ‘single’ stay", "“Curly” and ‘single’ stay"),
        ("e\u0301te\u0301", "été"),  # NFC
        ("See also\u00a0 Russia", "See also Russia"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("  padded line  \n\n\n\n next ", "padded line\n\nnext"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_repair_is_flagged_only_when_ftfy_changed_something():
    assert clean_text_flagged("Ukraineâ€™s")[1] is True
    assert clean_text_flagged("Ukraine’s")[1] is False
    assert clean_text_flagged("plain ascii")[1] is False


def test_paragraph_lines_survive():
    raw = "Title\n\nFirst para.\nSecond para.\n\n\nThird."
    assert clean_text(raw).split("\n") == ["Title", "", "First para.", "Second para.", "", "Third."]


def test_output_is_nfc():
    out = clean_text("Zoe\u0308 and Ame\u0301lie")
    assert out == unicodedata.normalize("NFC", out)
