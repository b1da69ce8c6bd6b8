"""Paragraph roles, furniture detection and offsets (newsdesk.segment).

Fixtures are small hand-written articles under tests/data/segment/: each
``articles/<name>.txt`` has ``<name>.roles.json`` mapping every non-body
paragraph's text to its role (a repeated text gets a ``#2`` suffix).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from newsdesk.clean import clean_text
from newsdesk.segment import (
    ROLES,
    article_meta,
    assign_roles,
    furniture_lines,
    segment,
    split_paragraphs,
)

DATA = Path(__file__).parent / "data" / "segment"
ARTICLES = sorted((DATA / "articles").glob("*.txt"))

BODY = (
    "The government said on Monday that it would raise spending on roads by 5% next year, "
    "after a review found that many bridges needed urgent repairs."
)
BODY2 = "Opposition parties said the money was too little and came too late for rural areas, where many roads have been closed."


def roles_of(text: str, furniture: frozenset[str] = frozenset()) -> list[str]:
    text = clean_text(text)
    return assign_roles(text, split_paragraphs(text), furniture)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_fixture_roles(path: Path) -> None:
    text = clean_text(path.read_text(encoding="utf-8"))
    expected = json.loads(path.with_suffix(".roles.json").read_text(encoding="utf-8"))
    paragraphs, _ = segment(text)
    seen: dict[str, int] = {}
    got = {}
    for p in paragraphs:
        para = text[p["char_start"]:p["char_end"]]
        seen[para] = seen.get(para, 0) + 1
        key = para if seen[para] == 1 else f"{para}#{seen[para]}"
        got[key] = p["role"]
    wrong = {k: (v, expected.get(k, "body")) for k, v in got.items() if v != expected.get(k, "body")}
    assert not wrong, wrong
    assert set(expected) <= set(got)


@pytest.mark.parametrize(
    "line",
    [
        "See also Russia's military expansion in the Arctic is eclipsed by a new report",
        "Discover more from Harbour Post | Maritime News",
        "Subscribe to get the latest posts sent to your email.",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Related: Ten things to know about the budget",
        "Read more",
        "Click here to read the full report",
        "Advertisement",
        "© 2025 Harbour Post. All rights reserved.",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Sign up for our morning newsletter",
        "By Jane Doe",
        "Published: July 15, 2025",
        "REUTER",  # a wire's sign-off
        "Reuters",
    ],
)
def test_furniture_lines_are_boilerplate(line: str) -> None:
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "boilerplate", "body"]


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers to the service will pay £5 a month from January, the company said.",
        "By Wednesday, the troops had withdrawn from the town, officials said.",
        "Copyright lawyers said the ruling could affect thousands of similar cases.",
        "Mr Smith (pictured) said the deal was good for the region.",
        "European Union finance ministers meet on Thursday to discuss the proposals, including a tax on fuel.",
        "The BBC leads the nominations for the awards, including one for its website.",
        "David Mikosz works for the IFES, an international, non-profit organisation.",
        '"It has been a very good quarter for us," said chief executive Jo Price.',
        "- Revenue up 5% to $9.1bn",
    ],
)
def test_body_lines_stay_body(line: str) -> None:
    roles = roles_of(f"Roads budget raised\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "body", "body"]


@pytest.mark.parametrize(
    "line",
    [
        "Keith Kellogg during a Senate hearing on the conflict in Ukraine.",
        "Ukrainian servicemen fire a howitzer towards Russian positions near Bakhmut, Ukraine, March 3, 2023.",
        "Russian soldiers ride armoured vehicles in eastern Ukraine, a show of force before the talks.",
        "The aftermath of a missile strike in Kharkiv, Ukraine, revealing the scale of the damage.",
        "U.S. President Donald Trump speaks during a news conference in Washington. REUTERS/Kevin Lamarque",
        "Pete Hegseth leads a training session with soldiers, showcasing their readiness.",
    ],
)
def test_captions(line: str) -> None:
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "caption", "body"]


@pytest.mark.parametrize(
    "line",
    ["“THE BRINK OF A BREAKUP”", "The Aftermath: A City in Ruins", "WHAT HAPPENS NEXT", "Why the Deal Matters for Europe"],
)
def test_headings(line: str) -> None:
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "heading", "body"]


@pytest.mark.parametrize(
    "line",
    ["School Of Rock", "Drama - The Long Road", "Howard Webb (South Yorkshire)", "2000 GMT", "A sad day for music"],
)
def test_list_rows_are_not_headings(line: str) -> None:
    # Between short lines or at the end of a list, a short line is a list row.
    roles = roles_of(f"Awards list\n\n{BODY}\n\nThe winners:\n\n{line}\n\nBest Actor - Jo Price")
    assert roles == ["title", "body", "body", "body", "body"]


@pytest.mark.parametrize(
    "line",
    [
        "Dock workers unload grain at the port of Constanta on Monday. Photo: AP",
        "A ferry leaves the harbour at dawn. Photograph: Harbour Post",
        "The new bridge seen from the river bank | Image credit: Jane Doe",
    ],
)
def test_caption_with_trailing_photo_credit(line: str) -> None:
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "caption", "body"]


@pytest.mark.parametrize("line", ["Who gains", "Money for rural roads", "The ‘missing’ 5%", "Bridges first"])
def test_sentence_case_crossheads(line: str) -> None:
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "heading", "body"]


@pytest.mark.parametrize(
    "line",
    [
        "Terms were not disclosed",  # a sentence that lost its period (auxiliary)
        "He said no",  # reported speech
        "Roads and",  # a broken line
        "What comes next?",
    ],
)
def test_sentence_like_short_lines_are_not_crossheads(line: str) -> None:
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{line}\n\n{BODY2}")
    assert roles == ["title", "body", "body", "body"]


def test_no_sentence_case_crossheads_where_prose_drops_periods() -> None:
    # Reader comments and similar copy end sentences without a period: there a
    # short unpunctuated line is just another comment, not a crosshead.
    loose = "I have always liked this road and I think the council should leave it exactly as it is"
    roles = roles_of(f"A Headline About Roads\n\n{BODY}\n\n{loose}\n\nA sad day for drivers\n\n{BODY2}")
    assert roles == ["title", "body", "body", "body", "body"]


def test_no_sentence_case_crosshead_right_under_title() -> None:
    assert roles_of(f"Roads budget raised\n\nMore money for bridges\n\n{BODY}") == ["title", "body", "body"]


@pytest.mark.parametrize(
    "dek",
    [
        "Ministers promise faster repairs while councils ask who will pay for the work",
        "Councils plan to spend up to 5% more on bridges over the next two years",
    ],
)
def test_unpunctuated_standfirst_under_title_case_headline_is_dek(dek: str) -> None:
    assert roles_of(f"A Headline About Roads\n\n{dek}\n\n{BODY}") == ["title", "dek", "body"]


def test_no_dek_under_wire_slug_or_from_results_rows() -> None:
    assert roles_of(f"ROADCO INC 2ND QTR NET\n\nShr profit 17 cts vs profit 14 cts\n\n{BODY}") == [
        "title", "body", "body"
    ]
    # Title Case headline, but a row of tags is not a standfirst.
    assert roles_of(f"A Headline About Roads\n\nRoads Bridges Budget Councils Ministers Repairs Transport News\n\n{BODY}")[1] != "dek"


def test_title_then_body_like_bbc() -> None:
    assert roles_of(f"Roads budget raised\n\n{BODY}\n\n{BODY2}") == ["title", "body", "body"]


def test_first_line_full_sentence_is_body() -> None:
    first = (
        "In a dramatic escalation of the dispute, the coastal states have called on the commission "
        "to suspend all licences for foreign trawlers, saying the move is needed to protect stocks."
    )
    assert roles_of(f"{first}\n{BODY}") == ["body", "body"]


def test_repeated_title_is_boilerplate() -> None:
    assert roles_of(f"A Headline About Roads\n\nA Headline About Roads\n\n{BODY}") == ["title", "boilerplate", "body"]


def test_lede_under_sentence_case_title_is_not_dek() -> None:
    lede = "A batch of downbeat government data has cast doubt over the economy's future prospects."
    nxt = "Official figures showed on Friday that unemployment was unchanged at 9.9% last month."
    assert roles_of(f"Economy data disappoints\n\n{lede}\n\n{nxt}") == ["title", "body", "body"]


def test_furniture_detected_across_folder() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "folder").glob("*.txt"))]
    found = furniture_lines(texts)
    assert "Harbour Post | Maritime and Defence News" in found
    assert "Follow us on Telegram for breaking maritime news and analysis" in found
    assert not any(line.startswith(("Article", "Story", "A second")) for line in found)
    text = clean_text(texts[0])
    paragraphs, _ = segment(text, furniture=found)
    roles = [p["role"] for p in paragraphs]
    assert roles == ["boilerplate", "title", "body", "body", "boilerplate", "boilerplate"]


def test_duplicated_articles_are_not_furniture() -> None:
    article = f"Roads budget raised\n{BODY}\n{BODY2}"
    others = [f"Story {i}\nSomething else happened in town {i} today, and it was long enough." for i in range(5)]
    assert furniture_lines([article, article, article, *others]) == frozenset()


def test_furniture_is_short_lines_only() -> None:
    long_line = " ".join(["word"] * 60)
    assert furniture_lines([f"T{i}\n{long_line}\nBody {i} is unique here." for i in range(5)]) == frozenset()


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_offsets_point_into_text(path: Path) -> None:
    text = clean_text(path.read_text(encoding="utf-8"))
    paragraphs, sentences = segment(text)
    assert [p["paragraph_index"] for p in paragraphs] == list(range(len(paragraphs)))
    assert [line for line in text.split("\n") if line.strip()] == [
        text[p["char_start"]:p["char_end"]] for p in paragraphs
    ]
    assert all(p["role"] in ROLES for p in paragraphs)
    assert [s["sentence_index"] for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        p = paragraphs[s["paragraph_index"]]
        assert p["char_start"] <= s["char_start"] < s["char_end"] <= p["char_end"]
        sent = text[s["char_start"]:s["char_end"]]
        assert sent == sent.strip()
    # the sentences of a paragraph cover all its non-space text
    for p in paragraphs:
        own = [text[s["char_start"]:s["char_end"]] for s in sentences if s["paragraph_index"] == p["paragraph_index"]]
        assert "".join(own).replace(" ", "") == text[p["char_start"]:p["char_end"]].replace(" ", "")


def test_empty_text() -> None:
    assert segment("") == ([], [])


def test_article_meta() -> None:
    text = clean_text(
        "Talks Set to Resume on Ports Deal\n"
        "By Jane Doe and John Roe, Reuters\n"
        "Published: July 15, 2025\n"
        "Washington (AFP) – US officials said on Monday that talks would go ahead.\n"
        "Both sides said they were hopeful.\n"
        "Discover more from Harbour Post | Maritime News"
    )
    paragraphs, _ = segment(text)
    assert article_meta(text, paragraphs) == {
        "byline": "Jane Doe and John Roe",
        "dateline": "Washington (AFP) –",
        "published": "2025-07-15",
        "outlet": "Harbour Post",
    }


def test_article_meta_absent() -> None:
    text = clean_text(f"Roads budget raised\n\n{BODY}\n\n{BODY2}")
    paragraphs, _ = segment(text)
    assert article_meta(text, paragraphs) == {"byline": None, "dateline": None, "published": None, "outlet": None}


def test_article_meta_capitals_dateline() -> None:
    text = clean_text(f"Roads Budget Raised Again\n\nLONDON — {BODY}\n\n{BODY2}")
    paragraphs, _ = segment(text)
    assert article_meta(text, paragraphs)["dateline"] == "LONDON —"


# ------------------------------------------------------------------ long lines


def test_a_line_over_the_limit_is_found_with_its_number_and_length():
    from newsdesk.segment import MAX_LINE_CHARS, overlong_line

    ok = "Title\n\n" + "x" * MAX_LINE_CHARS + "\r\n" + "Last line."
    assert overlong_line(ok) is None
    assert overlong_line(ok.replace("Last", "x" * MAX_LINE_CHARS)) == (4, MAX_LINE_CHARS + len(" line."))
    # every break that cleaning makes a line break counts, "\r\n" as one
    assert overlong_line("a\r" + "b" * 11 + "\u2028c", limit=10) == (2, 11)
    assert overlong_line("a\r\n\r\n" + "b" * 11, limit=10) == (3, 11)
    assert overlong_line(("w" * 10 + "\n") * 1000, limit=10) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\r\u2028\u0085", max_size=80), st.integers(1, 12))
def test_overlong_line_agrees_with_splitting_the_lines(text, limit):
    from newsdesk.segment import overlong_line

    lines = text.replace("\r\n", "\n")
    for c in "\r\u2028\u2029":  # what cleaning makes a line break ("\x85" is not one)
        lines = lines.replace(c, "\n")
    want = next(((i + 1, len(ln)) for i, ln in enumerate(lines.split("\n")) if len(ln) > limit), None)
    assert overlong_line(text, limit) == want


def test_screen_rejects_a_document_with_an_overlong_line():
    from newsdesk import ingest
    from newsdesk.segment import MAX_LINE_CHARS, screen

    doc = ingest.Decoded("big.txt", b"", "h", "x" * (MAX_LINE_CHARS + 1), "utf-8", [])
    got = screen(doc)
    assert isinstance(got, ingest.Reject) and got.reason == "line_too_long"
    assert got.detail.startswith(f"line 1 has {MAX_LINE_CHARS + 1:,} characters")
    small = ingest.Decoded("ok.txt", b"", "h", "Title\n\nBody.", "utf-8", [])
    assert screen(small) is small
    reject = ingest.Reject("x.txt", "empty", "")
    assert screen(reject) is reject


# ------------------------------------------------------------ fast paths --
#
# Cheaper forms of the line tests, of the furniture count and of the word
# count; each must answer exactly as the direct form does.

from newsdesk import segment as _segment  # noqa: E402
from newsdesk import stages as _stages  # noqa: E402

_LINE_ALPHABET = st.sampled_from(
    [*"aAbZz09 .,:;!?'\"-/()|©\t", "photo", "Photo", "PHOTO", "image", "seen", "getty images", "Reuters/J",
     "AP/", "reuters/x", "pictured", "said", "SAID", "according to", "all rights reserved", "ALL RIGHTS RESERVED",
     "Copyright 2024", "See also", "Read more", "By ", "Jane Doe", "Published", "July 15, 2025", "“", "”", "«",
     "’", "é", "É", "ſ", "K", "ß", "İ", "²", "\u00a0", "\x1c"]
)
_line_texts = st.lists(_LINE_ALPHABET, max_size=25).map("".join)


@settings(max_examples=600, deadline=None)
@given(_line_texts)
def test_line_tests_match_their_plain_forms(line: str) -> None:
    assert _segment._strong_furniture(line) == (_segment._FURNITURE_STRONG.match(line) is not None)
    plain_photo = _segment._PHOTO_CUE.search(line) is not None and _segment._PHOTO.search(line) is not None
    assert _segment._photo_wording(line) == plain_photo
    assert _segment._reports(line) == (_segment._REPORTING.search(line) is not None)
    letters = [c for c in line if c.isalpha()]
    assert _segment._letter_counts(line) == (len(letters), sum(c.isupper() for c in letters))
    assert _segment._has_quote_marks(line) == any(q in line for q in "\"“”«»„")
    n_words = len(line.split())
    plain_furniture = (
        bool(_segment._FURNITURE_STRONG.match(line) and n_words <= 40)
        or bool(n_words <= 12 and _segment._FURNITURE_SHORT.match(line))
        or bool(_segment._BYLINE.match(line) and n_words <= 12)
        or bool(_segment._DATELINE_ONLY.match(line) or (_segment._STAMP.match(line) and n_words <= 10))
    ) and len(line) <= 400
    assert _segment._is_furniture(line, frozenset()) == plain_furniture
    assert _segment._is_furniture(line, frozenset(), n_words) == plain_furniture
    assert _segment._is_caption(line) == _segment._is_caption(line, n_words)


_FURNITURE_LINES = st.sampled_from(
    ["Read more", "READ MORE!", "read  more", "Read more »", "Share this: Facebook", "Share this Facebook", "a b",
     "ab", "A-B", "İstanbul news", "i̇stanbul news", "Subscribe\tnow", "—", "...", " ".join(["w"] * 40),
     " ".join(["w"] * 41), "x\x1c" * 40 + "x", "x\u00a0" * 41, "Story one", "Story two", "  padded  "]
)


def _furniture_lines_plain(texts: list[str], min_files: int, min_share: float, max_words: int) -> frozenset[str]:
    """furniture_lines() the direct way: every line's key, counted by the articles holding it."""
    key = _segment._key
    seen: dict[str, set[str]] = {}
    example: dict[str, str] = {}
    n = 0
    for text in texts:
        n += 1
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if not lines:
            continue
        head = key(max(lines, key=len))  # the article's fingerprint: its longest line
        for ln in lines:
            if len(ln.split()) > max_words:
                continue
            k = key(ln)
            if not k:
                continue
            seen.setdefault(k, set()).add(head)
            example.setdefault(k, ln)
    need = max(min_files, int(min_share * n + 0.999))
    return frozenset(example[k] for k, heads in seen.items() if len(heads) >= need)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_FURNITURE_LINES, max_size=6).map("\n".join), max_size=25), st.sampled_from([1, 2, 3]),
       st.sampled_from([0.0, 0.05, 0.3]))
