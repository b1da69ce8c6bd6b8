"""Who said it: reporting verbs, speaker noun phrases and name resolution.

Everything here works on short context strings around a quote (the clause
before the opening mark, the clause after the closing mark), so the cost is
independent of article length except for one regex pass that indexes names.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

# Patterns used inside functions, compiled once.
_POSS_PRESS_OFFICE = re.compile(r"[’']s\s+(?:press service|press office|office|ministry|spokesman|spokeswoman|spokesperson)$")
_NP_HEAD_SPLIT = re.compile(r"\s*[,;(–—]\s*|\s+-\s+|\s+(?:who|which|that|in|on|at|during|after|before|when|while|adding|as)\s+"
                            # 'said Abdullatif Sener earlier this month', 'said X last week'
                            r"|\s+(?:earlier|later|yesterday|today|last\s+(?:week|month|year|night|\w+day))\b")
_POSSESSIVE_PHRASE = re.compile(r"^(.*?)[’']s\s+(.+)$")
_DEF_DESCRIPTION = re.compile(r"(?:the|The|a|A|an|An|one|One)\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*")
_DETERMINER = re.compile(r"\b(?:a|an|the|one|two|three|several|some|many|other|another|its|their|his|her)\b", re.I)
_SIBILANT_END = re.compile(r"(s|sh|ch|x|z)$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_PREP_BEFORE = re.compile(r"\b(?:in|of|at|for|from|to|with|on)\s+(?:the\s+)?$")
# A title with 'of' before a name: 'Secretary of State', 'Chancellor of the Exchequer', 'Chief of Staff',
# 'Undersecretary of State for Economic Affairs'
_OFFICE_TITLE = (r"\b(?:Secretary|Undersecretary|Under-[Ss]ecretary|Minister|Chancellor|Chief|Head|Director|Governor|"
                 r"Commissioner|Commander|Chairman|Chair)")
_OFFICE_FIELD = (
    r"(?:State|Staff|Defen[cs]e|Exchequer|Finance|Foreign\s+Affairs|Home\s+Affairs|Economic\s+Affairs|Interior|"
    r"Justice|Health|Education|Energy|Commerce|Treasury|Homeland\s+Security|Transport(?:ation)?|Agriculture|"
    r"Labou?r|War|Economy|Trade|Navy|Army|Air\s+Force|Joint\s+Chiefs|Defence\s+Staff|General\s+Staff|Police)")
_OFFICE_LINK = r"\s+(?:of|for)\s+(?:the\s+)?"
_OFFICE_OF = re.compile(rf"{_OFFICE_TITLE}(?:{_OFFICE_LINK}{_OFFICE_FIELD})+\s+(?=[A-Z])")
_OFFICE_OF_BEFORE = re.compile(rf"{_OFFICE_TITLE}(?:{_OFFICE_LINK}{_OFFICE_FIELD})*{_OFFICE_LINK}$")
_OFFICE_FIELD_START = re.compile(rf"{_OFFICE_FIELD}(?:{_OFFICE_LINK}{_OFFICE_FIELD})*\s+(?=[A-Z])")
_THE_PREFIX = re.compile(r"(?:the|The)\s+")
_ORG_UNIT_END = re.compile(r"(service|office|ministry)$")
_ORG_UNIT_WORD = re.compile(r"\b(service|office|ministry|department|embassy|statement|press)\b")
_CVC_END = re.compile(r"[^aeiou][aeiou][bdgmnprt]$")
_NP_PART_SPLIT = re.compile(r"\s*[,;–—(]\s*|\s+-\s+")
_NOT_A_SPEAKER_PART = re.compile(r"(?:\w+ly|in turn|however|though|too|meanwhile|in a statement|in an? [\w\s]{0,40}|on \w+|at [\w\s]{0,40}|for (?:his|her|their|its) part|for example|"
                                r"speaking [\w\s]{0,60}|writing [\w\s]{0,60}|in reply|in response[\w\s]{0,60}|later|separately|earlier|"
                                # 'The spokesman, reacting to press reports, said': a participle's phrase
                                r"[a-z]+ing (?:to|on|at|in|for|from|with|about|after) [\w\s’'-]{0,80})", re.I)
_ONLY_THE = re.compile(r"\s*(?:the|The)\s*")
# Not 'ten', a number more often than a particle ('said ten Labour MPs').
_LEADING_PARTICLES = re.compile(r"(?<![\w’'-])(?:(?:de|du|van|von|der|den|del|della|da|di|dos|das|ter)\s+)+$")
_LOWER_WORDS = re.compile(r"\s*(?:[a-z][\w-]*\s+){1,3}")

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
characterise characterize condemn denounce decry
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
                  "dismiss", "reject", "describe", "request", "appeal", "promise", "cry", "protest",
                  "characterise", "characterize", "condemn", "denounce", "decry"}


def _inflect(lemma: str) -> list[str]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        past, ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    elif _CVC_END.search(lemma) and lemma in ("admit", "quip", "stop", "plan", "snap", "commit", "regret", "refer", "prefer", "confer", "occur"):
        past, ing = lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    else:
        past, ing = lemma + "ed", lemma + "ing"
    third = lemma + ("es" if _SIBILANT_END.search(lemma) else "s")
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
# The loops over name characters, (?:[\w.&-]|[’'](?![sS]\b))*, are written unrolled
# ([\w.&-]*(?:[’'](?![sS]\b)[\w.&-]*)*: the same strings, tried longest first as well) so that the
# engine runs them as fast single-class loops. A word of the sequence is two characters or more
# ending in a word character (the first class, then the loop, then (?<=\w)), or an initial.
_NAME_CHARS = r"[\w.&-]*(?:[’'](?![sS]\b)[\w.&-]*)*"
_CAP = rf"(?:[A-Z](?:[\w.&-]|[’'](?![sS]\b)){_NAME_CHARS}(?<=\w)|[A-Z]\.?)"
CAPSEQ = re.compile(rf"[A-Z](?<![\w’'-][A-Z]){_NAME_CHARS}(?:(?:[ \t]+{_PARTICLES})?[ \t]+{_CAP})*(?:[’']s\b)?")

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
undersecretary under-secretary
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
no not earlier later during under over about against between despite instead only even just such another
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
    lone: bool = False  # a one-word name read as an organisation because it speaks ('Forbes said')


class NameIndex:
    """Every capitalised name of the article, keyed by surname / first word.

    mentions: (start, end, entity, poss) in text order; poss is None for
    organisations, else whether the mention is a possessive ('Blair's').
    Whether a mention can be a clause subject (strong) is computed on demand."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.by_last: dict[str, list[Entity]] = {}
        self.orgs: dict[str, Entity] = {}
        self.mentions: list[tuple[int, int, Entity, bool | None]] = []
        self.starts: list[int] = []
        self._org_first: dict[str, list[str]] | None = None
        self._org_firsts: list[str] = []
        self._org_cache: dict[str, str] = {}

    def add(self, s: int, e: int, ent: Entity, poss: bool | None) -> None:
        self.mentions.append((s, e, ent, poss))
        self.starts.append(s)

    def strong(self, m: tuple) -> bool:
        return m[3] is None or (not m[3] and _strong(self.text, m[0]))

    def between(self, lo: int, hi: int) -> range:
        """Indices of mentions starting in [lo, hi)."""
        return range(bisect_left(self.starts, lo), bisect_left(self.starts, hi))

    def person_by_first(self, word: str) -> Entity | None:
        """The one person whose fuller name starts with this word, if only one does."""
        found = {id(e): e for ents in self.by_last.values() for e in ents
                 if e.kind == "person" and e.name.startswith(word + " ")}
        return next(iter(found.values())) if len(found) == 1 else None

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
            ms = self.mentions
            for k in range(bisect_left(self.starts, pos) - 1, max(-1, bisect_left(self.starts, pos) - 2000), -1):
                if ms[k][2] in fits:
                    return ms[k][2]
        # else the most frequent full form that agrees with the given first names
        return max(fits, key=lambda e: (e.count, len(e.name)))

    def last_org(self, pos: int, lo: int) -> Entity | None:
        ms = self.mentions
        for k in reversed(self.between(lo, pos)):
            if ms[k][2].kind == "organization":
                return ms[k][2]
        return None

    def org_candidates(self, key: str) -> list[str]:
        """Org keys that equal key, start with key + ' ', or whose first word starts with key."""
        if self._org_first is None:
            first: dict[str, list[str]] = {}
            for k in self.orgs:
                first.setdefault(k.split(" ", 1)[0], []).append(k)
            self._org_first = first
            self._org_firsts = sorted(first)
        kw = key.split(" ", 1)[0]
        if " " in key:
            return [k for k in self._org_first.get(kw, ()) if k == key or k.startswith(key + " ")]
        out = []
        firsts = self._org_firsts
        for j in range(bisect_left(firsts, kw), len(firsts)):
            if not firsts[j].startswith(kw):
                break
            out.extend(self._org_first[firsts[j]])
        return out


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
    if len(tokens) > 1 and tokens[0].lower() not in FIRST_M and tokens[0].lower() not in FIRST_F and (
            tokens[-1].lower() in _PLACE_END or any(_ORG_SUFFIX.search(t) for t in tokens)):
        return "organization"  # 'Statistics Canada', 'Air France', 'Waste Management', 'General Dynamics'
    return "person"


# Places that end organisation names ('Statistics Canada', 'Air France') but rarely a person's.
_PLACE_END = set("""
canada america france germany japan china india russia australia italy spain europe asia africa mexico brazil
korea britain scotland ireland sweden norway denmark finland netherlands belgium switzerland austria poland
greece portugal argentina chile nigeria pakistan iran iraq egypt turkey singapore malaysia indonesia
international worldwide
""".split())
# Word endings of common nouns that no first name or surname has ('Statistics', 'Management').
_ORG_SUFFIX = re.compile(r"^[A-Z][a-z]{3,}(?:ics|ment|tions?|ware|ology|ities|ssing|ations)$")


_MALE_AFTER = re.compile(r",?\s*(?:a |the )?[\w\s]{0,30}?\b(?:spokesman|chairman|businessman)\b")
_FEMALE_AFTER = re.compile(r",?\s*(?:a |the )?[\w\s]{0,30}?\b(?:spokeswoman|chairwoman|businesswoman)\b")


def gender_of(title_tokens, context_after: str = "", name=()) -> str:
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
    if len(name) > 1:
        first = name[0].lower()
        if first in FIRST_M:
            return "m"
        if first in FIRST_F:
            return "f"
    return "?"


# Words after which a name is an object, not a clause subject.
_WEAK_BEFORE = set("""by of to with for from at on about against between than and or under like whom as the a an
three two four five this that these those his her their its our into over beat beating won winning play playing
""".split())
_SKIP_BEFORE = {"former", "late", "then", "retired", "ex", "the", "new", "fellow", "rival"}
_AGE_AFTER = re.compile(r",\s*\d{2},")
_ROLE_TAIL = re.compile(r"(?:^|\W)(?:" + "|".join(sorted(_PERSON_ROLES)) + r")$")

# Common family names of languages that write them first (Chinese, Korean, Vietnamese): 'Kim said' is
# the Kim Mahn-je the article named, not an organisation.
FAMILY_NAME_FIRST = frozenset("""
kim lee park choi chung jung kang cho yoon jang lim han shin oh seo kwon hwang ahn song hong koo lho rha roh
zhao deng li liu wang zhang chen yang huang wu zhou xu sun ma hu guo he gao lin luo zheng liang xie tang
cao feng tian jiang xi wen hua qian yu ye dong lu su wei jin
tan loh ng wong chang chan lau cheung ho leung tsang lam yeung
tran nguyen pham le hoang phan vu vo dang bui do ngo duong
""".split())
# A compact list of unambiguous first names, used only when no title says the gender
# (pronoun resolution: 'she said' after 'Tessa Jowell' and 'Gordon Brown').
FIRST_M = set("""
aaron adam adrian ahmed alan alastair albert alberto alejandro alexander alexei alfred ali alistair andre
andreas andrew andy angus anthony antonio arnold arthur barack ben benjamin bernard bill billy bob boris
brian bruce carl carlos charles charlie christopher clive colin craig dan daniel darren david dennis derek
diego dmitry dominic donald douglas duncan edward emmanuel eric ernest felipe fernando francis francisco
frank fred frederick gareth gary gavin geoffrey george gerald gerhard giuseppe gordon graham greg gregory
guy harold harry henry hugh iain ian ivan jack jacques james jason jeff jeffrey jeremy jim jimmy joe john
johnny jonathan jorge jose joseph juan julian karl keith ken kenneth kevin kofi lee liam luis malcolm mark
martin matthew michael mike mikhail mohamed mohammed muhammad neil nick nicolas nigel oliver owen patrick
paul pedro pete peter philip phil pierre ray raymond richard rick robert roberto robbie rod roger ronald
rupert russell ryan sam samuel scott sean sebastian sergei sergey silvio simon stephen steve steven stuart
ted terry thomas tim timothy tom tommy tony trevor vincent vladimir walter wayne william xavier yuri
""".split())
FIRST_F = set("""
alice alison amanda amy andrea angela angelina ann anna anne annette barbara beth betty brenda caroline
carol catherine charlotte cherie christine claire clare condoleezza cynthia deborah diana diane donna
dorothy elizabeth ellen emily emma fiona frances gillian hazel heather helen hillary ingrid irene jane
janet jacqueline jennifer jessica jill joan joanna josephine judith judy julia julie karen kate katherine
kathleen kathryn kelly kirsty laura lesley linda lisa louise lucy lynn madeleine margaret maria marie
marianne martha mary melanie michelle monica nancy natalie nicola nicole olga patricia patsy paula
pauline rachel rebecca rose ruth sally sandra sarah sharon sheila shirley sophie stephanie susan suzanne
tessa theresa tracey valerie victoria virginia wendy yvonne angela ursula kamala giorgia marine
""".split())


def _role_before(text: str, s: int) -> bool:
    """'midfielder Edu': a person-role word right before the chunk."""
    if s < 2 or text[s - 1] != " ":
        return False
    lo = max(0, s - 22)
    j = text.rfind(" ", lo, s - 1)
    w = text[(j + 1 if j >= 0 else lo):s - 1]
    if w in _PERSON_ROLES:
        return True
    return not w.isalpha() and _ROLE_TAIL.search(w) is not None


def _age_after(text: str, e: int) -> bool:
    return text.startswith(",", e) and _AGE_AFTER.match(text, e, e + 6) is not None


_SKIP = 0
_SINGLE = 1  # a plain one-word chunk: a person only if known or marked by context
_NAME = 2


@lru_cache(maxsize=1 << 16)
def _analyse(raw: str) -> tuple:
    """What a capitalised chunk can be, from its own words (cached across articles)."""
    if " " not in raw and "\t" not in raw:
        low = raw.lower()
        if low in _STOP or low in ROLE_WORDS:
            return (_SKIP,)
        if low not in _ORG_ANY and not raw.isupper() and not raw.endswith(("'s", "’s")):
            return (_SINGLE, low)
    poss = raw.endswith(("'s", "’s"))
    toks = (raw[:-2] if poss else raw).split()
    for k in range(len(toks) - 2, -1, -1):
        t = toks[k]
        if t.endswith(".") and "." not in t[:-1] and t[:-1].lower() not in ROLE_WORDS and (
                len(t) > 3 or len(t) == 3 and t[:-1].isupper()):
            toks = toks[k + 1:]  # 'Brussels. Hegseth': a sentence ended inside the chunk
            break
    toks = _strip_stop(toks)
    if not toks or len(toks) >= 3 and all(t.isupper() for t in toks):
        return (_SKIP,)  # nothing left, or a headline in capitals ('DOT DISMISSES TWA')
    titles, name = split_title(toks)
    if not name:
        return (_SKIP,)
    if len(name) > 4 or any(t.lower() in _STOP or t.lower() in PRONOUNS for t in name[1:]):
        return (_SKIP,)  # a headline or a work's title in title case, not a name
    kind = classify_name(name)
    if kind == "organization" and len(name) >= 3 and name[0].isupper() and name[0].isalpha() \
            and all(t[:1].isupper() and not t.isupper() for t in name[1:]) \
            and not {t.lower() for t in name[1:]} & _ORG_ANY:
        # 'NATO Daniel Whitcomb', 'BBC Jane Hill': an organisation's acronym before a person's name
        titles, name, kind = titles + [name[0]], name[1:], "person"
    if kind == "organization" and titles:
        titles, name = [], list(titles) + list(name)  # 'World Trade Organisation', 'General Motors'
    if kind == "person" and len(name) > 1 and not titles and name[0].lower() in _NOT_FIRST_NAME:
        return (_SKIP,)  # 'Scottish Parliament', 'European Union'
    g = gender_of(titles, "", name if kind == "person" else ())
    g_title = gender_of(titles) if kind == "person" else "?"
    return (_NAME, poss, tuple(titles), tuple(name), kind, g_title, g)


_ORG_SPEAKS = {"said", "says", "added", "announced", "reported", "stated", "warned", "predicted", "confirmed",
               "told", "insisted", "argued", "claimed", "denied", "admitted"}


def _speaks(text: str, e: int) -> bool:
    """Is the word after position e (after 'has'/'also') a reporting verb?"""
    nxt = text[e + 1:e + 12].split(" ", 1)[0]
    if nxt in ("has", "have", "had", "also"):
        nxt = text[e + 2 + len(nxt):e + 14 + len(nxt)].split(" ", 1)[0]
    return nxt in _ORG_SPEAKS


def build_index(text: str) -> NameIndex:
    """One regex pass over capitalised chunks: persons by surname, organisations."""
    idx = NameIndex(text)
    by_last, mentions, starts, orgs = idx.by_last, idx.mentions, idx.starts, idx.orgs
    analyse = _analyse
    memo: dict[str, tuple] = {}  # chunk -> (entity, poss, info) for chunks whose entity never changes
    joins: list[int] = []  # organisation mentions that may continue ('Department' + ' of Transportation')

    for m in CAPSEQ.finditer(text):
        s, e = m.span()
        if e - s > 100:
            continue  # no name is that long: a run of title-case text (and keep it out of the cache)
        raw = m.group()
        if text.endswith(("of ", "for ", "the "), 0, s) and _OFFICE_OF_BEFORE.search(text, max(0, s - 60), s):
            field = _OFFICE_FIELD_START.match(raw)
            if field is not None:  # 'Secretary of State Marco Rubio': the name starts after the title
                s, raw = s + field.end(), raw[field.end():]
        hit = memo.get(raw)
        if hit is not None:  # a repeated name: same entity as before
            ent, poss, info = hit
            ent.count += 1
            if ent.gender == "?" and poss is not None:
                _set_gender(ent, info[5], info[6], text, e)
            if poss is None and text.startswith(_JOIN_STARTS, e):
                joins.append(len(mentions))
            mentions.append((s, e, ent, poss))
            starts.append(s)
            continue
        info = analyse(raw)
        tag = info[0]
        if tag == _SKIP:
            continue
        fixed = False
        if tag == _SINGLE:
            if _role_before(text, s) or _age_after(text, e):
                titles, name, poss = ("?",), (raw,), False  # 'midfielder Edu', 'Edu, 26,'
                g_title = g_static = "?"
            else:
                ents = by_last.get(info[1])
                if ents:  # a bare surname already seen in full
                    ent = max(ents, key=_count) if len(ents) > 1 else ents[0]
                    ent.count += 1
                    mentions.append((s, e, ent, False))
                    starts.append(s)
                elif text.startswith(" ", e) and _speaks(text, e) \
                        and not _UNNAMED_HEAD.fullmatch(info[1]) and _strong(text, s):
                    # 'Macrovision says …': a one-word name that speaks is an organisation
                    ent = orgs.get(info[1])
                    if ent is None:
                        ent = orgs[info[1]] = Entity(raw, "organization", lone=True)
                        idx._org_first = None
                    ent.count += 1
                    mentions.append((s, e, ent, None))
                    starts.append(s)
                continue
        else:
            _, poss, titles, name, kind, g_title, g_static = info
            if kind == "organization":
                key = " ".join(name).lower()
                ent = orgs.get(key)
                if ent is None:
                    ent = orgs[key] = Entity(" ".join(name), "organization")
                ent.count += 1
                if text.startswith(_JOIN_STARTS, e) or name[-1].lower() in _LEGAL_SUFFIX:
                    joins.append(len(mentions))
                mentions.append((s, e, ent, None))
                starts.append(s)
                memo[raw] = (ent, None, info)
                continue
            if len(name) == 1 and not titles:
                if _role_before(text, s) or _age_after(text, e):
                    titles = ("?",)
                else:
                    ents = by_last.get(name[0].lower())
                    if ents:
                        ent = max(ents, key=_count) if len(ents) > 1 else ents[0]
                        ent.count += 1
                        mentions.append((s, e, ent, poss))
                        starts.append(s)
                    continue
            else:
                fixed = True
        last = name[-1].lower()
        ents = by_last.setdefault(last, [])
        full = " ".join(name)
        ent = None
        if len(ents) > 32:  # pathological input: exact forms only
            for x in ents[:32]:
                if x.name == full:
                    ent = x
                    break
        else:
            for x in ents:
                if x.name == full or (len(name) == 1 and x.kind == "person"):
                    ent = x
                    break
            if ent is None:
                for x in ents:
                    if full in x.name or x.name in full:
                        ent = x
                        if len(full) > len(x.name):
                            x.name = full
                        break
        if ent is None:
            ent = Entity(full, "person")
            ents.append(ent)
        ent.count += 1
        if ent.gender == "?":
            _set_gender(ent, g_title, g_static, text, e)
        mentions.append((s, e, ent, poss))
        starts.append(s)
        if fixed:
            memo[raw] = (ent, poss, info)
    if joins:
        _join_orgs(idx, text, joins)
    return idx


# Organisation names that run over 'of' / 'for' / 'and': 'U.S. Department of Transportation',
# 'Royal College of Physicians', 'Harper and Row Publishers Inc'; an acronym defined in
# brackets right after one ('… Transportation (DOT)') names the same organisation.
_JOIN_STARTS = (" of ", " for ", " (")
_OF_HEADS = set("""
department ministry office bank college institute university council board association society federation
chamber commission committee school academy museum bureau court union league church agency authority
confederation organisation organization institution fund foundation trust corporation service division
administration secretariat centre center federation alliance house
""".split())
_LEGAL_SUFFIX = {"inc", "co", "ltd", "corp", "plc", "llc", "publishers", "sons", "company", "partners",
                 "associates", "brothers", "gmbh", "ag", "sa", "nv"}
_OF_JOINER = re.compile(r" (?:of|for)(?: the)? (?=[A-Z])")
_AND_JOINER = re.compile(r" and (?=[A-Z][\w-]*(?:[^\w\s-]|\s+[a-z]|$))")
_AND_BEFORE = re.compile(r"(?:^|[^\w.’'-])([A-Z][\w.-]*(?: [A-Z][\w.-]*)?) (?:and|&) $")
_CODE_BEFORE = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,3}|US|UK|EU|UN) $")
_ACRONYM = re.compile(r" \(([A-Z][A-Z.&]{1,9})\)")


