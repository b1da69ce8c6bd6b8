"""A batch's stages in the process that holds it (newsdesk.batch_work), a chunk of articles at a time."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from newsdesk import batch_work, ingest, stages, store

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _through_every_stage(folder: Path, warehouse: Path) -> tuple[dict[str, pl.DataFrame], list, pl.DataFrame]:
    docs, _ = stages.ingest_batch(ingest.discover(folder)[0])
    staged = store.StagedVersion(warehouse, "run")
    batch_work.begin("k", docs, T0)
    try:
        assert batch_work.clean("k") == docs.height
        rejects = [batch_work.segment("k"), batch_work.extract("k")]
        rows = batch_work.write("k", staged, "part-0")
        ids, features = batch_work.features("k")
    finally:
        batch_work.end("k")
    assert "k" not in batch_work._HELD  # the batch is let go
    tables = {t: pl.from_arrow(pq.read_table(next((staged.root / t).glob("*.parquet")))) for t in rows}
    return tables, rejects, features


def test_chunks_give_the_same_tables_and_features_as_one_pass(seeds_dir, tmp_path, monkeypatch):
    whole, whole_rejects, whole_features = _through_every_stage(seeds_dir, tmp_path / "a")
    monkeypatch.setattr(batch_work, "CHUNK", 2)  # five seed articles: three chunks
    chunked, chunked_rejects, chunked_features = _through_every_stage(seeds_dir, tmp_path / "b")
    assert set(chunked) == {"articles", "paragraphs", "sentences", "quotes", "figures"}
    for table, frame in whole.items():
        assert chunked[table].equals(frame), table
    assert chunked["articles"].height == 5 and chunked["quotes"].height > 0
    assert all(r.is_empty() for r in whole_rejects + chunked_rejects)
    assert chunked_features.rows.equals(whole_features.rows)
    assert (chunked_features.keys == whole_features.keys).all()
    assert chunked_features.evidence.equals(whole_features.evidence)


def test_furniture_is_found_across_the_whole_batch_not_one_chunk(tmp_path, monkeypatch):
    footer = "The Harbour Gazette is printed on Quay Street every weekday."  # furniture only by recurring
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(
            f"Story number {i} headline\n\nThe council met on day {i} and agreed a budget for the year ahead.\n\n{footer}\n")
    monkeypatch.setattr(batch_work, "CHUNK", 1)  # every chunk holds one file: the footer recurs only across chunks
    tables, _, _ = _through_every_stage(tmp_path, tmp_path / "wh")
    roles = tables["paragraphs"].filter(pl.col("text") == footer)["role"].to_list()
    assert len(roles) == 4 and "body" not in roles
