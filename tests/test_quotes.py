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
    # attributed without a reporting verb
    ("according to, after a full quote",
     '"The UK is the largest display market in Europe," according to John Binks, director of GfK.',
     [("The UK is the largest display market in Europe", "John Binks", "full")], ["according to"]),
    ("according to, after a partial quote",
     'Nathan Barley will be "a character-driven comedy", according to Charlie Brooker, who created it.',
     [("a character-driven comedy", "Charlie Brooker", "partial")], ["according to"]),
    ("according to, before a partial quote",
     'A good basic PC that, according to PC Pro, has "superb upgrade potential". It costs £399.',
     [("superb upgrade potential", "PC Pro", "partial")], ["according to"]),
    ("as X put it",
     'It needs software. As Gavin Cox put it: "It will be tough to build a PC as compact as the Mac mini."',
     [("It will be tough to build a PC as compact as the Mac mini.", "Gavin Cox", "full")], ["put it"]),
    # not quotes
    ("a term after 'the', with an according to",
     'According to researchers, it will take years to make full use of the "robotiquette" for robots.', [], []),
    ("according to a document, which says nothing of who wrote it",
     'Some 26 million adults lack the skills. According to the report, "more than half" were young.', [], []),
    ("a nickname inside a name",
     'He was a band leader, playing at Newport and recording with musicians such as David "Fathead" Newman.',
     [], []),
    ("name in marks", "Ministers met at the ‘Ramnatein’ contact group, Rutte said.", [], []),
    ("scare quotes so-called", 'The action was against so-called "John Doe" defendants.', [], []),
    ("no speaker at all", 'The plan is a "half-way house" for carers.', [], []),
]


@pytest.mark.parametrize("name,body,expected,verbs", CASES, ids=[c[0] for c in CASES])
def test_cases(name, body, expected, verbs):
    rows = [r for r in run(body) if r["kind"] != "indirect"]
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
    rows = [r for r in extract_quotes(text, *segment(text)) if r["kind"] != "indirect"]
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


# --------------------------------------------------------------------------
# Pathological input: everything is linear in the number of marks and names.


def _one_paragraph(text: str) -> list[dict]:
    paragraphs = [{"paragraph_index": 0, "role": "body", "char_start": 0, "char_end": len(text)}]
    sentences = [{"sentence_index": 0, "paragraph_index": 0, "char_start": 0, "char_end": len(text)}]
    rows = extract_quotes(text, paragraphs, sentences)
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["quote"]
    return rows


@pytest.mark.parametrize("unit,n", [
    ('"Word here," Mr Smith said. ', 50_000),  # 100,000 marks, each pair a quote
    ('"', 100_000),  # bare marks
    (" “x", 100_000),  # openers that never close
    ("dogs' ", 100_000),  # possessive apostrophes that might close a quote
    ("'a b' ", 50_000),
    ('"a" b ', 50_000),  # quotes whose sentence never ends
])
def test_many_marks_complete(unit, n):
    # a quadratic pass over 100,000 marks would take minutes; this returns in seconds
    rows = _one_paragraph(unit * n)
    assert isinstance(rows, list)


def test_many_marks_with_speakers():
    text = "John Smith and Jane Doe met. " + '"We agree," he said. "So do we," she said. ' * 25_000
    rows = _one_paragraph(text)
    assert [(r["quote"], r["speaker"]) for r in rows[:2]] == [("We agree", "John Smith"), ("So do we", "Jane Doe")]
    assert {r["speaker"] for r in rows} == {"John Smith", "Jane Doe"}


def test_huge_single_line_paragraph():
    text = "abc " * 2_500_000 + "Big Name " * 200_000 + '"The end," Mr Smith said.'
    rows = _one_paragraph(text)
    assert [r["quote"] for r in rows] == ["The end"]


# --------------------------------------------------------------------------
# Reported speech: kind "indirect", only with a named (or pronoun) speaker.


def indirect(body: str) -> list[tuple]:
    return [(r["quote"], r["speaker"], r["verb"]) for r in run(body) if r["kind"] == "indirect"]


