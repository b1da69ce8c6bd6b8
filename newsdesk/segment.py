"""Segmentation: paragraphs with roles, sentences with offsets.

Input is the cleaned article text (``newsdesk.clean.clean_text``): one
paragraph per line. Roles follow the gold GUIDELINES (section Segments):
``title``, ``dek``, ``heading``, ``body``, ``caption``, ``boilerplate``.

Everything here is a cheap, explainable cue, tuned for precision: body text
marked as anything else is the costly mistake (a lost quote or figure), so a
paragraph stays ``body`` unless a cue is clear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from newsdesk.sentences import first_sentence, split_sentences, strip_span

if TYPE_CHECKING:
    from newsdesk import ingest

__all__ = [
    "ROLES", "split_paragraphs", "assign_roles", "furniture_lines", "segment", "article_meta",
    "split_sentences", "MAX_LINE_CHARS", "overlong_line", "screen",
]

ROLES = ("title", "dek", "heading", "body", "caption", "boilerplate")

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_][\w’'.-]*")
_TOKEN = re.compile(r"\w+")
_QUOTES = "\"“”‘’'«»„"
_TERMINAL = ".!?…"


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Every non-empty line is a paragraph: (char_start, char_end) into text, stripped."""
    out = []
    for m in _LINE.finditer(text):
        s, e = strip_span(text, m.start(), m.end())
        if e > s:
            out.append((s, e))
    return out


# ------------------------------------------------------------- long lines --

# A line is a paragraph. The longest paragraphs of real news run to a few
# thousand characters and whole long-form articles to about 100,000, so a line
# of more than a million characters is not prose but a dump, a log or a file
# whose line breaks were lost. Such a document is rejected as `line_too_long`
# (its detail says which line, how long, and the limit) before cleaning: it
# would be one paragraph of hundreds of thousands of sentences, quotes and
# figures that swamp the speakers, stories and figure tables, and the span
# checks of publishing grow with rows times text length. Nothing is cut off
# silently: the input is either an article in full or this reject.
MAX_LINE_CHARS = 1_000_000

# Every character that cleaning turns into a line break ("\x85" becomes "…", not a break).
_BREAKS = "\n\r\u2028\u2029"


def overlong_line(text: str, limit: int = MAX_LINE_CHARS) -> tuple[int, int] | None:
    """(line number from 1, its length) of the first line longer than `limit` characters, or None.

    Linear however the text is shaped, and with no Python loop per line:
    each step jumps to the last break within `limit` characters, so the text
    is read in windows of `limit` (each window is read once or twice).
    """
    n = len(text)
    if n <= limit:
        return None
    breaks = [c for c in _BREAKS if c in text]
    pos = 0
    while n - pos > limit:
        end = pos + limit + 1
        last = max((text.rfind(c, pos, end) for c in breaks), default=-1)
        if last < 0:  # no break in limit + 1 characters: the line at pos is too long
            stop = min((i for i in (text.find(c, end) for c in breaks) if i >= 0), default=n)
            # "\r\n" is one break, so count lines as cleaning will see them
            line_no = 1 + sum(text.count(c, 0, pos) for c in breaks) - text.count("\r\n", 0, pos)
            return line_no, stop - pos
        pos = last + 1
    return None


def screen(doc: ingest.Decoded | ingest.Reject) -> ingest.Decoded | ingest.Reject:
    """The document itself, or a `line_too_long` reject when a line of it is over MAX_LINE_CHARS."""
    from newsdesk import ingest  # here: segment is used without the readers (benchmarks, evaluation)

    if isinstance(doc, ingest.Reject):
        return doc
    hit = overlong_line(doc.text)
    if hit is None:
        return doc
    line_no, length = hit
    return ingest.Reject(
        doc.source_file, "line_too_long",
        f"line {line_no} has {length:,} characters, more than the {MAX_LINE_CHARS:,} a paragraph may have "
        "(a line is a paragraph: break the text into lines)",
    )


# ---------------------------------------------------------------- furniture --

