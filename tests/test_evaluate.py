"""The gold scorer applies GUIDELINES.md's scoring rules."""

from __future__ import annotations

import pytest

from newsdesk import evaluate


def q(doc, quote, speaker="Pete Hegseth", kind="full", speaker_kind="person"):
    return {"doc": doc, "quote": quote, "speaker": speaker, "speaker_kind": speaker_kind, "kind": kind}


def test_quote_match_needs_80_percent_of_the_shorter_ones_tokens():
    gold = [q("d", "Our expectation today is for more countries to buy")]
    assert evaluate.score_quotes(gold, [q("d", "our expectation, today, is for more countries to")]).matched == 1
    assert evaluate.score_quotes(gold, [q("d", "Our expectation today is unclear to us all here")]).matched == 0
    assert evaluate.score_quotes(gold, [q("other", "Our expectation today is for more countries to buy")]).matched == 0


def test_speaker_accuracy_by_surname_or_head_word():
    gold = [q("d", "A B C D"), q("d", "E F G H", "a former aide to Leonid Kuchma", speaker_kind="unnamed"),
            q("d", "I J K L", "the Tories", speaker_kind="organization")]
    pred = [q("d", "A B C D", "Hegseth"), q("d", "E F G H", "an aide"), q("d", "I J K L", "Tony Blair")]
    sc = evaluate.score_quotes(gold, pred)
    assert sc.matched == 3 and sc.attr_ok == 2
    assert sc.f1 == 1.0


def test_indirect_quotes_are_not_scored():
    gold = [q("d", "one two three four")]
    pred = [q("d", "one two three four"), q("d", "something reported", kind="indirect")]
    sc = evaluate.score_quotes(gold, pred)
    assert (sc.predicted, sc.matched, sc.precision) == (1, 1, 1.0)


def fig(doc, span, kind="money", value=1.0, unit="USD"):
    return {"doc": doc, "span": span, "kind": kind, "value": value, "unit": unit}


def test_figures_match_by_span_overlap_and_kind_and_score_value():
    gold = [fig("d", "$65.9 billion", value=65.9e9), fig("d", "5%", "percent", 5, "percent"), fig("d", "£2,500", value=2500, unit="GBP"),
            fig("d", "£2,500", value=2500, unit="GBP")]
    pred = [fig("d", "65.9 billion", value=65.9e9 * 1.004), fig("d", "5%", "count", 5, "percent"),
            fig("d", "£2,500", value=2500, unit="USD"), fig("d", "£2,500", value=2500, unit="GBP")]
    sc = evaluate.score_figures(gold, pred)
    assert sc.matched == 3  # the 5% has the wrong kind
    assert sc.attr_ok == 2  # one £2,500 has the wrong unit
    assert sc.recall == pytest.approx(0.75)


def test_segments_score_roles_and_body_marked_otherwise():
    gold = [{"doc": "d", "role": "title", "text": "Big  news"}, {"doc": "d", "role": "boilerplate", "text": "Big news"}]
    paras = [{"doc": "d", "role": "title", "text": "Big news"}, {"doc": "d", "role": "body", "text": "Text."},
             {"doc": "d", "role": "title", "text": "Big news"}, {"doc": "d", "role": "caption", "text": "A photo."}]
    sc = evaluate.score_segments(gold, paras)
    assert sc.matched == 1  # the repeated title should have been boilerplate
    assert sc.predicted == 3
    assert any("is body in gold" in m for m in sc.misses)


def test_resolve_docs_by_exact_or_path_suffix():
    got = evaluate.resolve_docs(["politics/050.txt", "a.txt", "missing.txt"], ["bbc/politics/050.txt", "a.txt", "b.txt"])
    assert got == {"politics/050.txt": "bbc/politics/050.txt", "a.txt": "a.txt"}
