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
from dataclasses import dataclass

from newsdesk.attribution import (
    CAPSEQ, PRONOUNS, VERBS, NameIndex, Speaker, build_index, classify_name, is_verb, parse_np,
    resolve_org, split_title, _strip_stop,
)
from newsdesk.quotes_marks import Stretch, find_stretches

QUOTE_ROLES = ("body", "dek")

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


def extract_quotes(text: str, paragraphs: list[dict], sentences: list[dict]) -> list[dict]:
    found = _find_all(text, paragraphs)
    if not found:
        return []
    idx = build_index(text)
    quoted = [(f.stretch.open_pos, f.stretch.close_pos) for f in found]
    for i, f in enumerate(found):
        f.pos = i
    for f in found:
        f.quoted = quoted
        f.idx = idx
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
    return rows


# --------------------------------------------------------------------------
# 1. stretches


def _find_all(text: str, paragraphs: list[dict]) -> list[Found]:
    found: list[Found] = []
    prev_open: tuple[int, Found] | None = None  # paragraph whose quote ran to its end
    for pi, p in enumerate(paragraphs):
        lo, hi = p["char_start"], p["char_end"]
        if p.get("role", "body") not in QUOTE_ROLES:
            prev_open = None
            continue
        stretches, damaged = find_stretches(text, lo, hi)
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
    s = text[lo:f.stretch.open_pos]
    cut = None
    for m in _SENT_BOUNDARY.finditer(s):
        cut = m.end()
    f.lc_cut = cut is not None
    return s[cut:] if cut is not None else s


def _right_context(text: str, f: Found, nxt: Found | None, paragraphs) -> str:
    if not f.stretch.closed:
        return ""
    hi = paragraphs[f.para]["char_end"]
    if nxt is not None:
        hi = min(hi, nxt.stretch.open_pos)
    s = text[f.stretch.close_pos + 1:hi]
    m = _SENT_BOUNDARY.search(s)
    return s[:m.start() + 1] if m else s


def _sentence_tail(text: str, f: Found, paragraphs) -> str:
    """From the closing mark to the end of the writer's sentence (may pass other quotes)."""
    if not f.stretch.closed:
        return ""
    hi = paragraphs[f.para]["char_end"]
    s = text[f.stretch.close_pos + 1:hi]
    # skip boundaries that sit inside later quoted stretches: good enough to take the
    # first boundary that is followed by a capital outside a quote mark
    m = _SENT_BOUNDARY.search(s)
    return s[:m.start() + 1] if m else s


_VERB_FIRST = re.compile(r"^[\s,–—-]*(?P<verb>[a-z]+(?: on)?)\b(?P<rest>[^.!?]*)")
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


def _right_attr(rc: str, idx: NameIndex) -> tuple[Speaker, str] | None:
    """`"…," he said` / `"…," said X` / `"…," X, a minister, said`."""
    if not rc or not re.match(r"^\s*[,–—-]?\s*\S", rc) or re.match(r"^\s*[.;:!?]", rc):
        return None
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
        if sp is None:
            return None
        chunk_words = len(chunk.split())
        known = word.lower() in VERBS
        if not known and not (sp.kind in ("pronoun", "person") and chunk_words <= 4):
            return None  # an unknown -ed word only right after a short name
        if not known and not re.match(r"^\s*(?:[,.;:!?]|$|\s(?:that|on|in|at|during|after|before|when|while|to|as|adding|saying)\b)", rc[w.end():]):
            return None
        return sp, _verb_phrase(word, rc[w.end():])
    return None


def _left_attr(lc: str, idx: NameIndex, full: bool) -> tuple[Speaker | None, str, str, int] | None:
    """`X said: "…` / `He told reporters "…` / `X said the rates were "…`.

    Returns (speaker or None for a subjectless participle, verb, how)."""
    words = list(_WORD_RE.finditer(lc))
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        word = w.group()
        after = lc[w.end():]
        tail_words = len(after.split())
        if full and tail_words > 9:
            return None
        strict = is_verb(word, strict=True)
        loose = is_verb(word) and re.fullmatch(r"\s*[:,]?\s*", after) is not None
        if not (strict or loose):
            continue
        if word[0].isupper():
            continue
        before = lc[:w.start()]
        if word.endswith("ing") and re.search(r"(?:^|,)\s*$", before):
            return None, _verb_phrase(word, after), "participle", w.start()
        sp = parse_np(before, idx, tail=True)
        if sp is None:
            if re.search(r"\b(?:and|but)\s*$", before):
                sp = _clause_subject(before, idx)
            if sp is None:
                continue
        return sp, _verb_phrase(word, after), "left", w.start()
    return None


