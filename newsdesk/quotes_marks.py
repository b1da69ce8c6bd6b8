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
# The marks that can be quotation marks: all but a single mark inside a word (It’s, don't),
# which is always an apostrophe and the most common mark by far.
QUOTE_MARKS = re.compile(r"[\"'“”„«»‘’‚‹›](?<!(?<=[^\W_])['’](?=[^\W_]))")
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


def _classify(text: str, i: int, lo: int, hi: int) -> str:
    """open | close | toggle | weak (s' possessive) | apos | inch | none."""
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    key = (prev, text[i], nxt)
    shape = _SHAPES.get(key)
    if shape is None:
        shape = _shape(*key)
        if len(_SHAPES) < _SHAPES_MAX:
            _SHAPES[key] = shape
    kind, elision = shape
    if elision and _ELISION.match(text, i + 1, hi):
        return "apos"
    return kind


# (previous character, mark, next character) -> _shape: the same few shapes recur in every article.
_SHAPES: dict[tuple[str, str, str], tuple[str, bool]] = {}
_SHAPES_MAX = 1 << 14


def _shape(prev: str, ch: str, nxt: str) -> tuple[str, bool]:
    """A mark's kind from its neighbours ("" at the paragraph's edges), and whether it is an
    apostrophe instead when an elision follows ('90s, ’em: decided by the text after it)."""
    fam = _FAMILY[ch]
    if prev.isalnum() and nxt.isalnum():
        # inside a word: an apostrophe (It’s, don't), or a glued straight double quote
        return ("toggle" if ch == '"' else "apos"), False
    prev_space = prev == "" or prev.isspace()
    next_space = nxt == "" or nxt.isspace()
    left = (prev_space or prev in _OPEN_PUNCT or prev in _FAMILY) and not next_space
    right = not prev_space and (next_space or nxt in _CLOSE_PUNCT or nxt in _FAMILY)
    elision = fam == "s" and ch in "'’" and left
    if left and not right:
        return "open", elision
    if right and not left:
        if fam == "s" and ch in "'’" and prev in "sSzZ" and next_space:
            return "weak", elision  # plural possessive (allies’ ) or a closer after -s
        if ch == '"' and prev.isdigit():
            return "inch", elision
        return "close", elision
    if ch in _SHAPE_OPEN:
        return "open", elision
    if ch in _SHAPE_CLOSE:
        return "close", elision
    if ch == '"' and not (prev_space and next_space):
        return "toggle", elision
    return "none", elision


def mark_positions(text: str) -> list[int]:
    """Positions of every possible quotation mark in text (one regex pass)."""
    return [m.start() for m in QUOTE_MARKS.finditer(text)]


def find_stretches(text: str, lo: int, hi: int, positions: list[int] | None = None) -> tuple[list[Stretch], bool]:
    """Top-level quoted stretches of text[lo:hi] (one paragraph), and whether
    the paragraph has stray or unbalanced marks. Linear in the number of marks.
    positions: the paragraph's mark positions, if already known (mark_positions)."""
    if positions is None:
        positions = [m.start() for m in QUOTE_MARKS.finditer(text, lo, hi)]
    marks = []
    kinds = []
    for i in positions:
        k = _classify(text, i, lo, hi)
        if k != "apos" and k != "none":
            marks.append((i, _FAMILY[text[i]]))
            kinds.append(k)
    if not marks:
        return [], False
    # for 'weak' marks (s' ): is there a clear closer of the family later, before a new opener?
    later_closer = [False] * len(marks)
    seen: dict[str, bool] = {}
    for n in range(len(marks) - 1, -1, -1):
        fam, k = marks[n][1], kinds[n]
        if k == "weak":
            later_closer[n] = seen.get(fam, False)
        if k == "close":
            seen[fam] = True
        elif k == "open":
            seen[fam] = False
    out: list[Stretch] = []
    stack: list[tuple[int, str]] = []  # (position, family) of open marks
    by_fam: dict[str, list[int]] = {}  # family -> indices into stack, innermost last
    damaged = False

    def cut(at: int) -> None:
        """Drop stack[at:] and its entries in by_fam (each entry is dropped once: linear)."""
        for k in range(len(stack) - 1, at - 1, -1):
            by_fam[stack[k][1]].pop()
        del stack[at:]

    def close_top_level(end: int, closed: bool, joined: bool = False) -> None:
        opos, fam = stack[0]
        out.append(Stretch(opos, end, closed, fam, joined=joined))

    for n, ((pos, fam), kind) in enumerate(zip(marks, kinds)):
        fl = by_fam.get(fam)
        open_idx = fl[-1] if fl else None
        if kind == "toggle":
            kind = "close" if open_idx is not None else "open"
        elif kind == "inch":
            if open_idx is None:
                continue
            kind = "close"
        elif kind == "weak":
            if open_idx is None or later_closer[n]:
                continue  # an apostrophe: nothing to close, or a better closer follows
            kind = "close"
        if kind == "open":
            if open_idx is not None and fam in ("d", "s") and text[pos - 1:pos].isspace():
                # An opener while the same family is open: the earlier stretch never
                # closed (BBC joins paragraphs: ... over-eating. "They all ...).
                if open_idx == 0:
                    close_top_level(_rstrip(text, stack[0][0] + 1, pos), False, joined=True)
                cut(open_idx)
            stack.append((pos, fam))
            by_fam.setdefault(fam, []).append(len(stack) - 1)
        else:  # close
            if open_idx is None:
                if text[pos] in _STRONG or fam == "d":
                    damaged = True  # a closer with no opener
                    if len(stack) == 1 and fam in ("d", "s") and stack[0][1] in ("d", "s"):
                        # mismatched pair ('… ") : close the open stretch, flagged
                        close_top_level(pos, True)
                        cut(0)
                continue
            if open_idx == 0:
                close_top_level(pos, True)
            elif open_idx > 0 and len(stack) > open_idx + 1:
                damaged = True  # inner stretches left open
            cut(open_idx)
    if stack:
        opos, fam = stack[0]
        end = _rstrip(text, opos + 1, hi)
        if end > opos + 1:
            out.append(Stretch(opos, end, False, fam, runs_to_end=True))
        if len(stack) > 1 or text[opos] in _STRONG or fam == "d":
            damaged = damaged or len(stack) > 1
    out.sort(key=lambda s: s.open_pos)
    return out, damaged


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return hi