def _initials_fit(acr: str, name: str) -> bool:
    """'DOT' fits 'U.S. Department of Transportation', 'RNID' 'Royal National Institute for Deaf
    People': its first letter starts the name (after a country code), the rest are later initials."""
    words = name.replace("-", " ").split()
    inits = [w[0].upper() for w in words]
    i = 1 if len(words) > 1 and words[0].replace(".", "").isupper() and inits[0] != acr[0] else 0
    if not inits or inits[i] != acr[0]:
        return False
    i += 1
    for c in acr[1:]:
        while i < len(inits) and inits[i] != c:
            i += 1
        if i == len(inits):
            return False
        i += 1
    return True


def _join_orgs(idx: NameIndex, text: str, joins: list[int]) -> None:
    ms, orgs = idx.mentions, idx.orgs
    drop: set[int] = set()
    for k in joins:
        if k in drop:
            continue
        s, e, ent, _ = ms[k]
        raw = text[s:e]
        if raw.endswith(("'s", "’s")):
            continue
        toks = _strip_stop(raw.split())
        if not toks:
            continue
        end, name = e, None
        jm = _OF_JOINER.match(text, e) if toks[-1].lower() in _OF_HEADS else None
        ym = CAPSEQ.match(text, jm.end()) if jm else None
        if ym is not None:
            y = ym.group()
            ytoks = (y[:-2] if y.endswith(("'s", "’s")) else y).split()
            if 0 < len(ytoks) <= 4 and not any(t.lower() in ROLE_WORDS or t.lower() in _STOP for t in ytoks):
                end = ym.start() + len(" ".join(ytoks))
                am = _AND_JOINER.match(text, end)
                if am is not None:  # 'Department of Trade and Industry'
                    zm = CAPSEQ.match(text, am.end())
                    if zm is not None and " " not in zm.group() and not zm.group().endswith(("'s", "’s")) \
                            and zm.group().lower() not in FIRST_M and zm.group().lower() not in FIRST_F:
                        end = zm.end()
                name = " ".join(toks) + text[e:end]
                cm = _CODE_BEFORE.search(text, max(0, s - 8), s) if len(toks) == 1 else None
                if cm is not None:  # 'U.S.' + 'Department of Transportation'
                    s, name = cm.start(1), cm.group(1) + " " + name
        elif toks[-1].lower() in _LEGAL_SUFFIX and len(toks) <= 3 and text.endswith((" and ", " & "), 0, s):
            bm = _AND_BEFORE.search(text, max(0, s - 40), s)
            if bm is not None:
                xtoks = _strip_stop(bm.group(1).split())
                if xtoks and not any(t.lower().strip(".") in ROLE_WORDS for t in xtoks):
                    name = " ".join(xtoks) + text[bm.end(1):e]
                    s = e - len(name)
        if name is not None:
            key = name.lower()
            new = orgs.get(key)
            if new is None:
                new = orgs[key] = Entity(name, "organization")
            new.count += 1
            ent.count -= 1
            # the pieces' own mentions inside the joined span go
            for j in idx.between(s, end):
                if j != k:
                    drop.add(j)
            for j in range(k - 1, max(-1, k - 3), -1):
                if ms[j][0] < s < ms[j][1] or s <= ms[j][0] < e:
                    drop.add(j)
            ms[k] = (s, end, new, None)
            idx.starts[k] = s
            ent = new
        am = _ACRONYM.match(text, end)
        if am is not None:
            acr = am.group(1).replace(".", "")
            if acr.isupper() and _initials_fit(acr, ent.name):
                orgs[acr.lower()] = ent
    if drop:
        keep = [m for j, m in enumerate(ms) if j not in drop]
        ms[:] = keep
        idx.starts[:] = [m[0] for m in keep]
    idx._org_first = None


