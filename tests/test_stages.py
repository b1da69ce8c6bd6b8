"""Each batch stage on its own, as pure functions over polars frames."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from newsdesk import ingest, stages


def _refs(folder: Path) -> list[ingest.FileRef]:
    return ingest.discover(folder)[0]


def test_batches_are_bounded_by_count_and_bytes():
    assert stages.batches(list(range(5)), max_items=2) == [[0, 1], [2, 3], [4]]
    sized = stages.batches([5, 5, 5, 20, 1], max_items=100, max_bytes=10, size=lambda x: x)
    assert sized == [[5, 5], [5], [20], [1]]
    assert stages.batches([], max_items=3) == []


def test_a_long_plan_ends_in_quarter_batches_and_keeps_every_item_in_order():
    items = list(range(100))
    plan = stages.batches(items, max_items=8, tail=2)
    assert [len(b) for b in plan] == [8] * 11 + [2] * 6  # the last two (8 and 4 items) split in twos
    assert [i for b in plan for i in b] == items
    sized = stages.batches([4] * 40, max_items=100, max_bytes=16, size=lambda x: x, tail=2)
    assert [len(b) for b in sized] == [4] * 8 + [1] * 8  # a quarter of 16 bytes: one item each
    # A short plan is left whole: its batches add little to a small state.
    assert stages.batches(items[:56], max_items=8, tail=2) == stages.batches(items[:56], max_items=8)


def test_ingest_batch_splits_documents_and_rejects(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nBody text.")
    (tmp_path / "b.txt").write_bytes(b"")
    docs, rejects = stages.ingest_batch(_refs(tmp_path))
    assert docs["source_file"].to_list() == ["a.txt"]
    assert docs["byte_size"].to_list() == [len("Title\n\nBody text.")]
    assert rejects.select("source_file", "reason").rows() == [("b.txt", "empty")]


def test_clean_batch_adds_text_and_flags_repairs(tmp_path):
    (tmp_path / "a.txt").write_text("Ukraineâ€™s  forces\r\n")
    docs, _ = stages.ingest_batch(_refs(tmp_path))
    cleaned = stages.clean_batch(docs)
    assert "raw_text" not in cleaned.columns
    assert cleaned["text"].to_list() == ["Ukraine’s forces"]
    assert cleaned["flags"].to_list() == [["mojibake_repaired"]]


def _through_segment(seeds_dir: Path):
    docs, _ = stages.ingest_batch(_refs(seeds_dir))
    docs = stages.clean_batch(docs)
    return stages.segment_batch(docs, stages.furniture(docs["text"]))


def test_segment_batch_gives_paragraphs_sentences_and_titles(seeds_dir):
    docs, paragraphs, sentences, rejects = _through_segment(seeds_dir)
    assert rejects.is_empty() and docs.height == 5
    assert set(paragraphs["article_id"]) == set(docs["article_id"]) == set(sentences["article_id"])
    first = docs.filter(pl.col("source_file").str.starts_with("000_"))
    assert first["title"].to_list() == ["Pentagon Chief Calls for More US Arms Purchases by NATO for Ukraine"]
    assert (docs["word_count"] > 100).all()
    for row in paragraphs.join(docs.select("article_id", pl.col("text").alias("full")), on="article_id").iter_rows(named=True):
        assert row["full"][row["char_start"]:row["char_end"]] == row["text"]


def test_extract_batch_finds_quotes_and_figures(seeds_dir):
    docs, paragraphs, sentences, _ = _through_segment(seeds_dir)
    quotes, figures, rejects = stages.extract_batch(docs, paragraphs, sentences)
    assert rejects.is_empty()
    assert quotes.filter(pl.col("speaker") == "Pete Hegseth").height >= 1
    money = figures.filter((pl.col("kind") == "money") & (pl.col("unit") == "USD"))
    assert any(v == pytest.approx(65.9e9) for v in money["value"].to_list())
    assert quotes["quote_index"].to_list()[:2] == [0, 1]


def test_extract_batch_rejects_only_the_article_that_fails(seeds_dir, monkeypatch):
    from newsdesk import quotes as quotes_mod

    real = quotes_mod.extract_quotes

    def fragile(text, paragraphs, sentences):
        if "Hegseth Emphasizes" in text:
            raise RuntimeError("bad article")
        return real(text, paragraphs, sentences)

    monkeypatch.setattr(quotes_mod, "extract_quotes", fragile)
    docs, paragraphs, sentences, _ = _through_segment(seeds_dir)
    quotes, figures, rejects = stages.extract_batch(docs, paragraphs, sentences)
    assert rejects.select("source_file", "reason").rows() == [("004_28aa73e70d0a97b8.txt", "extract_error")]
    assert "RuntimeError: bad article" in rejects["detail"][0]
    assert quotes.height > 0 and "004_28aa73e70d0a97b8.txt" not in set(quotes["source_file"])


def test_offsets_map_back_to_the_raw_file(tmp_path):
    from newsdesk.clean import OffsetMap, byte_offset

    raw = "Title\r\n\r\n\r\nHe said  â€œwe will pay\u00a0£5 billionâ€\x9d on Monday.\r\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    docs, _ = stages.ingest_batch(_refs(tmp_path))
    cleaned = stages.clean_batch(docs)
    text = cleaned["text"][0]
    anchors = [(a["clean"], a["raw"]) for a in cleaned["raw_anchors"][0]]
    offsets = OffsetMap.from_anchors(anchors, len(text), cleaned["raw_chars"][0])
    start = text.index("£5")
    raw_start = offsets.to_raw(start)
    assert raw[raw_start:raw_start + 2] == "£5"
    assert raw.encode("utf-8")[byte_offset(raw, raw_start):].startswith("£5".encode("utf-8"))
