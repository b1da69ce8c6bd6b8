"""Behaviour tests for the quote and speaker extractor (newsdesk.quotes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from newsdesk.clean import clean_text
from newsdesk.quotes import extract_quotes
from newsdesk.segment import segment

DATA = Path(__file__).parent / "data" / "quotes"


def run(body: str, title: str = "A headline") -> list[dict]:
    text = clean_text(title + "\n\n" + body)
    paragraphs, sentences = segment(text)
    rows = extract_quotes(text, paragraphs, sentences)
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["quote"]
    return rows


def simple(rows):
    return [(r["quote"], r["speaker"], r["kind"]) for r in rows]


CASES = [
    # every quotation style
    ("curly double",
     "Pete Hegseth spoke in Brussels. “We expect more from allies,” Hegseth said.",
     [("We expect more from allies", "Pete Hegseth", "full")], ["said"]),
    ("straight double",
     'Mark Rutte met ministers. "This is about solidarity," Rutte said.',
     [("This is about solidarity", "Mark Rutte", "full")], ["said"]),
    ("guillemets",
     "Mark Rutte met ministers. «The Europeans have to step up,» Rutte explained.",
     [("The Europeans have to step up", "Mark Rutte", "full")], ["explained"]),
    ("curly single",
     "Mark Rutte met ministers. ‘Every hour counts,’ Rutte said.",
     [("Every hour counts", "Mark Rutte", "full")], ["said"]),
    ("straight single",
     "Mark Rutte met ministers. 'Every hour counts,' Rutte said.",
     [("Every hour counts", "Mark Rutte", "full")], ["said"]),
    ("german low-high",
     "Olaf Scholz spoke. „Wir schaffen das,“ Scholz said.",
     [("Wir schaffen das", "Olaf Scholz", "full")], ["said"]),
    # apostrophes are not marks
    ("apostrophes inside quote",
     "Mark Rutte spoke. ‘It’s about the allies’ money and Ukraine’s future,’ Rutte said.",
     [("It’s about the allies’ money and Ukraine’s future", "Mark Rutte", "full")], ["said"]),
    ("nested quote",
     'Rachel Harker spoke. "There was a question: \'If we build it will they come?\'" she said.',
     [("There was a question: 'If we build it will they come?'", "Rachel Harker", "full")], ["said"]),
    # attribution forms
    ("said X with apposition",
     '"Growth is slowing," said Avery Shenfeld, senior economist at CIBC.',
     [("Growth is slowing", "Avery Shenfeld", "full")], ["said"]),
    ("X said colon",
     'Health Minister Stephen Ladyman said: "This is the antithesis of the nanny state."',
     [("This is the antithesis of the nanny state.", "Stephen Ladyman", "full")], ["said"]),
    ("pronoun to fullest name",
     'First Minister Jack McConnell spoke on Monday. "The time has come," he declared.',
     [("The time has come", "Jack McConnell", "full")], ["declared"]),
    ("unknown verb learned by position",
     "Pete Hegseth spoke. “Our expectation today is for more purchases,” Hegseth articulated.",
     [("Our expectation today is for more purchases", "Pete Hegseth", "full")], ["articulated"]),
    ("told reporters",
     "Russian minister Sergei Ryabkov informed reporters that ties are “balancing on the brink”.",
     [("balancing on the brink", "Sergei Ryabkov", "partial")], ["informed reporters"]),
    ("told the parliament",
     'Jack McConnell spoke. He told the Scottish Parliament that a "comprehensive ban" would come.',
     [("comprehensive ban", "Jack McConnell", "partial")], ["told the Scottish Parliament"]),
    ("interrupted quote two rows",
     "Donald Trump met ministers. ‘We are prepared to help,’ Trump stated, ‘but Europe must pay.’",
     [("We are prepared to help", "Donald Trump", "full"), ("but Europe must pay.", "Donald Trump", "full")],
     ["stated", "stated"]),
    ("unnamed source",
     "Aid was discussed. ‘Every hour counts,’ said a former aide to former Ukrainian President Leonid Kuchma.",
     [("Every hour counts", "a former aide to Leonid Kuchma", "full")], ["said"]),
    ("organisation",
     'The Tories said they were glad Mr Straw had been "shamed" into going.',
     [("shamed", "Tories", "partial")], ["said"]),
    ("short org name to full",
     'The Federal Reserve raised rates. In a statement, the Fed said inflation was "well contained".',
     [("well contained", "Federal Reserve", "partial")], ["said"]),
    ("sentence-final attribution for partial",
     'The "myth that ageing is a barrier" must be "exploded", the work and pensions minister has said. '
     "This is why the age may go, Alan Johnson said.",
     [("myth that ageing is a barrier", "Alan Johnson", "partial"), ("exploded", "Alan Johnson", "partial")],
     ["said", "said"]),
    ("possessive pronoun partial",
     "US President Donald Trump recently asserted that Ukraine could win, a change from his view that it had “no cards” to deploy.",
     [("no cards", "Donald Trump", "partial")], ["asserted"]),
    ("gender picks the right person",
     "Mr Smith and Ms Jones met. Mr Smith left early. \"We agreed,\" she said.",
     [("We agreed", "Jones", "full")], ["said"]),
    # not quotes
    ("name in marks", "Ministers met at the ‘Ramnatein’ contact group, Rutte said.", [], []),
    ("scare quotes so-called", 'The action was against so-called "John Doe" defendants.', [], []),
    ("no speaker at all", 'The plan is a "half-way house" for carers.', [], []),
]


@pytest.mark.parametrize("name,body,expected,verbs", CASES, ids=[c[0] for c in CASES])
def test_cases(name, body, expected, verbs):
    rows = run(body)
    got = simple(rows)
    assert [(q, k) for q, _, k in got] == [(q, k) for q, _, k in expected]
    for (_, sp, _), (_, gsp, _) in zip(got, expected):
        assert gsp.split()[-1] in (sp or "")
    assert [r["verb"] for r in rows] == verbs


def test_title_and_heading_never_quote():
    text = "“Critical” boost for Ukraine\n\nNothing was said today."
    paragraphs, sentences = segment(text)
    assert extract_quotes(text, paragraphs, sentences) == []


def test_multi_paragraph_quote():
    body = ('Lynn Franco said: "The expansion has consumers ending the year on a high note.\n\n'
            '"And the outlook suggests the economy will expand."')
    rows = run(body)
    assert [r["quote"] for r in rows] == [
        "The expansion has consumers ending the year on a high note.",
        "And the outlook suggests the economy will expand.",
    ]
    assert {r["speaker"] for r in rows} == {"Lynn Franco"}
    assert not any(r["flagged"] for r in rows)


def test_bbc_run_on_paragraph():
    raw = (DATA / "bbc_runon_050.txt").read_text(encoding="utf-8")
    text = clean_text(raw)
    rows = extract_quotes(text, *segment(text))
    quotes = [r["quote"] for r in rows]
    assert "Health rates are lamentable because of a lack of exercise, drugs abuse, excessive drinking and over-eating." in quotes
    assert "They all make us one of the most unhealthy countries in Europe, and too many smoke." in quotes
    by_q = {r["quote"]: r["speaker"] for r in rows}
    assert by_q["They all make us one of the most unhealthy countries in Europe, and too many smoke."] == "Jack McConnell"
    assert by_q["The time has come for a ban on smoking in public places."] == "Nicola Sturgeon"
    assert len(rows) == 12


def test_unbalanced_mark_stays_in_paragraph():
    body = ('Mr Smith said "this never closes and runs on.\n\n'
            'Jane Doe spoke later. "All is well," Ms Doe said.')
    rows = run(body)
    assert ("All is well", "Jane Doe") in [(r["quote"], r["speaker"]) for r in rows]
    ok = [r for r in rows if r["quote"] == "All is well"][0]
    assert not ok["flagged"]
    assert all(r["flagged"] for r in rows if r["quote"] != "All is well")


def test_stray_closer_flags_paragraph():
    rows = run('Mr Smith said this” and more. "Fine," Mr Smith said.')
    assert [r["quote"] for r in rows] == ["Fine"]
    assert rows[0]["flagged"]


def test_row_fields():
    rows = run('Mark Rutte met ministers. "This is about solidarity," Rutte said.')
    r = rows[0]
    assert set(r) >= {"char_start", "char_end", "quote", "speaker", "speaker_kind", "kind", "verb",
                      "sentence_index", "paragraph_index", "flagged"}
    assert r["speaker_kind"] == "person" and r["paragraph_index"] == 1


MARK = st.sampled_from(list("\"'“”‘’«»„ ") + [" said ", ", he said. ", "\n", "Mr Blair ", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARK, st.text(max_size=8)), max_size=40))
def test_random_marks_never_raise(parts):
    text = clean_text("".join(parts))
    paragraphs, sentences = segment(text)
    for r in extract_quotes(text, paragraphs, sentences):
        assert text[r["char_start"]:r["char_end"]] == r["quote"]
        assert r["kind"] in ("full", "partial", "indirect")
