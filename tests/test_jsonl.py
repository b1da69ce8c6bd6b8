"""JSON-lines dumps: one article per line, split into slices, gzipped or not."""

from __future__ import annotations

import gzip
import json

import pytest

from newsdesk import catalog, ingest, jsonl, stages

ROWS = [
    {"title": "Aid deal agreed", "text": "The minister said “we will pay $5 billion” on Monday.", "url": "https://x.test/1",
     "published_at": "2026-11-01", "source": "Wire"},
    {"title": "Second story", "text": "Prices rose 3% in October, officials said.", "url": "https://x.test/2"},
]


def _dump(rows, extra: bytes = b"") -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows) + extra


def test_each_line_is_an_article_or_a_reject(tmp_path):
    (tmp_path / "dump.jsonl").write_bytes(_dump(ROWS, b"{not json}\n\n[1, 2]\n{\"title\": \"no text\"}\n"))
    docs, rejects = stages.ingest_batch(ingest.discover(tmp_path)[0])
    assert docs["source_file"].to_list() == ["dump.jsonl#L1", "dump.jsonl#L2"]
    assert docs["raw_text"][0].startswith("Aid deal agreed\n\n")
    assert docs.select("url", "stated_published", "stated_outlet").row(0) == ("https://x.test/1", "2026-11-01", "Wire")
    assert rejects.select("source_file", "reason").rows() == [
        ("dump.jsonl#L3", "bad_json"), ("dump.jsonl#L5", "bad_json"), ("dump.jsonl#L6", "missing_text"),
    ]


def test_field_names_are_configurable(tmp_path):
    (tmp_path / "d.ndjson").write_text(json.dumps({"headline": "H", "body": "Some body text here."}) + "\n")
    docs, rejects = stages.ingest_batch(ingest.discover(tmp_path)[0], fields={"text": "body", "title": "headline"})
    assert rejects.is_empty() and docs["raw_text"].to_list() == ["H\n\nSome body text here."]


def test_gzipped_dump_and_corrupt_gzip(tmp_path):
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(_dump(ROWS)))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(_dump(ROWS))[:-30])
    docs, rejects = stages.ingest_batch(ingest.discover(tmp_path)[0])
    assert docs["source_file"].to_list()[:2] == ["a.jsonl.gz#L1", "a.jsonl.gz#L2"]
    assert "corrupt_gzip" in rejects["reason"].to_list()


@pytest.mark.parametrize("split", [50, 120, 10_000])
def test_large_dumps_are_sliced_at_line_boundaries(tmp_path, monkeypatch, split):
    monkeypatch.setattr(jsonl, "SPLIT_BYTES", split)
    rows = [{"text": f"Story number {i} says prices rose {i}%."} for i in range(40)]
    (tmp_path / "big.jsonl").write_bytes(_dump(rows))
    refs = ingest.discover(tmp_path)[0]
    assert (len(refs) > 1) == (split < 10_000)
    docs, rejects = stages.ingest_batch(refs)
    assert rejects.is_empty()
    assert docs["source_file"].to_list() == [f"big.jsonl#L{i + 1}" for i in range(40)]
    assert docs["raw_text"].to_list() == [r["text"] for r in rows]


def test_an_over_long_line_is_rejected_without_holding_it(tmp_path):
    (tmp_path / "d.jsonl").write_bytes(_dump([{"text": "x" * 5000}, ROWS[1]]))
    docs, rejects = stages.ingest_batch(ingest.discover(tmp_path)[0], max_bytes=1000)
    assert rejects.select("source_file", "reason").rows() == [("d.jsonl#L1", "too_large")]
    assert docs["source_file"].to_list() == ["d.jsonl#L2"]


def test_dump_through_the_flow_gives_the_same_articles_as_text_files(prefect_harness, tmp_path):
    from flows.pipeline import news_pipeline

    as_txt = tmp_path / "txt"
    as_txt.mkdir()
    for i, r in enumerate(ROWS):
        (as_txt / f"{i}.txt").write_text(f"{r['title']}\n\n{r['text']}\n", encoding="utf-8")
    as_dump = tmp_path / "dump"
    as_dump.mkdir()
    (as_dump / "all.jsonl").write_bytes(_dump(ROWS))
    news_pipeline(input_dir=str(as_txt), warehouse=str(tmp_path / "w1"))
    news_pipeline(input_dir=str(as_dump), warehouse=str(tmp_path / "w2"))
    q = "SELECT title, text, word_count FROM articles ORDER BY title"
    assert catalog.connect(tmp_path / "w1").execute(q).fetchall() == catalog.connect(tmp_path / "w2").execute(q).fetchall()
    meta = catalog.connect(tmp_path / "w2").execute("SELECT url, published, outlet FROM articles ORDER BY url").fetchall()
    assert meta[0] == ("https://x.test/1", "2026-11-01", "Wire")
