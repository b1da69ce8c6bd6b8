"""Quotes and speakers: direct quotes (full / partial) and reported speech.

extract_quotes(text, paragraphs, sentences) -> one dict per quoted stretch.

Steps, each a small function:
1. marks -> stretches, per body/dek paragraph (quotes_marks.find_stretches);
2. for each stretch, the attribution next to it: right after the closing mark
   (`"…," he said`), before the opening mark (`X said: "…"`), or at the end of
   the sentence (`…, the minister has said.`);
3. stretches with no attribution inherit from the quote they continue
   (interrupted quotes, BBC run-on paragraphs, multi-paragraph quotes);
4. speakers are resolved: pronouns to the most salient compatible person,
   short names to the fullest form in the article, 'the Fed' to
   'Federal Reserve';
5. names in marks and scare quotes without a speaker are dropped.
"""

from __future__ import annotations

import bisect
import re
from itertools import islice
from dataclasses import dataclass

from newsdesk.attribution import (
    FIRST_F, FIRST_M,
    CAPSEQ, PRONOUNS, VERBS, NameIndex, Speaker, build_index, classify_name, is_verb, parse_np,
    ROLE_WORDS, resolve_org, split_title, _strip_stop,
)
from newsdesk.quotes_marks import Stretch, find_stretches, mark_positions
from newsdesk.regex_words import word_trie

# Patterns used inside functions, compiled once.
_FORMER_BEFORE_NAME = re.compile(r"\b(?:former|late)\s+(?=[A-Z])")
_NAMING_BEFORE = re.compile(r"\b(?:so-called|dubbed|nicknamed|named|titled|entitled|known as)\s*$", re.I)
_RC_STARTS_SENTENCE_END = re.compile(r"^\s*[.;:!?]")
_RC_NEW_SENTENCE = re.compile(r"\s+[\"“‘«]?[A-Z]")
_RC_NAME_VERB = re.compile(r"\s+((?:[A-Z][\w’'-]*\s+){0,3}?[A-Z][\w’'-]*|he|she|He|She)\s+([a-z]+)\s*[.,]")
_RC_HAS_TEXT = re.compile(r"^\s*[,–—-]?\s*\S")
_PARTICIPLE_EDGE = re.compile(r"(?:^|,)\s*$")
_AND_BUT_END = re.compile(r"\b(?:and|but)\s*$")
_RC_FIRST_WORD = re.compile(r"[\s,]*(\S+)")
_ENDS_SENTENCE = re.compile(r"[.!?]$")
_AFTER_UNKNOWN_VERB = re.compile(r"^\s*(?:[,.;:!?]|$|\s(?:that|on|in|at|during|after|before|when|while|to|as|adding|saying)\b)")
_SEP_ONLY = re.compile(r"\s*[:,]?\s*")
# A verb that judges its object by the quote: 'described the deal as "…"', 'dismissed the claims as "…"',
# 'branded it "…"'. Weak or unknown verbs report speech only in these shapes.
_AS_OBJECT = re.compile(r"\s+(?:[\w’'-]+\s+){1,6}?as\s*")
_NAMES_OBJECT = re.compile(r"\s+(?:it|him|her|them|this|that|(?:the|his|her|their|its)\s+[\w-]+(?:\s+[\w-]+)?)\s*")
# a complement clause whose subject is not a pronoun ('adding that he expected "…"' is his own words)
_PRONOUN_SUBJECT_END = re.compile(r"\b(?:he|she|it|they|we|I)\s+(?:[a-z]+\s+)?$")
_THAT_CLAUSE_END = re.compile(r"\bthat\s+(?!(?:he|she|they|we|I)\s)(?:[\w’'-]+\s+){1,4}$")
_PASSIVE_BY_AS = re.compile(r"\s+by\s+(?P<np>[^,;:]{2,60}?)\s+as\s*")
_NAMING_VERBS = frozenset("branded brands labelled labeled labels termed terms dubbed dubs".split())
_AS_END = re.compile(r"\bas\s*$")
_RC_ATTRIBUTION_PUNCT = re.compile(r"\s*[,–—(]|\s+-\s")

QUOTE_ROLES = ("body", "dek")
# How far (characters) from a quote's marks its attribution is looked for. Bounds the work per
# quote, so a huge paragraph with many marks stays linear.
_CONTEXT = 600
_NONSPACE = re.compile(r"\S+")