# Site furniture that shows in a single file. Anchored at the start of the
# line, so a body sentence that merely mentions a newsletter is not caught.
# Strong cues hold for any line of up to 40 words ("See also  <headline>").
_FURNITURE_STRONG = re.compile(
    r"^(?:see also\b|also see\b|(?:read|see) (?:more|also|next)\s*:|also read\b|related\s*(?:articles?|stories|posts?|content|coverage|news|reading)?\s*:"
    r"|discover more from\b|leave a (?:reply|comment)\b|your email address will not be published"
    r"|required fields are marked|save my name,? email\b|notify me of (?:new|follow-up)\b|this site uses akismet"
    r"|the post .+ appeared first on\b|skip to (?:main )?content\b|(?:click|tap) here\b"
    r"|subscribe (?:to|for|now|today)\b|sign up (?:for|to|now|here)\b|(?:subscribe|sign up)\s*$"
    r"|copyright\s*(?:©|\(c\)|\d{4})|©|\(c\) \d{4}|(?=.{0,160}\ball rights reserved\b)"
    r"|you (?:may|might) (?:also )?(?:like|be interested)|(?:share|follow|like) (?:this|us)\b"
    r"|share (?:on|via)\s+(?:facebook|twitter|x|linkedin|whatsapp|telegram|email|reddit)\b"
    r"|(?:get|receive) (?:the latest|our)\b.*\b(?:newsletter|inbox|email|updates)\b)",
    re.IGNORECASE,
)
# Weak cues only for short lines (up to 12 words): "Read more", "Advertisement",
# "Share", a row of social network names, "Tags: ...".
_FURNITURE_SHORT = re.compile(
    r"^(?:read (?:more|also|next|the full story)\b|more (?:from|on this|stories)\b|recommended\b|most (?:read|popular)\b"
    r"|newsletter\b|comments?\s*(?:\(\d+\))?\s*$|\d+ comments?\s*$|post (?:a )?comment\b|add a comment\b"
    r"|continue reading\b|story continues below\b|scroll to continue\b|advertisement\s*$|advert\s*$"
    r"|sponsored(?: content)?\s*$|tags?\s*:|filed under\b|posted in\b|categories\s*:|loading\.*\s*$"
    r"|print\s*$|like this\s*:|share\s*(?:this|:|$)|follow (?:@|on\b)"
    r"|(?:reuters?|afp|ap|upi|dpa)\W*$"  # a wire's sign-off on a line of its own ('REUTER')
    r"|(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|print|copy link)"
    r"(?:\s*[|,·•/]?\s*(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|print|copy link))*\s*$)",
    re.IGNORECASE,
)
_WIRE_NAMES = r"AFP|Reuters|AP|Associated Press|Xinhua|TASS|RIA Novosti|Interfax|dpa|DPA|UPI|Sputnik|Bloomberg|ANI|PTI|IANS|EFE|ANSA|Anadolu"
_NOT_NAME = (
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June"
    r"|July|August|September|October|November|December|The|This|That|Then|Now|Late|Early|Last|Next)\b)"
)
# A byline line: "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By AFP".
# Two to four capitalised name words, nothing after but an outlet or role.
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|author\s*:|reporting by)\s+"
    rf"((?:{_WIRE_NAMES})\b|{_NOT_NAME}[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|der|al|bin)){{1,3}}"
    r"(?:\s+(?:and|&)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})?)"
    r"(?:\s*(?:,|\||–|—|-|\bfor\b|\bin\b)\s*[^.!?]{0,60})?$",
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)
_DATELINE_ONLY = re.compile(
    rf"^(?:(?:published|updated|posted|last updated|first published)(?: on)?\s*:?\s*)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?{_DATE}"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
    r"(?:\s*[|,–—-]\s*(?:updated|published).*)?\s*$",
    re.IGNORECASE,
)
_STAMP = re.compile(r"^(?:published|updated|posted|last updated)\b.{0,60}\d", re.IGNORECASE)


def _key(line: str) -> str:
    """Comparison key for a line: lower-case words only."""
    return " ".join(_TOKEN.findall(line.lower()))


@lru_cache(maxsize=256)
def _furniture_keys(furniture: frozenset[str]) -> frozenset[str]:
    return frozenset(_key(f) for f in furniture)


_NOT_TOKEN = re.compile(r"\W+")
_ASCII_SPACE = bytes(c for c in range(128) if chr(c).isspace())
_ASCII_NOT_TOKEN = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))


def _squeezed_key(line: str, max_words: int) -> bytes | None:
    """_key(line) without its spaces (UTF-8), or None when the line has more
    than max_words words. Lines with equal keys have equal squeezed keys; for an
    ASCII line it is found with byte operations, without a regex."""
    if line.isascii():
        b = line.encode("ascii")
        spaces = len(b) - len(b.translate(None, _ASCII_SPACE))
        if spaces >= max_words:  # else at most max_words words: one more than white space characters
            if b.count(b" ") == spaces and b"  " not in b and b[:1] != b" " and b[-1:] != b" ":
                words = spaces + 1  # words parted by single spaces
            else:
                words = len(line.split())
            if words > max_words:
                return None
        return b.lower().translate(None, _ASCII_NOT_TOKEN)
    if len(line.split()) > max_words:
        return None
    return _NOT_TOKEN.sub("", line.lower()).encode("utf-8", errors="surrogatepass")