def _count(ent: Entity) -> int:
    return ent.count


def _set_gender(ent: Entity, g_title: str, g_static: str, text: str, e: int) -> None:
    """From a title ('Mr'), else 'X, a spokeswoman', else a first name."""
    if g_title != "?":
        ent.gender = g_title
        return
    ctx = text[e:e + 40]
    if "spokes" in ctx or "man" in ctx:
        ent.gender = gender_of((), ctx)
    if ent.gender == "?":
        ent.gender = g_static


def _strong(text: str, start: int) -> bool:
    """A mention that can be a clause subject: not after a preposition, article or verb."""
    words = text[max(0, start - 60):start].split()
    while words and words[-1].lower() in _SKIP_BEFORE:
        words.pop()
    if words and words[-1] in ROLE_WORDS:
        # 'by City boss Kevin Keegan', 'by All England Club chairman Tim Phillips': what precedes the title decides
        while words and words[-1][-1].isalnum() and (words[-1].lower() in ROLE_WORDS or words[-1][:1].isupper()):
            words.pop()
        while words and words[-1].lower() in _SKIP_BEFORE:
            words.pop()  # '…, the Labour leader Tony Blair said': a subject after all
        if words and (words[-1] in ("and", "or") or words[-1].endswith(("'s", "’s"))):
            # 'German football club and former European champion Borussia Dortmund has warned', 'The company's
            # new chief executive Peter Lynch said'
            return True
        if len(words) > 1 and words[-1] in ("of", "for", "de") and words[-2][:1].isupper():
            return True  # 'Industrial Bank of Japan Ltd senior economist Susumu Taketomi agreed': inside a name
    if not words:
        return True
    w = words[-1]
    if not w[-1].isalnum():
        return True  # after punctuation: a clause edge
    w = w.lower()
    return not (w in _WEAK_BEFORE or w in VERBS or w.endswith(("ed", "'s", "’s")))


def resolve_org(name: str, idx: NameIndex) -> str:
    """'the Fed' -> 'Federal Reserve' when the article spells it out."""
    core = _LEADING_THE.sub("", name).strip()
    key = core.lower()
    hit = idx._org_cache.get(key)
    if hit is not None:
        return hit
    best = None
    for k in idx.org_candidates(key):
        e = idx.orgs[k]
        if best is None or len(e.name) > len(best.name):
            best = e
    out = best.name if best is not None and len(best.name) >= len(core) else core
    idx._org_cache[key] = out
    return out


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
    r"prosecutors|prosecutor|investigators|organisers|organizers|bosses|chairman|coach|manager|player|players|"
    # trades that news quotes without a name ('said one banker', 'a Japanese refiner said'); not roles such as
    # 'producer' or 'editor', which mostly describe a person named nearby ('the British producer')
    r"banker|bankers|broker|brokers|refiner|refiners|engineer|engineers|consultant|consultants|exporter|"
    r"exporters|importer|importers|shipper|shippers|farmer|farmers|miner|miners|accountant|accountants|citizen|citizens)\b",
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
    kind: str  # person | organization | unnamed | pronoun | anaphor
    gender: str = "?"  # m | f | p (plural) | n (it) | x (a person, either) | ? (unknown: I)


# 'the striker', 'the British actor', 'the 31-year-old', 'the 55-year-old Frenchman': a definite description
# of a person the article has named, resolved like 'he' or 'she'. Only heads that name no unnamed source of
# their own ('the minister', 'the spokesman' stay as written unless the role is named nearby).
# Heads written capitalised: 'the Frenchman', 'the Australian'
_DEMONYMS_M = "frenchman englishman scotsman irishman welshman dutchman".split()
_DEMONYMS_F = "frenchwoman englishwoman scotswoman irishwoman welshwoman dutchwoman".split()
_DEMONYMS_X = """scot spaniard german italian american australian brazilian argentine argentinian russian swede dane
    norwegian finn pole czech kenyan ethiopian nigerian canadian belgian croat serb ukrainian kiwi""".split()
_ANAPHOR_HEADS_M = _DEMONYMS_M + "businessman sportsman frontman actor".split()
_ANAPHOR_HEADS_F = _DEMONYMS_F + "businesswoman sportswoman actress".split()
_ANAPHOR_HEADS_X = _DEMONYMS_X + """striker midfielder defender goalkeeper keeper winger forward captain skipper
    batsman bowler jockey rider boxer golfer sprinter athlete champion veteran youngster teenager star singer rapper
    musician guitarist drummer songwriter singer-songwriter comedian presenter film-maker filmmaker producer author
    writer novelist playwright poet artist designer chef tycoon billionaire entrepreneur founder politician peer
    senator congressman congresswoman candidate nominee winner runner-up""".split()
