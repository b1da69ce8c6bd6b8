"""Text cleaning: mojibake repair, Unicode NFC, whitespace.

The cleaned text is what every offset in the warehouse points into. Lines are
kept (a line is a paragraph), so cleaning never merges or splits paragraphs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher
from functools import lru_cache
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


# A line made only of these characters (printable ASCII and tab) is left
# exactly as it is by every ftfy fixer we run: the encoding fixers return
# ASCII unchanged, the other fixers touch only non-ASCII characters, "\r",
# escape sequences or control characters, and NFC keeps ASCII.
_NOT_PLAIN = re.compile(r"[^\t\n\x20-\x7e]")


def _ftfy(text: str) -> str:
    """ftfy.fix_text(text, _FTFY), calling ftfy only on the lines that need it.

    ftfy fixes its input in independent segments: each line with its "\n"
    (a line over max_decode_length is cut in pieces counted from its start).
    So the lines that ftfy leaves alone (plain ASCII, see _NOT_PLAIN, or
    see _ftfy_keeps) are copied, and each other line is fixed on its own:
    the same segments, the same output.
    """
    m = _NOT_PLAIN.search(text)
    if m is None:
        return text
    out = []
    pos = 0
    n = len(text)
    while m is not None:
        k = m.start()
        ls = text.rfind("\n", pos, k) + 1 or pos  # pos always starts a line
        le = text.find("\n", k) + 1 or n
        if ls > pos:
            out.append(text[pos:ls])
        line = text[ls:le]
        out.append(line if _ftfy_keeps(line) else ftfy.fix_text(line, _FTFY))
        pos = le
        m = _NOT_PLAIN.search(text, pos)
    if pos < n:
        out.append(text[pos:])
    return "".join(out)


# ftfy (6.3, with _FTFY) changes a segment only if one of these holds: it
# "looks bad" (ftfy.badness.is_bad: then the encoding fixers run), it holds a
# character that one of the fixers maps (C1 controls, ligatures, full/half
# width forms, line breaks, surrogates, terminal escapes, control
# characters), or NFC changes it. Otherwise each fixer returns it unchanged,
# and so does ftfy. _ftfy_keeps checks exactly that, faster than ftfy: it
# looks for "bad" sequences only around the non-ASCII characters, since
# every branch of BADNESS_RE needs one and no match is longer than
# _BAD_WIDTH characters (both checked here, from the pattern itself; if
# either fails, every such line goes to ftfy).
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _ftfy_shortcut_setup() -> tuple[re.Pattern, int, frozenset[str]] | None:
    try:
        import re._parser as sre_parse

        from ftfy import badness, chardata

        if not ftfy.__version__.startswith("6.3."):
            return None
        if (_FTFY.unescape_html, _FTFY.uncurl_quotes, _FTFY.max_decode_length) != (False, False, 1_000_000):
            return None
        bad = badness.BADNESS_RE
        tree = sre_parse.parse(bad.pattern, bad.flags)
        width = tree.getwidth()[1]
        (op, (_, branches)), = tree.data
        if op is not sre_parse.BRANCH or width > 20:
            return None

        def non_ascii_only(item) -> bool:
            op, av = item
            if op is sre_parse.LITERAL:
                return av >= 128
            if op is sre_parse.IN:
                return all(
                    (o is sre_parse.LITERAL and a >= 128) or (o is sre_parse.RANGE and a[0] >= 128) for o, a in av
                )
            return False

        if not all(any(non_ascii_only(item) for item in branch.data) for branch in branches):
            return None
        touched = {chr(c) for c in (*chardata.LIGATURES, *chardata.WIDTH_MAP, *chardata.CONTROL_CHARS)}
        touched.update(map(chr, range(0x80, 0xA0)))  # C1 controls
        touched.update(map(chr, range(0xD800, 0xE000)))  # surrogates
        touched.update("\r\u2028\u2029\x85\x1b")  # line breaks, terminal escapes
        return bad, width, frozenset(touched)
    except Exception:  # an ftfy we do not know: no shortcut
        return None


_FTFY_SHORTCUT = _ftfy_shortcut_setup()


def _ftfy_keeps(line: str) -> bool:
    """True when ftfy.fix_text(line, _FTFY) == line is certain (see above); False when unsure."""
    if _FTFY_SHORTCUT is None:
        return False
    bad, width, touched = _FTFY_SHORTCUT
    if len(line) > _FTFY.max_decode_length:  # ftfy would cut it in pieces
        return False
    if line.find("\n", 0, len(line) - 1) >= 0:  # ftfy fixes each line on its own: one line is modelled here
        return False
    if not touched.isdisjoint(_NOT_PLAIN.findall(line)) or not unicodedata.is_normalized("NFC", line):
        return False
    n = len(line)
    a = b = 0  # the window being grown: a match that holds a non-ASCII character lies in its window
    for m in _NON_ASCII.finditer(line):
        k = m.start()
        lo = k - width + 1 if k >= width else 0
        if lo > b:
            if b > a and bad.search(line, a, b):
                return False
            a = lo
        b = min(n, k + width)
    return not (b > a and bad.search(line, a, b))


def repair(text: str) -> tuple[str, bool]:
    """Fix mojibake and normalise to NFC. Returns (text, changed_by_ftfy)."""
    if text.isascii():
        return text.replace("\r\n", "\n").replace("\r", "\n"), False
    fixed = _ftfy(text)
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


# ---------------------------------------------------------------- offset map --
#
# clean_with_map() returns, with the clean text, an OffsetMap from clean
# offsets back to offsets in the decoded raw string. It is stored as anchor
# pairs (clean_pos, raw_pos) at the places where the shift between the two
# changes: raw = raw_pos + (clean - clean_pos) for the last anchor at or before
# clean. Text that cleaning leaves alone (most ASCII files) needs one anchor,
# (0, 0). Each step of the cleaning records its own anchors; the steps are
# composed in one linear merge, and a lookup is one bisect.

_DROP = re.compile(r"[\x00\u200b\u200c\u200d\u2060\ufeff]+")
_LINE_EDGE_SPACE = re.compile(r"^[^\S\n]+|[^\S\n]+$", re.MULTILINE)
_EDGE_NEWLINES = re.compile(r"\A\n+|\n+\Z")
_CR = re.compile(r"\r\n?")


class OffsetMap:
    """Clean offset -> decoded-raw offset, as sorted (clean_pos, raw_pos) anchors.

    ``to_raw(i)`` is the raw offset where clean character i came from (for a
    character made from several raw ones, such as a repaired mojibake sequence
    or a folded run of white space, the first of them); ``i == len(clean)``
    maps to the end of the raw text. ``span_to_raw(s, e)`` maps a clean
    half-open span to the raw span that covers it.
    """

    __slots__ = ("clean_pos", "raw_pos", "clean_len", "raw_len")

    def __init__(self, clean_pos: list[int], raw_pos: list[int], clean_len: int, raw_len: int):
        self.clean_pos = clean_pos
        self.raw_pos = raw_pos
        self.clean_len = clean_len
        self.raw_len = raw_len

    def to_raw(self, i: int) -> int:
        if not 0 <= i <= self.clean_len:
            raise IndexError(f"clean offset {i} outside 0..{self.clean_len}")
        if i == self.clean_len:
            return self.raw_len
        k = bisect_right(self.clean_pos, i) - 1
        return self.raw_pos[k] + (i - self.clean_pos[k])

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw (start, end) for the clean span [start, end)."""
        if end <= start:
            r = self.to_raw(start)
            return r, r
        return self.to_raw(start), max(self.to_raw(end), self.to_raw(end - 1) + 1)

    def anchors(self) -> list[tuple[int, int]]:
        """The compact form to store: [(clean_pos, raw_pos), ...], first is (0, r0)."""
        return list(zip(self.clean_pos, self.raw_pos))

    @classmethod
    def from_anchors(cls, anchors: list[tuple[int, int]], clean_len: int, raw_len: int) -> OffsetMap:
        return cls([c for c, _ in anchors], [r for _, r in anchors], clean_len, raw_len)

    def __len__(self) -> int:
        return len(self.clean_pos)

    def __repr__(self) -> str:
        return f"OffsetMap({self.anchors()!r}, clean_len={self.clean_len}, raw_len={self.raw_len})"