def test_furniture_lines_match_the_direct_count(texts: list[str], min_files: int, min_share: float) -> None:
    expected = _furniture_lines_plain(texts, min_files, min_share, 40)
    assert furniture_lines(texts, min_files, min_share) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_FURNITURE_LINES, max_size=6).map("\n".join), max_size=25), st.sampled_from([1, 2, 3]))
def test_furniture_lines_match_the_direct_count_at_other_word_limits(texts: list[str], max_words: int) -> None:
    assert furniture_lines(texts, 2, 0.05, max_words) == _furniture_lines_plain(texts, 2, 0.05, max_words)


_WORD_ALPHABET = st.sampled_from([*"ab1_'’ \n.é-\t²½٣Ⅻ£‘Ω\u00a0", "x'y", "''", "\u0301", "don't", "'n'"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORD_ALPHABET, max_size=40).map("".join), st.lists(st.booleans(), max_size=20))
def test_word_count_matches_findall(text: str, pick: list[bool]) -> None:
    spans = split_paragraphs(text)
    mine = [sp for k, sp in enumerate(spans) if k >= len(pick) or pick[k]]
    others = [sp for k, sp in enumerate(spans) if not (k >= len(pick) or pick[k])]
    expected = sum(len(_stages._WORD.findall(text, s, e)) for s, e in mine)
    assert _stages._word_count(text, mine, others) == expected


def test_segment_spans_is_segment() -> None:
    text = clean_text(f"Roads Budget Raised Again\n\nLONDON — {BODY}\n\nPhoto: Jane Doe/Reuters\n\n{BODY2}")
    spans, roles, sents, sent_para = _segment.segment_spans(text)
    paragraphs, sentences = segment(text)
    assert [(p["char_start"], p["char_end"]) for p in paragraphs] == spans
    assert [p["role"] for p in paragraphs] == roles
    assert [(s["char_start"], s["char_end"]) for s in sentences] == sents
    assert [s["paragraph_index"] for s in sentences] == sent_para
    lines = [(r, text[s:e]) for (s, e), r in zip(spans, roles)]
    assert _segment.meta_from_lines(lines) == article_meta(text, paragraphs)