_ANAPHOR_GENDER = {**{h: "x" for h in _ANAPHOR_HEADS_X}, **{h: "m" for h in _ANAPHOR_HEADS_M},
                   **{h: "f" for h in _ANAPHOR_HEADS_F}}
_ANAPHOR = re.compile(
    r"(?:the|The)\s+(?:[\w’'-]+\s+){0,3}?(" + "|".join(sorted(_ANAPHOR_GENDER, key=len, reverse=True))
    + r"|\d+-year-old)", re.I)
# Newspapers with such a name: 'The Australian reported'
_ANAPHOR_NOT = {"The Australian", "The Scotsman"}


_DEMONYM_HEADS = frozenset(_DEMONYMS_M + _DEMONYMS_F + _DEMONYMS_X)


def _anaphor(phrase: str) -> Speaker | None:
    m = _ANAPHOR.fullmatch(phrase)
    if m is None or phrase in _ANAPHOR_NOT:
        return None
    head = m.group(1)
    if head[:1].isupper() and head.lower() not in _DEMONYM_HEADS:
        return None  # 'The Star said': a name ('the Frenchman' is written capitalised)
    return Speaker(phrase, "anaphor", _ANAPHOR_GENDER.get(head.lower(), "x"))


_WORD = re.compile(r"[\w’'.&-]+")
_NAME_ENDS = re.compile(r"\s*(?:[,.;:)]|$)")
_LEADING_JUNK = re.compile(r"^(?:[\s,;:–—-]|and\b|but\b|while\b|as\b|then\b|so\b)+", re.I)
_TRAILING_ADV = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|also|later|then|recently|previously|earlier|once|again|simply|"
    r"just|firmly|quickly|repeatedly|further|had|would|will|may|might|could|did|does|do|finally|initially|"
    r"subsequently|still|already|even|too|not|never|always|often|in turn|however|nevertheless|(?-i:meanwhile)|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"\w+ly))+$",
    re.I,
)


def parse_np(chunk: str, idx: NameIndex, tail: bool) -> Speaker | None:
    """The speaker phrase in a chunk that sits next to a reporting verb.

    tail=True: the phrase ends the chunk (`… Mr Blair` + said); otherwise it
    starts it (said + `Avery Shenfeld, senior economist at …`)."""
    s = chunk.strip()
    if tail:
        # 'Mr Bez - himself a former executive at rival Porsche -' + said: the closing dash ends no part
        s = _TRAILING_ADV.sub("", s).strip().rstrip(" -–—")
        # 'The party's leader, Eleanor Scott,' -> nearest comma part with a phrase
        parts = [p.strip() for p in _NP_PART_SPLIT.split(s)]
        for i in range(len(parts) - 1, -1, -1):
            part = _TRAILING_ADV.sub("", parts[i]).strip()
            if not part or part.startswith(("who ", "which ")):
                continue  # 'One analyst, who asked not to be named,': the relative clause is not the speaker
            if i > 0 and _describes(part):
                # 'Robert Bretz, chairman of the committee, said', 'Van Rourke, a bond strategist at Popular
                # Securities, agreed', 'Mr Bez - himself a former executive at rival Porsche - said': the
                # apposition describes the name before it
                named = _named_before_apposition(parts[:i], idx)
                if named is not None:
                    return named
            sp = _np_from_words(part, idx, tail=True)
            if sp:
                if sp.kind == "unnamed" and i > 0:
                    # 'Tim Crawford, Group Economist at Halifax, said', 'Brent Bozell, PTC president and
                    # conservative activist said'
                    named = _named_before_apposition(parts[:i], idx)
                    if named is not None:
                        return named
                return sp
            if not _NOT_A_SPEAKER_PART.fullmatch(part):
                return None
        return None
    s = _LEADING_JUNK.sub("", s)
    s = _TRAILING_ADV.sub("", s).strip()
    part, *rest = _NP_HEAD_SPLIT.split(s, maxsplit=1)
    sp = _np_from_words(part, idx, tail=False)
    if rest and s.startswith(",", len(part)) and (sp is None or sp.kind == "unnamed"
                                                   or _last_word(part) in ROLE_WORDS):
        # said + 'the alliance's secretary general, Mark Rutte': the name after the description
        named = CAPSEQ.match(rest[0])
        if named is not None and _NAME_ENDS.match(rest[0], named.end()):
            person = _name_speaker(named.group(), idx, rest[0], 0)
            if person is not None and person.kind == "person":
                return person
    return sp


# Parts that describe a name before them: 'chairman of …', 'a bond strategist …', 'Metlife's chairman', '45',
# 'of CB Richard Ellis', 'himself a former executive …'
_APPOSITION_PART = re.compile(r"(?:(?:a|an|the|one|his|her|its|their|himself|herself|of|at|from|with|aged)\b|\d|[\w.&-]+[’']s\b)")


def _describes(part: str) -> bool:
    """Does the part read as an apposition: 'chairman of …', 'MP for Witney', 'a bond strategist …', '45'?"""
    w = part.split(" ", 1)[0]
    return w in ROLE_WORDS or w.isupper() and w.lower() in ROLE_WORDS or _APPOSITION_PART.match(part) is not None


def _named_before_apposition(parts: list[str], idx: NameIndex) -> Speaker | None:
    """The person named in the nearest part before a run of appositions, if that part is just a name."""
    for part in reversed(parts):
        part = part.strip()
        if not part:
            return None
        if _describes(part):
            continue
        named = _np_from_words(part, idx, tail=True)
        if named is not None and named.kind == "person" and not _LOWER_WORD.search(part):
            return named
        return None
    return None


_LOWER_WORD = re.compile(r"(?:^|\s)[a-z]")


def _np_from_words(part: str, idx: NameIndex, tail: bool) -> Speaker | None:
    words = part.split()
    if not words:
        return None
    if tail and len(words) > 1 and words[0].lower() in _SUBORDINATE:
        return None  # 'where social workers' + tell: a clause of the writer's, not a speaker
    if len(words) == 1 and words[0].lower() == "another":
        return Speaker(words[0], "unnamed")  # '… a dealer said. Another added, "…"': another of them
    w0 = words[-1] if tail else words[0]
    if w0.lower() in PRONOUNS and (len(words) == 1 or not tail or True):
        if tail and len(words) > 1 and words[-2].lower() not in ("and", "but", "then", "so") and not words[-2].endswith(","):
            # 'Speaking at the conference he' -> he
            pass
        return Speaker(w0, "pronoun", PRONOUNS[w0.lower()])
    sp = _anaphor((_from_determiner(part) if tail else part).strip(" ,"))
    if sp is not None:
        return sp
    caps = list(CAPSEQ.finditer(part))
    if caps:
        m = caps[-1] if tail else caps[0]
        ms, me, mg = m.start(), m.end(), m.group()
        # names over 'of': 'Royal College of Physicians' (joined); 'Wendy Smith Cork of the
        # brokerage Nesbitt Thomson Bongard Inc' (the person, not the firm)
        if tail and len(caps) > 1:
            p = caps[-2]
            between = part[p.end():ms]
            if _OF_BETWEEN.fullmatch(between) and _last_word(p.group()) in _OF_HEADS:
                ms, mg = p.start(), part[p.start():me]
            elif _AFFIL_BETWEEN.fullmatch(between) and not p.group().endswith(("'s", "’s")):
                sp = _name_speaker(p.group(), idx, part, p.start())
                if sp is not None and sp.kind == "person" and not _PREP_BEFORE.search(part[:p.start()]):
                    return sp
        elif not tail and len(caps) > 1 and _last_word(mg) in _OF_HEADS:
            p = caps[1]
            if _OF_BETWEEN.fullmatch(part, me, p.start()):
                me = p.end()
                mg = part[ms:me]
        before = part[:ms]
        after = part[me:]
        lead = _LEADING_PARTICLES.search(before)
        if lead is not None and (tail or not before[:lead.start()].strip()):
            # 'said de Clercq', 'du Plessis told': a surname's particles belong to the name
            ms, mg, before = lead.start(), part[lead.start():me], before[:lead.start()]
        # the capitalised chunk must be the phrase's edge next to the verb
        edge_ok = (not after.strip()) if tail else (
            not before.strip() or _ONLY_THE.fullmatch(before) is not None
            or _LOWER_WORDS.fullmatch(before) is not None
            and (all(w in ROLE_WORDS or w in ("chief", "executive", "party", "group", "campaign", "club", "team")
                     for w in before.split())
                 # 'consumer spokesman Peter Baron': the role word next to the name decides
                 or before.split()[-1].rsplit("-", 1)[-1] in ROLE_WORDS))
        if not tail and edge_ok and after.strip() and not mg.endswith(("'s", "’s")):
            # 'the Conservative leader': the name only modifies the head; but 'analyst Kevin
            # Murphy of Morgan Stanley' is the person
            sp = _name_speaker(mg, idx, part, ms) if _AFFIL_AFTER.match(after) else None
            if sp is not None and sp.kind == "person":
                return sp
            edge_ok = False
        office = _OFFICE_OF.search(part) if "of" in part else None
        if office is not None and ms <= office.end() and me >= office.start():
            # 'Secretary of State Marco Rubio', 'Chief of Staff Susie Wiles', 'said US Secretary of State
            # Marco Rubio': the 'of' and what follows it are the title's
            named = CAPSEQ.match(part, office.end())
            if named is not None and (not tail or not part[named.end():].strip()):
                sp = _name_speaker(named.group(), idx, part, named.start())
                if sp is not None and sp.kind == "person":
                    return sp
        if tail and edge_ok and _PREP_BEFORE.search(before) and _UNNAMED_HEAD.match(_from_determiner(part)):
            edge_ok = False  # 'Policy makers in Europe': Europe is not the speaker
        if edge_ok:
            sp = _name_speaker(mg, idx, part, ms)
            if sp:
                return sp
        elif not tail and len(caps) > 1 and not before.strip():
            # 'S&P credit analyst Helena Hessel': organisation, role words, then the name
            m2 = caps[1]
            between = part[m.end():m2.start()].split()
            if 0 < len(between) <= 4 and all(w.islower() for w in between) and between[-1] in ROLE_WORDS \
                    and not part[m2.end():].strip():
                sp = _name_speaker(m2.group(), idx, part, m2.start())
                if sp and sp.kind == "person":
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
        if _THE_PREFIX.match(phrase) and head in _ORGISH_HEAD and len(phrase.split()) <= 3:
            return Speaker(phrase, "organization")
        poss = _POSSESSIVE_PHRASE.match(phrase)
        if poss and head in _ORGISH_HEAD | {"press"}:
            return Speaker(phrase, "organization")
        return Speaker(phrase, "unnamed")
    if tail and _DEF_DESCRIPTION.fullmatch(part) and words[-1].lower() not in _FUNCTION:
        return Speaker(part, "unnamed")  # 'The airline' + said
    if _POSS_PRESS_OFFICE.search(part):
        kind = "organization" if _ORG_UNIT_END.search(part) else "unnamed"
        return Speaker(part, kind)
    return None


_OF_BETWEEN = re.compile(r"\s+(?:of|for)(?:\s+the)?\s+")
_AFFIL_BETWEEN = re.compile(r"\s+(?:of|at|from|with)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}")
# A person's affiliation after the name: 'of Morgan Stanley', 'from the company', 'of the excellent … website'.
_AFFIL_AFTER = re.compile(r"\s+(?:of|from)\s+(?:(?:the\s+)?[A-Z]|(?:the|a|an|its|his|her|their)\s+[a-z])")


def _last_word(chunk: str) -> str:
    return chunk.rpartition(" ")[2].lower()


def _from_determiner(part: str) -> str:
    """'Elsewhere in the report the party's health spokesman' -> from the last determiner run."""
    m = list(_DETERMINER.finditer(part))
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
            if _ORG_UNIT_WORD.search(rest):
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
        # a family name written first ('Kim' for Kim Mahn-je), or a first name ('Emily' for Emily Eavis)
        w = name[0].lower()
        full = idx.person_by_first(name[0]) if w in FIRST_M or w in FIRST_F or w in FAMILY_NAME_FIRST else None
        if full is not None:
            return Speaker(full.name, "person", full.gender)
        if name[0] + ", who " not in idx.text:
            # a lone word never given a first name in the article: an organisation ('Forbes said'), unless
            # the article says who it is ('Hegseth, who spoke at Ramstein, said')
            kind = "organization"
    if kind == "organization":
        return Speaker(resolve_org(" ".join(name), idx), "organization")
    return Speaker(" ".join(name), "person", gender_of(titles))