def furniture_lines(
    texts: Iterable[str], min_files: int = 3, min_share: float = 0.05, max_words: int = 40
) -> frozenset[str]:
    """Lines that recur across many files of one folder/source: site furniture.

    A line counts once per file. It is furniture when it occurs in at least
    ``max(min_files, min_share * n_files)`` files whose longest lines differ
    (so duplicated or syndicated copies of one article, which share their
    body lines, do not make their body furniture).
    Long lines (over ``max_words``) are prose, never furniture.
    """
    # Lines are first grouped by their key without spaces (cheap to find);
    # only a group seen often enough can hold furniture, and only its lines
    # get their real key. Most lines occur once and never need it.
    groups: dict[bytes, list[tuple[str, str]]] = {}
    n = 0
    for text in texts:
        n += 1
        lines = [ln for ln in (raw.strip() for raw in text.split("\n")) if ln]
        if not lines:
            continue
        longest = max(lines, key=len)  # its key is the article's fingerprint: found when needed
        for ln in lines:
            sq = _squeezed_key(ln, max_words)
            if not sq:  # over max_words, or no word at all
                continue
            got = groups.get(sq)
            if got is None:
                groups[sq] = [(ln, longest)]
            else:
                got.append((ln, longest))
    need = max(min_files, int(min_share * n + 0.999))
    out = []
    head_keys: dict[str, str] = {}
    for occurrences in groups.values():
        if len(occurrences) < need:
            continue
        seen: dict[str, set[str]] = {}
        example: dict[str, str] = {}
        for ln, longest in occurrences:
            head = head_keys.get(longest)
            if head is None:
                head = head_keys[longest] = _key(longest)
            k = _key(ln)
            seen.setdefault(k, set()).add(head)
            example.setdefault(k, ln)
        out += [example[k] for k, heads in seen.items() if len(heads) >= need]
    return frozenset(out)


# _FURNITURE_STRONG without its one unanchored branch (the look-ahead for
# "all rights reserved"): on an ASCII line without those words it gives the
# same answer, without scanning ahead at every line.
_FURNITURE_STRONG_ANCHORED = re.compile(
    _FURNITURE_STRONG.pattern.replace(r"|(?=.{0,160}\ball rights reserved\b)", ""), re.IGNORECASE
)
assert _FURNITURE_STRONG_ANCHORED.pattern != _FURNITURE_STRONG.pattern


def _strong_furniture(line: str) -> bool:
    if line.isascii() and "all rights reserved" not in line.lower():
        return _FURNITURE_STRONG_ANCHORED.match(line) is not None
    return _FURNITURE_STRONG.match(line) is not None


def _is_furniture(line: str, keys: frozenset[str], n_words: int | None = None) -> bool:
    """n_words: len(line.split()) when the caller has it."""
    if len(line) > 400:
        return False
    if keys and _key(line) in keys:
        return True
    if n_words is None:
        n_words = len(line.split())
    # the word limits first: they are cheaper than the patterns
    if n_words <= 40 and _strong_furniture(line):
        return True
    if n_words <= 12 and (_FURNITURE_SHORT.match(line) or _BYLINE.match(line)):
        return True
    return _DATELINE_ONLY.match(line) is not None or (n_words <= 10 and _STAMP.match(line) is not None)


# ------------------------------------------------------------- line shapes --