INDIRECT_CASES = [
    ("that clause",
     "Pete Hegseth met allies in Brussels. Hegseth stated that European NATO countries ought to spend far more.",
     [("European NATO countries ought to spend far more", "Pete Hegseth", "stated")]),
    ("clause without that",
     "Chancellor Gordon Brown spoke on Monday. Mr Brown said the economy would grow by 3% next year.",
     [("the economy would grow by 3% next year", "Gordon Brown", "said")]),
    ("told reporters with adverbial",
     "Tony Blair visited Leeds. Tony Blair told reporters on Monday that the election would be held in May.",
     [("the election would be held in May", "Tony Blair", "told reporters")]),
    ("pronoun",
     "Jane Doe runs the club. She added that the team had trained all winter.",
     [("the team had trained all winter", "Jane Doe", "added")]),
    ("clause then attribution",
     "Mark Rutte met ministers. Allies will have to spend more on air defence, Mr Rutte said.",
     [("Allies will have to spend more on air defence", "Mark Rutte", "said")]),
    ("organisation",
     "Shares in Acme Corp rose. Acme Corp said it expects earnings to rise sharply next year.",
     [("it expects earnings to rise sharply next year", "Acme Corp", "said")]),
    ("description is left out", "Officials said the plan was dead in the water.", []),
    ("not reported speech", "He said goodbye to everyone. It is said that he left early.", []),
    ("participle is left out", "The deal was said to be worth millions of dollars.", []),
]


@pytest.mark.parametrize("name,body,expected", INDIRECT_CASES, ids=[c[0] for c in INDIRECT_CASES])
def test_indirect(name, body, expected):
    got = indirect(body)
    assert [(q, v) for q, _, v in got] == [(q, v) for q, _, v in expected]
    for (_, sp, _), (_, gsp, _) in zip(got, expected):
        assert sp == gsp


def test_indirect_never_overlaps_direct_quote():
    rows = run('Jane Doe spoke. She said the plan was "dead in the water" and would be dropped.')
    assert [r["kind"] for r in rows] == ["partial"]
    direct = [(r["char_start"], r["char_end"]) for r in rows if r["kind"] != "indirect"]
    for r in rows:
        if r["kind"] == "indirect":
            assert all(r["char_end"] <= s or r["char_start"] >= e for s, e in direct)


def test_indirect_rows_are_not_scored():
    from newsdesk.evaluate import score_quotes
    body = 'Mark Rutte met ministers. "This is about solidarity," Rutte said. Rutte said that allies agreed to spend more.'
    rows = run(body)
    assert {r["kind"] for r in rows} == {"full", "indirect"}
    gold = [{"doc": "d", "quote": "This is about solidarity", "speaker": "Mark Rutte",
             "speaker_kind": "person", "kind": "full"}]
    sc = score_quotes(gold, [dict(r, doc="d") for r in rows])
    assert (sc.predicted, sc.matched) == (1, 1)


def test_indirect_in_article_without_quotes():
    rows = run("Microsoft has said it will replace 14 million power cables for its Xbox consoles.")
    assert [(r["kind"], r["speaker"], r["verb"]) for r in rows] == [("indirect", "Microsoft", "said")]


