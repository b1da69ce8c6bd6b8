"""Figures: numbers that measure something (money, percentages, counts, quantities, fractions).

The contract is GUIDELINES.md ("Figures"): one row per figure with the span as
written (currency sign and scale word included, qualifier excluded), its kind,
its fully scaled value (and value_high for ranges), its unit, qualifier, base,
rate period and whether it was spelled out.

How it works, and why it is shaped this way (speed is a requirement: the
pipeline must do >= 1,000 articles/s on two cores, so this stage has a budget
of a fraction of a millisecond per article):

1. One compiled pattern (`_ATOM`) finds every *number atom* in one pass: an
   optional currency sign or code, a numeral or a spelled number or a
   fraction word, and an optional scale ("bn", "million", "mln").  Numbers
   glued to letters or hyphens ("G7", "F-35", "2100GMT", "26th", "1980s") are
   refused by the pattern itself, so names, ordinals and decades never become
   atoms.
2. Each atom is then read with anchored `match` calls at its two ends only: a
   suffix (`%`, "per cent", "dlrs", "kroner", "tonnes", "hours" ...), a
   hyphen compound ("seven-month"), or a counted noun ("80,000 long term care
   places" -> place).  No loop ever walks the whole text token by token.
3. Adjacent atoms joined by "-", "to" or "between ... and" become one range.
4. Atoms still without a kind get a last chance from their sentence (ages
   "aged 45" / "Prince Harry, 20,", an index level after "points", an
   exchange rate after "105.28 yen", "12.6 mln" next to "net profit"); the
   rest (bare numbers, years, dates, scores, identifiers) are dropped.

5. Each row also gets `subject`: the subject noun phrase of the clause that
   holds the figure ("US consumer confidence rose 4.3%" -> "US consumer
   confidence"; "Tesco said profits rose 5%" -> "profits"), read by one
   anchored pattern (`_SUBJ`) from the clause start, or None where that is not
   a plain noun phrase (pronouns, prepositional openers, relative clauses).
   Parses are cached per article, so figures of one sentence share them.

Values are exact decimals as written (`_exact`: 65.9 billion is
65900000000.0, not 65900000000.00001).  Every context read around a figure
is bounded (a few hundred characters), so a 50 MB single line costs time in
proportion to its length.

Paragraph roles: titles, deks, headings, captions and body are scanned (the
gold counts the "2%" of a BBC headline); only `boilerplate` (site furniture:
share counts, comment forms) is skipped.

Deliberate choices: a lone spelled "one" ("one of", "one day") is not a
figure, but "one million", "one per cent", "one in five" are; bare numbers
without a unit or noun are dropped unless their sentence gives them one;
vague plurals ("thousands of people") are not figures; "$" is USD and
"kroner"/"francs"/"pesos" follow the country the article names most.
Known limits: figures never span a line break (hard-wrapped newswire text
should be reflowed first); `base` is a best-effort noun phrase.
"""

from __future__ import annotations

import bisect
import re

from newsdesk.figures_lexicon import (
    AMBIGUOUS_CURRENCY, ATTACHED_UNITS, COUNTRY_CUES, CURRENCY_ADJ_WORDS, CURRENCY_ADJECTIVES,
    CURRENCY_SIGNS, CURRENCY_WORDS, DIGIT_WORDS, FRACTIONS, IRREGULAR_PLURALS, ISO_CODES, MONTHS,
    NAME_WORDS, NOT_PLURAL, QUALIFIERS, REPORTING_VERBS, SCALES, SMALL_NUMBERS, STOP_WORDS, SUBJECT_PRONOUNS,
    SUBJECT_REJECT_ANY, SUBJECT_REJECT_FIRST, SUBJECT_VERBS, SUBUNIT, TIME_UNITS, UNITS, VAGUE_HEADS,
)
from newsdesk.regex_words import word_trie

__all__ = ["extract_figures"]

SKIPPED_ROLES = frozenset({"boilerplate"})