_MINOR = frozenset(
    """a an the and or but nor for of on in at to by up as with from into onto vs via per amid over
    after about than off out is are be its their his her s""".split()
)
# Verbs of reporting: a line that reports speech is prose, never a caption.
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|added|adds|announced|announces|according to"
    r"|reported|reports|claimed|claims|argued|argues|warned|warns|asked|insisted|noted)\b",
    re.IGNORECASE,
)
_AUX = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|shall|did|does|do"
    r"|been|being)\b",
    re.IGNORECASE,
)
# Explicit picture wording.
_PHOTO = re.compile(
    r"(?:\b(?:the|this) (?:image|photo|photograph|picture) (?:captures|shows|depicts|illustrates)\b"
    r"|^(?:photo|image|picture|pictured|file photo|caption)\s*[:|]|\((?:photo|image|picture)\b"
    r"|\b(?:photo|image|picture) (?:by|credit|courtesy)\b|\bgetty images\b|\bvia getty\b"
    r"|\b(?:reuters|ap|afp)/[A-Z]|\bap photo\b|\bfile photo\b|\bpictured\b(?!\))|\bis seen\b|\bare seen\b"
    r"|\bin this (?:handout |undated |file )?(?:photo|picture|image|photograph)\b)",
    re.IGNORECASE,
)
# A picture credit closing the line: "... in Brussels on Thursday. Photo: NATO",
# "... | Image credit: Jane Doe". Short (a name or an agency), after a
# sentence end or a bar, and nothing after it.
_CREDIT_TAIL = re.compile(
    r"(?:[.!?]|\|)\s*(?:photo(?:graph)?s?|images?|pictures?|pic|credit|source)(?:\s+credit)?\s*:\s*"
    r"[^\s.!?:;][^.!?:;]{0,58}\.?$",
    re.IGNORECASE,
)
# Case-insensitive patterns try every position slowly. On an ASCII line the
# same lower-case words can be found in line.lower() by a case-sensitive
# pattern, with the same result (ASCII letters fold only to ASCII letters) and
# 3-20 times faster; other lines keep the flagged pattern.
# (The look-ahead names the first letters of the verbs: it lets the regex
# engine skip to the places where a verb can start, without changing a match.)
_REPORTING_LOWER = re.compile(r"\b(?=[satrcwin])" + _REPORTING.pattern[len(r"\b"):])
assert _REPORTING.pattern.startswith(r"\b(?:") and {
    verb[0] for verb in _REPORTING.pattern[len(r"\b(?:"):-len(r")\b")].split("|")
} <= set("satrcwin")
# Every branch of _PHOTO holds one of these words, so a line without any of
# them cannot match it (checked with the same case folding, so nothing is missed).
_PHOTO_CUE = re.compile(r"photo|image|picture|caption|getty|seen|/", re.IGNORECASE)


def _reports(line: str) -> bool:
    if line.isascii():
        return _REPORTING_LOWER.search(line.lower()) is not None
    return _REPORTING.search(line) is not None


# _PHOTO for a lower-cased ASCII line (its one upper-case class made lower-case).
_PHOTO_LOWER = re.compile(_PHOTO.pattern.replace("/[A-Z]", "/[a-z]"))
assert _PHOTO_LOWER.pattern.count("/[a-z]") == 1 and "A-Z" not in _PHOTO_LOWER.pattern


# The words of _PHOTO_CUE, looked for in a lower-cased ASCII line as substrings (faster than the pattern).
assert _PHOTO_CUE.pattern.split("|") == ["photo", "image", "picture", "caption", "getty", "seen", "/"]


def _photo_wording(line: str) -> bool:
    if line.isascii():
        low = line.lower()
        cue = (
            "photo" in low or "image" in low or "picture" in low or "caption" in low
            or "getty" in low or "seen" in low or "/" in low
        )
        return cue and _PHOTO_LOWER.search(low) is not None
    return _PHOTO_CUE.search(line) is not None and _PHOTO.search(line) is not None


# Present-tense scene verbs of photo captions ("Ukrainians ride a tank in ...",
# "X speaks during a press conference"), right after a short subject.
_SCENE_VERB = (
    r"(?:rides?|march(?:es)?|leads?|speaks?|attends?|gestures?|walks?|stands?|sits?|holds?|poses?"
    r"|looks?(?: on)?|waves?|arrives?|delivers?|listens?|shakes?|greets?|fires?|launch(?:es)?"
    r"|patrols?|inspects?|salutes?|takes? part|celebrates?|gather|gathers|protests?|prepares?"
    r"|participates?|visits?|smiles?|drives?|carr(?:y|ies)|rests?"
    r"|stand|sit|pose|wave|walk|look|hold|fly|flies|sail|sails|board|boards)"
)
# Subject: a few capitalised words (a name, a nationality), at most one
# lower-case noun after them ("Russian soldiers"), then the scene verb.
_SUBORDINATORS = r"(?!(?:As|When|While|If|Since|After|Before|Although|Though|Because|But|And|In|On|At|For|With)\b)"
_CAPTION_SCENE = re.compile(
    r"^" + _SUBORDINATORS + r"(?:[A-Z][\w’'.-]*\s+){1,4}(?:[a-z][\w-]*\s+)?" + _SCENE_VERB + r"\b"
)
# The tail that a scene caption carries: a participle clause (", showcasing
# ..."), an appositive (", a strategic move"), or "as they ...".
_CAPTION_TAIL = re.compile(
    r",\s+(?:(?!including|according|leaving|making|bringing|taking)[a-z]+ing|an?|as (?:they|he|she|it))\s"
    r"|,\s+(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\.?\s*$"  # wire style: "..., July 14, 2025."
)
# "Keith Kellogg during a Senate hearing ...": a name, then straight into a
# prepositional phrase with no verb in between.
_CAPTION_NAME_PREP = re.compile(
    r"^(?:[A-Z][\w’'.-]*\s+){1,6}(?:during|at|attending|speaking at|inside|outside)\s+(?:a|an|the)\b"
)
# "The aftermath of a missile strike in Kharkiv, revealing ...": a noun phrase
# and a participle clause, no finite verb.
_CAPTION_NP_PARTICIPLE = re.compile(
    r"^(?:The|A|An)\s+[\w-]+(?:\s+[\w-]+)?\s+of\s+[^,]{3,100},\s+(?:[^,]+,\s+)?(?!including|according)[a-z]+ing\b"
)