# A sentence boundary in writer's text (outside quotes).
_SENT_BOUNDARY = re.compile(r"[.!?][\"”’»]?\s+(?=[\"“‘«]?[A-Z0-9]|$)")
_WORDS = re.compile(r"[A-Za-z][\w’'-]*")
# Words that make a quoted fragment a name, title or term rather than speech.
_TERM_BEFORE = re.compile(
    r"(?:\b(?:so-called|dubbed|nicknamed|named|titled|entitled|known as|branded|labelled|labeled|"
    r"the word|the term|the phrase|a|an|the|this|that|these|those|new|its|their|his|her|our|my|your|of)\s*)$",
    re.I,
)
_SMALL = {"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "by", "with", "de", "van", "von", "or", "vs"}


@dataclass
class Found:
    stretch: Stretch
    para: int  # paragraph list position
    speaker: Speaker | None = None
    verb: str | None = None
    how: str = ""  # right | left | final | inherit | fallback
    resolved: tuple[str, str] | None = None  # (name, kind)
    flagged: bool = False
    lc_cut: bool = False
    attr_pos: int = -1  # where the attribution phrase is (pronouns look back from here)
    continues: bool = False  # opens a paragraph that continues the previous one's quote
    pos: int = -1  # position in the article's list of stretches (list.index would be quadratic)
    full_cache: tuple | None = None


def extract_quotes(text: str, paragraphs: list[dict], sentences: list[dict]) -> list[dict]:
    found = _find_all(text, paragraphs)
    if not found:
        cands = _indirect_candidates(text, paragraphs, sentences, [])
        if not cands:
            return []
        return _indirect(text, paragraphs, found, build_index(text), cands)
    idx = build_index(text)
    quoted = [(f.stretch.open_pos, f.stretch.close_pos) for f in found]
    bounds: dict[int, list[int]] = {}  # paragraph start -> its sentence boundaries (_last_boundary)
    for i, f in enumerate(found):
        f.pos = i
    for f in found:
        f.quoted = quoted
        f.idx = idx
        f.bounds = bounds
        _attribute(text, f, found, paragraphs, idx)
    _inherit(found, paragraphs)
    _resolve(text, found, idx, paragraphs)
    starts = [s["char_start"] for s in sentences]
    rows = []
    for f in found:
        if f.resolved is None:
            continue
        s, e = f.stretch.start, f.stretch.close_pos
        s, e = _trim(text, s, e)
        if e <= s:
            continue
        si = bisect.bisect_right(starts, s) - 1
        rows.append({
            "char_start": s, "char_end": e, "quote": text[s:e],
            "speaker": f.resolved[0], "speaker_kind": f.resolved[1],
            "kind": _kind(text, f, found), "verb": f.verb,
            "sentence_index": sentences[si]["sentence_index"] if si >= 0 else None,
            "paragraph_index": paragraphs[f.para]["paragraph_index"],
            "flagged": f.flagged,
        })
    cands = _indirect_candidates(text, paragraphs, sentences, found)
    indirect = _indirect(text, paragraphs, found, idx, cands) if cands else []
    if indirect:
        rows = sorted(rows + indirect, key=lambda r: r["char_start"])
    return rows


# --------------------------------------------------------------------------
# 1. stretches


def _find_all(text: str, paragraphs: list[dict]) -> list[Found]:
    found: list[Found] = []
    prev_open: tuple[int, Found] | None = None  # paragraph whose quote ran to its end
    marks = mark_positions(text)
    if not marks:
        return found
    for pi, p in enumerate(paragraphs):
        lo, hi = p["char_start"], p["char_end"]
        if p.get("role", "body") not in QUOTE_ROLES:
            prev_open = None
            continue
        a, b = bisect.bisect_left(marks, lo), bisect.bisect_left(marks, hi)
        if a == b:
            stretches, damaged = [], False
        else:
            stretches, damaged = find_stretches(text, lo, hi, marks[a:b])
        starts_with_mark = bool(stretches) and stretches[0].open_pos == lo
        if prev_open is not None and not starts_with_mark:
            prev_open[1].flagged = True  # it never continued: an unbalanced mark
        prev_open = None
        here = [Found(s, pi, flagged=damaged) for s in stretches]
        if here and starts_with_mark and found and found[-1].stretch.runs_to_end and found[-1].para == _prev_quote_para(paragraphs, pi):
            here[0].continues = True
        if here and here[-1].stretch.runs_to_end:
            prev_open = (pi, here[-1])
        found.extend(here)
    if prev_open is not None:
        prev_open[1].flagged = True
    return found


def _prev_quote_para(paragraphs: list[dict], pi: int) -> int:
    k = pi - 1
    while k >= 0 and paragraphs[k].get("role", "body") not in QUOTE_ROLES and paragraphs[k].get("role") != "caption":
        k -= 1
    return k


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Marks excluded, outer spaces and the trailing comma excluded."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


# --------------------------------------------------------------------------
# 2. attribution next to a stretch


def _neighbours(found: list[Found], f: Found) -> tuple[Found | None, Found | None]:
    i = f.pos
    prev = found[i - 1] if i > 0 and found[i - 1].para == f.para else None
    nxt = found[i + 1] if i + 1 < len(found) and found[i + 1].para == f.para else None
    return prev, nxt


def _left_context(text: str, f: Found, prev: Found | None, paragraphs) -> str:
    lo = paragraphs[f.para]["char_start"]
    if prev is not None:
        lo = max(lo, prev.stretch.close_pos + (1 if prev.stretch.closed else 0))
    if f.stretch.open_pos - lo > _CONTEXT:
        # a very long sentence: only its last stretch can hold the attribution
        lo = text.find(" ", f.stretch.open_pos - _CONTEXT, f.stretch.open_pos) + 1 or f.stretch.open_pos - _CONTEXT
    s = text[lo:f.stretch.open_pos]
    cut = None
    for m in _SENT_BOUNDARY.finditer(s):
        cut = m.end()
    f.lc_cut = cut is not None
    return s[cut:] if cut is not None else s


def _right_context(text: str, f: Found, nxt: Found | None, paragraphs) -> str:
    if not f.stretch.closed:
        return ""
    hi = min(paragraphs[f.para]["char_end"], f.stretch.close_pos + 1 + _CONTEXT)
    if nxt is not None:
        hi = min(hi, nxt.stretch.open_pos)
    s = text[f.stretch.close_pos + 1:hi]
    m = _SENT_BOUNDARY.search(s)
    return s[:m.start() + 1] if m else s


def _sentence_tail(text: str, f: Found, paragraphs) -> str:
    """From the closing mark to the end of the writer's sentence (may pass other quotes)."""
    if not f.stretch.closed:
        return ""
    hi = min(paragraphs[f.para]["char_end"], f.stretch.close_pos + 1 + _CONTEXT)
    s = text[f.stretch.close_pos + 1:hi]
    # skip boundaries that sit inside later quoted stretches: good enough to take the
    # first boundary that is followed by a capital outside a quote mark
    m = _SENT_BOUNDARY.search(s)
    return s[:m.start() + 1] if m else s


_VERB_FIRST = re.compile(r"^[\s,–—-]*(?P<verb>[a-z]+(?: on)?)\b(?P<rest>[^.!?]*)")
# Attributions without a reporting verb: '"…," according to X' / 'according to X, … "…"' / 'As X put it: "…'.
_ACCORDING_RIGHT = re.compile(r"^[\s,–—-]*according\s+to\s+(?P<rest>[^.!?;]*)")
_ACCORDING_LEFT = re.compile(r"(?:^|[\s,(–—-])[Aa]ccording\s+to\s+(?P<np>[^,;:()]+?)\s*"
                             r"(?:,|\s(?=(?:is|was|are|were|has|had|have|can|could|will|would|may|might)\b))")
# 'according to the report', 'according to figures': a document, not who wrote it (left to the other rules).
_DOCUMENT_ONLY = re.compile(r"(?:(?:the|a|an|this|that|its|their|new|latest|official)\s+)*(?:report|reports|study|studies|"
                            r"survey|figures|data|statistics|research|document|documents|estimates|poll|analysis)\s*",
                            re.I)
_NICKNAME = re.compile(r"\b[A-Z][\w’'-]*\s+[\"“‘']$")
_CAP_AFTER = re.compile(r"\s+[A-Z]")
_PREP_NAME_END = re.compile(r"\b(?:in|at|of|from|near|across|throughout|outside|inside)\s+(?:the\s+)?"
                            r"(?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*\s+(?:(?:has|had|have|also)\s+)*$")
_AFTER_NAME = {"MP", "MSP", "MEP", "AM", "QC"}
_NOT_BEFORE_NAME = {"for", "of", "at", "from", "in", "by", "with", "to", "and", "on"}
_DETERMINER_END = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that|these|those|so-called)\s*$", re.I)
_PUT_IT = re.compile(r"(?:^|[\s,])[Aa]s\s+(?P<np>[^,;:()]+?)\s+(?:(?:has|had|once|so\s+\w+)\s+)?put\s+it\s*[:,]?\s*$")
_WORD_RE = re.compile(r"[\w’'&-]*\w")
_TOKEN = re.compile(r"[\w’'.&-]+|[,;:–—()]")
_OBJECT = re.compile(
    r"^\s+((?:reporters|journalists|delegates|MPs|MSPs|the [A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*|"
    r"(?:a|an|the) [a-z]+(?: [a-z]+)?|[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*|him|her|them|us|me|Reuters|AFP|AP))(?=[\s,.:;]|$)"
)


def _verb_phrase(verb: str, after: str) -> str:
    """'told' + ' the Scottish Parliament on Wednesday' -> 'told the Scottish Parliament'."""
    if VERBS.get(verb.lower()) in ("tell", "inform", "assure", "remind", "advise", "warn", "urge") and after:
        m = _OBJECT.match(after)
        if m and not m.group(1).lower().startswith(("that", "the government", "the country")):
            obj = m.group(1)
            if VERBS.get(verb.lower()) in ("tell", "inform") or obj in ("reporters", "journalists"):
                return f"{verb} {obj}"
    return verb


_DESCRIPTION = re.compile(r"(?:a|an|one|A|An|One)\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*(?<!ly)")


def _right_attr(rc: str, idx: NameIndex) -> tuple[Speaker, str] | None:
    """`"…," he said` / `"…," said X` / `"…," X, a minister, said`."""
    if not rc or not _RC_HAS_TEXT.match(rc) or _RC_STARTS_SENTENCE_END.match(rc):
        return None
    m = _ACCORDING_RIGHT.match(rc)
    if m:
        sp = _according_np(m.group("rest"), idx)
        return (sp, "according to") if sp else None
    # inverted: said X
    m = _VERB_FIRST.match(rc)
    if m and m.group("verb") in VERBS and not m.group("verb").endswith("ing"):
        sp = parse_np(m.group("rest"), idx, tail=False)
        if sp:
            return sp, m.group("verb")
    # X (, apposition,) [has] verb — the verb is the first verb-like word
    words = list(_WORD_RE.finditer(rc))
    for k, w in enumerate(words[:22]):
        if k == 0:
            continue
        word = w.group()
        if not is_verb(word):
            continue
        chunk = rc[:w.start()]
        sp = parse_np(chunk, idx, tail=False)
        if sp is None and word.lower() in VERBS and _DESCRIPTION.fullmatch(chunk.strip(" ,")):
            sp = Speaker(chunk.strip(" ,"), "unnamed")  # '"…," an arbitrageur said.'
        if sp is None:
            return None
        chunk_words = len(chunk.split())
        known = word.lower() in VERBS
        if not known and not (sp.kind in ("pronoun", "anaphor", "person") and chunk_words <= 4):
            return None  # an unknown -ed word only right after a short name
        if not known and not _AFTER_UNKNOWN_VERB.match(rc[w.end():]):
            return None
        return sp, _verb_phrase(word, rc[w.end():])
    return None