def byte_offset(raw_text: str, i: int, encoding: str = "utf-8") -> int:
    """Byte offset in the original file of decoded-string offset i (O(i); fine for a few lookups)."""
    return len(raw_text[:i].encode(encoding, errors="surrogateescape"))


def _push(cs: list[int], rs: list[int], c: int, r: int) -> None:
    """Append anchor (c, r), dropping it when it continues the last anchor's shift."""
    if cs and cs[-1] == c:
        cs.pop()
        rs.pop()
    if cs and rs[-1] - cs[-1] == r - c:
        return
    cs.append(c)
    rs.append(r)


def _sub_step(pattern: re.Pattern, repl: str, text: str) -> tuple[str, list[int], list[int]]:
    """re.sub with a constant replacement no longer than any match, and its anchors (out -> in)."""
    return _sub_spans(_match_spans(pattern, text), repl, text)


def _match_spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _sub_spans(spans: list[tuple[int, int]], repl: str, text: str) -> tuple[str, list[int], list[int]]:
    """_sub_step for the given match spans (in order, non-overlapping): the
    text with each span replaced by repl (a literal), and the anchors."""
    cs, rs = [0], [0]
    if not spans:
        return text, cs, rs
    shift = 0  # in - out before the current match
    m_len = len(repl)
    pieces = []
    last = 0
    for a, b in spans:
        o = a - shift
        shift += (b - a) - m_len
        _push(cs, rs, o + m_len, b)
        pieces.append(text[last:a])
        pieces.append(repl)
        last = b
    pieces.append(text[last:])
    return "".join(pieces), cs, rs