# Speaker attribution over organisation names, affiliations and pronouns (one general cause each).
SPEAKERS = [
    ("acronym defined in brackets",
     'The U.S. Department of Transportation (DOT) said it dismissed the plan. '
     '"We have determined to dismiss the application," it said in an order. '
     '"Accordingly, we will dismiss it," the DOT said.',
     ["U.S. Department of Transportation", "U.S. Department of Transportation"]),
    ("organisation over 'of'",
     'Earlier this year the Royal College of Physicians said there was an "epidemic" of binge drinking.',
     ["Royal College of Physicians"]),
    ("person of an organisation, speaker before the verb",
     'Economist Wendy Smith Cork of the brokerage Nesbitt Thomson Bongard Inc said "it shows the economy '
     'is not moving along very steadily."',
     ["Wendy Smith Cork"]),
    ("person of an organisation, speaker after the verb",
     '"The terms put the risk on the manufacturers," said analyst Kevin Murphy of Morgan Stanley and Co.',
     ["Kevin Murphy"]),
    ("two-word organisation ending in a country",
     'Statistics Canada also reported the deficit rose. "The sharp increase originated from trade," '
     'the federal agency said in a statement.',
     ["Statistics Canada"]),
    ("it with a club named before",
     'German football club Borussia Dortmund has warned it will go bankrupt. The shares tumbled after it '
     'said it has "entered a life-threatening financial situation".',
     ["Borussia Dortmund"]),
    ("he after an unnamed subject",
     'Robert Crandall spoke to reporters. A spokesman for Airbus confirmed those terms. '
     '"We will own the aircraft and they will be leasing them from us," he said.',
     ["A spokesman for Airbus"]),
    ("quote over two paragraphs attributed at its end",
     '"Using a mouse is hard for people with tremors," said Karen Walsh. The adapter is the brainchild of '
     'researcher Jim Levine. "I knew that there must be a way to improve the situation.\n\n'
     '"The number of elderly computer users will increase," he said.',
     ["Karen Walsh", "Jim Levine", "Jim Levine"]),
    ("the name before its apposition",
     'Robert Bretz, chairman of the survey committee at Pitney Bowes Inc said "the economy ended the quarter '
     'with a healthy improvement."', ["Robert Bretz"]),
    ("a participle's phrase between the speaker and the verb",
     'Guinness would not sell, a spokesman said.\n\nThe spokesman, reacting to Irish and British press reports, '
     'said "He continues to be interested were the group to offer the brewery."', ["The spokesman"]),
    ("a surname with its particle, after the verb",
     'EC commissioner Willy de Clercq spoke. "We think there is some diversion there," said de Clercq.',
     ["Willy de Clercq"]),
    ("a surname with its particle, before the verb",
     'Debt fell. "These arrangements confirm our willingness," du Plessis told a news conference.', ["du Plessis"]),
    ("a place before an unknown verb is no speaker",
     'Cairn Energy reported. Cairn said drilling to the north-west of its site in Rajasthan had produced '
     '"very strong results".', ["Cairn"]),
    ("a description ending in a person's full name",
     'The group sued. "We will appeal," said EFF lawyer Kurt Opsahl.', ["Kurt Opsahl"]),
    ("a description ending in an organisation is not a person",
     '"It was a basic principle," a spokeswoman for Human Rights Watch said.',
     ["a spokeswoman for Human Rights Watch"]),
    ("a time phrase after the name",
     'Turkey wants in. "The cake will be bigger for everybody," said Deputy Prime Minister Abdullatif Sener '
     'earlier this month.', ["Abdullatif Sener"]),
    ("an unnamed trade after the verb",
     'Banks are under pressure. "Many find it hard to keep their reserves," said one banker.', ["one banker"]),
    ("an unnamed trade with a nationality, before the verb",
     'Prices rose. "The official price will be 20 dlrs in January," a Japanese refiner said.',
     ["a Japanese refiner"]),
    ("a role word next to the name, after words that are not roles",
     '"It rose," said investment analyst Jane Doe.', ["Jane Doe"]),
    ("a person's affiliation in lower case",
     '"It will rain," said Susanne Risse from the company.', ["Susanne Risse"]),
    ("according to a person and an affiliation",
     'Adidas has a trainer which, according to Susanne Risse from the company, can "sense, understand, and '
     'adapt to your running style".', ["Susanne Risse"]),
    ("as X of a website put it",
     'It needs software. As Gavin Cox of the excellent buildyourown.org.uk website put it: "It will be tough."',
     ["Gavin Cox"]),
    ("a writer's sentence between two quotes",
     '"There is no question that she would be an asset," said Zara Hyde Peters of UK Athletics. '
     'Team member Hayley Yelling said the team would understand. "It would be fantastic to have Paula '
     'in the team," said the European cross-country champion.',
     ["Zara Hyde Peters", "Hayley Yelling"]),
    ("he after a speaker with an apposition, past another name in the same sentence",
     "The bid may rise. But, Hans Reckers, a board member of Germany's central bank, the Bundesbank, said "
     'that cash trading should stay, something Deutsche Boerse could move. "It must stay here," he said.',
     ["Hans Reckers"]),
    ("he after a speaker named after the verb",
     'Herbert Stueker runs the plant. The real solution is to cut wages, says Helmut Schneider, director of '
     'the Institute for the Study of Labour. "Labour is too costly in Germany," he says.',
     ["Helmut Schneider"]),
    ("he after a speaker whose apposition has no closing comma",
     'BT made a deal. Chris Panayis, managing director of ISP Freedom2surf said that it would help firms, '
     'unlike a plan that Ofcom boss Ed Richards drew up. "I think it is the first productive thing," he said.',
     ["Chris Panayis"]),
    ("he after a later sentence's subject, not an earlier speaker",
     'Mr Cable said taxes would rise. In the Budget, Mr Brown doubled the level of stamp duty. '
     'Defending the plans, he told Today: "I will take no risks with the economy."', ["Brown"]),
    ("he after a speaker named after the verb, in the paragraph before",
     'Units are being sold off, said Nesbitt Thomson Deacon Inc analyst Harold Wolkin.\n\n'
     '"There is a very good correlation," he said.', ["Harold Wolkin"]),
    ("a name after a title after a preposition is no clause subject",
     'World number one Lindsay Davenport has criticised Wimbledon.\n\nReacting to a comment by All England '
     'Club chairman Tim Phillips, the American said: "I think it is highly insulting."', ["Lindsay Davenport"]),
    ("a name after a title inside an organisation's name is a clause subject",
     '"It will bottom out," said chief economist Masahiko Koido. Industrial Bank of Japan Ltd senior '
     'economist Susumu Taketomi agreed. "It is in the offing," he said.', ["Masahiko Koido", "Susumu Taketomi"]),
    ("a definite description of a person named before",
     'Thierry Henry scored twice. "It was a great night," the striker told reporters.', ["Thierry Henry"]),
    ("an age as the description, after the verb",
     'Andre Agassi pulled out. "My hip was cramping," said the 34-year-old.', ["Andre Agassi"]),
    ("a nationality as the description, before the verb",
     'Arsene Wenger has signed a new deal. The 55-year-old Frenchman told the website: "I love this club."',
     ["Arsene Wenger"]),
    ("a newspaper named like a nationality is no person",
     'The Australian ran the story. "It was a great night," The Australian said.', ["Australian"]),
    ("a title as the description, held by a person named with it",
     'Lions coach Clive Woodward named his squad. Woodward believes the series will be hard. '
     '"They were awesome," said the Lions coach.', ["Clive Woodward"]),
    ("a title as the description, not the last person named",
     'Archbishop Desmond Tutu spoke in London. On Tuesday Foreign Secretary Jack Straw told the Commons that four '
     'men would be freed. The archbishop added: "We are thankful."', ["Desmond Tutu"]),
    ("a description by what the person is, named just before",
     'Steve Finnan played well. The versatile Finnan, who starred against France, is confident. '
     '"There is a chance for us," said the Liverpool player.', ["Steve Finnan"]),
    ("a bare 'the man' is someone not named",
     'Robert Kilroy-Silk was hit by slurry. Mr Kilroy-Silk said the man, who later disappeared, claimed he was '
     '"doing it in the name of Islam".', ["the man"]),
    ("the name before an apposition with an article",
     'Retail sales rose. Van Rourke, a bond strategist at Popular Securities, agreed that the figures were '
     '"slightly stronger than expected".', ["Van Rourke"]),
    ("the name before a capitalised apposition",
     'Prices rose. Tim Crawford, Group Economist at Halifax, said: "The value of the housing stock rose."',
     ["Tim Crawford"]),
    ("the name before a possessive apposition",
     'Metlife bought the unit. Robert Benmosche, Metlife\'s chairman and chief executive, said that it was a '
     '"great opportunity".', ["Robert Benmosche"]),
    ("the name before an apposition with no closing comma",
     'Brent Bozell, PTC president and conservative activist said: "MTV is selling sex."', ["Brent Bozell"]),
    ("the name before an apposition between dashes, not the organisation in it",
     'Ulrich Bez spoke. Mr Bez - himself a former executive at rival Porsche - said the new car was the company\'s '
     '"most affordable car ever".', ["Ulrich Bez"]),
    ("a clause before the description is not an apposition",
     'England coach Andy Robinson picked Mathew Tait. Tait, given little chance to shine, received praise from '
     'Robinson afterwards, even if the coach admitted Cardiff was an "unforgiving place" for him.', ["Andy Robinson"]),
    ("a place before the description is no speaker",
     'Ministers met. In London, a spokesman said: "We are pleased."', ["a spokesman"]),
    ("an organisation's title-like word stays in an unnamed description",
     '"The scheme was a short-term response," a Home Office spokesman said.', ["a Home Office spokesman"]),
    ("a description of the person who opens the paragraph before",
     'Jamie Costin should be paralysed.\n\nHe says so himself. "I was in a lot of pain," says the Waterford man.',
     ["Jamie Costin"]),
    ("he after the person who opens the paragraph before",
     'Richard Dunne is ready to commit his future to City.\n\nHe was threatened with the sack by City boss Kevin '
     'Keegan. Early talks have taken place and the defender said: "Hopefully something will be sorted out."',
     ["Richard Dunne"]),
    ("a capitalised description is a name, not a person named before",
     'Jane Smith spoke. "It was great," The Star said.', ["Star"]),
    ("a name after a title after 'with new' is no clause subject",
     'Matt Dawson has fallen out of favour with new coach Andy Robinson. However he hopes the new deal will help. '
     '"Rugby is still my priority," he said.', ["Matt Dawson"]),
    ("a name after a possessive and a title is a clause subject",
     "Kraft Foods sold the unit. The company's new chief executive Peter Lynch said the firm would recover. "
     '"This includes cost cuts," he said.', ["Peter Lynch"]),
    ("a title held by a person named with it, before whoever spoke nearby",
     'Foreign Secretary Jack Straw met EU ministers. UKIP leader Roger Knapman said the deal was bad. '
     'The foreign secretary meanwhile said: "We have one of the lowest net receipts."', ["Jack Straw"]),
    ("a deputy does not hold the title",
     'Prime Minister Tony Blair spoke to Gordon Brown. Deputy Prime Minister John Prescott hosted a dinner. '
     'The prime minister said: "Help me to get through the year."', ["Tony Blair"]),
    ("he after 'told X': X is the listener",
     '"There will be a relaxation," Glenn Maguire, chief economist at Societe Generale, told Agence France '
     'Presse. "The impact will be large," he said.', ["Glenn Maguire", "Glenn Maguire"]),
]


