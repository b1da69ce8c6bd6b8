"""Behaviour of the figure extractor (newsdesk.figures), per GUIDELINES.md "Figures".

Each case is one sentence and the figure(s) it must (or must not) yield. The
tests never read /work/shared: the few multi-paragraph samples live in
tests/data/figures/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.figures import extract_figures
from newsdesk.segment import segment

DATA = Path(__file__).resolve().parent / "data" / "figures"


def figs(text: str) -> list[dict]:
    paragraphs, sentences = segment(text)
    out = extract_figures(text, sentences, paragraphs)
    for f in out:
        assert text[f["char_start"]:f["char_end"]] == f["span"]
    return out


def only(text: str, span: str) -> dict:
    hits = [f for f in figs(text) if f["span"] == span]
    assert hits, f"{span!r} not found in {[f['span'] for f in figs(text)]}"
    return hits[0]


# (sentence, span, kind, value, unit, extra fields that must match)
CASES = [
    # money: signs, codes, words, scales, subunits, newswire style
    ("President Biden authorized over $65 billion in aid.", "$65 billion", "money", 65e9, "USD", {"qualifier": "over"}),
    ("It cost around £186.56 million in total.", "£186.56 million", "money", 186.56e6, "GBP", {"qualifier": "around"}),
    ("Britain provides around £4.3 billion per year on average.", "£4.3 billion", "money", 4.3e9, "GBP",
     {"per": "year", "qualifier": "around"}),
    ("The budget deficit hit a record $427bn (£230bn).", "$427bn", "money", 427e9, "USD", {}),
    ("The budget deficit hit a record $427bn (£230bn).", "£230bn", "money", 230e9, "GBP", {}),
    ("The firm paid €3.5bn for the stake.", "€3.5bn", "money", 3.5e9, "EUR", {}),
    ("It raised US$5m from investors.", "US$5m", "money", 5e6, "USD", {}),
    ("The miner was valued at A$7.17 a share.", "A$7.17", "money", 7.17, "AUD", {}),
    ("Shares in HK$ terms rose to HK$12.5bn.", "HK$12.5bn", "money", 12.5e9, "HKD", {}),
    ("The fund holds USD 5m in cash.", "USD 5m", "money", 5e6, "USD", {}),
    ("Fines of up to £2,500 will be levied.", "£2,500", "money", 2500, "GBP", {"qualifier": "up to"}),
    ("A stamp now costs 32p.", "32p", "money", 0.32, "GBP", {}),
    ("It was trading at 105.28 yen.", "105.28 yen", "money", 105.28, "JPY", {}),
    ("Gazprom paid 12 billion roubles for the unit.", "12 billion roubles", "money", 12e9, "RUB", {}),
    ("The bank lent 300m zlotys to the firm.", "300m zlotys", "money", 300e6, "PLN", {}),
    ("Volvo earned 2.1 billion kronor in the quarter.", "2.1 billion kronor", "money", 2.1e9, "SEK", {}),
    ("The company said net income was 12.6 mln dlrs.", "12.6 mln dlrs", "money", 12.6e6, "USD", {}),
    ("The bonds pay 15 cts a share.", "15 cts", "money", 0.15, "USD", {}),
    ("It issued a 100 mln Canadian dlr bond.", "100 mln Canadian dlr", "money", 100e6, "CAD", {}),
    ("They will spend five billion dollars on roads.", "five billion dollars", "money", 5e9, "USD", {"spelled": True}),
    # percentages
    ("The U.S. has contributed over 3% of its GDP.", "3%", "percent", 3, "percent", {"qualifier": "over", "base": "GDP"}),
    ("The economy grew 3.3 percent last year.", "3.3 percent", "percent", 3.3, "percent", {}),
    ("There was a near nine per cent rise in tax revenues from bars.", "nine per cent", "percent", 9, "percent",
     {"qualifier": "nearly", "spelled": True, "base": "tax revenues from bars"}),
    ("The goal is three percent of GDP.", "three percent", "percent", 3, "percent", {"spelled": True, "base": "GDP"}),
    ("Sales fell one point three per cent.", "one point three per cent", "percent", 1.3, "percent", {"spelled": True}),
    ("Imports rose 13.3 pct in January.", "13.3 pct", "percent", 13.3, "percent", {}),
    ("The Fed voted for a quarter point rise in interest rates.", "a quarter point", "percent", 0.25, "percent", {}),
    ("Rates rose by half a percentage point.", "half a percentage point", "percent", 0.5, "percent", {}),
    ("Inflation rose 0.4 percentage points.", "0.4 percentage points", "percent", 0.4, "percent", {}),
    ("It makes it easier for the 70% of smokers who want to quit.", "70%", "percent", 70, "percent", {"base": "smokers"}),
    # counts
    ("The UK is on track to deliver more than 10,000 drones.", "10,000 drones", "count", 10000, "drone",
     {"qualifier": "more than"}),
    ("Two government sources indicated the plan.", "Two government sources", "count", 2, "source", {"spelled": True}),
    ("More than 80,000 long term care places had been lost.", "80,000 long term care places", "count", 80000, "place", {}),
    ("There are 1.7m people needing care.", "1.7m people", "count", 1.7e6, "person", {}),
    ("Some six million people perished.", "six million people", "count", 6e6, "person", {"qualifier": "about"}),
    ("US firms created 337,000 jobs last month.", "337,000 jobs", "count", 337000, "job", {}),
    ("All three parties have been wooing older voters.", "three parties", "count", 3, "party", {}),
    ("The Fed has raised rates five times since June.", "five times", "count", 5, "time", {}),
    ("He is at the start of a four-nation EU visit.", "four-nation", "count", 4, "nation", {}),
    ("Twenty-five companies signed up.", "Twenty-five companies", "count", 25, "company", {}),
    ("The company has 5,500 employees, up from 4,300.", "5,500 employees", "count", 5500, "employee", {}),
    ("Between 1.1 and 1.5 million people were killed.", "1.1 and 1.5 million people", "count", 1.1e6, "person",
     {"value_high": 1.5e6}),
    ("Seventeen MPs backed the motion.", "Seventeen MPs", "count", 17, "MP", {}),
    # quantities
    ("There is no need to alter that in the next 24 hours.", "24 hours", "quantity", 24, "hour", {}),
    ("Output rose to 25m tonnes.", "25m tonnes", "quantity", 25e6, "tonne", {}),
    ("The dollar hit a seven-month low.", "seven-month", "quantity", 7, "month", {"spelled": True}),
    ("Rates will reach 2% within two years.", "two years", "quantity", 2, "year", {"qualifier": "up to"}),
    ("The victims were aged 45.", "45", "quantity", 45, "year", {}),
    ("The prince, 20, apologised.", "20", "quantity", 20, "year", {}),
    ("The 74-year-old actor won.", "74-year-old", "quantity", 74, "year", {}),
    ("The missiles have a range of up to 50 miles.", "50 miles", "quantity", 50, "mile", {"qualifier": "up to"}),
    ("He signed a three-and-a-half year contract.", "three-and-a-half year", "quantity", 3.5, "year", {}),
    ("Production is 300,000 barrels per day.", "300,000 barrels", "quantity", 300000, "barrel", {"per": "day"}),
    # fractions
    ("Europe contributes only a third of NATO's defense spending.", "a third", "fraction", 0.3333, "fraction",
     {"base": "NATO's defense spending", "spelled": True}),
    ("Consumer spending accounts for about two thirds of all activity.", "two thirds", "fraction", 0.6667, "fraction",
     {"qualifier": "about"}),
    ("Half of spam received came from zombies.", "Half", "fraction", 0.5, "fraction", {}),
    ("A two-thirds majority is needed.", "two-thirds", "fraction", 0.6667, "fraction", {}),
    ("One in five workers are mobile.", "One in five", "fraction", 0.2, "fraction", {}),
    # ranges
    ("The plan will cost $5-7 billion.", "$5-7 billion", "money", 5e9, "USD", {"value_high": 7e9}),
    ("Sales growth of between 1% and 3% is expected.", "1% and 3%", "percent", 1, "percent", {"value_high": 3}),
    ("BankAmerica stands to lose 15-20 mln dlrs.", "15-20 mln dlrs", "money", 15e6, "USD", {"value_high": 20e6}),
    ("Games will cost between $10-25m to make.", "$10-25m", "money", 10e6, "USD", {"value_high": 25e6}),
]


@pytest.mark.parametrize("sentence,span,kind,value,unit,extra", CASES, ids=[c[1] for c in CASES])
def test_figure(sentence, span, kind, value, unit, extra):
    f = only(sentence, span)
    assert f["kind"] == kind
    assert f["value"] == pytest.approx(value, rel=5e-3)
    assert f["unit"] == unit
    for key, want in extra.items():
        if key == "value_high":
            assert f[key] == pytest.approx(want, rel=5e-3)
        else:
            assert f[key] == want, key


def test_qualifier_is_not_in_span():
    f = only("The UK has sent over £1 billion worth of ammunition.", "£1 billion")
    assert f["qualifier"] == "over"


def test_rows_carry_every_field():
    text = "Title\nThe firm cut 500 jobs. Profits rose 5%."
    rows = figs(text)
    assert [r["span"] for r in rows] == ["500 jobs", "5%"]
    keys = {"char_start", "char_end", "span", "kind", "value", "value_high", "unit", "qualifier", "base", "per",
            "spelled", "sentence_index"}
    assert all(set(r) == keys for r in rows)
    assert [r["sentence_index"] for r in rows] == [1, 2]
    assert all(isinstance(r["value"], float) for r in rows)


NOT_FIGURES = [
    "In 2024 the alliance grew.",
    "During a July 14 press conference, Trump hinted at more aid.",
    "On July 14th, Trump confirmed the plan.",
    "The ceremony will take place on 16 January.",
    "NATO chaired the 26th Ukraine Defence Contact Group summit.",
    "The war is now entering its eighth year.",
    "The meeting starts at 10:30 and ends at 4pm.",
    "The dollar was trading at 2100GMT.",
    "Chelsea won 3-1 at home.",
    "The F-35 and the G7 met under Article 5.",
    "The FTSE 100 rose while Apollo 13 astronauts watched.",
    "Every Patriot PAC-3 missile was built in the 1980s.",
    "Call 0800 123 4567 for details.",
    "This is one of several strategies.",
    "The first half of next year looks good.",
    "Growth was strong in the third quarter.",
    "He won a third term in office.",
    "Thousands of people marched.",
    "The world 100m champion ran.",
    "It was the fourth time in years.",
    "Windows 95 users and MP3 fans alike.",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_not_a_figure(sentence):
    assert figs(sentence) == []


def test_boilerplate_is_skipped_but_titles_are_scanned():
    text = "Rates up to 2%\nThe bank raised rates to 2%.\nShare this: 45 comments"
    paragraphs, sentences = segment(text)
    paragraphs[2]["role"] = "boilerplate"
    rows = extract_figures(text, sentences, paragraphs)
    assert [r["span"] for r in rows] == ["2%", "2%"]


def test_kroner_follows_the_country():
    assert only("The Danish firm paid 5m kroner to settle.", "5m kroner")["unit"] == "DKK"
    assert only("The Norwegian court ordered him to pay 100,000 kroner.", "100,000 kroner")["unit"] == "NOK"


def test_exchange_rate_inherits_currency():
    f = only("It was trading at 105.28 yen, after hitting a seven-month low of 105.17 earlier.", "105.17")
    assert (f["kind"], f["unit"]) == ("money", "JPY")


def test_empty_and_numberless_text():
    assert extract_figures("", [], []) == []
    text = "Nothing to measure here."
    p, s = segment(text)
    assert extract_figures(text, s, p) == []


def test_without_paragraphs_scans_everything():
    text = "Profits rose 5%.\nShare this: 45 comments"
    _, sentences = segment(text)
    assert len(extract_figures(text, sentences)) == 2  # "45 comments" counts when no role says boilerplate


@pytest.mark.parametrize("sample", [json.loads(line) for line in (DATA / "samples.jsonl").read_text().splitlines()],
                         ids=lambda s: s["text"][:30])
def test_samples(sample):
    rows = figs(sample["text"])
    got = [(r["span"], r["kind"], r["unit"]) for r in rows]
    for span, kind, value, unit in sample["figures"]:
        assert (span, kind, unit) in got, (span, got)
        row = next(r for r in rows if r["span"] == span and r["kind"] == kind)
        assert row["value"] == pytest.approx(value, rel=5e-3)


_PIECES = st.sampled_from([
    " ", "  ", "\n", ".", ",", "-", "–", "%", "$", "£", "€", "¥", "US$", "A$", "HK$", "USD ", "bn", "m", "k", "mln",
    " dlrs", " pct", " per cent", " million", " billion", " kroner", " yen", "p", "one", "two", "three", "twenty",
    "-five", " a third", "half", " a quarter", " point", " percentage points", " and ", " to ", "between ",
    "more than ", "up to ", "aged ", " people", " years", "-year-old", " tonnes", " hours", "July", "14th", "'s",
    "(", ")", "\"", "’", "Apollo", "The", "a", "1/2", ":", "İ", "ß",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.integers(0, 10**7).map(str),
                          st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:,.2f}"),
                          st.text(max_size=8)), max_size=40))
def test_random_text_never_raises_and_spans_are_exact(pieces):
    text = "".join(pieces)
    paragraphs, sentences = segment(text)
    for f in extract_figures(text, sentences, paragraphs):
        assert text[f["char_start"]:f["char_end"]] == f["span"]
        assert f["char_start"] < f["char_end"]
        assert f["kind"] in ("money", "percent", "count", "quantity", "fraction")
        assert isinstance(f["value"], float)


def test_points_are_percentage_points_only_for_rates():
    assert only("The bank cut interest rates by 0.5 points.", "0.5 points")["kind"] == "percent"
    f = only("The Dow Jones index closed down 0.89 points.", "0.89 points")
    assert (f["kind"], f["unit"]) == ("quantity", "point")
