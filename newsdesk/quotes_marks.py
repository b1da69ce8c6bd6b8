"""Quotation-mark scanning: which marks open, close or are apostrophes, and
which stretches of a paragraph they enclose.

One linear pass over the marks of a paragraph (never over its characters).
Each mark is classified from its two neighbours (left/right flanking, like
Markdown's emphasis rules) and its shape; a small stack pairs openers with
closers. Only top-level stretches are returned: a quote nested inside a quote
belongs to the outer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Mark families: marks only pair inside their family, families nest freely.
_FAMILY = {
    '"': "d", "“": "d", "”": "d", "„": "d",
    "«": "g", "»": "g",
    "'": "s", "‘": "s", "’": "s", "‚": "s",
    "‹": "a", "›": "a",
}
MARKS = re.compile(r"[\"'“”„«»‘’‚‹›]")
# Marks whose shape says "opener"/"closer" even when the spacing is odd.
_SHAPE_OPEN = set("“„«‘‚‹")
_SHAPE_CLOSE = set("”»’›")
# Single marks that are only quotation marks (an unmatched one is damage).
_STRONG = set("“”„«»‘‹›")
_OPEN_PUNCT = set("([{—–-/")
_CLOSE_PUNCT = set(".,;:!?)]}—–-…/")
# Leading elisions: '90s, ’em, 'n' roll, ’til, 'tis.
_ELISION = re.compile(r"(?:\d0s|\d\d\b|em\b|n\b|til\b|tis\b|twas\b|cause\b)", re.I)


@dataclass
class Stretch:
    open_pos: int  # index of the opening mark in text
    close_pos: int  # index of the closing mark, or end of the quoted text if unclosed
    closed: bool  # a real closing mark ends it
    family: str
    joined: bool = False  # ended by a new opener of its family (BBC-style run-on paragraphs)
    runs_to_end: bool = False  # still open at the end of the paragraph

    @property
    def start(self) -> int:
        return self.open_pos + 1


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _classify(text: str, i: int, lo: int, hi: int) -> str:
    """open | close | toggle | weak (s' possessive) | apos | inch | none."""
    ch = text[i]
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    fam = _FAMILY[ch]
    if prev.isalnum() and nxt.isalnum():
        # inside a word: an apostrophe (It’s, don't), or a glued straight double quote
        return "toggle" if ch == '"' else "apos"
    left = (_is_space(prev) or prev in _OPEN_PUNCT or prev in _FAMILY) and not _is_space(nxt)
    right = not _is_space(prev) and (_is_space(nxt) or nxt in _CLOSE_PUNCT or nxt in _FAMILY)
    if fam == "s" and ch in "'’" and left and _ELISION.match(text, i + 1, hi):
        return "apos"
    if left and not right:
        return "open"
    if right and not left:
        if fam == "s" and ch in "'’" and prev in "sSzZ" and _is_space(nxt):
            return "weak"  # plural possessive (allies’ ) or a closer after -s
        if ch == '"' and prev.isdigit():
            return "inch"
        return "close"
    if ch in _SHAPE_OPEN:
        return "open"
    if ch in _SHAPE_CLOSE:
        return "close"
    if ch == '"' and not (_is_space(prev) and _is_space(nxt)):
        return "toggle"
    return "none"


def find_stretches(text: str, lo: int, hi: int) -> tuple[list[Stretch], bool]:
    """Top-level quoted stretches of text[lo:hi] (one paragraph), and whether
    the paragraph has stray or unbalanced marks."""
    marks = [(m.start(), _FAMILY[m.group()]) for m in MARKS.finditer(text, lo, hi)]
    if not marks:
        return [], False
    kinds = [_classify(text, i, lo, hi) for i, _ in marks]
    out: list[Stretch] = []
    stack: list[tuple[int, str]] = []  # (position, family) of open marks
    damaged = False

    def close_top_level(pos: int, end: int, closed: bool, joined: bool = False) -> None:
        opos, fam = stack[0]
        out.append(Stretch(opos, end, closed, fam, joined=joined))

    for n, ((pos, fam), kind) in enumerate(zip(marks, kinds)):
        if kind in ("apos", "none"):
            continue
        open_idx = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == fam), None)
        if kind == "toggle":
            kind = "close" if open_idx is not None else "open"
        elif kind == "inch":
            if open_idx is None:
                continue
            kind = "close"
        elif kind == "weak":
            if open_idx is None or _later_closer(marks, kinds, n, fam):
                continue  # an apostrophe: nothing to close, or a better closer follows
            kind = "close"
        if kind == "open":
            if open_idx is not None and fam in ("d", "s") and text[pos - 1:pos].isspace():
                # An opener while the same family is open: the earlier stretch never
                # closed (BBC joins paragraphs: ... over-eating. "They all ...).
                if open_idx == 0:
                    close_top_level(pos, _rstrip(text, stack[0][0] + 1, pos), False, joined=True)
                stack[open_idx:] = []
            stack.append((pos, fam))
        else:  # close
            if open_idx is None:
                if text[pos] in _STRONG or fam == "d":
                    damaged = True  # a closer with no opener
                    if len(stack) == 1 and fam in ("d", "s") and stack[0][1] in ("d", "s"):
                        # mismatched pair ('… ") : close the open stretch, flagged
                        close_top_level(pos, pos, True)
                        stack.clear()
                continue
            if open_idx == 0:
                close_top_level(pos, pos, True)
            elif open_idx > 0 and len(stack) > open_idx + 1:
                damaged = True  # inner stretches left open
            stack[open_idx:] = []
    if stack:
        opos, fam = stack[0]
        end = _rstrip(text, opos + 1, hi)
        if end > opos + 1:
            out.append(Stretch(opos, end, False, fam, runs_to_end=True))
        if len(stack) > 1 or text[opos] in _STRONG or fam == "d":
            damaged = damaged or len(stack) > 1
    out.sort(key=lambda s: s.open_pos)
    return out, damaged


def _later_closer(marks, kinds, n: int, fam: str) -> bool:
    """Is there a clear closer of this family later, before a new opener?"""
    for (pos, f), k in zip(marks[n + 1:], kinds[n + 1:]):
        if f != fam:
            continue
        if k == "close":
            return True
        if k == "open":
            return False
    return False


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi
