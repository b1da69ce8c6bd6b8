"""Sentence boundaries with character offsets, fast enough for the whole pipeline.

One compiled regex finds *candidate* boundaries (terminal punctuation, optional
closing quotes/brackets, white space, then something that can start a
sentence). Most text between candidates is never looked at by Python. Each
candidate is then kept or dropped by cheap checks on the word before it
(abbreviation, initial, dotted acronym, number) and the word after it.

Offsets always point into the caller's string, so ``text[s:e]`` is the
sentence; sentences are stripped of surrounding white space, ordered and
non-overlapping. A newline is always a boundary (one paragraph per line).
"""

from __future__ import annotations

import re

# Terminal punctuation run: a spaced ellipsis (". . . .") or any run of . ! ? …
# then closing quotes/brackets; then either white space followed by a possible
# sentence start (capital, digit, currency, opening quote + capital), or no
# space at all between two words ("end.Next") as left by pasted paragraphs.
_CAND = re.compile(
    r"(\.(?: \.)+|[.!?…‽]+)"
    r"([)\]\"'”’»]*)"
    r"(?:([ \t]+)(?=[“\"‘'«]?[A-Z0-9$£€¥À-ÖØ-ÞΑ-ΩА-Я])"
    r"|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))"
)

# Words that end with a period but (almost) never end a sentence: titles and
# ranks before a name, "Mt."/"St." before a place, reference words before a
# number. Lower-cased, without the final period.
_NONFINAL = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr cdr
    brig gov sen sens rep reps rev hon pres supt det insp fr st mt vs v approx cf viz e.g i.e""".split()
)
# Reference words that are abbreviations only before a number ("No. 10",
# "p. 55", "art. 5"); before a capital they are ordinary words ("No. Definitely").
_BEFORE_NUMBER = frozenset("no nos nr fig figs vol vols p pp ch sec art ca n° tel op ft".split())
# Abbreviations that end sentences often enough ("Pitt, Briggs & Co. It closed")
# that we only keep them non-final when the next word is not a typical
# sentence opener.
_MAYBE_FINAL = frozenset(
    """inc co corp ltd plc llc bros jr sr al ft jan feb apr jun jul aug sep sept oct nov
    dec""".split()
)
# Capitalised function words that, after an ambiguous abbreviation, show a new
# sentence has started ("I live in the U.S. How about you?").
_STARTERS = frozenset(
    """a an the he she it they we i you this that these those there here his her its their our
    my your but and or so yet in on at for after before when while as if although though
    however meanwhile also some many most other such what how why who where which both each
    all no not now then still since with without by from to under over despite during
    according earlier later last one another more several officials former""".split()
)
# A dotted acronym such as U.S., U.K., E.U., a.m., p.m., U.S.A.
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]\Z")
_NEXT_WORD = re.compile(r"[“\"‘'«]?([^\W\d_][\w’'-]*)")
_OPENERS = "\"“‘'«([<"
# List markers: "1.", "2.)", "3)", "a.", "b)". A paragraph that starts with one
# is split before each following marker of the sequence (1, 2, 3 / a, b, c).
_MARKER = re.compile(r"(?:(?<=\s)|^)(\d{1,3}|[a-z])(?:\.\)|\.|\))(?=\s)")
_BULLETS = "•⁃▪◦‣●■"
_BULLET_SPLIT = re.compile(r"(?<=\s)[•⁃▪◦‣●■]")


# Every candidate starts with one of these characters (both branches of the
# first group of _CAND do): Python looks for them, and tries _CAND only there.
_PUNCT = re.compile(r"[.!?…‽]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(char_start, char_end) of each sentence of text[start:end], offsets into text."""
    end = len(text) if end is None else min(end, len(text))
    out: list[tuple[int, int]] = []
    for lo, hi in _chunks(text, max(0, start), end):
        _split_chunk(text, lo, hi, out)
    return out


def first_sentence(text: str) -> tuple[int, int] | None:
    """split_sentences(text)[0], or None when there is no sentence, without
    splitting the rest of the text."""
    for lo, hi in _chunks(text, 0, len(text)):
        for span in _chunk_spans(text, lo, hi):
            return span
    return None


def _chunks(text: str, start: int, end: int):
    """The stretches of text[start:end] split into sentences one by one: each line (a newline is
    always a boundary), or each item of a line that is an inline list."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        if line_end > pos:
            if _opens_list(text, pos):
                yield from _list_items(text, pos, line_end)
            else:
                yield pos, line_end
        pos = line_end + 1


def _opens_list(text: str, lo: int) -> bool:
    """Whether text[lo:] starts like an inline list: a digit, a bullet, or "a." / "a)"."""
    first = text[lo:lo + 1]
    return first != "" and (first.isdigit() or first in _BULLETS or (first.islower() and text[lo + 1:lo + 2] in ".)"))


def _list_items(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Split a line that opens like a list (_opens_list) into its items ("1) A 2) B", "• A • B");
    else one chunk."""
    cuts = []
    if text[lo] in _BULLETS:
        cuts = [m.start() for m in _BULLET_SPLIT.finditer(text, lo + 1, hi)]
    else:
        markers = list(_MARKER.finditer(text, lo, hi))
        if markers and markers[0].start() == lo:
            expect = _succ(markers[0].group(1))
            for m in markers[1:]:
                if m.group(1) == expect:
                    cuts.append(m.start())
                    expect = _succ(expect)
    if not cuts:
        return [(lo, hi)]
    bounds = [lo, *cuts, hi]
    return [(a, b) for a, b in zip(bounds, bounds[1:])]


def _succ(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def _split_chunk(text: str, lo: int, hi: int, out: list[tuple[int, int]]) -> None:
    """Append the stripped sentences of text[lo:hi] to out."""
    out.extend(_chunk_spans(text, lo, hi))


def _chunk_spans(text: str, lo: int, hi: int):
    """The stripped sentences of text[lo:hi], in order (a generator: first_sentence stops at one)."""
    sent = lo
    pos = lo  # candidates are searched from here (the end of the last one)
    cand = _CAND.match
    # _CAND.finditer(text, lo, hi), found faster: a candidate starts with a
    # character of _PUNCT, and never at hi - 1 (something must follow its punctuation)
    for p in _PUNCT.finditer(text, lo, hi - 1):
        p0 = p.start()
        if p0 < pos:
            continue
        m = cand(text, p0, hi)
        if m is None:
            continue
        pos = m.end()
        cut, nxt = _decide(text, m, sent)
        if cut is None:
            continue
        if sent < cut and (text[sent].isspace() or text[cut - 1].isspace()):
            s, e = strip_span(text, sent, cut)
        else:
            s, e = sent, cut
        if e > s:
            yield s, e
        sent = nxt
    s, e = strip_span(text, sent, hi)
    if e > s:
        yield s, e


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """The span without surrounding white space (empty when it held only white space)."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _decide(text: str, m: re.Match, sent: int) -> tuple[int | None, int]:
    """(end of this sentence, start of next) for a real boundary, (None, 0) otherwise."""
    punct, closers = m.group(1, 2)
    p0 = m.start()
    cut = m.end(2)
    if punct != ".":  # (a single period, the common case, passes all of these)
        return _decide_run(text, m, punct, p0, cut)
    return _decide_period(text, m, sent, closers, p0, cut)


def _decide_run(text: str, m: re.Match, punct: str, p0: int, cut: int) -> tuple[int | None, int]:
    """_decide for punctuation other than one period."""
    dots = punct.count(".") + 3 * punct.count("…")
    if "!" in punct or "?" in punct or "‽" in punct:
        return cut, m.end()
    if dots == 3:
        # A spaced ellipsis stays inside its sentence ("the thing is . . . I didn't");
        # a glued one ends it only before a clear sentence opener ("billion... It was").
        if " " in punct:
            return None, 0
        w = _NEXT_WORD.match(text, m.end())
        ok = w is not None and w.group(1).lower() in _STARTERS
        return (cut, m.end()) if ok else (None, 0)
    # here dots >= 4 or len(punct) > 1: a single character other than "." is "!", "?", "‽" or "…"
    # "compounds. . . . The": a period then an ellipsis that opens the next sentence
    if punct.startswith(". .") and p0 > 0 and not text[p0 - 1].isspace():
        return p0 + 1, p0 + 2
    return cut, m.end()


def _decide_period(text: str, m: re.Match, sent: int, closers: str, p0: int, cut: int) -> tuple[int | None, int]:
    """_decide for a single period."""
    if closers and closers[-1] not in ")]":
        return cut, m.end()  # a period inside a closing quote ends the sentence
    if m.group(3) is None:  # "end.Next" with no space: not inside an address or URL
        tok = _token_before(text, sent, p0)
        whole_end = text.find(" ", m.end())
        whole = text[p0:whole_end if whole_end >= 0 else len(text)]
        if "@" in tok or "/" in tok or "www" in tok or "@" in whole or "/" in whole:
            return None, 0
        if tok.lower().lstrip(_OPENERS) in _NONFINAL or tok.lower().lstrip(_OPENERS) in _MAYBE_FINAL:
            return None, 0
        return cut, m.end()
    return (cut, m.end()) if _period_ends(text, m, sent) else (None, 0)


def _token_before(text: str, sent: int, p0: int) -> str:
    """The white-space delimited word that ends at p0 (no further back than sent)."""
    sp = text.rfind(" ", sent, p0)
    return text[(sp + 1 if sp >= 0 else sent):p0]


def _period_ends(text: str, m: re.Match, sent: int) -> bool:
    """Does this single period, followed by space and a capital/digit, end a sentence?"""
    p0 = m.start()
    raw = _token_before(text, sent, p0)
    tok = raw.lstrip(_OPENERS)
    if not tok:
        return True
    low = tok.lower()
    nxt_pos = m.end()
    nxt = text[nxt_pos]
    bare = tok.lstrip(_BULLETS)
    if text[sent:p0].strip(_BULLETS + " ") == bare and (bare.isdigit() and len(bare) <= 3 or len(bare) == 1):
        return False  # a list marker: "1. The first item", "a. The first item"
    # Titles are written "Ms", "Sec": an upper-case "MS" or "SEC" is an acronym.
    if low in _NONFINAL and not (len(tok) > 1 and tok.isupper()):
        return False
    if nxt.isdigit():
        # "p. 55", "No. 10", "Jan. 5", "N°. 1026": a short reference word before a number
        return not (
            low in _BEFORE_NUMBER or low in _MAYBE_FINAL or (tok.isalpha() and len(tok) <= 2)
            or not tok.isalnum() and len(tok) <= 3
        )
    if len(tok) == 1 and tok.isupper():
        # "Jonas E. Smith" is an initial; "you and I. Did" and "World War I. But" end a sentence
        prev = text[sent:p0 - 1].rstrip().rsplit(" ", 1)[-1]
        if tok == "I" and prev[:1].islower():
            return True
        w = _NEXT_WORD.match(text, nxt_pos)
        return bool(w) and w.group(1).lower() in _STARTERS and w.group(1) not in ("A", "I")
    if low in _MAYBE_FINAL or _DOTTED.match(tok):
        w = _NEXT_WORD.match(text, nxt_pos)
        return bool(w) and w.group(1).lower() in _STARTERS
    return True
