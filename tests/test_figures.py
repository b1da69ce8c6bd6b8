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


@pytest.mark.parametrize(
    ("text", "span", "qualifier"),
    [
        ("Prices rose sharply. About 500 people came.", "500 people", "about"),
        ("Troops left.\n\nAlmost $5 billion was spent.", "$5 billion", "almost"),
        ("It rained. Nearly 40% agreed.", "40%", "nearly"),
        ("It rained. Some 300 soldiers stayed.", "300 soldiers", "about"),
    ],
)
def test_qualifier_opening_a_later_sentence(text, span, qualifier):
    assert only(text, span)["qualifier"] == qualifier


def test_rows_carry_every_field():
    text = "Title\nThe firm cut 500 jobs. Profits rose 5%."
    rows = figs(text)
    assert [r["span"] for r in rows] == ["500 jobs", "5%"]
    keys = {"char_start", "char_end", "span", "kind", "value", "value_high", "unit", "qualifier", "base", "per",
            "spelled", "sentence_index", "subject"}
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


def test_singular_currency_words_before_a_noun():
    f = only("Kenya's coffee boom produced a two billion shilling balance of payments surplus.", "two billion shilling")
    assert (f["kind"], f["value"], f["unit"]) == ("money", 2e9, "KES")
    assert not [f for f in figs("He wants the world 5,000m crown in Helsinki.") if f["kind"] == "money"]  # a title
    assert only("Hanoi lent 500 billion dong to farmers.", "500 billion dong")["unit"] == "VND"
    assert not [f for f in figs("He won the Triple Crown and paid 3 crowns for a drink.") if f["kind"] == "money"]


def test_a_year_before_the_word_year_is_a_date():
    assert [f["span"] for f in figs("1986 year net includes a gain of 15.0 mln dlrs.")] == ["15.0 mln dlrs"]
    assert only("The tree is 2000 years old.", "2000 years")["value"] == 2000


def test_ecu_is_money():
    f = only("The World Bank is issuing a 100 mln ECU eurobond.", "100 mln ECU")
    assert (f["kind"], f["value"], f["unit"]) == ("money", 1e8, "XEU")


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


# ---------------------------------------------------------------------------
# Exact values: the value is the decimal as written, not binary noise.
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,span,value", [
    ("Aid reached $65.9 billion.", "$65.9 billion", 65900000000.0),
    ("It cost £186.56 million.", "£186.56 million", 186560000.0),
    ("Output was 4.1m tonnes.", "4.1m tonnes", 4100000.0),
    ("A stamp costs 3.2p.", "3.2p", 0.032),
    ("Net income was 12.6 mln dlrs.", "12.6 mln dlrs", 12600000.0),
    ("The bonds pay 14.3 cts a share.", "14.3 cts", 0.143),
    ("Rates fell 25 basis points.", "25 basis points", 0.25),
    ("Debt hit 1.15 trillion yen.", "1.15 trillion yen", 1150000000000.0),
])
def test_values_are_exact_decimals(sentence, span, value):
    assert only(sentence, span)["value"] == value  # ==, not approx


def test_range_ends_are_exact_decimals():
    f = only("The plan will cost $5.3-7.9bn.", "$5.3-7.9bn")
    assert (f["value"], f["value_high"]) == (5300000000.0, 7900000000.0)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 999), st.integers(0, 99), st.sampled_from([("million", 10**6), ("billion", 10**9),
                                                                     ("bn", 10**9), ("m", 10**6), ("", 1)]))
def test_scaled_decimals_match_decimal_arithmetic(whole, cents, scale):
    from decimal import Decimal
    word, factor = scale
    written = f"{whole}.{cents:02d}"
    sep = " " if word in ("million", "billion") else ""
    span = f"${written}{sep}{word}"
    f = only(f"The deal is worth {span} in cash.", span)
    assert f["value"] == float(Decimal(written) * factor)