def _left_attr(lc: str, idx: NameIndex, full: bool) -> tuple[Speaker | None, str, str, int] | None:
    """`X said: "…` / `He told reporters "…` / `X said the rates were "…`.

    Returns (speaker or None for a subjectless participle, verb, how)."""
    words = list(_WORD_RE.finditer(lc))
    if full:
        # a whole-clause quote takes its attribution from the last nine white-space tokens only
        ends = [m.end() for m in _NONSPACE.finditer(lc)]
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if full and len(ends) - bisect.bisect_right(ends, w.end()) > 9:
            return None
        word = w.group()
        if word[0].isupper():
            continue
        after = lc[w.end():]
        before = lc[:w.start()]
        if not (is_verb(word, strict=True) or is_verb(word) and _SEP_ONLY.fullmatch(after)):
            naming = word in _NAMING_VERBS
            judging = ((naming or word in VERBS) and _AS_OBJECT.fullmatch(after)
                       or naming and _NAMES_OBJECT.fullmatch(after))
            if not judging or _AS_END.search(before) or (
                    word.endswith("ing") and not _PARTICIPLE_EDGE.search(before)):
                continue  # 'as revealed by the report as "…"', 'a statement through Arsenal describing …'
        if _DETERMINER_BEFORE.search(before):
            continue  # 'a proposed federal law', 'the alleged plot': a participle used as an adjective
        if word.endswith("ing") and _PARTICIPLE_EDGE.search(before):
            return None, _verb_phrase(word, after), "participle", w.start()
        if not is_verb(word, strict=True) and (_PREP_NAME_END.search(before) or _THAT_CLAUSE_END.search(before)
                                                or _inside_report(before)):
            # 'Cairn said drilling in Rajasthan had produced "…"': a place is no speaker of an unknown verb;
            # 'adding that Kyiv needed "…"', 'Boesze said the government had decided "…"': the words are
            # the reporter's
            continue
        passive = _PASSIVE_BY_AS.fullmatch(after)
        if passive:
            sp = parse_np(passive.group("np"), idx, tail=False)  # 'was described by Jobs as "…"'
        elif _AND_BUT_END.search(before):
            sp = _clause_subject(before, idx)  # 'Sullivan said … than many officers and described him as'
        else:
            sp = parse_np(before, idx, tail=True)
        if sp is None or sp.kind == "unnamed" and _reports(sp.text):
            continue  # 'Charles Williams said talks with Disney's producers revealed "…"': said is the verb
        return sp, _verb_phrase(word, after), "left", w.start()
    return None


def _reports(phrase: str) -> bool:
    """Whether a phrase holds a reporting verb of its own, outside a relative clause: 'X said talks with
    Y', not 'an executive who asked not to be identified'."""
    for t in phrase.split():
        if t in _RELATIVE_WORDS:
            return False
        if is_verb(t, strict=True):
            return True
    return False


_DETERMINER_BEFORE = re.compile(r"(?:^|\s)(?:a|an|the|its|their|his|her|our|this|these|those)\s+$")


def _inside_report(before: str) -> bool:
    """Whether the words before a verb are the clause that a reporting verb before them reports:
    'Boesze said the government had [decided]', not 'claimed … since the Law Commission [dubbed]',
    and not 'said he [expected]' (his own words still)."""
    toks = before.split()
    for i in range(len(toks) - 1, -1, -1):
        t = toks[i]
        if t in _CLAUSE_BREAKS or t[-1:] in ",;:":
            return False
        if is_verb(t, strict=True):
            return i < len(toks) - 1 and not _PRONOUN_SUBJECT_END.search(before)
    return False


_CLAUSE_BREAKS = frozenset("""since which who whom whose because after before when while although though if
unless until where whereas as and but""".split())
_RELATIVE_WORDS = frozenset("who whom whose which that".split())


def _left_phrase_attr(lc: str, idx: NameIndex) -> tuple[Speaker, str, str, int] | None:
    """`According to X, the plan is "…` / `…, which, according to X, can "…` / `As X put it: "…`:
    the quote's own sentence names its source without a reporting verb."""
    m = _PUT_IT.search(lc) if lc.rstrip(" :,").endswith("put it") else None
    if m:
        sp = parse_np(m.group("np"), idx, tail=False)
        if sp:
            return sp, "put it", "left", m.start("np")
    if "ccording to" not in lc or _DETERMINER_END.search(lc):
        return None  # 'according to researchers, … the "robotiquette" for …': a term, not their words
    found = None
    for m in _ACCORDING_LEFT.finditer(lc):
        found = m  # the last one before the quote
    if found:
        sp = _according_np(found.group("np"), idx)
        if sp:
            return sp, "according to", "left", found.start("np")
    return None


def _according_np(chunk: str, idx: NameIndex) -> Speaker | None:
    if _DOCUMENT_ONLY.fullmatch(chunk.split(",", 1)[0].strip()):
        return None
    return parse_np(chunk, idx, tail=False)


def _clause_subject(before: str, idx: NameIndex) -> Speaker | None:
    """The subject of a sentence's main clause, the words before its first verb:
    'In February, EC Director Heinrich von Moltke came to Japan and' -> Heinrich von Moltke;
    'Edwin Jacobson, Chicago Milwaukee president, declined to comment … but' -> Edwin Jacobson."""
    before = _DATELINE.sub("", before, count=1)
    tries = 0
    for m in _LOWER_WORD.finditer(before):
        w = m.group()
        if w in _FINITE or is_verb(w):
            sp = _subject_np(before[:m.start()], idx)
            tries += 1
            if sp is not None:
                return sp
            if tries == 2:
                break  # a second try: 'The embattled minister declined …'
    # no verb, or no speaker before it: the first capitalised run that a lower-case word follows
    for part in _COMMA_SPLIT.split(before):
        m = _CAPITALISED_SUBJECT.match(part)
        if m:
            sp = parse_np(m.group(1), idx, tail=True)
            if sp:
                return sp
    return None


def _subject_np(head: str, idx: NameIndex) -> Speaker | None:
    """The noun phrase that is a clause's subject. The last one before the verb, unless that is no person
    and the first one is ('Rex Hardesty of the labor confederation AFL-CIO said'); the first one alone
    is often an adverbial or a dateline ('WASHINGTON, March 13 - President Reagan told')."""
    last, first = parse_np(head, idx, tail=True), parse_np(head, idx, tail=False)
    if first is not None and first.kind == "person" and (last is None or last.kind != "person"):
        return first
    sp = last or first
    if sp is not None and sp.kind == "unnamed" and sp.text.count(" ") >= 6:
        return None  # 'The poster shows Mr Howard hypnotising people with a pocket watch': a clause
    return sp


# Past and present forms that end a clause's subject and are no reporting verbs.
_FINITE = frozenset("""came went made took gave met held had has have was were is are did does left began became
brought bought sold ran saw spoke sent kept won lost paid got put set hit let led declined refused
will would can could may might must shall should""".split())
_COMMA_SPLIT = re.compile(r"\s*,\s*")
# 'NEW YORK, March 3 - ', 'BRUSSELS, Nov 20 (Reuters) - ': a wire story's place and date, no subject
_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'-]+(?:\ [A-Z][A-Z.'-]+){0,3},?(?:\ [A-Z][a-z]{2,8}\.?\ \d{1,2})?"
                       r"(?:\ \([^)]{1,40}\))?\ [-–—]+\ ")
_INSERTED_ATTRIBUTION = re.compile(
    r",\s+((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*|he|she)\s+([a-z]+)(?:\s+[^,;:.!?\"“”]{1,40}?)?,\s*$")