_PAST = re.compile(r"\b\w+ed\b")


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_title_case(line: str) -> bool:
    """Headline capitalisation: (nearly) every content word starts upper-case."""
    content = [w for w in _words(line) if w.lower() not in _MINOR]
    if len(content) < 2:
        return False
    caps = sum(1 for w in content if w[0].isupper())
    return caps >= 0.85 * len(content)


_ASCII_LETTERS = bytes(c for c in range(128) if chr(c).isalpha())
_ASCII_UPPER = bytes(c for c in range(128) if chr(c).isupper())


def _letter_counts(line: str) -> tuple[int, int]:
    """(letters, upper-case letters) in line, as str.isalpha and str.isupper count them."""
    if line.isascii():  # count by deleting bytes, no loop in Python
        b = line.encode("ascii")
        return len(b) - len(b.translate(None, _ASCII_LETTERS)), len(b) - len(b.translate(None, _ASCII_UPPER))
    letters = [c for c in line if c.isalpha()]
    return len(letters), sum(c.isupper() for c in letters)


def _is_all_caps(line: str) -> bool:
    n_letters, n_upper = _letter_counts(line)
    return n_letters >= 4 and n_upper == n_letters and len(line.split()) >= 2


def _is_shouting(line: str) -> bool:
    """Nearly all letters upper-case ("EAGLE CLOTHES INC <EGL> 2nD QTR JAN 31"):
    a wire-copy slug rather than a web headline."""
    n_letters, n_upper = _letter_counts(line)
    return n_letters >= 4 and n_upper >= 0.9 * n_letters


def _ends_terminal(line: str) -> bool:
    return line.rstrip(_QUOTES + ")]*").endswith(tuple(_TERMINAL)) or line.endswith(tuple(_TERMINAL))


def _n_sentences(line: str) -> int:
    return len(split_sentences(line))


def _starts_like_sentence(line: str) -> bool:
    c = line.lstrip(_QUOTES + "([").strip()[:1]
    return bool(c) and (c.isupper() or c.isdigit() or c in "$£€")


def _has_quote_marks(line: str) -> bool:
    return '"' in line or (not line.isascii() and any(q in line for q in "“”«»„"))


def _is_caption(line: str, n_words: int | None = None) -> bool:
    """A picture description: short, no reported speech, picture wording or scene shape.

    n_words: len(line.split()) when the caller has it."""
    if len(line) > 480:  # cheap exit for the long body paragraphs
        return False
    if n_words is None:
        n_words = len(line.split())
    if not 3 <= n_words <= 60 or _has_quote_marks(line) or _reports(line):
        return False
    if _photo_wording(line) or (":" in line and _CREDIT_TAIL.search(line)):  # a credit has a colon
        return True
    if not _ends_terminal(line):
        return False
    spans = split_sentences(line)
    if len(spans) > 3:
        return False
    if _CAPTION_NAME_PREP.match(line) and not _AUX.search(line):
        return True
    first = line[: spans[0][1]]
    # "The aftermath of X, revealing ...": no auxiliary, no past tense before the comma.
    if _CAPTION_NP_PARTICIPLE.match(first) and not _AUX.search(first) and not _PAST.search(first.split(",")[0]):
        return True
    # A present-tense scene with its caption tail, and nothing of a news
    # sentence: no auxiliary, no news peg ("meet on Thursday").
    if _CAPTION_SCENE.match(first) and _CAPTION_TAIL.search(first):
        return not _AUX.search(first) and not _TIME_PEG.search(first)
    return False