# ---------------------------------------------------------------------------
# subject: the subject noun phrase of the figure's clause, or None.
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,span,subject", [
    ("US consumer confidence rose 4.3% in May.", "4.3%", "US consumer confidence"),
    ("The company's profits fell by 5%.", "5%", "The company's profits"),
    ("Its sales rose 3.5% to 2.7 million units.", "3.5%", "Its sales"),
    ("Last year, cigarette sales fell 13%.", "13%", "cigarette sales"),
    ("According to the ONS, unemployment fell 2.1%.", "2.1%", "unemployment"),
    ("Tesco said profits rose 5%.", "5%", "profits"),
    ("Tesco said it made £5m.", "£5m", "Tesco"),
    ("Tesco, the UK's biggest retailer, said on Tuesday that sales in Europe rose 3%, while profits fell 2%.",
     "3%", "sales in Europe"),
    ("Tesco, the UK's biggest retailer, said on Tuesday that sales in Europe rose 3%, while profits fell 2%.",
     "2%", "profits"),
    ("Shares fell 5% after the firm said profits dropped 10%.", "5%", "Shares"),
    ("Shares fell 5% after the firm said profits dropped 10%.", "10%", "profits"),
    ("Earnings at the investment bank rose 25% to £1.04bn.", "25%", "Earnings at the investment bank"),
    ("Bell, 30, had set his sights on Wales.", "30", "Bell"),
    ("More than 10,000 drones were delivered.", "10,000 drones", "More than 10,000 drones"),
    ("It rose 5%.", "5%", None),
    ("There were 500 job cuts.", "500 job cuts", None),
    ("Rates up to 2%", "2%", None),
])
def test_subject(sentence, span, subject):
    assert only(sentence, span)["subject"] == subject


def test_subject_stays_linear_on_a_huge_sentence():
    import time
    unit = "profits of the group rose 5% and sales grew by 3 tonnes while costs " * 20
    small, big = unit * 50, unit * 400
    def timed(text):
        t0 = time.perf_counter()
        rows = extract_figures(text, [{"char_start": 0, "char_end": len(text), "sentence_index": 0}], None)
        return time.perf_counter() - t0, rows
    t_small, rows_small = timed(small)
    t_big, rows_big = timed(big)
    assert len(rows_big) == 8 * len(rows_small)
    assert t_big < 8 * t_small * 3  # linear, with room for noise


# ---------------------------------------------------------------------------
# The money view and its rate table
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _csv_rates() -> dict[str, tuple[float, str]]:
    import csv
    with open(ROOT / "newsdesk" / "data" / "fx_rates.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"].strip() for r in rows), "every rate needs a source note"
    return {r["currency"]: (float(r["usd_per_unit"]), r["as_of"]) for r in rows}


def test_money_sql_rates_agree_with_the_csv():
    import re
    sql = (ROOT / "sql" / "marts" / "money.sql").read_text(encoding="utf-8")
    in_sql = {c: (float(v), d) for c, v, d in re.findall(r"\('([A-Z]{3})', ([0-9.]+), DATE '([0-9-]+)'\)", sql)}
    csv_rates = _csv_rates()
    assert in_sql == csv_rates
    for code in "USD GBP EUR JPY CHF CAD AUD CNY RUB PLN SEK NOK DKK INR HKD".split():
        assert code in csv_rates, code
    assert csv_rates["USD"][0] == 1.0