def _clause_subject(before: str, idx: NameIndex) -> Speaker | None:
    """'In an interview, Kellogg refrained from … but' -> Kellogg."""
    for part in re.split(r"\s*,\s*", before):
        m = re.match(r"\s*((?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'.-]*|he|she|He|She|they|They)\s+[a-z]+", part)
        if m:
            sp = parse_np(m.group(1), idx, tail=True)
            if sp:
                return sp
    return None


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
    if prev is None and f.stretch.open_pos == paragraphs[f.para]["char_start"] and f.para > 0:
        # a quote opening a paragraph may be introduced at the end of the one before (`X said:`)
        pp = paragraphs[f.para - 1]
        before = text[pp["char_start"]:pp["char_end"]]
        if before.rstrip().endswith(":") and pp.get("role", "body") in QUOTE_ROLES:
            lc = before.rstrip()[:-1].rsplit(". ", 1)[-1] + ":"
    # the quote's last character, looking through closing marks of nested quotes
    q_end = text[f.stretch.start:f.stretch.close_pos].rstrip("'’\"”»› ")[-1:] if f.stretch.closed else ""
    if q_end in (".", "?", "!") and re.match(r"\s+[\"“‘«]?[A-Z]", rc):
        # the sentence ended inside the quote: only `"…?" Mr X asked.` attributes it
        m = re.match(r"\s+((?:[A-Z][\w’'-]*\s+){0,3}?[A-Z][\w’'-]*|he|she|He|She)\s+([a-z]+)\s*[.,]", rc)
        rc = rc if m and is_verb(m.group(2)) else ""
    elif q_end not in (",", ".", "?", "!", "…") and not re.match(r"\s*[,–—(]|\s+-\s", rc):
        # a fragment woven into the writer's sentence: `"…" to deploy`, not `"…," he said`
        m = re.match(r"[\s,]*(\S+)", rc)
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
    fin = _final_attr(_sentence_tail(text, f, paragraphs), idx)
    if fin and not full:
        f.speaker, f.verb, f.how = fin[0], fin[1], "final"


def _looks_full(text: str, f: Found, lc: str) -> bool:
    """Whole clauses: the quote starts its sentence, follows a colon/comma, or starts upper-case
    right after a verb."""
    s = lc.rstrip()
    q = text[f.stretch.start:f.stretch.start + 40].lstrip()
    if not s or s[-1] in ":,;–—-" or s.endswith(("that", "whereby")) and q[:1].isupper():
        return True
    if q[:1].isupper() and s.split()[-1].lower() in VERBS:
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
        if f.speaker is None and f.stretch.joined and nxt.para == f.para and nxt.speaker is not None:
            f.speaker, f.how = nxt.speaker, "inherit"
            f.inherit_from = nxt


def _gap_is_short(f: Found) -> bool:
    """Only the writer's sentence boundary between two quotes: `"A." "B."`."""
    lc = getattr(f, "lc", "")
    return len(lc.strip()) == 0


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
    if sp.kind == "pronoun":
        return _resolve_pronoun(text, sp, f, idx, last, paragraphs)
    if sp.kind == "person":
        ent = idx.person(sp.text, f.attr_pos)
        return (ent.name if ent else sp.text), "person"
    if sp.kind == "organization":
        return resolve_org(sp.text, idx), "organization"
    # unnamed: a definite role may be named nearby ('the minister has said. … Alan Johnson said.')
    named = _named_role(text, sp, f, idx, paragraphs)
    if named:
        return named, "person"
    return _shorten(sp.text, idx), "unnamed"


def _shorten(phrase: str, idx: NameIndex) -> str:
    """'a former aide to former Ukrainian President Leonid Kuchma' -> '… to Leonid Kuchma'."""
    def repl(m):
        toks = _strip_stop(m.group().split())
        titles, name = split_title(toks)
        return " ".join(name) if name and titles else m.group()
    out = CAPSEQ.sub(repl, phrase)
    out = re.sub(r"\b(?:former|late)\s+(?=[A-Z])", "", out)
    return out.strip(" ,")


_ROLE_HEADS = re.compile(r"^(?:the|The)\s+(?:[\w-]+\s+){0,4}?(minister|secretary|chancellor|president|premier|leader|governor|mayor|chairman|chairwoman|chief executive|boss|spokesman|spokeswoman|head|director|commissioner|chief)$")


def _named_role(text: str, sp: Speaker, f: Found, idx: NameIndex, paragraphs) -> str | None:
    """'the work and pensions minister has said' next to '…, Alan Johnson said.'"""
    if not _ROLE_HEADS.match(sp.text):
        return None
    before = _speaking_person(text, idx, f.stretch.open_pos - 300, f.stretch.open_pos, f.quoted, last=True)
    after = _speaking_person(text, idx, f.stretch.close_pos, f.stretch.close_pos + 350, f.quoted, last=False)
    if before and after:
        return before[1] if f.stretch.open_pos - before[0] < after[0] - f.stretch.close_pos else after[1]
    return (before or after or (None, None))[1]