@pytest.mark.parametrize("name,body,speakers", SPEAKERS, ids=[c[0] for c in SPEAKERS])
def test_speakers(name, body, speakers):
    rows = [r for r in run(body) if r["kind"] != "indirect"]
    assert [r["speaker"] for r in rows] == speakers


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aB1 .!?\"”’“", max_size=60), st.data())
def test_the_sentence_before_a_quote_starts_where_a_rescan_says(text, data):
    """_last_boundary bisects the paragraph's boundaries instead of rescanning it for each quote
    (quadratic on a long paragraph with many quotes); it must give the rescan's answer."""
    from newsdesk.quotes import _SENT_BOUNDARY, _last_boundary

    p = data.draw(st.integers(0, len(text)))
    text = text[:p] + "“" + text[p:]  # the opening mark of the quote
    lo = data.draw(st.integers(0, p))
    cut = None
    for m in _SENT_BOUNDARY.finditer(text[lo:p]):
        cut = m.end()
    want = lo + cut if cut else lo
    assert _last_boundary(text, lo, len(text), p, {}) == want


@pytest.mark.parametrize("text, p, want", [
    ("x. “a", 3, 3),  # a boundary right before the mark: the cut-off string's `$`
    ("x.”  “a", 5, 5),  # the same after a closing mark
    ("x. Y said “a", 10, 3),
    ("x.“a", 2, 0),  # no white space before the mark: no boundary
    ("Mr. X. Y “a", 9, 7),
])
def test_the_sentence_before_a_quote_edge_cases(text, p, want):
    from newsdesk.quotes import _last_boundary

    assert text[p] == "“"
    assert _last_boundary(text, 0, len(text), p, {}) == want