def test_money_view(tmp_path):
    import polars as pl
    from datetime import datetime, timezone
    from newsdesk import catalog, publish
    text = "Cash\nIt paid £2bn and $5-7 billion, plus 3m zlotys and 4m guilders, to 10 firms."
    paragraphs, sentences = segment(text)
    rows = extract_figures(text, sentences, paragraphs)
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    frames = {
        "articles": pl.DataFrame([{
            "article_id": "a1", "content_hash": "h", "source_file": "x/a.txt", "title": "Cash", "text": text,
            "word_count": 12, "byte_size": len(text.encode()), "encoding": "utf-8", "flags": [], "ingested_at": now,
            "extraction_version": "1"}]),
        "paragraphs": pl.DataFrame([{"article_id": "a1", "paragraph_index": p["paragraph_index"], "role": p["role"],
                                     "text": text[p["char_start"]:p["char_end"]], "char_start": p["char_start"],
                                     "char_end": p["char_end"]} for p in paragraphs]),
        "sentences": pl.DataFrame([{"article_id": "a1", "sentence_index": s["sentence_index"],
                                    "paragraph_index": s["paragraph_index"], "text": text[s["char_start"]:s["char_end"]],
                                    "char_start": s["char_start"], "char_end": s["char_end"]} for s in sentences]),
        "quotes": pl.DataFrame(schema={"article_id": pl.Utf8, "source_file": pl.Utf8, "quote_index": pl.Int32,
                                       "sentence_index": pl.Int32, "paragraph_index": pl.Int32,
                                       "char_start": pl.Int32, "char_end": pl.Int32, "quote": pl.Utf8,
                                       "speaker": pl.Utf8, "speaker_kind": pl.Utf8, "kind": pl.Utf8, "verb": pl.Utf8,
                                       "flagged": pl.Boolean}),
        "figures": pl.DataFrame([{"article_id": "a1", "source_file": "x/a.txt", "figure_index": i,
                                  **{k: r[k] for k in ("sentence_index", "char_start", "char_end", "span", "kind",
                                                       "value", "value_high", "unit", "qualifier", "base", "per",
                                                       "spelled")}} for i, r in enumerate(rows)]),
        "rejects": pl.DataFrame(schema={"source_file": pl.Utf8, "reason": pl.Utf8, "detail": pl.Utf8,
                                        "content_hash": pl.Utf8}),
    }
    wh = tmp_path / "wh"
    publish.publish(wh, frames, publish.RunInfo("r-0001", now, "/in", 1, {"ingest": 0.1}))
    con = catalog.connect(wh)
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT span, amount, amount_high, currency, amount_usd, amount_usd_high, rate_as_of FROM money "
        "ORDER BY figure_index").fetchall()}
    rates = _csv_rates()
    assert set(got) == {"£2bn", "$5-7 billion", "3m zlotys", "4m guilders"}  # "10 firms" is a count
    assert got["£2bn"][:4] == (2e9, None, "GBP", round(2e9 * rates["GBP"][0], 2))
    assert got["$5-7 billion"][:5] == (5e9, 7e9, "USD", 5e9, 7e9)
    assert got["3m zlotys"][2:4] == ("PLN", round(3e6 * rates["PLN"][0], 2))
    assert got["4m guilders"][2:5] == ("NLG", None, None)  # no rate: no dollar amount
    assert str(got["£2bn"][5]) == rates["GBP"][1]
    comments = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'money'"
                                ).fetchall())
    assert all(comments.values()), comments


# ---------------------------------------------------------------------------
# Constructs found while reading held-out BBC, Reuters and web text
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,span,kind,value,unit,extra", [
    ("More than half of all households had a computer.", "half", "fraction", 0.5, "fraction", {"qualifier": "more than"}),
    ("There are six or seven contenders.", "six or seven contenders", "count", 6, "contender", {"value_high": 7}),
    ("He won two Olivier Awards in 2004.", "two Olivier Awards", "count", 2, "Award", {}),
    ("Three other members left.", "Three other members", "count", 3, "member", {}),
    ("It took 16 training days.", "16 training days", "quantity", 16, "day", {}),
    ("It flew 1,200 training sorties.", "1,200 training sorties", "count", 1200, "sortie", {}),
    ("Three million Britons use it.", "Three million Britons", "count", 3e6, "Briton", {}),
    ("The two McDonnell Douglas jets will be leased.", "two McDonnell Douglas jets", "count", 2, "jet", {}),
    ("23 of the 32 allies met the benchmark.", "23", "count", 23, "ally", {}),
    ("Output will rise to 156 jets a year, up from 110, it said.", "110", "count", 110, "jet", {}),
    ("AMR agreed to buy 15 planes from Boeing and 25 from Airbus.", "25", "count", 25, "plane", {}),
    ("Shares of ChemLawn shot up 11-5/8 to 29-3/8.", "29-3/8", "money", 29.375, "USD", {}),
    ("The bond pays 8-3/4 pct.", "8-3/4 pct", "percent", 8.75, "percent", {}),
    ("The deficit hit 8.8 billion Canadian dlrs from 584 mln dlrs.", "584 mln dlrs", "money", 584e6, "CAD", {}),
    ("It cost Rs 500 crore.", "Rs 500 crore", "money", 5e9, "INR", {}),
])
def test_held_out_constructs(sentence, span, kind, value, unit, extra):
    test_figure(sentence, span, kind, value, unit, extra)


