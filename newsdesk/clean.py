"""Text cleaning: mojibake repair, Unicode NFC, whitespace.

The cleaned text is what every offset in the warehouse points into. Lines are
kept (a line is a paragraph), so cleaning never merges or splits paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Curly quotes carry meaning for quote extraction (apostrophe vs closing mark),
# so ftfy must not straighten them; HTML entities are left to the HTML reader.
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    unescape_html=False,
    fix_line_breaks=True,
    normalization="NFC",
    explain=False,
)

# Every Unicode space separator and tab becomes a plain space: same length, so
# a later offset map stays trivial for these.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MULTI_SPACE = re.compile(r" {2,}")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def repair(text: str) -> tuple[str, bool]:
    """Fix mojibake and normalise to NFC. Returns (text, changed_by_ftfy)."""
    if text.isascii():
        return text.replace("\r\n", "\n").replace("\r", "\n"), False
    fixed = ftfy.fix_text(text, _FTFY)
    fixed = unicodedata.normalize("NFC", fixed)
    nfc_only = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return fixed, fixed != nfc_only


def clean_text(text: str) -> str:
    """The article text: repaired, one paragraph per line, blank lines folded to one."""
    return clean_text_flagged(text)[0]


def clean_text_flagged(text: str) -> tuple[str, bool]:
    fixed, repaired = repair(text)
    fixed = fixed.replace("\x00", "")
    fixed = _ZERO_WIDTH.sub("", fixed)
    fixed = _SPACES.sub(" ", fixed)
    lines = [_MULTI_SPACE.sub(" ", line).strip() for line in fixed.split("\n")]
    out = "\n".join(lines)
    out = _BLANK_RUNS.sub("\n\n", out).strip("\n")
    return out, repaired