def test_a_leading_single_mark_is_an_elision_or_an_opener_by_what_follows():
    """Marks are classified from their two neighbours (and the result reused); a leading ’ with the
    same neighbours is still an apostrophe before '90s / ’em and an opener before other words."""
    from newsdesk.quotes_marks import find_stretches

    for text in ["He said ’em all ’Go home’ now.", "He said ’Go home’ now to ’em all."]:
        stretches, _ = find_stretches(text, 0, len(text))
        assert [text[s.start:s.close_pos] for s in stretches] == ["Go home"], text
    text = "The ’90s and ’Nineties’ both."
    stretches, _ = find_stretches(text, 0, len(text))
    assert [text[s.start:s.close_pos] for s in stretches] == ["Nineties"]


def test_copies_of_an_article_in_a_batch_get_the_same_rows():
    """extract_batch extracts a repeated text once per batch, but only when its paragraphs and
    sentences are the same too."""
    import polars as pl

    from newsdesk import stages

    text = clean_text("A headline\n\n“We expect more from allies,” Pete Hegseth said. Profits rose 5% to $65 billion.")
    paragraphs, sentences = segment(text)
    docs, p_rows, s_rows = [], [], []
    for aid, roles in (("a", None), ("b", None), ("c", "boilerplate")):
        docs.append({"article_id": aid, "source_file": f"{aid}.txt", "content_hash": aid, "text": text})
        for p in paragraphs:
            role = roles if roles and p["role"] == "body" else p["role"]
            p_rows.append({"article_id": aid, **p, "role": role, "text": text[p["char_start"]:p["char_end"]]})
        for s in sentences:
            s_rows.append({"article_id": aid, **s, "text": text[s["char_start"]:s["char_end"]]})
    quotes, figures, rejects = stages.extract_batch(pl.DataFrame(docs), pl.DataFrame(p_rows), pl.DataFrame(s_rows))
    assert rejects.is_empty()

    def rows(frame, aid):
        return frame.filter(pl.col("article_id") == aid).drop("article_id", "source_file").rows()

    assert rows(quotes, "a") == rows(quotes, "b") and len(rows(quotes, "a")) == 1
    assert rows(figures, "a") == rows(figures, "b") and len(rows(figures, "a")) == 2
    assert rows(quotes, "c") == [] and rows(figures, "c") == []  # its body is boilerplate: not a copy