@pytest.mark.parametrize("sentence", [
    "Airbus is providing long-range A300-600 planes and 767-300 planes.",
    "He is one of the world's top 800m runners.",
    "Claxton won the 60m hurdles.",
    "Offers are due at 1100 hrs EST.",
    "England won the Six Nations games.",
    "London Irish 19-33 Wasps",
])
def test_held_out_non_figures(sentence):
    assert figs(sentence) == []


def test_us_dollars_after_a_canadian_amount_stay_us():
    assert only("It paid 5 mln Canadian dlrs and 3 mln U.S. dlrs, then 2 mln dlrs.", "2 mln dlrs")["unit"] == "USD"


# --- fast paths (same figures as the plain scans they replace) ---------------------------------

def test_dollar_marks_are_those_of_a_scan_at_every_position():
    """_dollar_marks starts from the dollar words and looks back for the adjective; the marks are
    those of the pattern tried at every position (a space, not a line break, before the word)."""
    import re

    from newsdesk import figures

    everywhere = re.compile(
        r"\b(canadian|australian|new zealand|hong kong|singapore|taiwan|u\.s\.|us|american)\ (?:dlrs?|dollars?)\b")
    for text in ["us dollars dollars", "bus dollars", "u.s. dlrs and new zealand dollar", "xnew zealand dollars",
                 "canadian dollarsx canadian dlr.", "us\n dollars", "canadian\n dlrs, then us dlrs",
                 "5 mln canadian dlrs and 3 mln u.s. dlrs, then 2 mln dlrs", "hong kong  dollars", "dollars"]:
        want = [(m.start(), figures._DOLLAR_CODES.get(m.group(1), "USD")) for m in everywhere.finditer(text)]
        pos, codes = figures._dollar_marks(text)
        assert list(zip(pos, codes)) == want, text


def test_ascii_and_unicode_text_give_the_same_figures():
    """ASCII text is scanned with a plain [0-9$] class; any other text with \\d and every sign."""
    ascii_text = "Profits rose 5% to $65 billion, and 1,200 jobs went in two years."
    unicode_text = ascii_text.replace("Profits", "Profits’")
    a = [(f["span"], f["kind"], f["value"]) for f in figs(ascii_text)]
    b = [(f["span"], f["kind"], f["value"]) for f in figs(unicode_text)]
    assert a == b and len(a) == 4
    assert [f["span"] for f in figs("It cost £5m, or €6m and ¥700m.")] == ["£5m", "€6m", "¥700m"]


def test_a_bare_scaled_number_counts_what_the_last_of_its_scale_counted():
    text = ("The finale drew an average of 10.9m viewers. The series peaked on Monday at 11.9m and 49.2% of the "
            "audience. The first instalment attracted 4.1 million viewers but fewer than 2.7 million by the end.")
    assert (only(text, "11.9m")["kind"], only(text, "11.9m")["unit"], only(text, "11.9m")["value"]) == \
        ("count", "viewer", 11.9e6)
    assert (only(text, "2.7 million")["kind"], only(text, "2.7 million")["unit"]) == ("count", "viewer")


def test_a_bare_scaled_number_is_money_only_when_written_like_money():
    money = only("Profits rose to £5m last year. Sales fell to 40.5m in 2003.", "40.5m")
    assert (money["kind"], money["unit"]) == ("money", "GBP")
    people = only("The fund lent 900 million pesos. Colombia has a population of about 44 million.", "44 million")
    assert (people["kind"], people["unit"]) == ("count", None)


def test_a_bare_whole_or_athletic_number_with_m_stays_out():
    spans = [f["span"] for f in figs("The club has 2m members. He cleared 2.05m in the high jump. "
                                     "Merritt ran the 400m in 45 seconds.")]
    assert "2.05m" not in spans and "400m" not in spans


def test_a_model_number_inside_the_name_of_the_counted_thing():
    text = "Germany delivered 18 Leopard 2 tanks and Norway ordered five Boeing 747 jets."
    assert (only(text, "18 Leopard 2 tanks")["unit"], only(text, "five Boeing 747 jets")["unit"]) == ("tank", "jet")
    assert [f["span"] for f in figs("The team scored 3 goals in 2 games.")] == ["3 goals", "2 games"]


