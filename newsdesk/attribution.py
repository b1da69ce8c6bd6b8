"""Who said it: reporting verbs, speaker noun phrases and name resolution.

Everything here works on short context strings around a quote (the clause
before the opening mark, the clause after the closing mark), so the cost is
independent of article length except for one regex pass that indexes names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Reporting verbs. A core lexicon of lemmas, inflected by rule; positions
# that can only hold a verb (`"…," Hegseth articulated.`) also accept any
# unknown past-tense word, so the lexicon is a floor, not a ceiling.
_LEMMAS = """
say tell add explain state note warn insist claim argue declare announce ask answer reply respond
remark comment observe suggest admit acknowledge concede confirm deny stress emphasize emphasise
underline underscore write tweet post conclude continue recall predict promise pledge vow urge
assert maintain contend complain lament boast joke quip muse reckon estimate forecast caution
advise articulate inform reveal report indicate mention highlight signal testify counter retort
interject agree disagree question wonder demand charge accuse allege criticise criticize praise
hail welcome dismiss reject describe brand affirm reaffirm reiterate repeat elaborate summarise
summarize exclaim shout whisper cry plead hint imply venture offer opine proclaim profess propose
read recommend remind specify assure reassure concur object protest blog text email announce believe
think feel worry fear hope threaten add observe point recount acknowledge caution stress begin
go murmur mutter sigh scream yell snap bark gush enthuse rage fume laugh smile nod predict
concede confess disclose divulge instruct order command direct appeal request inquire enquire call term label
""".split()
_IRREGULAR = {
    "say": ["said", "says", "saying", "say"],
    "tell": ["told", "tells", "telling", "tell"],
    "write": ["wrote", "writes", "writing", "written"],
    "think": ["thought", "thinks", "thinking"],
    "feel": ["felt", "feels", "feeling"],
    "begin": ["began", "begins"],
    "go": ["went on", "goes on"],
    "cry": ["cried", "cries"],
    "read": ["read", "reads"],
    "fear": ["fears", "feared"],
}
_NOT_REPORTING = {"point", "go", "begin", "continue", "offer", "order", "direct", "charge", "post", "text",
                  "question", "object", "report", "brand", "signal", "counter", "answer", "hope", "fear",
                  "smile", "nod", "laugh", "worry", "feel", "think", "believe", "welcome", "praise", "hail",
                  "dismiss", "reject", "describe", "request", "appeal", "promise", "cry", "protest"}


def _inflect(lemma: str) -> list[str]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        past, ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    elif re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma) and lemma in ("admit", "quip", "stop", "plan", "snap", "commit", "regret", "refer", "prefer", "confer", "occur"):
        past, ing = lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    else:
        past, ing = lemma + "ed", lemma + "ing"
    third = lemma + ("es" if re.search(r"(s|sh|ch|x|z)$", lemma) else "s")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        third = lemma[:-1] + "ies"
    return [past, third, ing]


VERBS: dict[str, str] = {}  # form -> lemma, for the clearly reporting ones
for _l in _LEMMAS:
    for _f in _inflect(_l):
        VERBS.setdefault(_f, _l)
# Forms that report speech only next to a quote, not inside a free sentence.
WEAK_VERBS = {f for f, l in VERBS.items() if l in _NOT_REPORTING}
# Words ending in -ed that are never the reporting verb after a quote.
_NOT_VERB_ED = {"need", "speed", "seed", "bed", "red", "shed", "bred", "indeed", "united", "hundred", "embed", "feed"}


def is_verb(word: str, strict: bool = False) -> bool:
    """A reporting verb form. strict=False also takes unknown past tenses (-ed)."""
    w = word.lower()
    if w in VERBS:
        return not strict or w not in WEAK_VERBS
    return not strict and len(w) > 4 and w.endswith("ed") and w not in _NOT_VERB_ED


# --------------------------------------------------------------------------
# Names.

PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "i": "?", "we": "p"}
_PARTICLES = r"(?:de|da|di|del|della|der|den|van|von|bin|ibn|al|el|le|la|du|dos|das|ter|ten|y)"
_CAP = r"(?:[A-Z](?:[\w.&-]|[’'](?![sS]\b))*\w|[A-Z]\.?)"
CAPSEQ = re.compile(rf"[A-Z](?<![\w’'-][A-Z])(?:[\w.&-]|[’'](?![sS]\b))*\w?(?:(?:[ \t]+{_PARTICLES})?[ \t]+{_CAP})*(?:[’']s\b)?")

TITLES_M = {"mr", "sir", "lord", "mister", "king", "prince", "father", "baron", "duke", "count"}
TITLES_F = {"mrs", "ms", "miss", "lady", "dame", "baroness", "queen", "princess", "duchess", "madam"}
_HONORIFIC = TITLES_M | TITLES_F | {"dr", "prof", "professor", "rev", "reverend", "rabbi", "sheikh", "imam", "mx"}
ROLE_WORDS = _HONORIFIC | set("""
president prime minister secretary general chancellor deputy foreign defense defence health home shadow
chief director chairman chairwoman chair governor senator sen rep representative mayor pope bishop
archbishop judge justice lieutenant lt colonel col major captain capt sergeant sgt admiral commander gen
ambassador envoy commissioner spokesman spokeswoman spokesperson leader speaker attorney officer premier
coach manager vice acting former interior finance trade treasury economy environment education culture
transport state war energy agriculture security adviser advisor economist analyst strategist
correspondent editor ceo cfo coo founder chairperson first senior junior assistant associate executive
national sir lord president-elect emir ayatollah cardinal marshal corporal private inspector superintendent
constable detective chief-executive boss head director-general secretary-general mp mep msp congressman
congresswoman councillor councilman governor-general minister-president vice-president deputy-leader
striker midfielder defender winger goalkeeper keeper skipper fly-half scrum-half full-back flanker hooker prop
batsman bowler captain champion star singer actor actress producer rapper frontman guitarist drummer author
writer novelist comedian presenter host veteran rookie owner partner designer architect campaigner
""".split())
ORG_WORDS = set("""
party bank association ministry council service reserve commission committee agency inc ltd corp corporation
company co group union board office department court institute university college foundation trust fund
authority federation organisation organization society center centre club network times news post press
parliament assembly senate congress government administration army navy police alliance league markets
airlines motors holdings industries systems labs media executive cabinet commons lords kremlin embassy
fed exchange plc llc gmbh ag sa nv bureau forces command secretariat tribunal institution watchdog
conference federation industry regulator unit team agency consortium coalition movement front
standard guardian telegraph journal herald gazette tribune chronicle magazine newspaper radio tv television
channel studios records pictures entertainment airways railways telecom energy oil petroleum motor
fc united city rovers athletic wanderers albion county town hotspur villa airline airlines
""".split())
ORG_PLURALS = {"tories", "tory", "conservatives", "labour", "democrats", "republicans", "lib", "dems", "liberals",
               "greens", "socialists", "nationalists", "unionists", "taliban", "hamas", "hezbollah"}
# Capitalised words that begin sentences or headlines but never names.
_STOP = set("""
the a an and but or so if in on at by for to of from with as after before when while since though although
this that these those there here it its he she they we i you his her their our my your who what where why how
however meanwhile also yet still then now today yesterday tomorrow last next new speaking according
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december one two three some many most more several other both all each every
no not earlier later during under over about against between despite instead only even just such
""".split())
# First words that make a capitalised chunk a place, body or event, never a person.
_NOT_FIRST_NAME = set("""
american british english scottish welsh irish french german italian spanish russian chinese japanese indian
european african asian australian canadian mexican brazilian israeli palestinian iraqi iranian afghan pakistani
korean ukrainian polish dutch swedish norwegian danish finnish greek turkish arab saudi egyptian syrian lebanese
swiss austrian belgian portuguese argentine nigerian kenyan soviet western eastern northern southern central
south north east west new united royal national international federal supreme grand golden white holy old
great world premier champions davis ryder six olympic commonwealth christmas easter downing wall silicon real
""".split())


_PERSON_ROLES = {"striker", "midfielder", "defender", "winger", "goalkeeper", "keeper", "skipper", "captain",
                 "coach", "manager", "boss", "spokesman", "spokeswoman", "singer", "star", "player", "forward",
                 "playmaker", "rapper", "actor", "actress", "director"}


@dataclass
class Entity:
    name: str  # fullest form seen
    kind: str  # person | organization
    gender: str = "?"
    count: int = 0


@dataclass
class NameIndex:
    """Every capitalised name of the article, keyed by surname / first word."""

    by_last: dict[str, list[Entity]] = field(default_factory=dict)
    orgs: dict[str, Entity] = field(default_factory=dict)
    mentions: list[tuple[int, int, Entity, bool]] = field(default_factory=list)  # start, end, entity, strong

    def person(self, name: str, pos: int | None = None) -> Entity | None:
        toks = name.split()
        if not toks:
            return None
        cands = self.by_last.get(toks[-1].lower())
        if not cands:
            return None
        fits = [e for e in cands if all(t in e.name.split() for t in toks)] or cands
        if len(fits) > 1 and pos is not None:
            # two people share a surname: the one named last before this point
            for s, _, ent, _ in reversed(self.mentions):
                if s < pos and ent in fits:
                    return ent
        # else the most frequent full form that agrees with the given first names
        return max(fits, key=lambda e: (e.count, len(e.name)))

    def last_org(self, pos: int, lo: int) -> Entity | None:
        for s, _, ent, strong in reversed(self.mentions):
            if lo <= s < pos and ent.kind == "organization":
                return ent
        return None


def split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """'US War Secretary Pete Hegseth' -> (['US','War','Secretary'], ['Pete','Hegseth'])."""
    last_role = -1
    for k, t in enumerate(tokens):
        if t.lower().strip(".") in ROLE_WORDS:
            last_role = k
    return tokens[: last_role + 1], tokens[last_role + 1:]


def _strip_stop(tokens: list[str]) -> list[str]:
    while tokens and tokens[0].lower() in _STOP:
        tokens = tokens[1:]
    return tokens


_ORG_ANY = ORG_WORDS | ORG_PLURALS


def classify_name(tokens: list[str]) -> str:
    """person | organization for a capitalised chunk (titles already split off)."""
    low = {t.lower().strip(".") for t in tokens}
    if low & _ORG_ANY:
        return "organization"
    if any(len(t) >= 2 and t.isupper() and t.isalpha() for t in tokens):
        return "organization"
    return "person"


_MALE_AFTER = re.compile(r",?\s*(?:a |the )?[\w\s]{0,30}?\b(?:spokesman|chairman|businessman)\b")
_FEMALE_AFTER = re.compile(r",?\s*(?:a |the )?[\w\s]{0,30}?\b(?:spokeswoman|chairwoman|businesswoman)\b")


def gender_of(title_tokens: list[str], context_after: str = "") -> str:
    low = {t.lower().strip(".") for t in title_tokens}
    if low & TITLES_M:
        return "m"
    if low & TITLES_F:
        return "f"
    if "spokes" in context_after or "man" in context_after:
        if _MALE_AFTER.match(context_after):
            return "m"
        if _FEMALE_AFTER.match(context_after):
            return "f"
    return "?"


# Words after which a name is an object, not a clause subject.
_WEAK_BEFORE = set("""by of to with for from at on about against between than and or under like whom as the a an
three two four five this that these those his her their its our into over beat beating won winning play playing
""".split())
_SKIP_BEFORE = {"former", "late", "then", "retired", "ex", "the", "new", "fellow", "rival"}
_ROLE_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(_PERSON_ROLES)) + r")\s+$")
_AGE_AFTER = re.compile(r",\s*\d{2},")


def build_index(text: str) -> NameIndex:
    """One pass over capitalised chunks: persons by surname, organisations."""
    idx = NameIndex()
    by_last, mentions = idx.by_last, idx.mentions
    for m in CAPSEQ.finditer(text):
        raw = m.group()
        if " " not in raw and "\t" not in raw:
            # fast path for the many one-word chunks (sentence starts, places)
            low = raw.lower()
            if low in _STOP or low in ROLE_WORDS:
                continue
            if low not in by_last and low not in _ORG_ANY and not raw.isupper() and not raw.endswith(("'s", "’s")) \
                    and not _ROLE_BEFORE.search(text, max(0, m.start() - 20), m.start()) \
                    and not _AGE_AFTER.match(text, m.end(), m.end() + 6):
                continue
        poss = raw.endswith(("'s", "’s"))
        toks = (raw[:-2] if poss else raw).split()
        toks = _strip_stop(toks)
        if not toks:
            continue
        titles, name = split_title(toks)
        if not name:
            continue
        if len(name) > 4 or any(t.lower() in _STOP or t.lower() in PRONOUNS for t in name[1:]):
            continue  # a headline or a work's title in title case, not a name
        kind = classify_name(name)
        if kind == "person" and len(name) == 1 and not titles and (
                _ROLE_BEFORE.search(text, max(0, m.start() - 20), m.start())
                or _AGE_AFTER.match(text, m.end(), m.end() + 6)):
            titles = ["?"]  # 'midfielder Edu', 'Edu, 26,': a one-name person
        if kind == "person" and (len(name) == 1 and not titles):
            # a bare single word is a person only if a fuller form or a title shows it
            ents = idx.by_last.get(name[0].lower())
            if ents:
                ent = max(ents, key=lambda e: e.count)
                ent.count += 1
                idx.mentions.append((m.start(), m.end(), ent, _strong(text, m.start()) and not poss))
            continue
        if kind == "person" and name[0].lower() in _NOT_FIRST_NAME and not titles:
            continue  # 'Scottish Parliament', 'European Union'
        if kind == "organization":
            key = " ".join(name).lower()
            ent = idx.orgs.get(key) or Entity(" ".join(name), "organization")
            ent.count += 1
            idx.orgs[key] = ent
            idx.mentions.append((m.start(), m.end(), ent, True))
            continue
        g = gender_of(titles, text[m.end():m.end() + 40])
        last = name[-1].lower()
        ents = idx.by_last.setdefault(last, [])
        full = " ".join(name)
        ent = next((e for e in ents if e.name == full or (len(name) == 1 and e.kind == "person")), None)
        if ent is None:
            ent = next((e for e in ents if full in e.name or e.name in full), None)
            if ent is not None and len(full) > len(ent.name):
                ent.name = full
        if ent is None:
            ent = Entity(full, "person")
            ents.append(ent)
        ent.count += 1
        if ent.gender == "?":
            ent.gender = g
        idx.mentions.append((m.start(), m.end(), ent, _strong(text, m.start()) and not poss))
    return idx


def _strong(text: str, start: int) -> bool:
    """A mention that can be a clause subject: not after a preposition, article or verb."""
    words = text[max(0, start - 40):start].split()
    while words and words[-1].lower() in _SKIP_BEFORE:
        words.pop()
    if not words:
        return True
    w = words[-1]
    if not w[-1].isalnum():
        return True  # after punctuation: a clause edge
    w = w.lower()
    return not (w in _WEAK_BEFORE or w in VERBS or w.endswith(("ed", "'s", "’s")))


def resolve_org(name: str, idx: NameIndex) -> str:
    """'the Fed' -> 'Federal Reserve' when the article spells it out."""
    core = re.sub(r"^(?:the|The)\s+", "", name).strip()
    key = core.lower()
    best = None
    for k, e in idx.orgs.items():
        if k == key or (len(k) > len(key) and (k.startswith(key + " ") or k.split()[0].startswith(key))):
            if best is None or len(e.name) > len(best.name):
                best = e
    if best is not None and len(best.name) >= len(core):
        return best.name
    return core


# --------------------------------------------------------------------------
# Speaker noun phrases.

_UNNAMED_HEAD = re.compile(
    r"^(?:(?:a|an|the|one|two|three|several|some|many|other|another|senior|two|his|her|their|its)\s+)?"
    r"(?:[\w’'-]+\s+){0,5}?"
    r"(?:source|sources|official|officials|aide|aides|analyst|analysts|spokesman|spokeswoman|spokesperson|"
    r"minister|ministers|expert|experts|economist|economists|adviser|advisers|advisor|advisors|diplomat|"
    r"diplomats|observer|observers|critic|critics|insider|insiders|witness|witnesses|resident|residents|"
    r"member|members|leader|leaders|executive|executives|lawyer|lawyers|makers|maker|people|person|man|"
    r"woman|men|women|campaigners|campaigner|activist|activists|trader|traders|dealer|dealers|strategist|"
    r"strategists|director|chief|boss|president|secretary|commander|officer|officers|statement|report|"
    r"study|survey|researchers|researcher|scientists|scientist|doctor|doctors|police|investors|investor|"
    r"economists|fans|voters|users|employees|workers|staff|friend|friends|relative|relatives|neighbour|"
    r"neighbours|neighbor|neighbors|colleague|colleagues|teacher|teachers|student|students|team|panel|"
    r"government|ministry|agency|council|committee|board|bank|company|firm|group|party|union|department|"
    r"service|office|court|administration|authorities|military|army|embassy|spokespeople|representative|"
    r"representatives|negotiators|negotiator|envoy|envoys|legislators|lawmakers|lawmaker|mps|mp|judge|"
    r"prosecutors|prosecutor|investigators|organisers|organizers|bosses|chairman|coach|manager|player|players)\b",
    re.I,
)
_ORGISH_HEAD = {"government", "ministry", "agency", "council", "committee", "board", "bank", "company", "firm",
                "group", "party", "union", "department", "service", "office", "court", "administration",
                "authorities", "military", "army", "embassy", "team", "panel", "police", "statement", "report",
                "study", "survey"}


_DETERMINERS = {"a", "an", "the", "one", "two", "three", "several", "some", "many", "other", "another", "his",
                "her", "their", "its", "our", "most", "few", "both", "all"}
_FUNCTION = _DETERMINERS | {"where", "which", "who", "when", "that", "how", "if", "because", "as", "to", "and",
                             "but", "or", "while", "so", "than", "then", "there", "this", "these", "those", "of",
                             "in", "on", "at", "for", "with", "by", "from", "into", "it", "is", "was", "be", "not"}


_SUBORDINATE = {"where", "which", "who", "when", "if", "because", "whether", "how", "why", "what", "unless", "until"}


@dataclass
class Speaker:
    text: str  # as written
    kind: str  # person | organization | unnamed | pronoun
    gender: str = "?"


_WORD = re.compile(r"[\w’'.&-]+")
_LEADING_JUNK = re.compile(r"^(?:[\s,;:–—-]|and\b|but\b|while\b|as\b|then\b|so\b)+", re.I)
_TRAILING_ADV = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|also|later|then|recently|previously|earlier|once|again|simply|"
    r"just|firmly|quickly|repeatedly|further|had|would|will|may|might|could|did|does|do|finally|initially|"
    r"subsequently|still|already|even|too|not|never|always|often|in turn|however|"
    r"\w+ly))+$",
    re.I,
)


def parse_np(chunk: str, idx: NameIndex, tail: bool) -> Speaker | None:
    """The speaker phrase in a chunk that sits next to a reporting verb.

    tail=True: the phrase ends the chunk (`… Mr Blair` + said); otherwise it
    starts it (said + `Avery Shenfeld, senior economist at …`)."""
    s = chunk.strip()
    if tail:
        s = _TRAILING_ADV.sub("", s).strip()
        # 'The party's leader, Eleanor Scott,' -> nearest comma part with a phrase
        parts = [p.strip() for p in re.split(r"\s*[,;–—(]\s*|\s+-\s+", s)]
        for part in reversed(parts):
            part = _TRAILING_ADV.sub("", part).strip()
            if not part:
                continue
            sp = _np_from_words(part, idx, tail=True)
            if sp:
                return sp
            if not re.fullmatch(r"(?:\w+ly|in turn|however|though|too|meanwhile|in a statement|in an? [\w\s]{0,40}|on \w+|at [\w\s]{0,40}|for (?:his|her|their|its) part|for example|"
                                r"speaking [\w\s]{0,60}|writing [\w\s]{0,60}|in reply|in response[\w\s]{0,60}|later|separately|earlier)", part, re.I):
                return None
        return None
    s = _LEADING_JUNK.sub("", s)
    s = _TRAILING_ADV.sub("", s).strip()
    part = re.split(r"\s*[,;(–—]\s*|\s+-\s+|\s+(?:who|which|that|in|on|at|during|after|before|when|while|adding|as)\s+", s, maxsplit=1)[0]
    return _np_from_words(part, idx, tail=False)


def _np_from_words(part: str, idx: NameIndex, tail: bool) -> Speaker | None:
    words = part.split()
    if not words:
        return None
    if tail and len(words) > 1 and words[0].lower() in _SUBORDINATE:
        return None  # 'where social workers' + tell: a clause of the writer's, not a speaker
    w0 = words[-1] if tail else words[0]
    if w0.lower() in PRONOUNS and (len(words) == 1 or not tail or True):
        if tail and len(words) > 1 and words[-2].lower() not in ("and", "but", "then", "so") and not words[-2].endswith(","):
            # 'Speaking at the conference he' -> he
            pass
        return Speaker(w0, "pronoun", PRONOUNS[w0.lower()])
    caps = list(CAPSEQ.finditer(part))
    if caps:
        m = caps[-1] if tail else caps[0]
        before = part[:m.start()]
        after = part[m.end():]
        # the capitalised chunk must be the phrase's edge next to the verb
        edge_ok = (not after.strip()) if tail else (
            not before.strip() or re.fullmatch(r"\s*(?:the|The)\s*", before) is not None
            or re.fullmatch(r"\s*(?:[a-z][\w-]*\s+){1,3}", before) is not None
            and all(w in ROLE_WORDS or w in ("chief", "executive", "party", "group", "campaign", "club", "team")
                    for w in before.split()))
        if not tail and edge_ok and after.strip() and not m.group().endswith(("'s", "’s")):
            edge_ok = False  # 'the Conservative leader': the name only modifies the head
        if tail and edge_ok and re.search(r"\b(?:in|of|at|for|from|to|with|on)\s+(?:the\s+)?$", before) and _UNNAMED_HEAD.match(_from_determiner(part)):
            edge_ok = False  # 'Policy makers in Europe': Europe is not the speaker
        if edge_ok:
            sp = _name_speaker(m.group(), idx, part, m.start())
            if sp:
                return sp
    um = _UNNAMED_HEAD.match(part if not tail else _from_determiner(part))
    if um and not tail and words[0].lower() in _FUNCTION and words[0].lower() not in _DETERMINERS:
        um = None  # 'where social workers tell …' is the writer's clause, not a speaker
    if um:
        phrase = part if not tail else _from_determiner(part)
        phrase = phrase.strip(" ,")
        if len(phrase.split()) > 12:
            return None
        head = um.group(0).split()[-1].lower()
        if re.match(r"(?:the|The)\s+", phrase) and head in _ORGISH_HEAD and len(phrase.split()) <= 3:
            return Speaker(phrase[4:] if False else phrase, "organization")
        poss = re.match(r"^(.*?)[’']s\s+(.+)$", phrase)
        if poss and head in _ORGISH_HEAD | {"press"}:
            return Speaker(phrase, "organization")
        return Speaker(phrase, "unnamed")
    if tail and re.fullmatch(r"(?:the|The|a|A|an|An)\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*", part) and words[-1].lower() not in _FUNCTION:
        return Speaker(part, "unnamed")  # 'The airline' + said
    if re.search(r"[’']s\s+(?:press service|press office|office|ministry|spokesman|spokeswoman|spokesperson)$", part):
        kind = "organization" if re.search(r"(service|office|ministry)$", part) else "unnamed"
        return Speaker(part, kind)
    return None


def _from_determiner(part: str) -> str:
    """'Elsewhere in the report the party's health spokesman' -> from the last determiner run."""
    m = list(re.finditer(r"\b(?:a|an|the|one|two|three|several|some|many|other|another|its|their|his|her)\b", part, re.I))
    if not m:
        return part
    # a plural noun with no determiner ('policy makers in Europe') starts the part
    return part[m[0].start():] if len(part[m[0].start():].split()) <= 10 else part[m[-1].start():]


def _name_speaker(raw: str, idx: NameIndex, part: str, at: int) -> Speaker | None:
    poss = raw.endswith(("'s", "’s"))
    toks = _strip_stop((raw[:-2] if poss else raw).split())
    if not toks:
        return None
    rest = part[at + len(raw):].strip()
    if poss:
        # "NATO's press service" / "Blair's spokesman"
        if rest:
            phrase = part[at:].strip()
            if re.search(r"\b(service|office|ministry|department|embassy|statement|press)\b", rest):
                return Speaker(phrase, "organization")
            return Speaker(phrase, "unnamed")
        return None
    titles, name = split_title(toks)
    if not name:
        # 'the Prime Minister', 'the President': a role, resolved later if possible
        return Speaker(" ".join(toks), "unnamed")
    kind = classify_name(name)
    lead = part[:at].strip().lower()
    if kind == "person" and len(name) == 1 and not titles and idx.person(name[0]) is None:
        # a lone word never given a first name in the article: an organisation ('Forbes said')
        kind = "organization"
    if kind == "organization":
        return Speaker(resolve_org(" ".join(name), idx), "organization")
    return Speaker(" ".join(name), "person", gender_of(titles))