def test_a_description_by_an_organisations_own_word_is_that_organisation():
    rows = run('Last week the Countryside Alliance said 250 hunts would meet. The alliance said the law was '
               '"impossibly difficult to determine".')
    assert [(r["speaker"], r["speaker_kind"]) for r in rows if r["kind"] != "indirect"] == \
        [("Countryside Alliance", "organization")]


def speakers(body: str) -> dict[str, str]:
    return {r["quote"]: r["speaker"] for r in run(body) if r["kind"] != "indirect"}


def test_a_verb_that_judges_its_object_attributes_the_quote():
    got = speakers(
        'Donald Trump posted first. "NATO is paying," he wrote.\n\n'
        "Poland's foreign minister, Radoslaw Sikorski, described the deal as \"a good start\".\n\n"
        'Tory candidate Andrew Mennear branded it "tasteless".\n\n'
        'The Kremlin dismissed the move as "provocative".\n\n'
        'The machine was described by Steve Jobs as "a bargain".')
    assert got == {"NATO is paying": "Donald Trump", "a good start": "Radoslaw Sikorski", "tasteless": "Andrew Mennear",
                   "provocative": "Kremlin", "a bargain": "Steve Jobs"}
    # a participle that does not open a phrase after a comma is no attribution, nor is 'as revealed by'
    got = speakers('Jose Reyes rang in. He issued a statement through Arsenal describing it as "flattering".')
    assert got.get("flattering") != "Arsenal"


def test_a_participle_after_an_inserted_attribution_is_its_speakers():
    got = speakers("Germany will spend an extra 10bn euros on air defence, Defence Minister Boris Pistorius told "
                   'the Bundestag, adding that the first systems would arrive "this year".')
    assert got == {"this year": "Boris Pistorius"}


def test_words_in_a_that_clause_belong_to_the_one_who_reports_them():
    got = speakers('Volodymyr Zelenskiy thanked allies. "We are grateful," he wrote, adding that Kyiv needed '
                   '"at least 25 Patriot systems."\n\n'
                   'Roger Hemminghaus, chairman of Diamond Shamrock Refining Co, said he was "enthusiastic," '
                   'adding that he expected "an increase in profitability."')
    assert got["at least 25 Patriot systems."] == "Volodymyr Zelenskiy"
    assert got["an increase in profitability."] == "Roger Hemminghaus"


def test_the_subject_of_a_coordinated_or_participle_clause():
    got = speakers(
        'Oxfam senior policy adviser Max Lawson welcomed the statement and said G7 ministers had '
        '"passed the first hurdle".\n\n'
        'In February, EC Industrial Policy Director Heinrich von Moltke came to Japan and said "I only know '
        'that your government will act."\n\n'
        'Rex Hardesty of the labor confederation AFL-CIO said safeguards are not working, saying "only '
        'one-third of the unemployed are now receiving benefits."\n\n'
        'WASHINGTON, March 13 - President Ronald Reagan told a group of supporters his pledge is solid, '
        'adding, "There will be no tax rate increase."')
    assert got == {"passed the first hurdle": "Max Lawson",
                   "I only know that your government will act.": "Heinrich von Moltke",
                   "only one-third of the unemployed are now receiving benefits.": "Rex Hardesty",
                   "There will be no tax rate increase.": "Ronald Reagan"}