def test_pounds_of_a_material_are_a_weight():
    copper = only("The mine produced 265 mln pounds of copper last year.", "265 mln pounds")
    assert (copper["kind"], copper["unit"], copper["value"]) == ("quantity", "lb", 265e6)
    assert only("The bomb carried 2,000 pounds of explosives.", "2,000 pounds")["unit"] == "lb"
    money = only("The government spent 20 million pounds of taxpayers' money.", "20 million pounds")
    assert (money["kind"], money["unit"]) == ("money", "GBP")


def test_model_names_and_acronyms_before_the_counted_noun():
    text = ("The package includes two Patriot PAC-3 batteries, 10,000 155mm artillery shells, "
            "four IRIS-T SLM air defence systems, 100 Leopard 1A5 tanks and 40 HIMARS launchers.")
    got = {f["span"]: (f["kind"], f["value"], f["unit"]) for f in figs(text)}
    assert got == {
        "two Patriot PAC-3 batteries": ("count", 2, "battery"),
        "10,000 155mm artillery shells": ("count", 10000, "shell"),
        "four IRIS-T SLM air defence systems": ("count", 4, "system"),
        "100 Leopard 1A5 tanks": ("count", 100, "tank"),
        "40 HIMARS launchers": ("count", 40, "launcher"),
    }
    # without a model name the reach stays three modifiers
    assert figs("He sold 300 old red wooden garden sheds.") == []


def test_a_fraction_after_and_is_a_figure_unless_it_ends_a_number():
    spans = [f["span"] for f in figs("The army lost three-quarters of its armour and two-thirds of its artillery.")]
    assert spans == ["three-quarters", "two-thirds"]
    mixed = [f["span"] for f in figs("The loan has three and one-half years of grace. It took a year and a half.")]
    assert "one-half" not in mixed and "a half" not in mixed


def test_a_base_ends_before_a_time_or_the_next_figure():
    text = ("Spending reached 2.4% of GDP last year and 3.1% of GDP in 2025, and 5% of GDP by 2035, "
            "or 3.5% of national income within a decade.")
    assert [f["base"] for f in figs(text)] == ["GDP", "GDP", "GDP", "national income"]
    assert only("It lost three-quarters of its armour and two thirds of its artillery.", "three-quarters")["base"] == "armour"


def test_a_bare_number_of_casualties_counts_people_or_what_its_sentence_counted():
    got = {f["span"]: (f["kind"], f["unit"]) for f in figs(
        "At least 14 people were killed and 60 injured. Police arrested 25 and detained another 40. "
        "Six workers were killed and four injured. The attack, which left 23 dead, was condemned.")}
    assert got == {"14 people": ("count", "person"), "60": ("count", "person"), "25": ("count", "person"),
                   "40": ("count", "person"), "Six workers": ("count", "worker"), "four": ("count", "worker"),
                   "23": ("count", "person")}
    # a partitive or a ship's dead weight is not a casualty count
    assert figs("He was convicted of killing two of her babies.") == []
    assert [f["span"] for f in figs("It builds 10 ships totalling 460,000 dead weight tons.")] == ["10 ships"]


def test_a_possessive_before_a_number_does_not_make_it_a_name():
    got = {f["span"]: f["unit"] for f in figs("Only 23 of NATO's 32 members met the target. Germany’s 16 states agreed.")}
    assert got == {"23": "member", "32 members": "member", "16 states": "state"}
    assert [f["span"] for f in figs("The Boeing 747 landed.")] == []  # a capitalised word still names a number


def test_wire_table_revenue_and_gains_are_money():
    got = {f["span"]: (f["kind"], f["unit"]) for f in figs(
        "Net 7,214,900 vs 7,752,800\n\nRev 69.2 mln vs 64.9 mln\n\n"
        "NOTE: 1986 excludes gain of 98.7 mln for extinguishment of debt.")}
    assert got == {s: ("money", "USD") for s in ("7,214,900", "7,752,800", "69.2 mln", "64.9 mln", "98.7 mln")}