_CAPITALISED_SUBJECT = re.compile(r"\s*((?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'.-]*|he|she|He|She|they|They)\s+[a-z]+")
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]+(?![\w’'-])")


_AUX = re.compile(r"\s+(?:(?:has|have|had|also|later|then|recently|once|again)\s*)+$")


def _final_attr(tail: str, idx: NameIndex) -> tuple[Speaker, str] | None:
    """`…, he told a conference on ageing.` at the end of the quote's sentence."""
    k = max(tail.rfind(","), tail.rfind(" – "), tail.rfind(" — "))
    if k < 0:
        return None
    seg = tail[k + 1:]
    words = list(_WORD_RE.finditer(seg))
    for n, w in enumerate(words[:8]):
        if n == 0 or not is_verb(w.group(), strict=True):
            continue
        np_ = _AUX.sub("", " " + seg[:w.start()]).strip()
        rest = seg[w.end():]
        if len(rest.split()) > 6:
            return None
        sp = parse_np(np_, idx, tail=False)
        if sp is None:
            return None
        return sp, _verb_phrase(w.group(), rest)
    return None


def _attribute(text: str, f: Found, found: list[Found], paragraphs, idx: NameIndex) -> None:
    prev, nxt = _neighbours(found, f)
    lc = _left_context(text, f, prev, paragraphs)
    rc = _right_context(text, f, nxt, paragraphs)
    full = _looks_full(text, f, lc)
    f.lc = lc
    intro = None  # (start, end) of a sentence that introduces the quote with a colon
    if prev is None and f.stretch.open_pos == paragraphs[f.para]["char_start"] and f.para > 0:
        # a quote opening a paragraph may be introduced at the end of the one before (`X said:`)
        pp = paragraphs[f.para - 1]
        before = text[pp["char_start"]:pp["char_end"]]
        if before.rstrip().endswith(":") and pp.get("role", "body") in QUOTE_ROLES:
            lc = before.rstrip()[:-1].rsplit(". ", 1)[-1] + ":"
            intro = (pp["char_start"] + len(before.rstrip()) - len(lc), pp["char_end"])
    # the quote's last character, looking through closing marks of nested quotes
    q_end = text[f.stretch.start:f.stretch.close_pos].rstrip("'’\"”»› ")[-1:] if f.stretch.closed else ""
    if q_end in (".", "?", "!") and _RC_NEW_SENTENCE.match(rc):
        # the sentence ended inside the quote: only `"…?" Mr X asked.` attributes it
        m = _RC_NAME_VERB.match(rc)
        rc = rc if m and is_verb(m.group(2)) else ""
    elif q_end not in (",", ".", "?", "!", "…") and not _RC_ATTRIBUTION_PUNCT.match(rc):
        # a fragment woven into the writer's sentence: `"…" to deploy`, not `"…," he said`
        m = _RC_FIRST_WORD.match(rc)
        if not (m and m.group(1) in VERBS and VERBS[m.group(1)] in ("say", "tell", "add")):
            rc = ""
    f.attr_pos = f.stretch.open_pos
    r = _right_attr(rc, idx)
    if r:
        f.speaker, f.verb, f.how = r[0], r[1], "right"
        return
    left = _left_attr(lc, idx, full)
    if left:
        f.speaker, f.verb, f.how, vpos = left
        f.attr_pos = f.stretch.open_pos - len(lc) + vpos
        return
    left = _left_phrase_attr(lc, idx)
    if left:
        f.speaker, f.verb, f.how, vpos = left
        f.attr_pos = f.stretch.open_pos - len(lc) + vpos
        return
    if intro is not None:
        # 'Its national secretary, Marco Bellandi, was more cautious:' — the person the
        # introducing sentence is about
        ms = idx.mentions
        for k in idx.between(*intro):
            if ms[k][2].kind == "person" and idx.strong(ms[k]):
                f.speaker, f.verb, f.how = Speaker(ms[k][2].name, "person"), None, "left"
                f.attr_pos = ms[k][0]
                return
    fin = _final_attr(_sentence_tail(text, f, paragraphs), idx)
    if fin and not full:
        f.speaker, f.verb, f.how = fin[0], fin[1], "final"


def _looks_full(text: str, f: Found, lc: str) -> bool:
    """Whole clauses: the quote starts its sentence, follows a colon/comma, or starts upper-case
    right after a verb."""
    key = (f.stretch.start, lc)
    if f.full_cache is not None and f.full_cache[0] == key:
        return f.full_cache[1]
    out = _looks_full_(text, f, lc)
    f.full_cache = (key, out)
    return out


def _looks_full_(text: str, f: Found, lc: str) -> bool:
    s = lc.rstrip()
    q = text[f.stretch.start:f.stretch.start + 40].lstrip()
    if not s or s[-1] in ":,;–—-" or s.endswith(("that", "whereby")) and q[:1].isupper():
        return True
    if q[:1].isupper() and s.rsplit(None, 1)[-1].lower() in VERBS:
        return True
    return False


# --------------------------------------------------------------------------
# 3. inheritance


def _inherit(found: list[Found], paragraphs) -> None:
    """Continuations take the speaker of the stretch they continue."""
    for i, f in enumerate(found):
        if f.speaker is not None or f.how == "participle":
            continue
        prev = found[i - 1] if i > 0 else None
        if prev is None:
            continue
        same_para = prev.para == f.para
        if (same_para and (prev.stretch.joined or _gap_is_short(f))) or f.continues:
            if prev.speaker is not None or prev.how == "participle":
                f.speaker, f.how, f.verb = prev.speaker, "inherit", None
                f.inherit_from = prev
    # a run-on stretch attributed only at its end ("A. "B," he said.) gives its speaker back
    for i in range(len(found) - 2, -1, -1):
        f, nxt = found[i], found[i + 1]
        if f.speaker is None and nxt.speaker is not None and f.how != "participle" and (
                f.stretch.joined and nxt.para == f.para
                or nxt.continues and f.stretch.runs_to_end and nxt.how in ("right", "inherit")):
            # ('"A. // "B," he said.': a quote over two paragraphs attributed after its second part)
            f.speaker, f.how = nxt.speaker, "inherit"
            f.inherit_from = nxt


def _gap_is_short(f: Found) -> bool:
    """Only the writer's sentence boundary between two quotes: `"A." "B."`."""
    lc = getattr(f, "lc", "")
    return len(lc.strip()) == 0 and not f.lc_cut  # not a whole writer's sentence in between


# --------------------------------------------------------------------------
# 4. speaker resolution


def _resolve(text: str, found: list[Found], idx: NameIndex, paragraphs) -> None:
    last: Found | None = None  # last quote with a resolved speaker
    for f in found:
        sp = f.speaker
        if getattr(f, "inherit_from", None) is not None and f.inherit_from.resolved is not None:
            f.resolved = f.inherit_from.resolved
        elif f.how == "participle":
            f.resolved = _subject_of_sentence(text, f, found, idx, last, paragraphs)
        elif sp is not None:
            f.resolved = _resolve_speaker(text, sp, f, idx, last, paragraphs)
        else:
            f.resolved = _fallback(text, f, last, paragraphs)
        if f.resolved is not None and _not_speech(text, f):
            f.resolved = None
        if f.resolved is not None:
            last = f


def _resolve_speaker(text: str, sp: Speaker, f: Found, idx: NameIndex, last: Found | None, paragraphs):
    if sp.kind in ("pronoun", "anaphor"):
        return _resolve_pronoun(text, sp, f, idx, last, paragraphs)
    if sp.kind == "person":
        ent = idx.person(sp.text, f.attr_pos)
        return (ent.name if ent else sp.text), "person"
    if sp.kind == "organization":
        if _ORG_DESCRIPTION.match(sp.text):
            # 'the firm', 'the federal agency': the organisation the article has been naming
            org = _described_org(text, f, idx)
            if org is not None:
                return org, "organization"
        return resolve_org(sp.text, idx), "organization"
    # unnamed, but ending in a person's full name: 'Oracle's chief executive Larry Ellison', 'EFF lawyer Kurt Opsahl'
    name = _full_name_at_end(sp.text)
    if name:
        ent = idx.person(name, f.attr_pos)
        if ent is not None and ent.kind == "person" and len(ent.name.split()) > 1 \
                and all(t in ent.name.split() for t in name.split()):
            return ent.name, "person"
    # 'This week a judge claimed … "urban savages" … Judge Charles Harris said': named just after
    named = _named_after(text, sp, f, idx)
    if named:
        return named, "person"
    # unnamed: a definite role may be named nearby ('the minister has said. … Alan Johnson said.')
    named = _named_role(text, sp, f, idx, paragraphs)
    if named:
        return named, "person"
    if _DEFINITE_PERSON.fullmatch(sp.text):
        # 'the Lions coach', 'the Waterford man', 'the prime minister': someone the article has just named
        pos = f.attr_pos if f.attr_pos >= 0 else f.stretch.open_pos
        who = _recent_person(text, "x", f, idx, _search_start(f, last, paragraphs), pos, paragraphs)
        if who is not None:
            return who, "person"
        if last is not None and last.resolved[1] == "person" and f.para - last.para <= 1:
            return last.resolved
    if _ORG_DESCRIPTION.match(sp.text):
        org = _described_org(text, f, idx)
        if org is not None:
            return org, "organization"
    named = _ORG_BY_HEAD.fullmatch(sp.text)
    if named:
        # 'the federation' is the Police Federation: the last organisation named with that word
        head = named.group(1).lower()
        ms = idx.mentions
        for k in reversed(idx.between(0, f.attr_pos if f.attr_pos >= 0 else f.stretch.open_pos)):
            ent = ms[k][2]
            if ent.kind == "organization" and head in ent.name.lower().split() and " " in ent.name:
                return resolve_org(ent.name, idx), "organization"
    return _shorten(sp.text, idx), "unnamed"


def _named_after(text: str, sp: Speaker, f: Found, idx: NameIndex) -> str | None:
    """'a judge' named with that title right after the quote ('… Judge Charles Harris said')."""
    m = _INDEFINITE_ROLE.fullmatch(sp.text)
    if m is None or m.group(1).lower() not in ROLE_WORDS:
        return None
    title = m.group(1).capitalize()
    after = text[f.stretch.close_pos:f.stretch.close_pos + 400]
    named = re.search(rf"\b{title}\s+({CAPSEQ.pattern})", after)
    if named is None:
        return None
    name = _POST_NOMINAL.sub("", named.group(1))  # 'Charles Harris QC'
    if len(name.split()) < 2 or classify_name(name.split()) != "person":
        return None
    ent = idx.person(name)
    return ent.name if ent is not None and ent.kind == "person" else name


_POST_NOMINAL = re.compile(r"(?:\s+(?:QC|KC|MP|MEP|MSP|AM|Jr\.?|Sr\.?|[A-Z]{2,3}))+$")


_INDEFINITE_ROLE = re.compile(r"(?:a|an|A|An)\s+(?:[a-z-]+\s+)?([a-z]+)")


# Not 'the union': a trade union after the European Union is named
_ORG_BY_HEAD = re.compile(r"(?:the|The)\s+(institute|federation|alliance|association|foundation|society|university|"
                          r"commission|committee|council|league|institution|trust|forum|coalition|campaign)")


# A definite description of one person by what they are, not by a title ('the Waterford man', 'the Liverpool
# player', 'the Labour peer'): the person the article has just named. Titles ('the judge', 'the archbishop') go
# by _named_role, as someone else may have been named last.
_DEFINITE_PERSON = re.compile(
    r"(?:the|The)\s+(?:(?:[\w’-]+\s+){1,4}?(?:man|woman|centre)|(?:[\w’-]+\s+){0,4}?(?:player|prop|lock|flanker|"
    r"hooker|fly-half|scrum-half|full-back|peer))")


def _full_name_at_end(phrase: str) -> str | None:
    """The two or three capitalised words that end a description ('EFF lawyer Kurt Opsahl', 'Gartner's
    analyst Kobita Desai'), unless they follow a preposition: 'a spokeswoman for Human Rights Watch'."""
    words = phrase.split()
    if words and words[-1] in _AFTER_NAME:
        words = words[:-1]
    j = len(words)
    while j > 0 and words[j - 1][:1].isupper() and not words[j - 1].endswith(("'s", "’s")):
        j -= 1
    run = words[j:]
    k = j - 1
    while k >= 0 and words[k].lower() in ("former", "late", "then"):
        k -= 1
    if k < 0 or words[k].lower() in _NOT_BEFORE_NAME:
        return None  # 'a former aide to former Ukrainian President Leonid Kuchma': not Kuchma
    if len(run) > 3:
        titles, name = split_title(run)  # 'Economic and Fiscal Policy Minister Heizo Takenaka'
        return " ".join(name) if titles and 2 <= len(name) <= 3 else None
    return " ".join(run) if len(run) >= 2 else None


def _described_org(text: str, f: Found, idx: NameIndex) -> str | None:
    """Which organisation 'the firm' is: the last one named as speaking ('Macrovision said'),
    else the one named most often, else the last one named, before the quote."""
    pos = f.attr_pos if f.attr_pos >= 0 else f.stretch.open_pos
    hit = _speaking_person(text, idx, 0, pos, f.quoted, last=True, orgs=True)
    if hit and hit[2] == "organization":
        return hit[1]
    ms = idx.mentions
    orgs = [ms[k][2] for k in idx.between(0, pos) if ms[k][2].kind == "organization"]
    if not orgs:
        return None
    best = max(orgs, key=lambda e: e.count)
    return resolve_org((best if best.count > 1 else orgs[-1]).name, idx)


# 'the firm', 'the federal agency', 'the Japanese carmaker': a definite description of an organisation
_ORG_DESCRIPTION = re.compile(
    r"^(?:the|The)\s+(?:[\w-]+\s+){0,3}?(?:firm|company|group|agency|bank|airline|carrier|maker|carmaker|"
    r"manufacturer|retailer|broker|brokerage|insurer|lender|operator|conglomerate|corporation|ministry|"
    r"department|regulator|watchdog|organisation|organization|charity|union|club|studio|label|publisher|"
    r"network|broadcaster|giant|chain)$")


def _shorten(phrase: str, idx: NameIndex) -> str:
    """'a former aide to former Ukrainian President Leonid Kuchma' -> '… to Leonid Kuchma'."""
    def repl(m):
        toks = _strip_stop(m.group().split())
        titles, name = split_title(toks)
        # a person's titles go ('President Leonid Kuchma'); an organisation keeps its words ('Economy Ministry')
        return " ".join(name) if name and titles and classify_name(name) == "person" else m.group()
    out = CAPSEQ.sub(repl, phrase)
    out = _FORMER_BEFORE_NAME.sub("", out)
    out = _RELATIVE_TAIL.sub("", out)  # 'an executive who asked not to be identified' -> 'an executive'
    return out.strip(" ,")


_RELATIVE_TAIL = re.compile(r",?\s+(?:who|whom|whose|which)\s.*$")


_ROLE_HEADS = re.compile(r"^(?:the|The)\s+(?:[\w’'-]+\s+){0,4}?(minister|secretary|chancellor|president|premier|leader|governor|mayor|chairman|chairwoman|chief executive|boss|spokesman|spokeswoman|head|director|commissioner|chief|coach|manager|judge|archbishop|bishop|cardinal|general|ambassador|senator)$")
# Roles whose holder is often the one who spoke just before ('the minister has said. … Alan Johnson said.'); the
# others ('the judge', 'the archbishop') only by a mention with the role ('Judge Letitia Clark').
# Titles one person holds at a time, so the one named with it is the one meant
_ONE_HOLDER = frozenset(("chancellor", "president", "premier", "mayor", "governor"))
_SPEAKING_ROLES = frozenset("""minister secretary chancellor president premier leader governor mayor chairman chairwoman
boss spokesman spokeswoman head director commissioner chief""".split()) | {"chief executive"}


def _named_role(text: str, sp: Speaker, f: Found, idx: NameIndex, paragraphs) -> str | None:
    """'the work and pensions minister has said' next to '…, Alan Johnson said.'"""
    role = _ROLE_HEADS.match(sp.text)
    if not role:
        return None
    if role.group(1) not in _SPEAKING_ROLES:
        return _titled_person(text, idx, role.group(1), f.stretch.open_pos)
    title = sp.text.split(" ", 1)[1].lower()
    if " " in title or title in _ONE_HOLDER:
        # 'the foreign secretary', 'the chancellor': whoever the article gave that title ('Foreign Secretary
        # Jack Straw'), before anyone who spoke nearby ('… Roger Knapman said')
        who = _titled_person(text, idx, title, f.stretch.open_pos)
        if who is not None:
            return who
    before = _speaking_person(text, idx, f.stretch.open_pos - 300, f.stretch.open_pos, f.quoted, last=True)
    after = _speaking_person(text, idx, f.stretch.close_pos, f.stretch.close_pos + 350, f.quoted, last=False)
    if before and after:
        return before[1] if f.stretch.open_pos - before[0] < after[0] - f.stretch.close_pos else after[1]
    if before or after:
        return (before or after)[1]
    return _titled_person(text, idx, _ROLE_HEADS.match(sp.text).group(1), f.stretch.open_pos)


def _titled_person(text: str, idx: NameIndex, role: str, pos: int) -> str | None:
    """The person the article gave this role: 'director Ridley Scott', 'Tony Hunter, the
    organisation's president' (the nearest such mention before pos)."""
    ms = idx.mentions
    for k in reversed(idx.between(0, pos)):
        s, e, ent, _ = ms[k]
        if ent.kind != "person":
            continue
        if _holds_title(text[max(0, s - 40):s], role, at_end=True) or _holds_title(text[s:e], role) or \
                _APPOSITION_ROLE.match(text, e, e + 80) and role in text[e:e + 80].split(".")[0].lower():
            return ent.name
    return None


_APPOSITION_ROLE = re.compile(r",\s+(?:the|its|their|a|an|his|her)\s")


def _holds_title(name: str, role: str, at_end: bool = False) -> bool:
    """Do these words give the role (at their end, for the words before a name): 'Foreign Secretary Jack
    Straw' and 'director Ridley Scott' do; 'Deputy Prime Minister John Prescott' and 'shadow chancellor
    Oliver Letwin' do not give the prime minister's and the chancellor's."""
    words, title = name.lower().split(), role.split()
    n = len(title)
    starts = [len(words) - n] if at_end else range(len(words) - n + 1)
    i = next((i for i in starts if i >= 0 and words[i:i + n] == title), None)
    return i is not None and (i == 0 or words[i - 1] not in _NOT_THE_HOLDER)


_NOT_THE_HOLDER = frozenset(("deputy", "shadow", "vice", "former", "acting", "assistant", "junior", "ex"))


def _speaking_person(text, idx: NameIndex, lo: int, hi: int, quoted, last: bool, orgs: bool = False):
    """(position, name) of a person (or organisation) mention followed by a reporting verb
    in text[lo:hi]."""
    rng = idx.between(lo, hi)
    ms = idx.mentions
    for k in (reversed(rng) if last else rng):
        s, e, ent, _ = ms[k]
        if (ent.kind != "person" and not orgs) or _in_quote(s, quoted):
            continue
        nxt = [w.strip(".,;:") for w in text[e:e + 50].split()[:4]]
        if len(nxt) > 2 and nxt[0] in ("of", "at", "from") and nxt[1][:1].isupper():
            nxt = nxt[2:]  # 'Theodore Semegran of Shearson said'
        if nxt and nxt[0] in ("has", "had", "also", "later", "then"):
            nxt = nxt[1:]
        if nxt and nxt[0] in VERBS and not nxt[0].endswith("ing"):
            return s, (ent.name if ent.kind == "person" else resolve_org(ent.name, idx)), ent.kind
    return None


def _compatible(ent, gender: str) -> bool:
    return gender in ("?", "p", "n", "x") or ent.gender in ("?", gender)


def _resolve_pronoun(text: str, sp: Speaker, f: Found, idx: NameIndex, last: Found | None, paragraphs):
    g = sp.gender
    pos = f.attr_pos if f.attr_pos >= 0 else f.stretch.open_pos
    if g in ("p", "n"):
        # they/it: the last organisation speaker, or the last organisation named nearby
        if last is not None and last.resolved[1] in ("organization", "unnamed") and f.para - last.para <= 1:
            return last.resolved
        lo = paragraphs[max(0, f.para - 1)]["char_start"]
        org = idx.last_org(pos, lo)
        if org is not None:
            return resolve_org(org.name, idx), "organization"
        if g == "n":
            # 'Borussia Dortmund has warned it will …': a name with no sign of being a person
            ms = idx.mentions
            for k in reversed(idx.between(lo, pos)):
                ent = ms[k][2]
                if ent.kind == "person" and ent.gender == "?" and " " in ent.name and idx.strong(ms[k]) \
                        and not any(t.lower() in FIRST_M or t.lower() in FIRST_F or "." in t for t in ent.name.split()) \
                        and not _in_quote(ms[k][0], f.quoted):
                    return ent.name, "organization"
        return None
    if g == "?":  # I / we inside attribution is rare; treat like the last speaker
        return last.resolved if last is not None else None
    since = _search_start(f, last, paragraphs)
    # 'A spokesman for Airbus confirmed those terms. "…," he said.': an unnamed subject in this
    # paragraph, with no person named after it
    here = max(since, paragraphs[f.para]["char_start"], pos - 400)
    desc = None
    for desc in _UNNAMED_SUBJECT.finditer(text, here, pos):
        pass
    if desc is not None and not any(
            ms_[2].kind == "person" and not _in_quote(ms_[0], f.quoted)
            for ms_ in (idx.mentions[k] for k in idx.between(desc.end(), pos))) \
            and not _in_quote(desc.start(1), f.quoted):
        return desc.group(1).strip(), "unnamed"
    subject = _recent_person(text, g, f, idx, since, pos, paragraphs)
    if subject is not None:
        return subject, "person"
    if last is not None and last.resolved[1] == "person" and f.para - last.para <= 2:
        ent = idx.person(last.resolved[0])
        if ent is None or _compatible(ent, g):
            return last.resolved
    ms = idx.mentions
    for k in reversed(idx.between(pos - 2499, pos)):
        s, e, ent, _ = ms[k]
        if ent.kind == "person" and _compatible(ent, g) and not _in_quote(s, f.quoted):
            return ent.name, "person"
    if g in ("m", "f"):
        # 'Lawson said …. "…," he said' where the article never gives Lawson's first name: a one-word name
        # read as an organisation because it speaks ('Forbes said') is who 'he' or 'she' means when no
        # person can be
        for k in reversed(idx.between(max(since, pos - 1500), pos)):
            s, e, ent, _ = ms[k]
            if ent.lone and ent.kind == "organization" and not _in_quote(s, f.quoted) \
                    and ent.name not in _NOT_A_NAME and not _used_as_place_or_thing(text, ent.name):
                return ent.name, "person"
    return None


_NOT_A_NAME = frozenset(("Others",))  # 'Others said': the other words of the kind are no names at all (_STOP)


def _used_as_place_or_thing(text: str, word: str) -> bool:
    """'in Bonn', 'from Iraq', 'the new Cyacq proposal': the word names a place or a thing somewhere."""
    return re.search(rf"\b(?:the\s+(?:[a-z]+\s+)?|(?:in|from|to|at|of|for|against|into|across|near|inside|outside|"
                     rf"towards?)\s+){re.escape(word)}\b", text) is not None


def _search_start(f: Found, last: Found | None, paragraphs) -> int:
    """Where the search for whom 'he' or 'the striker' means starts: just after the last quote given to a
    person, but no earlier than the paragraph before (a name may open it)."""
    last_pos = last.stretch.close_pos if last is not None and last.resolved[1] == "person" else -1
    return max(last_pos + 1, paragraphs[max(0, f.para - 1)]["char_start"])


def _recent_person(text: str, g: str, f: Found, idx: NameIndex, since: int, pos: int, paragraphs) -> str | None:
    """The person of gender g that a pronoun or a description at pos refers to, among those named from
    `since` on (just after the last quote, or the start of the paragraph before)."""
    # A compatible person named after the last quote takes precedence: the last one reported as
    # speaking ('X, a board member of …, said that …', '…, said X'), else the last clause subject.
    # 'He' after 'X said cash trading should stay, something Deutsche Boerse could move' is X.
    # A speaker before the last subject counts only in that subject's sentence: 'Mr Cable said …
    # Mr Brown doubled the level … he told Today' is Mr Brown.
    ms = idx.mentions
    subject = None
    here_para, here_end = paragraphs[f.para]["char_start"], paragraphs[f.para]["char_end"]
    floor = here_para
    for k in reversed(idx.between(max(since, floor), pos)):
        m = ms[k]
        ent = m[2]
        if m[0] < floor:
            break
        if ent.kind != "person" or not _compatible(ent, g) or _in_quote(m[0], f.quoted):
            continue
        if _reported_speaking(text, idx, m):
            return ent.name
        if subject is None and idx.strong(m):
            subject = ent.name
            floor = _last_boundary(text, here_para, here_end, m[0], f.bounds)
    if subject is not None:
        return subject
    for k in reversed(idx.between(since, min(pos, here_para))):
        m = ms[k]
        ent = m[2]
        if ent.kind == "person" and _compatible(ent, g) and not _in_quote(m[0], f.quoted) \
                and (idx.strong(m) or _reported_speaking(text, idx, m)):
            return ent.name  # '…, said analyst Harold Wolkin.\n\n"…," he said.'
    return None


_UNNAMED_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?] ))((?:A|An|One) (?:[a-z-]+ ){0,3}?(?:spokesman|spokeswoman|official|analyst|source|"
    r"executive|diplomat|lawyer|trader|dealer|economist|banker)(?: (?:for|of|at|from) (?:the )?"
    r"[A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*)?) (?:[a-z]+ly )?[a-z]+(?:ed|s)\b", re.M)


_CLAUSE_END = re.compile(r"[.!?;:]\s|[\"“”«»\n]")
_RELATIVE = frozenset(("who", "whom", "whose", "which", "that", "has", "have", "had", "also"))


def _verb_after_apposition(text: str, at: int) -> bool:
    """After 'Name,': does an apposition end in a reporting verb? 'X, a board member of Germany's
    central bank, the Bundesbank, said', 'X, managing director of ISP Freedom2surf said' (not 'X, who
    said …': the verb of a relative clause)."""
    end = _CLAUSE_END.search(text, at, at + 200)
    words = text[at:end.start() if end else at + 200].split()[:30]
    for i, w in enumerate(words):
        w = w.strip(",")
        if w in VERBS and not w.endswith("ing"):
            return i > 0 and (words[i - 1].endswith(",") or words[i - 1] not in _RELATIVE)
    return False


# Verbs whose subject may follow them: '…, said X', '"…," added Tory spokesman X' (not 'told X': the listener).
_INVERTING = frozenset("""said says added adds explained explains noted notes observed continued insisted insists
argued argues remarked admitted admits declared commented wrote writes concluded stressed maintained acknowledged
conceded replied recalled suggested predicted cautioned reckoned claimed confirmed announced""".split())
# Such a verb, after a comma or a closing mark, with only a description between it and the name
# (not '…, said Junya Tanase of JPMorgan Chase').
_INVERTED_BEFORE = re.compile(r"[,\"”’]\s+([a-z]+)\s+(?:(?!of\b|at\b|from\b|for\b|with\b|and\b)[A-Za-z][\w.'’-]*\s+){0,6}$")
# 'Nicolas Sarkozy of France', 'William Corr of the Campaign for Tobacco-Free Kids'
_OF_PLACE = re.compile(r"(?:\s+(?:of|at|from|for)\s+(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})+")


def _reported_speaking(text: str, idx: NameIndex, m: tuple) -> bool:
    """Is the name mentioned at m reported as speaking: the subject of a reporting verb (an
    apposition may come between), or after one in the inverted order ('…, says X.')?"""
    s, e, _, poss = m
    if poss:
        return False
    if idx.strong(m):
        after = e
        o = _OF_PLACE.match(text, after)
        if o is not None:
            after = o.end()
        if text.startswith(",", after):
            return _verb_after_apposition(text, after + 1)
        nxt = [w.strip(".,;:") for w in text[after:after + 40].split()[:2]]
        if nxt and nxt[0] in ("has", "had", "also", "later", "then"):
            nxt = nxt[1:]
        if nxt and nxt[0] in VERBS and not nxt[0].endswith("ing"):
            return True
    if not text.startswith((".", ",", ";", ":", " (", " -", " –"), e) and e < len(text):
        return False
    b = _INVERTED_BEFORE.search(text, max(0, s - 90), s)
    return b is not None and b.group(1) in _INVERTING


def _in_quote(pos: int, quoted: list[tuple[int, int]]) -> bool:
    k = bisect.bisect_right(quoted, (pos, 1 << 60)) - 1
    return k >= 0 and quoted[k][0] <= pos < quoted[k][1]


def _subject_of_sentence(text, f: Found, found, idx, last, paragraphs):
    """`…, adding that …` / `…, saying it was "…"`: the subject of the main clause."""
    i = f.pos
    if i > 0 and found[i - 1].para == f.para and found[i - 1].resolved is not None and not f.lc_cut:
        return found[i - 1].resolved
    lo = paragraphs[f.para]["char_start"]
    cut = _last_boundary(text, lo, paragraphs[f.para]["char_end"], f.stretch.open_pos, f.bounds)
    inserted = _INSERTED_ATTRIBUTION.search(text, cut, f.attr_pos) if f.attr_pos > cut else None
    if inserted and is_verb(inserted.group(2), strict=True):
        sp = parse_np(inserted.group(1), idx, tail=True)  # '…, Czarnikow says, suggesting "…"'
    else:
        sp = _clause_subject(text[cut:f.stretch.open_pos], idx)
    if sp is None:
        return None
    return _resolve_speaker(text, sp, f, idx, last, paragraphs)


def _last_boundary(text: str, lo: int, hi: int, p: int, cache: dict) -> int:
    """Where the writer's sentence holding p starts: the end of the last _SENT_BOUNDARY match in
    text[lo:p], or lo.

    Rescanning the paragraph up to each quote made a paragraph with many quotes quadratic (a
    50 MB line); its boundaries are found once and bisected instead.  A match in the
    paragraph that ends at or before p is one in text[lo:p] as well (the mark at p is not white
    space), and the only extra one the cut-off string allows is a boundary right before p
    (its `$`), checked by hand."""
    ends = cache.get(lo)
    if ends is None:
        ends = cache[lo] = [m.end() for m in _SENT_BOUNDARY.finditer(text, lo, hi)]
    k = bisect.bisect_right(ends, p)
    cut = ends[k - 1] if k else lo
    j = p
    while j > lo and text[j - 1].isspace():
        j -= 1
    if j < p and j > lo and (text[j - 1] in ".!?" or text[j - 1] in "\"”’»" and j - 1 > lo and text[j - 2] in ".!?"):
        cut = p
    return cut


def _fallback(text: str, f: Found, last: Found | None, paragraphs):
    """No attribution at all: only a whole-clause quote, or a fragment in a paragraph that
    is already quoting someone, goes to the last speaker."""
    lc = getattr(f, "lc", "")
    full = _looks_full(text, f, lc)
    # 'Mr Howard said …. "Quote."': a person reported as speaking since the last quote
    lo = last.stretch.close_pos if last is not None else paragraphs[max(0, f.para - 1)]["char_start"]
    lo = max(lo, paragraphs[max(0, f.para - 1)]["char_start"])
    hit = _speaking_person(text, f.idx, lo, f.stretch.open_pos, f.quoted, last=True, orgs=True)
    if hit:
        return hit[1], hit[2]
    if last is None or last.resolved is None:
        return None
    gap = f.para - last.para
    if full and gap <= 1:
        return last.resolved
    if not full and gap <= 1 and not _TERM_BEFORE.search(lc):
        return last.resolved
    return None


# --------------------------------------------------------------------------
# 5. not speech


# After a quoted term: a lower-case noun, then the verb of the sentence ('"walkaway lease" deals have')
_MODIFIES_NOUN = re.compile(
    r"[ \t]+(?!(?:and|or|but|as|that|which|who|to|of|in|on|at|for|from|with|by|is|are|was|were|has|have|had|"
    r"will|would|can|could|may|might|must|should|he|she|it|they|we|i|you|this|these|those|if|when|while|because|"
    r"than|then|so|not|also|said|says|added|according|many|much|some|most|all|few|none|both|each|several|"
    r"no-one|nobody|everyone|anyone|someone|people)\b)[a-z][a-z-]+s?[ \t]+"
    r"(?:have|has|had|are|is|were|was|will|would|can|could|may|might|must|should)\b")


_EVALUATIVE = re.compile(r"(?i:quite|so|very|too|most|more|less|really|extremely|totally|completely|\w+ly)$")


def _not_speech(text: str, f: Found) -> bool:
    """Names and titles in marks, headings in marks, terms."""
    q = text[f.stretch.start:f.stretch.close_pos].strip().rstrip(",")
    words = [m.group() for m in islice(_WORDS.finditer(q), 7)]  # enough to tell a name from speech
    if not words:
        return True
    lc = getattr(f, "lc", "")
    if _NAMING_BEFORE.search(lc):
        return True
    o, c = f.stretch.open_pos, f.stretch.close_pos
    if len(words) <= 2 and all(w[0].isupper() for w in words) and _NICKNAME.search(text, max(0, o - 60), o + 1) \
            and _CAP_AFTER.match(text, c + 1):
        return True  # David "Fathead" Newman: a nickname inside a name
    if q.isupper() and len(words) > 1 and f.how not in ("right", "left"):
        return True
    if len(words) <= 3 and _MODIFIES_NOUN.match(text, c + 1) and not _ENDS_SENTENCE.search(q) \
            and not _EVALUATIVE.match(words[0]):
        # 'Analysts said "walkaway lease" deals have been used': a term before its noun; but '"quite
        # severe" measures were needed' is somebody's judgement
        return True
    if len(words) <= 6 and not _ENDS_SENTENCE.search(q):
        content = [w for w in words if w.lower() not in _SMALL]
        if content and all(w[0].isupper() for w in content) and not (len(content) == 1 and f.how in ("right", "left") and not lc.rstrip().endswith(("the", "a", "an"))):
            return True
    return False


def _kind(text: str, f: Found, found: list[Found]) -> str:
    if f.how == "inherit" or f.continues:
        src = getattr(f, "inherit_from", None)
        if src is not None and src.stretch.joined or f.continues:
            return "full"
    lc = getattr(f, "lc", "")
    if _looks_full(text, f, lc):
        return "full"
    q = text[f.stretch.start:f.stretch.close_pos].lstrip()
    return "full" if q[:1].isupper() and len(q.split()) >= 4 and not lc.strip() else "partial"


# --------------------------------------------------------------------------
# 6. reported speech (kind "indirect")
#
# Precision over recall: only two shapes, in body sentences without quotation marks,
#   <Name or pronoun> [has] <verb> [adverbial] [that] <clause>.   ('Hegseth stated that …')
#   <clause>, <Name or pronoun> <verb>.                          ('… rise, the minister said.')
# The speaker must be a name or a pronoun; descriptions ('officials said') are left out.

_INDIRECT_VERBS = (
    "said|says|stated|states|added|adds|argued|argues|claimed|claims|warned|warns|insisted|insists|"
    "explained|explains|noted|notes|announced|announces|suggested|suggests|acknowledged|acknowledges|"
    "admitted|admits|conceded|concedes|confirmed|confirms|maintained|maintains|contended|contends|"
    "predicted|predicts|reported|wrote|writes|asserted|asserts|stressed|stresses|emphasised|emphasized|"
    "reiterated|declared|declares|revealed|reveals|indicated|indicates|complained|complains|alleged|"
    "alleges|told|tells|informed|assured|reminded"
)




# A reporting verb after a space (a speaker always precedes it); the literal space lets the
# engine skip ahead quickly, which matters: this pattern scans every article.
_IND_VERB = re.compile(rf" ({word_trie(_INDIRECT_VERBS.split('|'))})(?!\w)")
_TELL_LIKE = {"told", "tells", "informed", "assured", "reminded"}
# after the verb: [object of tell] [short adverbial] [that] clause
_IND_OBJECT = re.compile(r"\s+(reporters|journalists|delegates|MPs|him|her|them|us|(?:the|a|an)\s+[\w-]+(?:\s+[A-Z][\w-]*)*|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)(?=\s)")
_IND_ADVERBIAL = re.compile(
    r"\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|last\s+(?:week|month|year|night)|"
    r"earlier|later|in\s+(?:a|an|his|her|its|their)\s+(?:statement|interview|letter|report|speech|filing|note)|"
    r"at\s+(?:a|the)\s+[\w-]+(?:\s+[\w-]+)?)(?=\s)"
)
_IND_THAT = re.compile(r"\s+that\s+")
# a clause without 'that' must open like one
_IND_CLAUSE_START = re.compile(
    r"\s+(?=(?:the|a|an|it|he|she|they|we|there|this|these|those|his|her|their|its|our|[A-Z][\w’'-]*|\d)\s+\S)")
_IND_TAIL = re.compile(
    rf",\s+((?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,4}})|he|she|they|it)(?:\s+(?:has|had|also))?\s+({_INDIRECT_VERBS})"
    r"(?:\s+(?:on\s+\w+day|yesterday|today|last\s+\w+|in\s+a\s+statement))?\s*[.!]?\s*$")
_IND_TAIL_INVERTED = re.compile(
    rf",\s+(said|added|stated|told reporters)\s+((?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,4}}))\s*[.!]?\s*$")
_HAS_MARK = re.compile(r"[\"“”«»„‹›]")  # single-quoted stretches are caught by the overlap test


def _indirect_candidates(text: str, paragraphs, sentences, found: list[Found]) -> list[tuple]:
    """Sentences with a reporting verb in one of the two shapes: (sentence, hit)."""
    body = quoted = starts = None  # set up at the first verb that passes the look at the word before
    seen: set[int] = set()
    out = []
    for m in _IND_VERB.finditer(text):  # one regex pass; most sentences never get looked at
        st = m.start()
        # cheap look at the word before: a name, a pronoun, an auxiliary ('has said'), a comma
        # ('…, said Mr X.'), or the verb ends its sentence ('…, the minister said.')
        w0 = st - 30 if st > 30 else 0
        j = text.rfind(" ", w0, st)
        j2 = text.rfind("\n", w0, st)
        prev = text[(j if j > j2 else j2) + 1:st]
        if not (prev[:1].isupper() or prev in _IND_PRONOUNS or prev in _IND_AUX_WORDS or prev.endswith(",")
                or text.startswith((".", " on ", " in a ", " yesterday", " today", " last "), m.end())):
            continue
        if starts is None:
            body = {p["paragraph_index"]: k for k, p in enumerate(paragraphs) if p.get("role", "body") == "body"}
            quoted = [(f.stretch.open_pos, f.stretch.close_pos) for f in found]
            starts = [x["char_start"] for x in sentences]
        k = bisect.bisect_right(starts, st) - 1
        if k < 0 or k in seen:
            continue
        sent = sentences[k]
        lo, hi = sent["char_start"], sent["char_end"]
        if m.end() > hi:
            continue
        pk = body.get(sent.get("paragraph_index"))
        j = bisect.bisect_right(quoted, (hi, 0))
        if pk is None or hi - lo < 20 or hi - lo > 1500 or j and quoted[j - 1][1] > lo:
            seen.add(k)  # not body text, or a direct quote in the sentence: the direct rows have it
            continue
        s = text[lo:hi]
        if _HAS_MARK.search(s):
            seen.add(k)  # a stray mark: unsure what is quoted
            continue
        hit = _indirect_forward(s, m.start() - lo)
        if hit is None and hi - m.end() < 40:
            hit = _indirect_backward(s)
        if hit is None:
            continue
        seen.add(k)
        out.append((sent, pk, lo, s, hit))
    return out


def _indirect(text: str, paragraphs, found: list[Found], idx, cands: list[tuple]) -> list[dict]:
    """Rows of kind 'indirect' (reported speech with a clear attribution)."""
    quoted = [(f.stretch.open_pos, f.stretch.close_pos) for f in found]
    direct = [f for f in found if f.resolved is not None]
    direct_pos = [f.stretch.open_pos for f in direct]
    bounds: dict[int, list[int]] = {}
    out = []
    for sent, pk, lo, s, hit in cands:
        sp_text, sp_at, verb, c0, c1 = hit
        c0, c1 = _trim_clause(s, c0, c1)
        if c1 - c0 < 12 or len(s[c0:c1].split()) < 3:
            continue
        sp = parse_np(sp_text, idx, tail=True)
        if sp is None or sp.kind == "unnamed":
            continue
        if sp.kind == "organization" and " " not in sp.text and not sp.text.isupper() \
                and sp.text.lower() not in idx.orgs:
            continue  # 'Officials said …': a capitalised common noun, not a name
        f = Found(Stretch(lo + c0 - 1, lo + c1, True, "i"), pk)
        f.quoted, f.idx, f.attr_pos, f.bounds = quoted, idx, lo + sp_at, bounds
        j = bisect.bisect_left(direct_pos, lo) - 1
        last = direct[j] if j >= 0 else None
        resolved = _resolve_speaker(text, sp, f, idx, last, paragraphs)
        if resolved is None:
            continue
        out.append({
            "char_start": lo + c0, "char_end": lo + c1, "quote": text[lo + c0:lo + c1],
            "speaker": resolved[0], "speaker_kind": resolved[1], "kind": "indirect", "verb": verb,
            "sentence_index": sent.get("sentence_index"), "paragraph_index": sent.get("paragraph_index"),
            "flagged": False,
        })
    return out


_IND_AUX_WORDS = {"has", "have", "had", "also", "later", "then", "previously", "earlier", "recently", "again"}
_IND_PRONOUNS = {"he", "she", "they", "it", "He", "She", "They", "It"}
_IND_CONJ = {"and", "but", "while", "as", "when", "because", "although", "though"}


def _indirect_forward(s: str, at: int):
    """'<NP> [has] <verb> [obj] [adverbial] [that] <clause>' with the verb at s[at:]
    -> (np, np_pos, verb, clause_start, clause_end). Looks at most 150 characters back."""
    m = _IND_VERB.match(s, at)
    if m is None:
        return None
    base = max(0, m.start(1) - 150)
    before = s[base:m.start(1)].rstrip()
    while True:  # 'has also said': drop auxiliaries and adverbs
        head, _, last = before.rpartition(" ")
        if last not in _IND_AUX_WORDS:
            break
        before = head.rstrip()
    last = before.rpartition(" ")[2]
    if last in _IND_PRONOUNS:
        np_text, np_at = last, len(before) - len(last)
    elif last.lower() == last:
        # no capital in the last word: no capitalised chunk (its last word starts with one) ends here
        return None
    else:
        caps = None
        for caps in CAPSEQ.finditer(before, max(0, len(before) - 80)):
            pass
        if caps is None or caps.end() != len(before) or caps.group().endswith(("'s", "’s")):
            return None
        np_text, np_at = caps.group(), caps.start()
    lead = s[:base + np_at].rstrip()
    if lead and lead[-1] not in ",;:" and lead.rpartition(" ")[2] not in _IND_CONJ and not _sentence_opener(lead):
        return None
    verb = m.group(1)
    pos = m.end()
    if verb in _TELL_LIKE:
        o = _IND_OBJECT.match(s, pos)
        if o is None:
            return None
        verb = f"{verb} {o.group(1)}" if verb in ("told", "tells", "informed") else verb
        pos = o.end()
    a = _IND_ADVERBIAL.match(s, pos)
    if a:
        pos = a.end()
    t = _IND_THAT.match(s, pos)
    if t:
        start = t.end()
    elif a is None and _IND_CLAUSE_START.match(s, pos):
        start = pos + 1
    else:
        return None
    return np_text, base + np_at, verb, start, len(s)


def _sentence_opener(lead: str) -> bool:
    """'However, ' / 'On Monday, ' / 'In a statement, ' before the speaker: still its clause's start."""
    lead = lead.strip()
    return lead == "" or lead.endswith(",") and len(lead.split()) <= 5


def _indirect_backward(s: str):
    """'<clause>, <NP> <verb>.' / '<clause>, said <Name>.'"""
    m = _IND_TAIL.search(s)
    if m:
        return m.group(1), m.start(1), m.group(2), 0, m.start()
    m = _IND_TAIL_INVERTED.search(s)
    if m:
        return m.group(2), m.start(2), m.group(1), 0, m.start()
    return None


def _trim_clause(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a].isspace():
        a += 1
    while b > a and (s[b - 1].isspace() or s[b - 1] in ".,;:"):
        b -= 1
    return a, b