def _edge_newline_spans(text: str) -> list[tuple[int, int]]:
    """The matches of _EDGE_NEWLINES (a run of "\n" at the start, one at the end), without a scan."""
    n = len(text)
    a = n - len(text.lstrip("\n"))
    if a == n:
        return [(0, n)] if n else []
    b = len(text.rstrip("\n"))
    spans = [(0, a)] if a else []
    if b < n:
        spans.append((b, n))
    return spans


def _compose(outer_c: list[int], outer_r: list[int], inner_c: list[int], inner_r: list[int]) -> tuple[list[int], list[int]]:
    """Anchors of inner(outer(x)). outer must be non-decreasing in its targets
    (cleaning folds, drops or repairs characters in place; it never reorders)."""
    if len(inner_c) == 1 and inner_c[0] == 0 and inner_r[0] == 0:
        return outer_c, outer_r
    cs: list[int] = []
    rs: list[int] = []
    p = 0
    n_in = len(inner_c)
    n_out = len(outer_c)
    for k in range(n_out):
        x0, m0 = outer_c[k], outer_r[k]
        m_end = m0 + (outer_c[k + 1] - x0) if k + 1 < n_out else None
        while p + 1 < n_in and inner_c[p + 1] <= m0:
            p += 1
        _push(cs, rs, x0, inner_r[p] + (m0 - inner_c[p]))
        while p + 1 < n_in and (m_end is None or inner_c[p + 1] < m_end):
            p += 1
            _push(cs, rs, x0 + inner_c[p] - m0, inner_r[p])
    return cs, rs


@lru_cache(maxsize=4096)
def _fix(text: str) -> str:
    return unicodedata.normalize("NFC", ftfy.fix_text(text, _FTFY))


_SYNC = 3  # characters that must agree after an edit
_WINDOW = 40  # longest edit searched for (raw + fixed characters)