def _is_title_like(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 30 or line[:1] in "-•*–—" or (words[0].isalpha() and words[0].islower()):
        return False
    if line.rstrip(_QUOTES).endswith("."):
        # A headline rarely ends with a period; a long line that does is a lede.
        return len(words) <= 15 and _n_sentences(line) == 1
    return True


def _is_heading(
    paras: list[str], i: int, roles: list[str], sentence_case: bool = False, wire: bool = False
) -> bool:
    """A short standalone line inside the body: Title Case, ALL CAPS or quoted;
    with ``sentence_case`` also a short sentence-case crosshead ("Who pays").

    Context keeps list items and broken lines out: the line before must end a
    sentence (or be non-body) and the line after must be a real body paragraph
    (ending a sentence, or with a colon that introduces a quote).
    A sentence-case crosshead also needs body text above it (a line right
    under the title is a dek or a second headline, not a crosshead).
    ``wire``: the title is an ALL CAPS slug, so ALL CAPS lines do not stand
    out and the copy has no crossheads of other shapes either.
    """
    line = paras[i]
    if len(line) > 160:
        return False
    bare = line.strip(_QUOTES + " ")
    words = bare.split()
    if not 1 <= len(words) <= 14 or bare.endswith((".", ",", ";", "!")) or bare.startswith(("-", "•", "*")):
        return False
    if wire and _is_shouting(bare):
        return False
    shaped = _is_title_case(bare) or _is_all_caps(bare) or (line[:1] in "“\"«" and line[-1:] in "”\"»" and len(words) >= 2)
    if not shaped:
        if wire or not sentence_case or not _is_sentence_case_heading(bare, words) or "body" not in roles[:i]:
            return False
    if re.search(r"\s[-–—]\s|\(|\d{3,}", bare):
        return False  # "Drama - Featherboy", "Howard Webb (South Yorkshire)", "2000 GMT": list rows
    if i + 1 >= len(paras):
        return False
    nxt = paras[i + 1]
    if len(nxt.split()) < 12 or not _starts_like_sentence(nxt) or not (_ends_terminal(nxt) or nxt.endswith(":")):
        return False
    prev = paras[i - 1] if i > 0 else ""
    return roles[i - 1] != "body" or (_ends_terminal(prev) and len(prev.split()) >= 8)


def _punctuates_prose(paras: list[str], roles: list[str]) -> bool:
    """Every prose paragraph (12+ words) of the body ends with sentence
    punctuation (or a colon before a quote). Only then does a short line
    without end punctuation stand out as a deliberate crosshead; in text that
    drops periods (reader comments, some wire copy) it may be a plain sentence."""
    return all(
        _ends_terminal(p) or p.endswith(":")
        for p, r in zip(paras, roles)
        if r == "body" and len(p) > 40 and len(p.split()) >= 12
    )


def _is_sentence_case_heading(bare: str, words: list[str]) -> bool:
    """A short sentence-case crosshead ("Who pays", "Jobs and wages"): up to
    eight words, a capital first letter, no end or pause punctuation, no
    reported speech, and not a fragment that stops on a function word."""
    if len(words) > 8 or not bare[:1].isupper() or bare.endswith((":", "?", "…")) or "," in bare:
        return False
    last = words[-1].strip(_QUOTES).lower()
    # Headlinese drops auxiliaries: "Terms were not disclosed" is a sentence that lost its period.
    return last not in _MINOR and last not in _STOP and not _reports(bare) and not _AUX.search(bare)


_TIME_PEG = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight"
    r"|this (?:week|month|year|morning)|last (?:week|month|year|night)|earlier this)\b"
)
_STOP = frozenset(
    "a an the of to in on for by at and or with from as is are was were be has have had will would more its it this that than".split()
)


def _content(line: str) -> set[str]:
    return {w.lower().rstrip("s")[:6] for w in _words(line) if w.lower() not in _STOP}