def _speaking_person(text, idx: NameIndex, lo: int, hi: int, quoted, last: bool):
    """(position, name) of a person mention followed by a reporting verb in text[lo:hi]."""
    hits = []
    for s, e, ent, strong in idx.mentions:
        if s < lo or ent.kind != "person":
            continue
        if s >= hi:
            break
        if _in_quote(s, quoted):
            continue
        nxt = [w.strip(".,;:") for w in text[e:e + 30].split()[:3]]
        if nxt and nxt[0] in ("has", "had", "also", "later", "then"):
            nxt = nxt[1:]
        if nxt and nxt[0] in VERBS and not nxt[0].endswith("ing"):
            hits.append((s, ent.name))
            if not last:
                break
    return (hits[-1] if last else hits[0]) if hits else None


def _compatible(ent, gender: str) -> bool:
    return gender in ("?", "p", "n") or ent.gender in ("?", gender)


def _resolve_pronoun(text: str, sp: Speaker, f: Found, idx: NameIndex, last: Found | None, paragraphs):
    g = sp.gender
    pos = f.attr_pos if f.attr_pos >= 0 else f.stretch.open_pos
    if g in ("p", "n"):
        # they/it: the last organisation speaker, or the last organisation named nearby
        if last is not None and last.resolved[1] in ("organization", "unnamed") and f.para - last.para <= 1:
            return last.resolved
        org = idx.last_org(pos, paragraphs[max(0, f.para - 1)]["char_start"])
        if org is not None:
            return resolve_org(org.name, idx), "organization"
        return None
    if g == "?":  # I / we inside attribution is rare; treat like the last speaker
        return last.resolved if last is not None else None
    para_lo = paragraphs[max(0, f.para - 1)]["char_start"]
    last_pos = last.stretch.close_pos if last is not None and last.resolved[1] == "person" else -1
    since = max(last_pos, para_lo)
    # a compatible person named (as a subject) after the last quote takes precedence
    cand = None
    for s, e, ent, strong in idx.mentions:
        if s >= pos:
            break
        if s > since and strong and ent.kind == "person" and _compatible(ent, g) and not _in_quote(s, f.quoted):
            cand = ent
    if cand is not None:
        return cand.name, "person"
    if last is not None and last.resolved[1] == "person" and f.para - last.para <= 2:
        ent = idx.person(last.resolved[0])
        if ent is None or _compatible(ent, g):
            return last.resolved
    for s, e, ent, strong in reversed(idx.mentions):
        if s < pos and ent.kind == "person" and _compatible(ent, g) and pos - s < 2500 and not _in_quote(s, f.quoted):
            return ent.name, "person"
    return None


def _in_quote(pos: int, quoted: list[tuple[int, int]]) -> bool:
    k = bisect.bisect_right(quoted, (pos, 1 << 60)) - 1
    return k >= 0 and quoted[k][0] <= pos < quoted[k][1]


def _subject_of_sentence(text, f: Found, found, idx, last, paragraphs):
    """`…, adding that …` / `…, saying it was "…"`: the subject of the main clause."""
    i = f.pos
    if i > 0 and found[i - 1].para == f.para and found[i - 1].resolved is not None and not f.lc_cut:
        return found[i - 1].resolved
    lo = paragraphs[f.para]["char_start"]
    s = text[lo:f.stretch.open_pos]
    cut = None
    for m in _SENT_BOUNDARY.finditer(s):
        cut = m.end()
    sent = s[cut:] if cut else s
    sp = _clause_subject(sent, idx)
    if sp is None:
        return None
    return _resolve_speaker(text, sp, f, idx, last, paragraphs)


def _fallback(text: str, f: Found, last: Found | None, paragraphs):
    """No attribution at all: only a whole-clause quote, or a fragment in a paragraph that
    is already quoting someone, goes to the last speaker."""
    lc = getattr(f, "lc", "")
    full = _looks_full(text, f, lc)
    # 'Mr Howard said …. "Quote."': a person reported as speaking since the last quote
    lo = last.stretch.close_pos if last is not None else paragraphs[max(0, f.para - 1)]["char_start"]
    lo = max(lo, paragraphs[max(0, f.para - 1)]["char_start"])
    hit = _speaking_person(text, f.idx, lo, f.stretch.open_pos, f.quoted, last=True)
    if hit:
        return hit[1], "person"
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


def _not_speech(text: str, f: Found) -> bool:
    """Names and titles in marks, headings in marks, terms."""
    q = text[f.stretch.start:f.stretch.close_pos].strip().rstrip(",")
    words = _WORDS.findall(q)
    if not words:
        return True
    lc = getattr(f, "lc", "")
    if re.search(r"\b(?:so-called|dubbed|nicknamed|named|titled|entitled|known as)\s*$", lc, re.I):
        return True
    if q.isupper() and len(words) > 1 and f.how not in ("right", "left"):
        return True
    if len(words) <= 6 and not re.search(r"[.!?]$", q):
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