def _align(raw: str, fixed: str) -> tuple[list[int], list[int]]:
    """Anchors fixed -> raw for ftfy + NFC output. The edits are local (a
    mojibake sequence, a composed accent, a line break), so equal stretches
    are skipped in blocks and each edit is found within a small window:
    linear time. An edit not found in the window falls back to the next line
    break on both sides (coarser, never wrong about line order)."""
    cs, rs = [0], [0]
    i = j = 0
    n, m = len(raw), len(fixed)
    while True:
        # skip the equal stretch, in shrinking blocks
        for step in (1024, 64, 8):
            while i + step <= n and j + step <= m and raw[i:i + step] == fixed[j:j + step]:
                i += step
                j += step
        while i < n and j < m and raw[i] == fixed[j]:
            i += 1
            j += 1
        if i >= n and j >= m:
            break
        di, dj = _find_edit(raw, fixed, i, j)
        if di < 0:  # no sync nearby: jump to the next line on both sides
            ni, nj = raw.find("\n", i), fixed.find("\n", j)
            if ni < 0 or nj < 0:
                ni, nj = n, m
            di, dj = ni - i, nj - j
        _edit(cs, rs, raw, fixed, i, di, j, dj)
        i += di
        j += dj
    return cs, rs


def _find_edit(raw: str, fixed: str, i: int, j: int) -> tuple[int, int]:
    """The edit raw[i:i+a] -> fixed[j:j+b] that starts at a mismatch.

    Preferred: the shortest raw piece that ftfy itself repairs into the text
    that follows in fixed (exact, also for back-to-back repairs). Else the
    shortest edit after which _SYNC characters agree again. (-1, -1) when
    neither is found within _WINDOW characters.
    """
    n, m = len(raw), len(fixed)
    if raw[i:i + 1] == "\r" and fixed[j:j + 1] == "\n":  # a line break: "\r\n" or "\r" -> "\n"
        return (2, 1) if raw[i + 1:i + 2] == "\n" else (1, 1)
    for a in range(1, min(8, n - i) + 1):
        fx = _fix(raw[i:i + a])
        if fixed.startswith(fx, j) and fx != raw[i:i + a]:
            return a, len(fx)
    for s in range(1, _WINDOW + 1):
        k = _SYNC if s <= 8 else 3 * _SYNC  # a long edit must be followed by a longer agreement
        for a in range(s, 0, -1):  # prefer consuming raw (repairs shorten; ftfy never inserts from nothing)
            b = s - a
            if i + a > n or j + b > m:
                continue
            ra, fb = raw[i + a:i + a + k], fixed[j + b:j + b + k]
            if ra == fb and (len(ra) == k or (i + a + len(ra) == n and j + b + len(fb) == m)):
                return a, b
            if len(fb) == k and not ra.isascii():
                # agreement up to NFC (a decomposed accent right after the edit)
                if unicodedata.normalize("NFC", raw[i + a:i + a + 2 * k])[:k] == fb:
                    return a, b
    return -1, -1


def _edit(cs: list[int], rs: list[int], raw: str, fixed: str, i: int, di: int, j: int, dj: int) -> None:
    """Anchors for raw[i:i+di] -> fixed[j:j+dj]; a multi-character repair is
    split per output character where ftfy agrees on the pieces."""
    if dj > 1 and di > 1:
        a = i
        for k in range(dj - 1):
            for cut in range(a + 1, i + di):
                if _fix(raw[a:cut]) == fixed[j + k]:
                    break
            else:
                break
            _push(cs, rs, j + k, a)
            a = cut
        else:
            _push(cs, rs, j + dj - 1, a)
            _push(cs, rs, j + dj, i + di)
            return
        if di + dj <= 4 * _WINDOW:
            # ftfy decoded the region in context: keep the characters that
            # survived it (spaces, plain letters) on their own raw offsets.
            blocks = SequenceMatcher(None, raw[i:i + di], fixed[j:j + dj], autojunk=False).get_matching_blocks()
            ra = fa = 0
            for rb, fb, size in blocks:
                _plain_edit(cs, rs, i + ra, rb - ra, j + fa, fb - fa)  # the gap before the block
                _push(cs, rs, j + fb, i + rb)  # the block itself keeps its shift
                ra, fa = rb + size, fb + size
            _push(cs, rs, j + dj, i + di)
            return
    _plain_edit(cs, rs, i, di, j, dj)