def _is_dek(title: str, line: str, nxt: str | None) -> bool:
    """A one-sentence summary under the title, not the article's lede.

    Taken only when the line cannot be the lede: it has no end punctuation
    (a standfirst), or it is a timeless aside (no news peg, little of the
    title's wording) while the paragraph after it is the real lede (it carries
    the news peg and the title's wording).
    """
    words = line.split()
    if not 5 <= len(words) <= 35 or _has_quote_marks(line):
        return False
    if _is_shouting(title):
        return False  # an ALL CAPS headline is wire copy (a slug): no standfirst under it
    if not _starts_like_sentence(line) or _n_sentences(line) != 1:  # (the cheap tests first)
        return False
    if not _ends_terminal(line):
        # A standfirst without end punctuation, under a Title Case headline
        # (a lede always ends with a period; sentence-case headline sites
        # such as the BBC sometimes drop it, so they are left alone).
        # The standfirst itself is written in sentence case (at least two
        # lower-case content words), so a second headline, a breadcrumb or a
        # row of tags is not taken for it.
        if len(words) < 8 or not _is_title_case(title) or _is_title_case(line):
            return False
        return sum(1 for w in _words(line) if w[0].islower() and w.lower() not in _MINOR) >= 2
    if nxt is None or _DIGIT.search(line) or _TIME_PEG.search(line):
        return False
    t = _content(title)
    if len(_content(line) & t) > 1:
        return False
    first = first_sentence(nxt)
    lede = nxt[: first[1]] if first else nxt
    return len(_content(lede) & t) >= 3 and bool(_TIME_PEG.search(lede))


_DIGIT = re.compile(r"\d")


# ------------------------------------------------------------------- roles --


def assign_roles(text: str, spans: list[tuple[int, int]], furniture: frozenset[str] = frozenset()) -> list[str]:
    """One role per paragraph span (see module docstring)."""
    paras = [text[s:e].strip() for s, e in spans]
    n = len(paras)
    roles = ["body"] * n
    if not n:
        return roles
    keys = _furniture_keys(furniture) if furniture else frozenset()
    # word counts for the line tests (a line over 480 characters is neither furniture nor a caption)
    n_words = [len(p.split()) if len(p) <= 480 else None for p in paras]
    for i, p in enumerate(paras):
        if _is_furniture(p, keys, n_words[i]):
            roles[i] = "boilerplate"

    title_i = _find_title(paras, roles)
    if title_i is not None:
        roles[title_i] = "title"
        tkey = _key(paras[title_i])
        words = tkey.split(" ") if tkey else []
        first = words[0] if words else ""
        for j in range(title_i + 1, n):  # a repeated title is furniture
            # every word of the key is in the lower-cased line, or the keys differ (cheap, no regex)
            low = paras[j].lower()
            if first in low and all(w in low for w in words) and _key(paras[j]) == tkey:
                roles[j] = "boilerplate"

    start = 0 if title_i is None else title_i + 1
    for i in range(start, n):
        if roles[i] == "body" and _is_caption(paras[i], n_words[i]):
            roles[i] = "caption"

    if title_i is not None:
        j = title_i + 1
        while j < n and roles[j] in ("caption", "boilerplate"):
            j += 1
        if j < n and roles[j] == "body":
            nxt = next((paras[k] for k in range(j + 1, n) if roles[k] == "body"), None)
            if _is_dek(paras[title_i], paras[j], nxt):
                roles[j] = "dek"

    sentence_case: bool | None = None  # computed once, only if needed
    wire = title_i is not None and _is_shouting(paras[title_i])
    for i in range(start, n):
        if roles[i] == "body" and _is_heading(paras, i, roles, False, wire):
            roles[i] = "heading"
        elif roles[i] == "body" and len(paras[i]) <= 80 and not _ends_terminal(paras[i]):
            if sentence_case is None:
                sentence_case = _punctuates_prose(paras, roles)
            if sentence_case and _is_heading(paras, i, roles, True, wire):
                roles[i] = "heading"
    return roles


def _find_title(paras: list[str], roles: list[str]) -> int | None:
    """The first line that reads as a headline, after leading furniture and at most one caption."""
    i = 0
    while i < len(paras) and roles[i] == "boilerplate":
        i += 1
    if i >= len(paras):
        return None
    nxt = i + 1
    caption: bool | None = None  # _is_caption(paras[i]), found once
    if nxt < len(paras) and roles[nxt] == "body":
        # A picture caption can precede the headline: a finished sentence
        # directly followed by a headline-shaped line (no end punctuation).
        head_next = _is_title_like(paras[nxt]) and not _ends_terminal(paras[nxt])
        caption = _is_caption(paras[i])
        if caption or (head_next and _ends_terminal(paras[i]) and len(paras[i].split()) <= 30):
            if head_next:
                roles[i] = "caption"
                return nxt
    if caption is None:
        caption = _is_caption(paras[i])
    if caption and not _is_title_like(paras[i]):
        return None
    return i if _is_title_like(paras[i]) else None


# ----------------------------------------------------------------- segment --