def _alt(words) -> str:
    """A regex alternation, longest first so that "mln" wins over "m"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------

_U = "one|two|three|four|five|six|seven|eight|nine"
_TEEN = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SMALL = rf"(?:(?:{_TENS})(?:[- ](?:{_U}))?|{_TEEN}|{_U})"
_SCALE_WORDS = word_trie("thousand|million|billion|trillion|mln|bln|bn|mn|trn|tn|crore|lakh|dozen".split("|"))
_SPELLED = (
    rf"(?:(?:{_SMALL}|a)\ hundred(?:\ (?:and\ )?{_SMALL})?|{_SMALL}(?:[-\ ]and[-\ ]a[-\ ]half)?"
    rf"|an?(?=\ (?:{_SCALE_WORDS})\b))"
    rf"(?:\ point(?:\ (?:zero|nought|oh|{_U}))+)?"
)
_FRACTION = (
    r"(?:(?P<frn>an?|one|two|three|four|five|six|seven|eight|nine|ten)[- ])?"
    r"(?P<frw>halves|half|thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
)
# Word lists as tries (regex_words.word_trie): the engine branches on each letter instead of trying
# the words one by one. A trie tries the words that fit at a position longest first, as _alt does.
_ATTACHED = word_trie(["k", "m", "bn", "b", "tn", "trn", "mn", "mln", "bln", "p", "pc", *ATTACHED_UNITS])
_ISO_CODES = word_trie(ISO_CODES)
_CUR_PREFIX = (
    r"(?P<pre>(?-i:US|U\.S\.|AU|A|CA|C|NZ|HK|S|R|NT)?\$\ ?|[£€¥₹₽₩₺₴₪]\ ?"
    rf"|(?-i:\b(?:{_ISO_CODES})\ ?|\bRs\.?\ ?))"
)

# A number atom.  The lookbehinds refuse digits glued to a word, a dot, a
# slash, a colon, "#" or "+" (G7, 5/14/82, 10:30, +44) and digits after
# "letter-" (F-35, PAC-3, pre-2014); the lookahead refuses digits glued to
# letters that are not a known scale or unit (3G, 26th, 1980s, 2100GMT).
_ATOM = re.compile(
    rf"""
    {_CUR_PREFIX}?
    (?:
        (?<![\w.,/:#+])(?<![A-Za-z]-)
        (?P<num>(?>(?P<mixed>\d{{1,4}}-\d{{1,2}}/(?:2|4|8|16|32|64)(?![\d/])|\d{{1,2}}/(?:8|16|32|64)(?![\d/]))
                 |\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?))
        (?:(?P<att>{_ATTACHED})(?![A-Za-z]))?
        (?![A-Za-z\d]|[.,]\d|:\d|/\d)
      | \b(?P<halfa>half\ an?)(?=\ (?:{_SCALE_WORDS}|dozen|percentage|point)\b)
      | \b(?P<inx>(?:one|1)\ in\ (?:every\ )?(?:{_SMALL}|\d+))\b
      | (?<!-)\b(?P<fr>{_FRACTION})\b(?!-)
      | \b(?P<sp>{_SPELLED})\b(?!-(?:{_U}))
    )
    (?:\ (?P<scw>{_SCALE_WORDS})s?\b(?!-))?
    """,
    re.X | re.I,
)

# What follows an atom: a percent sign or word, a currency code or word, a unit.
_POST = re.compile(
    rf"""
    (?P<pct>\ ?%|\ ?-?per[\ -]?cent\b|\ ?percent\b|\ pct\b|\ (?:of\ )?an?\ percentage[\ -]points?\b
       |\ percentage[\ -]points?\b|\ (?P<bp>basis[\ -]points?|bps)\b)
    |(?P<code>\ ?(?-i:{_ISO_CODES})\b)
    |\ (?:(?P<cadj>{word_trie(CURRENCY_ADJ_WORDS)})\ )?(?P<curw>{word_trie(CURRENCY_WORDS)})\b(?!-)
    |\ (?:(?P<umod>square|sq\.?|cubic|metric|light|nautical|short|long)\ )?
       (?P<uw>{word_trie(UNITS)})\b(?![-'’]\w)
    """,
    re.X | re.I,
)
_AGO = re.compile(r"\ (?:ago|earlier|before|later)\b", re.I)
_COMPOUND = re.compile(r"-(?P<cw>[a-z]{2,})(?P<old>-old)?\b(?!-\d)")
# Words after a number, with a model number inside a name ("18 Leopard 2 tanks", "five Boeing 747 jets",
# "Leopard 1A5"), maybe after a calibre ("10,000 155mm shells").
_WORDS = re.compile(r"(?:\ \d{2,3}(?:mm|-mm)(?=\ [A-Za-z]))?"
                    r"(?:\ [A-Za-z][\w'’-]*(?:\ \d{1,4}(?:[A-Za-z]{1,2}\d{0,2})?(?=\ [A-Za-z]))?){1,6}")
_PER = re.compile(
    r"\ ?(?:per|a|an|each|every|/)\ ?(?P<per>year|annum|month|week|day|hour|minute|second|night)\b"
    r"|[ -](?P<adv>annually|yearly|monthly|weekly|daily|a-year|a-month|a-week|a-day)\b",
    re.I,
)
_TIME_AFTER = re.compile(r"\ ?(?:[ap]\.?m\b\.?|gmt|bst|est|edt|cet|utc|hrs\b|h\b|o'clock|local\ time)", re.I)
_RANGE_SEP = re.compile(r"\s?[-–—]\s?|\ to\ |\ and\ |\ or\ ", re.I)
_QUAL = re.compile(
    r"(?:^|[^\w])(?P<q>" + _alt(QUALIFIERS).replace(r"\ ", " ") + r"|maximum\ \w+\ of)\ $", re.I
)
_BETWEEN = re.compile(r"\bbetween\ (?:\w+\ )?$", re.I)
_FROM_BY = re.compile(r"\b(?:from|by)\ $", re.I)
_PREV_WORD = re.compile(r"(?P<w>[A-Za-z][\w.'’-]*)\ $")
_NEXT_WORD = re.compile(r"\ (?P<w>[A-Za-z]+)")
_AGE_BEFORE = re.compile(r"\b(?:aged|age\ of|ages\ of|aged\ between|aged\ under|aged\ over)\ $", re.I)
_AGE_QUAL = re.compile(r"\b(?:under|over|past|above|below)\ $", re.I)
_AGE_CONTEXT = re.compile(r"\b(?:age[ds]?|retire\w*|pension\w*|old|older|younger|elderly)\b", re.I)
_APPOSITIVE = re.compile(r"[A-Za-z], $")
_INDEX_CONTEXT = re.compile(
    r"\b(?:index|indices|dow|nasdaq|ftse|nikkei|dax|cac|hang seng|s&p|points?|average)\b", re.I
)
_RATE_CONTEXT = re.compile(r"\b(?:rates?|interest|yields?|inflation)\b", re.I)
_INDEX_NAMES = re.compile(r"\b(?:index|indices|dow|nasdaq|ftse|nikkei|dax|cac|hang seng|s&p|shares|stocks?)\b", re.I)
_MONEY_CUE = re.compile(
    r"\b(?:net|profits?|loss(?:es)?|gains?|revenues?|revs?|sales|earnings|income|assets|deposits|loans?|"
    r"debts?|costs?|worth|valued|budget|deficit|surplus|turnover|spending|investment|funding|"
    r"capital|bid|offer|price|paid|pay|raised|dividends?|fine[ds]?)\b",
    re.I,
)
_MONEY_CUE_NEAR = re.compile(
    r"\b(?:net|profits?|loss|gain|revs?|revenues?|sales|income|earnings|turnover)\ (?:(?:loss|profit|income)\ )?$", re.I
)
# Where an atom can start.  Two cheap scans instead of running `_ATOM` over
# every character: a character-class scan for digits and currency signs (the
# regex engine skips ahead with a fast loop), and a scan of the lower-cased
# text for number words, written with literal first letters and no leading
# \b so that the same fast skip applies (word starts are checked in Python).
_DIGIT_TRIGGER = re.compile(r"[\d$£€¥₹₽₩₺₴₪][\d,.]*")
# The same for ASCII text, where \d is [0-9] and "$" the only sign: a plain byte class scans faster.
_DIGIT_TRIGGER_ASCII = re.compile(r"[0-9$][0-9,.]*")
_WORD_TRIGGER = re.compile(
    r"t(?:wo|hree|en|welve|hirteen|wenty|hirty|hirds?|enths?|housand)|f(?:our(?:teen)?|ive|ifteen|orty|ifty|ifths?)"
    r"|s(?:ix(?:teen|ty|ths?)?|even(?:teen|ty|ths?)?)|e(?:ight(?:een|y|hs?)?|leven)|n(?:ine(?:teen|ty)?|inths?)"
    r"|one|half|quarters?|dozen|hundred|million|billion|trillion"
)
_WORD_TRIGGER_I = re.compile(_WORD_TRIGGER.pattern, re.I)
# Currency written before the digits: "US$", "HK$", "USD ", "Rs ".
_PRE_BACK = re.compile(
    rf"(?:(?-i:US|U\.S\.|AU|A|CA|C|NZ|HK|S|R|NT)?\$\ ?|[£€¥₹₽₩₺₴₪]\ ?|\b(?:{_ISO_CODES})\ ?|\bRs\.?\ ?)$"
)
_A_BEFORE = ("a ", "an ", "A ", "An ")
_A_WORDS = frozenset("third thirds quarter quarters half fifth sixth seventh eighth ninth tenth hundred thousand "
                     "million billion trillion dozen".split())
_BASE_OF = re.compile(
    r"\ of\ (?:(?:its|their|his|her|our|your|my|all)\ )?(?P<np>[\w’'&.-]+(?:\ [\w’'&.£$€,-]+){0,7})"
)
_BASE_CHANGE_IN = re.compile(
    r"(?:\ [a-z]+){0,2}?\ (?:rise|fall|increase|decrease|drop|gain|growth|jump|cut|decline|reduction|"
    r"share|stake|interest)\ (?:in|of)\ (?:(?:its|their|the)\ )?(?P<np>[\w’'&.-]+(?:\ [\w’'&.£$€,-]+){0,7})"
)
_BASE_NP_CHANGE = re.compile(
    r"\ (?P<np>[a-z]+(?:\ [a-z]+){0,2}?)\ (?:rise|fall|increase|decrease|drop|gain|growth|jump|cut|decline)\b"
)
_BASE_BEFORE = re.compile(
    r"(?<![\w’'&])(?P<np>(?:[A-Za-z][\w’'&-]*\ ){1,4}?)(?:of|by|rose|fell|grew|increased|decreased|dropped|"
    r"jumped|climbed|slipped|declined|were|was|is|are|at|to|accounts?\ for|make\ up|"
    r"(?:rose|fell|grew|were|was|is)\ [a-z]+\ (?:by\ )?)\ (?:between\ |about\ |around\ |over\ |almost\ |"
    r"nearly\ |some\ |only\ |just\ )?$"
)
_BASE_STOP = frozenset(
    "was were is are has have had will would which that who where while when than but as to for "
    "since after before by with within on at said says".split()
)
_BASE_DROP_LEAD = frozenset("the a an its their his her our".split())
_BASE_WHEN = frozenset("last this next in by from".split())
_BASE_PERIODS = frozenset("year years month months week weeks quarter quarters decade day days".split())


# ---------------------------------------------------------------------------
# Atoms
# ---------------------------------------------------------------------------

class _Atom:
    """One number as found in the text, with whatever its two ends tell us."""

    __slots__ = ("start", "end", "num_start", "value", "scale", "kind", "unit", "spelled",
                 "currency", "bare_int", "decimal", "year_like", "sent", "value_high", "has_scale",
                 "fraction_word", "attached_m", "mixed")

    def __init__(self, start: int, num_start: int, end: int, value: float, spelled: bool):
        self.start, self.num_start, self.end = start, num_start, end
        self.value, self.spelled = value, spelled
        self.scale = 1.0
        self.kind = self.unit = self.currency = None
        self.value_high = None
        self.bare_int = self.decimal = self.year_like = self.has_scale = False
        self.fraction_word = self.attached_m = self.mixed = False
        self.sent = -1


def _spelled_value(words: str) -> float | None:
    """Value of a spelled number: "twenty-five" 25, "a hundred and six" 106, "one point three" 1.3."""
    w = words.lower().replace("-", " ")
    decimals = ""
    if " point " in w:
        w, tail = w.split(" point ", 1)
        decimals = "".join(DIGIT_WORDS.get(t, "") for t in tail.split())
    half = w.endswith(" and a half")
    if half:
        w = w[: -len(" and a half")]
    if w.endswith(" and a"):
        return None
    total, current = 0.0, 0.0
    for tok in w.split():
        if tok == "and":
            continue
        if tok == "hundred":
            current = (current or 1) * 100
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok in SMALL_NUMBERS:
            current += SMALL_NUMBERS[tok]
        else:
            return None
    total += current
    if decimals:
        total = float(f"{int(total)}.{decimals}")
    return total + (0.5 if half else 0.0)


def _read_atom(m: re.Match, text: str) -> _Atom | None:
    """Turn one `_ATOM` match into an atom, or None when it is plainly not a figure."""
    num, pre, mixed, att, scw = m.group("num", "pre", "mixed", "att", "scw")
    if pre and not num:
        return None
    start, end = m.span()
    if num and mixed:
        # Newswire share prices: "11-5/8" is 11.625, "1/8" is 0.125.
        whole, _, frac = num.rpartition("-")
        n, d = frac.split("/")
        if int(n) >= int(d):
            return None
        atom = _Atom(start, m.start("num"), end, (int(whole) if whole else 0) + int(n) / int(d), False)
        atom.decimal = atom.mixed = True
    elif num:
        digits = num.replace(",", "")
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
            return None  # 0800 phone prefixes, 007 identifiers
        atom = _Atom(start, m.start("num"), end, float(digits), False)
        atom.decimal = "." in num
        atom.bare_int = not atom.decimal
        atom.year_like = (atom.bare_int and "," not in num and len(num) == 4 and 1000 <= atom.value <= 2199)
        if att:
            att = att.lower()
            if att in SCALES:
                atom.scale, atom.has_scale = SCALES[att], True
                atom.attached_m = att == "m"
            elif att == "p":
                atom.kind, atom.unit, atom.scale = "money", "GBP", 0.01
            elif att == "pc":
                atom.kind, atom.unit = "percent", "percent"
            else:
                atom.kind, atom.unit = "quantity", UNITS.get(att, att)
    elif m.group("halfa"):
        atom = _Atom(start, start, end, 0.5, True)
        atom.fraction_word = True
    elif m.group("inx"):
        n = m.group("inx").lower().split()[-1]
        d = float(n) if n.isdigit() else _spelled_value(n)
        if not d:
            return None
        atom = _Atom(start, start, end, 1.0 / d, True)
        atom.kind, atom.unit = "fraction", "fraction"
    elif m.group("fr"):
        atom = _read_fraction(m, text)
        if atom is None:
            return None
    else:
        value = _spelled_value(m.group("sp"))
        if value is None:
            return None
        atom = _Atom(start, start, end, value, True)
    if pre:
        key = pre.strip().lower()
        atom.kind, atom.unit = "money", CURRENCY_SIGNS.get(key) or pre.strip().upper()
        if atom.unit == "RMB":
            atom.unit = "CNY"
    if scw:
        atom.scale, atom.has_scale = atom.scale * SCALES[scw.lower()], True
        atom.attached_m = False
    return atom


def _read_fraction(m: re.Match, text: str) -> _Atom | None:
    """Fraction words are figures only where they cannot be ordinals or periods.

    "a third of", "two-thirds", "half of", "a quarter point" are figures;
    "third quarter", "a third term", "the first half", "eighth year" are not.
    """
    frn, frw = m.group("frn"), m.group("frw").lower()
    end = m.end("fr")
    after = text[end:end + 24].lower()
    before = text[max(0, m.start() - 12):m.start()].lower()
    plural = frw.endswith("s") and frw != "halves"
    pointish = after.startswith((" point", " percentage point", " of a point", " of a percentage"))
    if frn is None:
        if frw == "half":
            if before.endswith("-") or before.rsplit(" ", 2)[-2:][0] in (
                    "first", "second", "other", "latter", "former", "the", "a", "an"):
                return None
            if not (pointish or re.match(r"\ (?:of|the|its|their|his|her|our|all|that|those|these|this)\b", after)
                    or before.endswith(("by ", "in ", "cut ", "than "))):
                return None
        elif not pointish:
            return None
        count = 1.0
    else:
        count = float(SMALL_NUMBERS.get(frn.lower(), 1))
        if before.endswith(("and ", "and-")) and (frn.lower() in ("a", "an") or _mixed_number(before)):
            return None  # "a year and a half" is a duration; "one and a half", "three and one-half" are numbers
        if not plural and not pointish and frw != "half":
            nxt = _NEXT_WORD.match(after)
            if nxt and nxt.group("w") not in ("of", "in", "on", "to", "from", "since", "last", "this",
                                               "and", "or", "than", "compared", "over", "at"):
                return None
    atom = _Atom(m.start(), m.start(), end, count * FRACTIONS[frw], True)
    atom.kind, atom.unit, atom.fraction_word = "fraction", "fraction", True
    return atom


def _mixed_number(before: str) -> bool:
    """Whether the word before a closing "and" is a number: "three and one-half", "11 and three-quarters"."""
    words = before[:-4].split()
    last = words[-1].lower().lstrip("\"“‘'(") if words else ""
    return last[:1].isdigit() or last in SMALL_NUMBERS


# ---------------------------------------------------------------------------
# Reading what follows an atom
# ---------------------------------------------------------------------------

# A dollar written with its country, "canadian dlrs": found from the dollar words (a scan for a
# literal " d"), then the adjective that ends right before the word (at most one can: none of them
# ends another). The same marks as a scan for "\b(adjective)\ (?:dlrs?|dollars?)\b", which had to
# try the adjectives at every position of the text.
_DOLLAR_WORD = re.compile(r" (?:dlrs?|dollars?)\b")
_DOLLAR_ADJ_BEFORE = re.compile(r"\b(canadian|australian|new zealand|hong kong|singapore|taiwan|u\.s\.|us|american)\Z")
_DOLLAR_CODES = {"canadian": "CAD", "australian": "AUD", "new zealand": "NZD", "hong kong": "HKD",
                 "singapore": "SGD", "taiwan": "TWD"}
_dollar_cache: tuple = (None, None)


_cue_cache: tuple = (None, {})
_SENT_WINDOW = 1000  # how much of a sentence around a figure the context rules read


def _cue_count(text_lower: str, cue: str) -> int:
    """How often the article names a country cue; counted once per article, however many figures ask."""
    global _cue_cache
    cached = _cue_cache
    if cached[0] is not text_lower:
        cached = _cue_cache = (text_lower, {})
    n = cached[1].get(cue)
    if n is None:
        n = cached[1][cue] = text_lower.count(cue)
    return n


def _dollar_marks(text_lower: str) -> tuple[list[int], list[str]]:
    """Positions of dollars written with their country in the article, and the currency of each (one scan)."""
    global _dollar_cache
    cached = _dollar_cache
    if cached[0] is text_lower:
        return cached[1]
    pos, codes = [], []
    if "dlr" in text_lower or "dollar" in text_lower:
        for w in _DOLLAR_WORD.finditer(text_lower):
            p = w.start()
            m = _DOLLAR_ADJ_BEFORE.search(text_lower, max(0, p - 11), p)
            if m is not None:
                pos.append(m.start())
                codes.append(_DOLLAR_CODES.get(m.group(1), "USD"))
    _dollar_cache = (text_lower, (pos, codes))
    return pos, codes


def _currency_for_word(word: str, adj: str | None, text_lower: str, pos: int | None = None) -> str | None:
    word = word.lower()
    if adj and word in ("dlr", "dlrs"):
        word = "dollars"
    stem = word.rstrip("s") if word not in ("pence", "cts", "ct") else word
    if stem == "krona" or word == "kronor":
        stem = "krona"
    if adj:
        key = (adj.lower().replace("hk", "hong kong").replace("nz", "new zealand"), stem)
        if key in CURRENCY_ADJECTIVES:
            return CURRENCY_ADJECTIVES[key]
        for (a, s), code in CURRENCY_ADJECTIVES.items():
            if a == key[0] and word.startswith(s[:4]):
                return code
    code = CURRENCY_WORDS.get(word)
    if code == "USD" and word.startswith(("dlr", "dollar")) and pos is not None:
        # "8.8 billion Canadian dlrs ... 584 mln dlrs": a bare dollar word takes the currency of the
        # article's last dollar written with its country ("U.S. dlrs" sets it back to USD).
        marks = _dollar_marks(text_lower)
        k = bisect.bisect_left(marks[0], pos)
        if k:
            return marks[1][k - 1]
    if code:
        return code
    for cue_stem, cues in COUNTRY_CUES.items():
        if word.startswith(cue_stem[:5]):
            # The country the article names most often decides ("kroner" in a Norwegian story).
            counts = [(_cue_count(text_lower, cue), -i, c) for i, (cue, c) in enumerate(cues) if cue]
            best = max(counts, default=(0, 0, None))
            return best[2] if best[0] else cues[-1][1]
    return None


_POUNDS_OF = re.compile(r" of (?:the |their |its |his |her )?([a-z][a-z'’-]*)")
# What a sum of pounds is of: "20 million pounds of taxpayers' money", "pounds of investment"
_MONEY_OF = frozenset("""taxpayers taxpayers' taxpayer's public government investment investments funding funds cash money
aid revenue revenues spending savings debt debts losses loss profit profits damage sales business contracts orders
assets shares stock value worth lottery tax taxes income capital borrowing borrowings reserves credit loans
subsidies grants donations compensation fines bonuses pay wages salaries extra new additional""".split())


def _read_suffix(atom: _Atom, text: str, text_lower: str) -> None:
    """Percent sign/word, currency word or code, or unit right after the atom."""
    m = _POST.match(text, atom.end)
    if not m:
        return
    if atom.kind == "fraction" and not (m.group("pct") or (m.group("uw") or "").lower().startswith("point")):
        return
    if m.group("pct"):
        if atom.kind == "money":
            return
        atom.kind, atom.unit, atom.end = "percent", "percent", m.end()
        if m.group("bp"):
            atom.scale *= 0.01
        return
    if m.group("code"):
        if atom.kind is None:
            atom.kind, atom.unit, atom.end = "money", m.group("code").strip(), m.end()
        return
    curw = m.group("curw")
    if curw:
        if atom.kind not in (None, "money"):
            return
        lw = curw.lower()
        if lw in AMBIGUOUS_CURRENCY and not (atom.has_scale or atom.decimal or atom.value >= 1000):
            return
        code = _currency_for_word(curw, m.group("cadj"), text_lower, atom.start)
        if code is None:
            return
        if lw in ("pound", "pounds") and atom.kind is None:
            of = _POUNDS_OF.match(text_lower, m.end())
            if of is not None and of.group(1) not in _MONEY_OF:
                # "265 mln pounds of copper", "2,000 pounds of explosives": a weight
                atom.kind, atom.unit, atom.end = "quantity", "lb", m.end()
                return
        if atom.kind == "money" and atom.unit and lw not in SUBUNIT:
            atom.end = m.end()  # "$5 dollars": keep the sign's currency
            return
        atom.kind, atom.unit, atom.end = "money", code, m.end()
        if lw in SUBUNIT:
            atom.scale *= SUBUNIT[lw]
        return
    uw = m.group("uw")
    if uw and atom.kind in (None, "fraction"):
        unit = UNITS[uw.lower()]
        if (unit in TIME_UNITS and atom.value != 1 and not uw.lower().endswith("s")
                and _AGO.match(text, m.end())):
            return  # "157,000 week ago": the number is not a number of weeks
        if atom.attached_m and unit not in ("tonne", "barrel", "bushel", "gallon", "litre", "ounce"):
            # "25m tonnes": a scale before a unit; "100m metres" does not occur.
            pass
        mod = m.group("umod")
        if mod and mod.lower() in ("square", "sq", "sq.", "cubic"):
            unit = f"{'square' if mod.lower().startswith('s') else 'cubic'} {unit}"
        elif mod and mod.lower() in ("light",):
            unit = "light year"
        elif mod and mod.lower() == "nautical":
            unit = "nautical mile"
        atom.kind, atom.unit, atom.end = "quantity", unit, m.end()
        if unit == "point" and atom.fraction_word:
            atom.kind, atom.unit = "percent", "percent"


def _singular(word: str) -> str | None:
    """Singular of a plural noun, or None when the word does not look plural."""
    lw = word.lower().replace("’", "'")
    if lw in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[lw]
    if len(lw) < 3 or not lw.endswith("s") or lw in NOT_PLURAL or lw.endswith(("ss", "us", "is", "'s", "ous")):
        if len(word) >= 3 and word.endswith("s") and word[:-1].isupper():
            return word[:-1]  # MPs, CDs
        return None
    if word[:-1].isupper():
        return word[:-1]
    if lw.endswith("ies") and len(lw) > 4:
        return lw[:-3] + "y"
    if lw.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return lw[:-2]
    return lw[:-1]


def _counted_noun(atom: _Atom, text: str) -> tuple[str, int, str] | None:
    """The counted noun after a number: "80,000 long term care places" -> ("place", end, "count").

    Up to three modifiers may stand between the number and the noun; the noun
    is the first word that looks plural.  A function word ends the search
    ("other" and "more" do not: "three other members", "two more years").  A
    time unit after modifiers makes a quantity ("16 training days").  A
    capitalised plural is a name ("100m champion Kim Collins") unless every
    word up to it is capitalised too and the number is spelled or small
    ("five Springboks", "two Olivier Awards").
    """
    m = _WORDS.match(text, atom.end)
    if not m:
        return None
    if atom.spelled and text[atom.start].isupper() and not text[atom.start:atom.end].isupper():
        j = atom.start - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j >= 0 and (text[j] not in ".!?\n\"“”'‘’(:;-–—" or (text[j] in "'’" and j > 0 and text[j - 1].isalpha())):
            return None  # "the Six Nations", "a new Two Ronnies series": a capitalised number word names
    pos = atom.end
    all_caps = True
    prev = ""
    reach = 3  # modifiers before the noun; two more after a model name ("four IRIS-T SLM air defence systems")
    for i, word in enumerate(m.group().split(" ")[1:]):
        pos += 1 + len(word)
        if word[0].isdigit():
            if i == 0 and word.endswith("mm"):
                continue  # a calibre: "10,000 155mm artillery shells"
            if not prev[:1].isupper():
                return None
            prev = word
            continue  # the model number of a name: "Leopard 2"
        prev = word
        clean = word.rstrip("'’-")
        lw = clean.lower()
        if lw in _COUNT_MODIFIERS and i == 0:
            all_caps = False
            continue
        if i > 0 and lw in UNITS and UNITS[lw] in TIME_UNITS and lw.endswith("s") and not atom.has_scale:
            return UNITS[lw], pos - (len(word) - len(clean)), "quantity"
        if lw in STOP_WORDS or lw in MONTHS or lw in UNITS or lw in CURRENCY_WORDS or lw in SMALL_NUMBERS:
            return None
        code = _MODEL_CODE.fullmatch(clean) is not None
        if code:
            reach = max(reach, i + 3)
        if "-" in clean and i > 0 and not code:
            return None
        noun = _singular(clean)
        if noun and (code or lw == "series") and i < reach:
            after = _NEXT_WORD.match(text, pos)
            if after and after.group("w").islower() and after.group("w") not in STOP_WORDS \
                    and _singular(after.group("w")):
                continue  # "40 HIMARS launchers": an acronym before the noun names the kind
        if noun and clean[0].isupper() and not clean[:-1].isupper() and lw not in IRREGULAR_PLURALS:
            after = _NEXT_WORD.match(text, pos)
            if after and after.group("w").islower() and after.group("w") not in STOP_WORDS and i < 2 \
                    and _singular(after.group("w")):
                all_caps = False
                continue  # "two McDonnell Douglas jets": the capitalised words are modifiers
            if text[atom.num_start - 1:atom.num_start] == "-" or not (
                    all_caps and (i == 0 or (i == 1 and not atom.has_scale))
                    and (atom.spelled or atom.has_scale or (atom.bare_int and atom.value <= 100))):
                return None  # "100m champion Kim Collins": a name, not a counted noun
            noun = noun[0].upper() + noun[1:]  # "Springboks" -> "Springbok", as written
        all_caps = all_caps and clean[:1].isupper()
        if atom.attached_m and (i > 1 or lw in _TRACK_WORDS):
            return None  # "400m runners", "100m final": metres on the track, not millions
        if noun:
            if noun in VAGUE_HEADS or lw in VAGUE_HEADS:
                return None
            return noun, pos - (len(word) - len(clean)), "count"
        if i >= reach or "'" in clean or "’" in clean:
            return None
    return None


# A model name or acronym: "PAC-3", "IRIS-T", "SLM", "HIMARS", "F-16", "T-72B3", "MiG-29".
_MODEL_CODE = re.compile(r"[A-Z][A-Za-z]*-?[A-Z0-9][A-Z0-9-]*|[A-Z]{2,}[a-z]?")

_COUNT_MODIFIERS = frozenset("other more".split())
_TRACK_WORDS = frozenset("runners sprinters hurdles finals heats races relays records titles medals champions "
                         "winners events".split())


def _read_compound(atom: _Atom, text: str) -> None:
    """Hyphen compounds: "seven-month" (quantity), "four-nation" (count), "10-year-old" (age)."""
    m = _COMPOUND.match(text, atom.end)
    if not m:
        return
    word = m.group("cw").lower()
    if word in ("year", "years") and m.group("old"):
        atom.kind, atom.unit, atom.end = "quantity", "year", m.end()
        return
    if word in UNITS and word != "point":  # "a 56-point deal" counts points
        atom.kind, atom.unit, atom.end = "quantity", UNITS[word], m.end("cw")
        return
    if word in STOP_WORDS or word in _COMPOUND_STOP or word.endswith(("ly", "ed", "ing")):
        return
    atom.kind, atom.unit, atom.end = "count", _singular(word) or word, m.end("cw")


_COMPOUND_STOP = frozenset(
    "fold odd plus off up strong all nil love way old member time thirds third quarters quarter "
    "mln bln bn mn million billion thousand trillion dlr dlrs figure figures digit digits "
    "half halves fifths tenths s th nd rd st year-old page".split()
)


# ---------------------------------------------------------------------------
# The whole article
# ---------------------------------------------------------------------------

def _scan_ranges(text: str, paragraphs: list[dict] | None) -> list[tuple[int, int]]:
    if not paragraphs:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    joined = False  # whether the previous paragraph was kept, so this one extends its range
    for p in paragraphs:
        if p.get("role") in SKIPPED_ROLES:
            joined = False
            continue
        if joined and out:
            out[-1] = (out[-1][0], p["char_end"])
        else:
            out.append((p["char_start"], p["char_end"]))
        joined = True
    return out


def _prev_word(text: str, pos: int, floor: int) -> str:
    """The word just before `pos` when a single space separates them, else ""."""
    if pos - 1 <= floor or text[pos - 1] != " " or not text[pos - 2].isalnum() and text[pos - 2] != ".":
        return ""
    if floor < pos - 64:
        floor = pos - 64  # bounded: a huge line stays linear
    i = text.rfind(" ", floor, pos - 1)
    j = text.rfind("\n", floor, pos - 1)
    if j > i:
        i = j
    if i < floor - 1:
        i = floor - 1
    return text[i + 1:pos - 1].strip("\"“”‘’'(),;:")


def _is_excluded(atom: _Atom, text: str, sent_start: int) -> bool:
    """Dates, times, years and numbers that belong to a name."""
    s, e = atom.num_start, atom.end
    prev = _prev_word(text, s, sent_start)
    lprev = prev.lower()
    if atom.spelled:
        if lprev in NAME_WORDS:
            return True
        return False
    if s >= 2 and text[s - 1] == "-" and text[s - 2].isdigit() and not atom.mixed:
        # "A300-600", "767-300", "1990-91": the second half of a model number or a year span (a range
        # runs upwards, "5-7", and is read as two atoms that are joined later).
        j = s - 2
        while j > sent_start and (text[j - 1].isalnum() or text[j - 1] in ".,"):
            j -= 1
        head = text[j:s - 1]
        if any(c.isalpha() for c in head):
            return True
        try:
            if float(head.replace(",", "")) > atom.value:
                return True
        except ValueError:
            pass
    nxt = _NEXT_WORD.match(text, e)
    nword = nxt.group("w").lower() if nxt else ""
    if lprev.rstrip(".") in MONTHS or nword in MONTHS:
        return atom.kind in (None, "count", "quantity") or atom.bare_int
    if atom.kind is None and _TIME_AFTER.match(text, e):
        return True
    if atom.unit == "hour" and atom.bare_int and 100 <= atom.value <= 2400 and atom.value % 100 < 60 \
            and "," not in text[s:e] and (text[e - 3:e].lower() == "hrs" or lprev in ("at", "by", "until", "from")):
        return True  # "at 1130 hrs": a time of day in newswire style
    if lprev in NAME_WORDS and atom.kind in (None, "count", "quantity"):
        return True
    if atom.year_like and atom.unit == "year" and text[e - 4:e].lower() == "year":
        return True  # "1986 year net includes …": the year 1986, not 1,986 years
    if prev and prev[0].isupper() and atom.kind == "count" and atom.start == s \
            and not prev.endswith(("'s", "’s")):  # "NATO's 32 members" counts members
        # "Apollo 13", "Boeing 747", "Windows 95": a capitalised word right
        # before the number names it -- unless it is an ordinal sentence
        # opener ("Some 600 jobs") or the line is set in Title Case.
        if lprev not in QUALIFIERS and lprev not in _SENTENCE_OPENERS and not _title_case(text, sent_start, s):
            return True
    return False


def _title_case(text: str, start: int, pos: int) -> bool:
    """Whether the line holding `pos` is a headline in Title Case ("Firm Cuts 500 Jobs")."""
    line_start = text.rfind("\n", max(0, pos - 300), pos)
    line_end = text.find("\n", pos, pos + 300)
    if (line_start < 0 and pos > 300) or (line_end < 0 and len(text) > pos + 300):
        return False  # a line that long is no headline (and the search stays bounded)
    words = [w for w in text[line_start + 1:line_end if line_end >= 0 else len(text)].split() if w[:1].isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.7 * len(words)


_SENTENCE_OPENERS = frozenset(
    "the a an all some only just nearly almost about around over more another its their his her our "
    "yesterday today now overall altogether meanwhile however last next these those first then "
    "between from among within without with to by at on in into after before since until during under "
    "while when where if as than although though because both each every many most few several "
    "and but or so yet with by of in at for to from on".split()
)


def _classify(atom: _Atom, text: str, text_lower: str) -> None:
    """Give an atom its kind and unit from what immediately follows it."""
    if atom.kind in (None, "money", "fraction"):
        _read_suffix(atom, text, text_lower)
    if atom.kind is None:
        _read_compound(atom, text)
    if atom.kind is None and not atom.year_like:
        noun = _counted_noun(atom, text)
        if noun:
            atom.unit, atom.end, atom.kind = noun


def _merge_ranges(atoms: list[_Atom], text: str) -> list[_Atom]:
    """Join "$5-7 billion", "between 1% and 3%", "1.1 and 1.5 million people" into one atom."""
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            sep = text[a.end:b.start]
            sm = _RANGE_SEP.fullmatch(sep)
            if sm and a.sent == b.sent and _range_ok(a, b, sep, text):
                merged = _join(a, b, text)
                if merged is not None:
                    if merged is a:  # "from 5 to 7%": two figures, the first inherits
                        out.append(a)
                        i += 1
                        continue
                    out.append(merged)
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _range_ok(a: _Atom, b: _Atom, sep: str, text: str) -> bool:
    if b.kind is None:
        # "$10-25m": the second end borrows the first end's currency.
        if a.kind not in ("money", "percent") or sep.strip() not in ("-", "–", "—"):
            return False
        if _FROM_BY.search(text[max(0, a.start - 16):a.start]) or not (b.has_scale or b.decimal):
            return False
        b.kind, b.unit = a.kind, a.unit
        return True
    if a.kind is not None and (a.kind != b.kind or a.unit != b.unit):
        return False
    if a.year_like and a.kind is None:
        return False
    word = sep.strip().lower()
    before = text[max(0, a.start - 16):a.start]
    if word == "or":  # "six or seven contenders": a bare first number only ("5% or 10%" are two figures)
        return a.kind is None and not a.year_like and b.kind is not None
    if word == "and":
        return bool(_BETWEEN.search(before))
    if a.kind is not None and _FROM_BY.search(before):
        return False
    if word in ("-", "–", "—") and a.kind is None and b.kind in ("count",) and not a.decimal and not b.has_scale:
        # "3-1 wins", "4-3 victories" read as scores, not ranges of wins.
        return b.unit not in ("win", "victory", "defeat", "goal", "draw", "loss")
    return True


def _join(a: _Atom, b: _Atom, text: str) -> _Atom | None:
    lo_scale = a.scale
    if not a.has_scale and b.has_scale and a.value * (a.scale if a.kind else 1) <= b.value:
        lo_scale = b.scale if a.kind is None else a.scale * b.scale
    if a.kind is None and not a.has_scale and b.kind == "money" and b.scale < 1 and not b.has_scale:
        lo_scale = b.scale  # "12-15 cts"
    if a.kind is None and not a.has_scale and b.kind == "percent":
        lo_scale = b.scale
    before = text[max(0, a.start - 16):a.start]
    if _FROM_BY.search(before) and a.kind is None and " to " in text[a.end:b.start]:
        a.kind, a.unit, a.scale = b.kind, b.unit, lo_scale
        return a
    low = a.value * lo_scale
    high = b.value * b.scale
    if high <= low:
        return None
    b.value_high = high
    b.value, b.scale = low, 1.0
    b.start = a.start
    b.spelled = a.spelled or b.spelled
    return b


def _trigger_starts(text: str, text_lower: str, lo: int, hi: int) -> list[int]:
    """Sorted positions where a number atom may begin, within [lo, hi)."""
    out = []
    for m in (_DIGIT_TRIGGER_ASCII if text.isascii() else _DIGIT_TRIGGER).finditer(text, lo, hi):
        pos = m.start()
        c = text[pos]
        if c in _SIGNS:
            maybe = pos > lo and (text[pos - 1].isupper() or text[pos - 1] == ".")
            end = pos + 1
        else:
            maybe = pos - 2 >= lo and text[pos - 1] == " " and (
                text[pos - 2].isupper() or text[pos - 2] in _SIGNS or text[pos - 2] in ".s")
            end = pos
        back = _PRE_BACK.search(text, max(lo, end - 6), end) if maybe else None
        out.append(back.start() if back else pos)
    if len(text_lower) == len(text):
        low, pattern = text_lower, _WORD_TRIGGER
    else:  # lower() changed the length ("İ"): search the original text instead
        low, pattern = text, _WORD_TRIGGER_I
    for pos, word in _word_starts(low, pattern, lo, hi):
        if pos > lo and text[pos - 1].isalpha():
            continue
        if word.lower() in _A_WORDS:
            # "a third", "an eighth" -- but not "than half", "Cuba quarter": the article must be a word.
            if (text.endswith(_A_BEFORE[0], max(lo, pos - 2), pos) or text.endswith(_A_BEFORE[2], max(lo, pos - 2), pos)) \
                    and (pos - 2 == lo or not text[pos - 3].isalpha()):
                pos -= 2
            elif (text.endswith(_A_BEFORE[1], max(lo, pos - 3), pos) or text.endswith(_A_BEFORE[3], max(lo, pos - 3), pos)) \
                    and (pos - 3 == lo or not text[pos - 4].isalpha()):
                pos -= 3
        out.append(pos)
    out.sort()
    return out


_SIGNS = frozenset("$£€¥₹₽₩₺₴₪")
# The same number words, only where a word starts: a non-letter is consumed
# before each, which lets the engine skip to spaces and punctuation instead of
# trying the words at every "t", "e" or "s" inside words (three times faster).
_WORD_START = re.compile(r"[^a-z](" + _WORD_TRIGGER.pattern + ")")
_WORD_START_I = re.compile(r"[^a-z](" + _WORD_TRIGGER.pattern + ")", re.I)


def _word_starts(low: str, pattern: re.Pattern, lo: int, hi: int) -> list[tuple[int, str]]:
    """(position, word) of each number word at a word start of low[lo:hi]."""
    starter = _WORD_START if pattern is _WORD_TRIGGER else _WORD_START_I
    out = []
    first = pattern.match(low, lo, hi)
    if first:
        out.append((lo, first.group()))
    for m in starter.finditer(low, lo, hi):
        out.append((m.start(1), m.group(1)))
    return out


def _skip_fast(text: str, start: int) -> bool:
    """Cheap early exits for the commonest non-figures: a bare year ("in 2004,")
    and "one" that is not "one million" / "one per cent" / "one in five"."""
    c = text[start]
    if c in "12" and text[start + 1:start + 4].isdigit():
        nxt = text[start + 4:start + 5]
        if nxt in (",", ".", ";", ":", ")", "'", "’", "\n", "") and not text[start + 5:start + 6].isdigit() \
                and (start == 0 or not text[start - 1].isdigit()):
            return True
    elif c in "oO" and text.startswith("ne", start + 1):
        tail = text[start + 3:start + 12].lower()
        return tail.startswith((" of ", ",", ".", " who", " that", " which", " is ", " was ", " has ", " had ",
                                " more", " another", " thing", " day ", " side", " way", " another", "'s", "’s"))
    return False


def _sentence_of(pos: int, starts: list[int]) -> int:
    k = bisect.bisect_right(starts, pos) - 1
    return k if k > 0 else 0


_OF_THE = re.compile(r"\ of\ (?:(?:the|its|their|his|her|our|all|those|these)\ )?(?:[A-Za-z][\w.&]*(?:'s|’s)\ )?")
_FROM_BEFORE = re.compile(r"(?:\b(?:up|down|rising|falling|compared|against|as)\ (?:from|with)|\bversus|\bvs\.?)\ $")
_AND_BEFORE = re.compile(r"(?:\band|,)\ $")
_PREP_AFTER = re.compile(r"\ (?:from|in|at|for|to|by|on)\ ")


def _borrow_unit(atom: _Atom, atoms: list[_Atom], i: int, kept: list[_Atom], text: str) -> bool:
    """A bare number that shares the unit of a neighbour in its sentence.

    "23 of the 32 allies" (the next figure's), "156 jets a year, up from 110"
    and "15 planes from Boeing and 25 from Airbus" (the previous figure's).
    """
    if atom.year_like or atom.spelled and not atom.has_scale or atom.mixed:
        return False
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    if nxt is not None and nxt.sent == atom.sent and nxt.kind in ("count", "quantity") and nxt.unit \
            and nxt.value_high is None and atom.value * atom.scale <= nxt.value * nxt.scale:
        m = _OF_THE.match(text, atom.end)
        if m is not None and m.end() == nxt.start:
            atom.kind, atom.unit = nxt.kind, nxt.unit
            return True
    prev = kept[-1] if kept else None
    if prev is None or prev.sent != atom.sent or prev.kind not in ("count", "quantity", "money") or not prev.unit:
        return False
    before = text[max(prev.end, atom.start - 24):atom.start]
    if _FROM_BEFORE.search(before) or (_AND_BEFORE.search(before) and _PREP_AFTER.match(text, atom.end)
                                       and prev.kind == "count" and not atom.decimal):
        atom.kind, atom.unit = prev.kind, prev.unit
        if prev.kind == "money" and not atom.has_scale:
            atom.scale = prev.scale if prev.scale < 1 else 1.0
        return True
    return False


def _last_chance(atom: _Atom, text: str, text_lower: str, sent: tuple[int, int], prior: list[_Atom]) -> bool:
    """Bare numbers that still measure something, told by their sentence."""
    s = atom.num_start
    if atom.mixed:  # "shot up 11-5/8 to 29-3/8": a share price in the article's currency
        atom.kind, atom.unit = "money", next((p.unit for p in reversed(prior) if p.kind == "money" and p.unit), "USD")
        return True
    before = text[max(sent[0], s - 40):s]
    sentence = text[max(sent[0], s - _SENT_WINDOW):min(sent[1], s + _SENT_WINDOW)]
    if atom.bare_int and not atom.has_scale and 0 < atom.value <= 120 and not atom.spelled:
        if _AGE_BEFORE.search(before):
            atom.kind, atom.unit = "quantity", "year"
            return True
        if _AGE_QUAL.search(before) and _AGE_CONTEXT.search(sentence):
            atom.kind, atom.unit = "quantity", "year"
            return True
        if (_APPOSITIVE.search(before) and text[atom.end:atom.end + 2] in (", ", ",\n")
                and re.match(r", [a-z]", text[atom.end:atom.end + 3]) and 10 <= atom.value <= 110):
            pw = _PREV_WORD.search(before[:-2] + " ")
            if pw and pw.group("w").lower() not in MONTHS and not pw.group("w").isdigit():
                atom.kind, atom.unit = "quantity", "year"
                return True
    if not atom.has_scale and not atom.year_like and not _PARTITIVE.match(text, atom.end) and (
            _CASUALTY_AFTER.match(text, atom.end) or _CASUALTY_BEFORE.search(before)):
        # "14 people were killed and 60 injured", "killing three and wounding 12": people, unless the
        # sentence counted something else first ("two soldiers killed and five wounded")
        ref = next((p for p in reversed(prior) if p.sent == atom.sent and p.kind == "count" and p.unit), None)
        atom.kind, atom.unit = "count", ref.unit if ref is not None else "person"
        return True
    if atom.spelled and not atom.has_scale:
        return False
    if atom.year_like:
        return False
    anchor = next((p for p in reversed(prior) if p.sent == atom.sent and (
        p.kind == "money" or (p.kind == "quantity" and p.unit == "point"))), None)
    if anchor is not None and (atom.decimal or atom.has_scale or "," in text[s:atom.end]) and not atom.attached_m:
        atom.kind, atom.unit = anchor.kind, anchor.unit
        if anchor.kind == "money" and anchor.unit and not atom.has_scale and anchor.value < 1 and anchor.scale < 1:
            atom.scale = 0.01
        return True
    if "," in text[s:atom.end] and _MONEY_CUE_NEAR.search(before):
        cur = next((p.unit for p in reversed(prior) if p.kind == "money" and p.unit), "USD")
        atom.kind, atom.unit = "money", cur
        return True
    if (atom.decimal or "," in text[s:atom.end]) and not atom.has_scale and _INDEX_CONTEXT.search(sentence) \
            and re.search(r"\b(?:at|to|from)\ $", before):
        atom.kind, atom.unit = "quantity", "point"
        return True
    if atom.has_scale:
        if not atom.attached_m and _MONEY_CUE.search(before):
            cur = next((p.unit for p in reversed(prior) if p.kind == "money" and p.unit), "USD")
            atom.kind, atom.unit = "money", cur
            return True
        # "drew 10.9m viewers … peaked on Monday at 11.9m", "4.1 million viewers … fewer than 2.7 million": the
        # last figure of the same scale just before says what is counted. Money only for a decimal written
        # like money ("£5m … up from 4.2m"): "44 million" after a sum of pesos is a population. A whole "400m"
        # stays out: metres on the track, a "20m note".
        ref = next((p for p in reversed(prior) if p.has_scale and p.unit and p.scale == atom.scale
                    and atom.start - p.end < _ELLIPSIS_REACH), None)
        if ref is not None and (not atom.attached_m or atom.decimal and not _FIELD_EVENT.search(sentence)) \
                and (ref.kind == "count" or ref.kind == "money" and atom.attached_m):
            atom.kind, atom.unit = ref.kind, ref.unit
            return True
        if not atom.attached_m:
            atom.kind, atom.unit = "count", None
            return True
    return False


_ELLIPSIS_REACH = 600  # characters: about a paragraph
_CASUALTY = r"(?:injured|wounded|killed|dead|hurt|missing|arrested|detained)"
_CASUALTY_AFTER = re.compile(rf"\ (?:(?:were|are|have\ been|others|more)\ )?{_CASUALTY}\b(?![ -]weight)")
_PARTITIVE = re.compile(r"\ of\b")  # "killing two of her babies": what is counted comes later
_CASUALTY_BEFORE = re.compile(r"\b(?:killed|killing|injured|injuring|wounded|wounding|arrested|arresting|detained|"
                              r"detaining)\ (?:at\ least\ |about\ |around\ |some\ |nearly\ |another\ )?$")
# "He cleared 2.05m": metres in a sentence about athletics
_FIELD_EVENT = re.compile(r"\b(?:jump|jumped|vault|vaulted|cleared|throw|threw|hurdles|sprint|metres|meters|heats?|"
                          r"laps?|discus|javelin|hammer|shot put|pole)\b", re.I)


_QUAL_LAST = frozenset(q.split(" ")[-1] for q in QUALIFIERS) | {"of"}


def _qualifier(text: str, start: int, sent_start: int) -> str | None:
    """The qualifier written just before the figure ("more than", "up to", "some" -> about)."""
    if start - 1 <= sent_start or text[start - 1] != " ":
        return None
    lo = start - 40 if start - 40 > sent_start else sent_start
    sp = text.rfind(" ", lo, start - 1)
    if sp < 0:
        if lo != sent_start:
            return None  # one word of 40+ characters: no qualifier
        # The qualifier opens the sentence ("… rose. About 500 came"): the word starts at the sentence.
        sp = sent_start - 1
    last = text[sp + 1:start - 1].lower()
    if last not in _QUAL_LAST:
        return None
    words = text[max(sent_start, start - 40):start - 1].lower().split(" ")
    for n in (4, 3, 2, 1):
        if len(words) < n:
            continue
        q = " ".join(words[-n:])
        if q in QUALIFIERS:
            if q == "past" and len(words) > 1 and words[-2] in ("the", "last", "these", "those"):
                return None
            return QUALIFIERS[q]
        if n == 3 and words[-3] == "maximum" and words[-1] == "of":
            return "up to"
    return None


def _per(text: str, end: int, atom: _Atom) -> str | None:
    m = _PER.match(text, end)
    if m:
        if m.group("per"):
            p = m.group("per").lower()
            return "year" if p == "annum" else p
        adv = m.group("adv").lower()
        return {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week",
                "daily": "day"}.get(adv, adv.split("-")[-1])
    if atom.unit == "barrel" and text[atom.end - 3:atom.end].lower() == "bpd":
        return "day"
    return None


def _clean_np(np: str) -> str | None:
    words = []
    parts = np.split(" ")
    for i, w in enumerate(parts):
        lw = w.lower().strip(",.")
        if lw in _BASE_STOP or lw in MONTHS:
            break
        nxt = parts[i + 1].lower().strip(",.;:") if i + 1 < len(parts) else ""
        if words and (lw in _BASE_WHEN and (nxt in _BASE_PERIODS or nxt[:1].isdigit() or nxt in MONTHS)
                      or lw in ("and", "or") and (nxt[:1].isdigit() or nxt in FRACTIONS
                                                  or nxt.split("-")[0] in SMALL_NUMBERS)):
            break  # "GDP last year", "GDP in 2025", "its armour and two-thirds of …": the base ends
        if w.endswith((",", ".", ";", ":")):
            words.append(w.rstrip(",.;:"))
            break
        words.append(w)
    while words and words[0].lower() in _BASE_DROP_LEAD and len(words) > 1 and words[0].lower() != "the":
        words.pop(0)
    while words and words[-1].lower() in ("and", "or", "but"):
        words.pop()
    np = " ".join(words).strip(" ,.;:’'")
    return np or None


def _base(text: str, atom: _Atom, sent: tuple[int, int]) -> str | None:
    """What a percentage or fraction is of, when its own sentence says so."""
    after = text[atom.end:min(sent[1], atom.end + 200)]  # bounded: a huge sentence stays linear
    for pat in (_BASE_OF, _BASE_CHANGE_IN, _BASE_NP_CHANGE):
        m = pat.match(after)
        if m:
            np = _clean_np(m.group("np"))
            if np and not np[0].isdigit() and np.lower() not in ("the", "a"):
                return np
    before = text[max(sent[0], atom.start - 90):atom.start]
    words = before[-48:].split(" ")
    if len(words) < 3 or words[-1]:
        return None  # the patterns below all end in a word and a space
    if words[-2].lower() in _QUAL_LAST:
        q = _QUAL.search(before[-40:])
        if q:
            before = before[: len(before) - len(q.group(0)) + (1 if q.group(0)[0] != q.group("q")[0] else 0)]
            words = before[-48:].split(" ")
            if len(words) < 3 or words[-1]:
                return None
    # Cheap necessary condition for _BASE_BEFORE: its verb ends the text, maybe followed by one of
    # its optional words, or one of its auxiliaries stands one word earlier ("was up ").
    w = words[:-1]
    if not (w[-1] in _BASE_TAIL_LAST or w[-2] in _BASE_TAIL_AUX or (
            w[-1] in _BASE_TAIL_OPT and len(w) > 2 and (w[-2] in _BASE_TAIL_LAST or w[-3] in _BASE_TAIL_AUX))):
        return None
    m = _BASE_BEFORE.search(before)
    if m:
        return _subject_np(m.group("np").split())
    return None


_BASE_TAIL_LAST = frozenset(
    "of by rose fell grew increased decreased dropped jumped climbed slipped declined were was is are at to "
    "for up".split())
_BASE_TAIL_AUX = frozenset("rose fell grew were was is by".split())
_BASE_TAIL_OPT = frozenset("between about around over almost nearly some only just".split())


_CHANGE_NOUNS = frozenset("growth rate rise fall decline increase drop gain yield jump cut and or rates".split())


def _subject_np(words: list[str]) -> str | None:
    """The first run of content words: "Spam traffic is up" -> "Spam traffic"."""
    chunk: list[str] = []
    current: list[str] = []
    for w in words:
        lw = w.lower()
        if lw in _BASE_STOP or lw in _BASE_VERBS or lw in MONTHS:
            if current:
                chunk, current = current, []
            continue
        current.append(w)
    chunk = current or chunk
    while chunk and chunk[0].lower() in ("falling", "rising", "annual", "total", "overall", "that", "which"):
        chunk.pop(0)
    while chunk and chunk[-1].lower() in _CHANGE_NOUNS:
        chunk.pop()
    np = " ".join(chunk).strip(" ,.;:")
    if not np or np.lower() in ("it", "they", "this", "that", "which", "he", "she", "we"):
        return None
    return np


_BASE_VERBS = frozenset(
    "is are was were be been has have had up down unchanged higher lower more less risen fallen grown "
    "rose fell grew increased decreased dropped jumped climbed declined slipped gained lost expected "
    "forecast predicted it they we he she this grow rise fall increase priced traded trading valued "
    "stood standing closed ended fixed set put estimated compares compared a an in of".split()
)


# ---------------------------------------------------------------------------
# Subject of the figure's clause
# ---------------------------------------------------------------------------
# One anchored pattern read from the start of the figure's clause: optional
# openers ("But", "Last year,", "According to the ONS,"), then the shortest
# run of 1-10 tokens that a finite verb follows (after an optional appositive
# ", the UK's biggest retailer," and an optional adverb).  All the work is
# done by the regex engine; Python only checks the phrase it returns.

_TOKEN = r"""[^\s,;:"“”()]+(?:,\d{3}[^\s,;:"“”()]*)*"""




# A determiner or possessive right before a word makes it a noun ("the proposed", "the cut").
_NOT_VERB_BEFORE = (
    r"(?<!\b[Aa]\ )(?<!(?:\b[Aa]n|'s|’s)\ )(?<!\b(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Oo]ur)\ )"
    r"(?<!\b(?:[Tt]his|[Tt]hat)\ )(?<!\b(?:[Tt]heir|[Tt]hese|[Tt]hose)\ )"
)
_SUBJ = re.compile(
    rf"""
    (?:["“‘'(]\ ?)?
    (?:(?:But|And|So|Yet|Still|Also|Now|However|Meanwhile|Overall|Instead|Indeed|Separately|Elsewhere|
          Nonetheless|Nevertheless|Similarly|Likewise|Again|Altogether|Together|Then|Thus|Even\ so|
          In\ addition|In\ total|In\ all)\b,?\ )?
    (?:(?:(?:Last|This|Next|Earlier\ this|Later\ this)\ (?:year|month|week|quarter|season|spring|summer|autumn|
          winter|time)|Yesterday|Today|On\ [A-Z][a-z]+day)\b,?\ )?
    (?:(?:In|On|At|For|After|Before|During|Since|Under|Over|By|From|With|Following|Despite|According\ to|Across|
          Among|Between|Within|Without|Like|Unlike|As\ well\ as|Of|Compared\ (?:with|to)|Thanks\ to|Because\ of|
          Due\ to|Along\ with|Apart\ from|Aside\ from|Until|When|While|If|Although|Though|As|Once|Whereas|Last|
          This|Earlier|Later|Separately|Elsewhere|Meanwhile|However|Overall)\b[^,;:.!?]{{0,100}},\ )?
    (?P<np>{_TOKEN}(?:\ {_TOKEN}){{0,7}}?)
    (?P<app>,\ [^,;:]{{1,80}},)?
    \ (?=[a-z])
    (?:(?:{word_trie(["also", "now", "still", "only", "already", "just", "even", "then", "again", "alone",
                   "last year", "this year"])}|(?>[a-z]+)(?<=[a-z]{{2}}ly))\ (?=[a-z]))?
    {_NOT_VERB_BEFORE}
    (?P<v>(?:{word_trie(SUBJECT_VERBS)})(?![\w'’-])
         |(?>[a-z]+)(?<=[a-z]{{2}}ed)(?<!hundred)(?<!speed)(?<![^a-z][nsfw]eed)(?<![^a-z]breed)(?<![^a-z]greed)
         (?<![^a-z][bfrw]ed)(?<![^a-z]shed)(?<![^a-z]aged)(?<!alleged)(?<!naked)(?<!wicked)(?<!sacred)(?<!beloved)
         (?<!embed)(?<!shred)(?<!sled)(?<!bred)(?<!creed)(?![\w'’-]))
    """,
    re.X,
)
_CLAUSE_BREAK = re.compile(
    r"(?:[;:]|,\ (?:" + word_trie("and but while whereas although though as after because so when since who which".split())
    + r")|\ (?:[–—-]|" + word_trie("while whereas although though because but after as when since that who which".split())
    + r"))\ "
)
_HARD_BREAK = ("who", "which")
_SUBJ_WINDOW = 300


def _subject(text: str, sent: tuple[int, int], fig_start: int, fig_end: int, cache: dict) -> str | None:
    """The subject noun phrase of the clause that holds the figure, or None.

    "US consumer confidence rose 4.3%" -> "US consumer confidence"; "The
    company's profits fell by 5%" -> "The company's profits"; "Tesco said
    profits rose 5%" -> "profits"; "Tesco said it made £5m" -> "Tesco".
    Clauses are tried from the nearest break before the figure ("; ",
    ", while ", " after " ...) back to the sentence start; pronouns,
    prepositional phrases and relative clauses give None.  Only a window of
    _SUBJ_WINDOW characters before the figure is read, so that the cost per
    figure is bounded however long the sentence; `cache` keeps the parses of
    one article (figures of a sentence share them).
    """
    lo = max(sent[0], fig_start - _SUBJ_WINDOW)
    scan = lo
    if lo == sent[0]:
        p0 = _subj_parse(text, lo, sent[1], cache)
        if p0 is not None and p0[3] <= fig_start:
            scan = p0[3]  # breaks before the main verb belong to openers and appositives
    starts = [m for m in _CLAUSE_BREAK.finditer(text, scan, fig_start)] if scan < fig_start - 4 else []
    for m in reversed(starts[-4:]):
        np = _subject_at(text, m.end(), sent[1], fig_start, fig_end, 0, cache)
        if np is not None:
            return np or None
        if m.group().strip(" ,") in _HARD_BREAK:
            return None  # "..., who paid $5m": do not reach back past a relative pronoun
    if lo == sent[0]:
        return _subject_at(text, lo, sent[1], fig_start, fig_end, 0, cache) or None
    return None


def _subj_parse(text: str, pos: int, sent_end: int, cache: dict) -> tuple | None:
    """The parse of a clause from `pos`, once per article: spans, the phrase and whether it is usable."""
    key = (pos, sent_end)
    if key in cache:
        return cache[key]
    while pos < sent_end and text[pos] in " \n":
        pos += 1
    m = _SUBJ.match(text, pos, min(sent_end, pos + 2 * _SUBJ_WINDOW))
    parse = None
    if m is not None:
        np = m.group("np").strip("'’\"“”‘(")
        words = np.lower().split(" ")
        first = words[0].replace("’", "'").split("'")[0]
        ok = bool(np) and first not in SUBJECT_REJECT_FIRST and first not in SUBJECT_VERBS \
            and SUBJECT_REJECT_ANY.isdisjoint(words) and not (len(words) == 1 and first.endswith("ly")) \
            and words[-1] not in _BASE_DROP_LEAD and not (first.endswith("ing") and np[0].islower())
        v = m.group("v")
        parse = (m.start("np"), m.end("np"), m.start("v"), m.end("v"), m.start("app"), m.end("app"), np, ok,
                 v in REPORTING_VERBS)
    cache[key] = parse
    return parse


def _subject_at(text: str, pos: int, sent_end: int, fig_start: int, fig_end: int, depth: int,
                cache: dict) -> str | None:
    """The subject read from `pos`: a phrase, "" for "there is one and it is not usable", None for no parse."""
    parse = _subj_parse(text, pos, sent_end, cache)
    if parse is None:
        return None
    np_start, np_end, v_start, v_end, app_start, app_end, np, ok, reporting = parse
    if np_end <= fig_start and v_start >= fig_end and not app_start <= fig_start < app_end:
        return None  # the figure sits after the phrase but before its verb: not this clause's subject
    if reporting and v_end <= fig_start and depth < 2:
        # "X said (that) Y rose 5%": the figure belongs to Y's clause.
        inner_pos = v_end
        that = text.rfind(" that ", v_end, fig_start)
        if that >= 0:
            inner_pos = that + 6
        inner = _subject_at(text, inner_pos, sent_end, fig_start, fig_end, depth + 1, cache)
        if inner is not None:
            if inner == "" and ok and _pronoun_after(text, inner_pos, sent_end):
                return np  # "Tesco said it made £5m": "it" is Tesco
            return inner
        return ""
    return np if ok else ""


def _pronoun_after(text: str, pos: int, hi: int) -> bool:
    end = text.find(" ", pos + 1, min(hi, pos + 40))
    return text[pos:end].strip().lower() in SUBJECT_PRONOUNS if end > 0 else False


def extract_figures(text: str, sentences: list[dict], paragraphs: list[dict] | None = None) -> list[dict]:
    """Every figure in `text`, in text order, as dicts (see the module docstring)."""
    if not text:
        return []
    text_lower = text.lower()
    starts = [s["char_start"] for s in sentences] if sentences else [0]
    bounds = ([(s["char_start"], s["char_end"]) for s in sentences] if sentences else [(0, len(text))])
    sent_ids = [s.get("sentence_index", i) for i, s in enumerate(sentences)] if sentences else [0]
    atoms: list[_Atom] = []
    for lo, hi in _scan_ranges(text, paragraphs):
        for start in _trigger_starts(text, text_lower, lo, hi):
            if atoms and start < atoms[-1].end:
                continue
            if _skip_fast(text, start):
                continue
            m = _ATOM.match(text, start, hi)
            if m is None or m.end() == start:
                continue
            atom = _read_atom(m, text)
            if atom is None:
                continue
            k = bisect.bisect_right(starts, atom.start) - 1  # _sentence_of
            atom.sent = k if k > 0 else 0
            _classify(atom, text, text_lower)
            if _is_excluded(atom, text, bounds[atom.sent][0]):
                continue
            atoms.append(atom)
    atoms = _merge_ranges(atoms, text)
    out: list[dict] = []
    kept: list[_Atom] = []
    cache: dict = {}
    for i, atom in enumerate(atoms):
        sent = bounds[atom.sent]
        if atom.kind is None and not _borrow_unit(atom, atoms, i, kept, text) \
                and not _last_chance(atom, text, text_lower, sent, kept):
            continue
        if atom.spelled and atom.value == 1 and not atom.has_scale and atom.kind not in ("percent", "money", "fraction") \
                and atom.value_high is None:
            continue  # "one of", "one day": too often not a measure
        if atom.kind == "count" and atom.unit is not None and atom.value == 1 and not atom.has_scale:
            continue
        if atom.unit == "point" and atom.kind == "quantity" and _rate_points(text, sent, atom.start):
            atom.kind, atom.unit = "percent", "percent"
        kept.append(atom)
        out.append(_row(atom, text, sent, sent_ids[atom.sent], cache))
    return out


def _rate_points(text: str, sent: tuple[int, int], pos: int) -> bool:
    """"Rates rose 0.5 points" are percentage points; "the Dow fell 0.89 points" are index points."""
    sentence = text[max(sent[0], pos - _SENT_WINDOW):min(sent[1], pos + _SENT_WINDOW)]
    return bool(_RATE_CONTEXT.search(sentence)) and not _INDEX_NAMES.search(sentence)


def _exact(value: float) -> float:
    """The value as written, without binary noise: 65.9 * 1e9 is 65900000000.00001 in floating point.

    Every value is a decimal numeral of at most 15 significant digits times a
    power of ten (or a spelled number), and the few multiplications that
    scale it err by a few units in the 17th digit; rounding to 15 significant
    digits gives back the decimal exactly and float() the nearest double to
    it, the same double that float("65900000000") gives.  Six decimals at
    most, as before (values below a millionth are noise).
    """
    return float(f"{round(value, 6):.15g}")


def _row(atom: _Atom, text: str, sent: tuple[int, int], sentence_index: int, cache: dict) -> dict:
    value = atom.value * atom.scale
    if atom.kind == "fraction":
        value = round(value, 4)
    base = _base(text, atom, sent) if atom.kind in ("percent", "fraction") else None
    return {
        "char_start": atom.start,
        "char_end": atom.end,
        "span": text[atom.start:atom.end],
        "kind": atom.kind,
        "value": _exact(value),
        "value_high": _exact(atom.value_high) if atom.value_high is not None else None,
        "unit": atom.unit,
        "qualifier": _qualifier(text, atom.start, sent[0]),
        "base": base,
        "per": _per(text, atom.end, atom),
        "spelled": atom.spelled,
        "sentence_index": sentence_index,
        "subject": _subject(text, sent, atom.start, atom.end, cache),
    }