def _plain_edit(cs: list[int], rs: list[int], i: int, di: int, j: int, dj: int) -> None:
    """raw[i:i+di] -> fixed[j:j+dj] as one region: its characters map to the
    region's raw characters in order, never past its end."""
    if dj:
        _push(cs, rs, j, i)
    if dj > di:  # expansion (a ligature split): the extra characters point at the last raw one
        last = i + max(di - 1, 0)
        for k in range(max(di, 1), dj):
            _push(cs, rs, j + k, last)
    _push(cs, rs, j + dj, i + di)


# White space other than " " and "\n" that can still be in the text when
# _LINE_EDGE_SPACE runs (_SPACES has replaced the rest by then): "\r" and the
# characters below are rare, so a text without them needs only cheap checks
# for a space at a line edge.
_EDGE_WS_ASCII = ("\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")
_EDGE_WS = (*_EDGE_WS_ASCII, "\x85", "\u2028", "\u2029")
_DROP_CHARS = ("\x00", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def _may_drop(text: str, ascii_: bool) -> bool:
    if ascii_:
        return "\x00" in text
    return any(c in text for c in _DROP_CHARS)


def _may_space(text: str, ascii_: bool) -> bool:
    if ascii_:
        return "\t" in text
    return _SPACES.search(text) is not None


def _may_multi_space(text: str, ascii_: bool) -> bool:
    return "  " in text


def _may_line_edge(text: str, ascii_: bool) -> bool:
    if any(c in text for c in (_EDGE_WS_ASCII if ascii_ else _EDGE_WS)):
        return True
    return text[:1] == " " or text[-1:] == " " or "\n " in text or " \n" in text


def _may_blank_runs(text: str, ascii_: bool) -> bool:
    return "\n\n\n" in text


def _may_edge_newlines(text: str, ascii_: bool) -> bool:
    return text[:1] == "\n" or text[-1:] == "\n"


def _finds(pattern: re.Pattern):
    return lambda text: _match_spans(pattern, text)


# Each step: its pattern, the replacement, a cheap test that is true whenever the pattern can match
# (a step whose pattern finds nothing changes neither the text nor the map), and what finds the matches.
_STEPS = (
    (_DROP, "", _may_drop, _finds(_DROP)),
    (_SPACES, " ", _may_space, _finds(_SPACES)),
    (_MULTI_SPACE, " ", _may_multi_space, _finds(_MULTI_SPACE)),
    (_LINE_EDGE_SPACE, "", _may_line_edge, _finds(_LINE_EDGE_SPACE)),
    (_BLANK_RUNS, "\n\n", _may_blank_runs, _finds(_BLANK_RUNS)),
    (_EDGE_NEWLINES, "", _may_edge_newlines, _edge_newline_spans),  # the same matches, without a scan
)


def clean_with_map(raw_text: str) -> tuple[str, bool, OffsetMap]:
    """clean_text_flagged() plus an OffsetMap from clean offsets to raw_text offsets.

    Same output as clean_text_flagged (slower: each step is done on its own
    and recorded); linear in the length of the text.
    """
    if raw_text.isascii():
        if "\r" in raw_text:
            text, cs, rs = _sub_step(_CR, "\n", raw_text)
        else:
            text, cs, rs = raw_text, [0], [0]
        repaired = False
        ascii_ = True
    else:
        text, repaired = repair(raw_text)
        cs, rs = _align(raw_text, text) if text != raw_text else ([0], [0])
        ascii_ = text.isascii()  # no later step adds a non-ASCII character
    for _, repl, may_match, find in _STEPS:
        if not may_match(text, ascii_):
            continue
        text, oc, orr = _sub_spans(find(text), repl, text)
        if len(oc) > 1 or orr[0] != 0:
            cs, rs = _compose(oc, orr, cs, rs)
    return text, repaired, OffsetMap(cs, rs, len(text), len(raw_text))