def segment(text: str, furniture: frozenset[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    """Paragraph rows (paragraph_index, role, char_start, char_end) and sentence rows
    (sentence_index, paragraph_index, char_start, char_end); offsets into text."""
    spans, roles, sents, sent_para = segment_spans(text, furniture)
    paragraphs = [
        {"paragraph_index": i, "role": role, "char_start": s, "char_end": e}
        for i, ((s, e), role) in enumerate(zip(spans, roles))
    ]
    sentences = [
        {"sentence_index": k, "paragraph_index": i, "char_start": s, "char_end": e}
        for k, ((s, e), i) in enumerate(zip(sents, sent_para))
    ]
    return paragraphs, sentences


def segment_spans(
    text: str, furniture: frozenset[str] = frozenset()
) -> tuple[list[tuple[int, int]], list[str], list[tuple[int, int]], list[int]]:
    """segment() as columns: (paragraph spans, their roles, sentence spans,
    the paragraph index of each sentence); offsets into text."""
    spans = split_paragraphs(text)
    roles = assign_roles(text, spans, furniture)
    sents: list[tuple[int, int]] = []
    sent_para: list[int] = []
    for i, (s, e) in enumerate(spans):
        got = split_sentences(text, s, e)
        sents += got
        sent_para += [i] * len(got)
    return spans, roles, sents, sent_para


# ------------------------------------------------------------ article meta --

_WIRES = r"AFP|Reuters|AP|Xinhua|TASS|RIA Novosti|Interfax|dpa|DPA|UPI|Sputnik|Bloomberg|ANI|PTI|IANS|EFE|ANSA|Anadolu|CNN|BBC"
_DATELINE = re.compile(
    rf"^((?:[A-Z][\w.'’-]*|[A-Z]{{2,}})(?:[ ,]+(?:[A-Z][\w.'’-]*))*"
    rf"(?:\s*\((?:{_WIRES})\))?)\s*[–—-]{{1,2}}\s+(?=[A-Z“\"])"
)
_DATELINE_WIRE = re.compile(rf"^([A-Z][\w.'’ ,-]{{1,40}}?\s*\((?:{_WIRES})\))\s*[–—:-]*\s*")
_OUTLET = re.compile(
    r"^(?:discover more from|more from|subscribe to|the post .+ appeared first on)\s+(.+?)\s*(?:[|–—:]|\s-\s|\.?$)",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(.+?)(?:[.,]?\s*all rights reserved.*)?\.?$", re.IGNORECASE)


def article_meta(text: str, paragraphs: list[dict]) -> dict:
    """Byline, dateline, published date and outlet stated in the text; each None when absent.

    paragraphs: rows from segment(). Only furniture-like lines and the start of
    the first body paragraphs are looked at, so a name in the story is never
    taken for a byline.
    """
    return meta_from_lines([(p["role"], text[p["char_start"]:p["char_end"]]) for p in paragraphs])


def meta_from_lines(lines: list[tuple[str, str]]) -> dict:
    """article_meta() from the (role, paragraph text) of each paragraph, in order."""
    meta: dict = {"byline": None, "dateline": None, "published": None, "outlet": None}
    for role, line in lines[:12]:
        if meta["byline"] is None:
            m = _BYLINE.match(line)  # anchored: fails at once on most lines
            if m and len(line.split()) <= 12:
                meta["byline"] = m.group(1).strip()
        if meta["published"] is None and (_DATELINE_ONLY.match(line) or _STAMP.match(line)):
            meta["published"] = _parse_date(line)
    for role, line in lines:
        if role != "body" or meta["dateline"]:
            continue
        m = _DATELINE_WIRE.match(line) or _DATELINE.match(line)
        if m and len(m.group(1).split()) <= 6:
            meta["dateline"] = line[: m.end()].strip()
        break  # only the first body paragraph opens with a dateline
    for role, line in lines:
        if role != "boilerplate" or meta["outlet"]:
            continue
        m = _OUTLET.match(line)
        if m and not _DATE_RE.search(m.group(1)):
            meta["outlet"] = m.group(1).strip(" .")
            continue
        m = _COPYRIGHT.match(line)
        if m and m.group(1) and len(m.group(1).split()) <= 6:
            meta["outlet"] = m.group(1).strip(" .")
    return meta


def _parse_date(line: str) -> str | None:
    m = _DATE_RE.search(line)
    if not m:
        return None
    raw = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", m.group(0)).replace(",", " ").replace(".", " ")
    raw = " ".join(raw.split())
    for fmt in ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    if raw.lower().startswith("sept"):
        return _parse_date(line.replace("Sept", "Sep").replace("sept", "sep"))
    return None