def test_a_title_with_of_is_no_part_of_the_name():
    got = speakers('US Secretary of State Marco Rubio told reporters the deal was "a win for everyone."\n\n'
                   'Chancellor of the Exchequer Rachel Reeves said: "We will pay."\n\n'
                   '"It is done," said White House Chief of Staff Susie Wiles.')
    assert got == {"a win for everyone.": "Marco Rubio", "We will pay.": "Rachel Reeves", "It is done": "Susie Wiles"}
    # a place after a preposition is still no speaker
    assert speakers('Policy makers in Europe said the rate was "too high".') == {"too high": "Policy makers in Europe"}


def test_the_name_after_a_description_after_the_verb():
    got = speakers('"We are ready," said the company\'s chief executive, John Smith.\n\n'
                   '"It is over," said the alliance\'s secretary general, Mark Rutte, on Tuesday.\n\n'
                   '"It is late," said a spokesman, adding that Washington agreed.')
    assert got == {"We are ready": "John Smith", "It is over": "Mark Rutte", "It is late": "a spokesman"}


def test_he_can_mean_a_one_word_name_that_speaks_when_nobody_else():
    got = speakers('Lawson said he did not regard the rate as high. "I think it is about right," he said.')
    assert got == {"I think it is about right": "Lawson"}
    # a place ('in Iraq', 'against Iran') is nobody's 'he'
    assert speakers('Fighting went on in Iraq. Iraq said its forces held. "We are winning," he said.') == {}


def test_a_one_word_name_that_the_article_shows_is_a_person():
    got = run('Finance Minister Kim Mahn-je spoke in Seoul. Kim said the debt was "too large".\n\n'
              'Hegseth, who spoke at Ramstein, said allies must "pay their fair share".\n\n'
              'Macrovision said the move was "legal".')
    assert {r["quote"]: (r["speaker"], r["speaker_kind"]) for r in got if r["kind"] != "indirect"} == {
        "too large": ("Kim Mahn-je", "person"), "pay their fair share": ("Hegseth", "person"),
        "legal": ("Macrovision", "organization")}


def test_a_reporting_verb_inside_the_reported_clause_is_not_the_attribution():
    got = speakers("Carib Chief Charles Williams said talks with Disney's producers revealed there was "
                   '"a strong element of cannibalism".\n\n'
                   'A bank executive who asked not to be identified said: "The rise is indicative."')
    assert got == {"a strong element of cannibalism": "Charles Williams",
                   "The rise is indicative.": "A bank executive"}


def test_another_and_adjectival_participles():
    got = speakers('"This was a bloodbath," said one economist. "We panicked," said another.\n\n'
                   'U.S. Undersecretary of State for Economic Affairs Allen Wallis said Japan must do "much more".')
    assert got == {"This was a bloodbath": "one economist", "We panicked": "another", "much more": "Allen Wallis"}
    # 'a proposed law': no verb, so no speaker 'The cantonal government wants a'
    assert speakers('The cantonal government wants a proposed law making "money laundering" an offence.') == {}


def test_a_quoted_term_before_its_noun_is_no_quote():
    assert speakers('Analysts said "walkaway lease" deals have been used before.') == {}
    assert speakers('Nissen said a rule change to allow "when issued" trading was near.') == {}
    got = speakers('Zoltan Boesze said the government had decided "quite severe" measures were needed.\n\n'
                   'A committee said it was "not confident" many would be ready.')
    assert got == {"quite severe": "Zoltan Boesze", "not confident": "A committee"}


def test_an_indefinite_role_named_with_its_title_just_after():
    got = speakers('This week a judge claimed drink was breeding "urban savages". Judge Charles Harris QC made '
                   'his remarks as he sentenced three men.\n\n'
                   'A spokesman said it was "fine". Officials named no one.')
    assert got == {"urban savages": "Charles Harris", "fine": "A spokesman"}
