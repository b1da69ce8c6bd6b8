"""Publishing: versioned Parquet, manifest written last, one writer, leftovers cleaned."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from newsdesk import catalog, checks, cli, publish, schema, store
from test_catalog import run_info, tiny_frames


def test_publish_writes_parquet_that_pyarrow_and_polars_read(tmp_path):
    wh = tmp_path / "wh"
    man = publish.publish(wh, tiny_frames(), run_info())
    for table, info in man.tables.items():
        parts = sorted((wh / info["dir"]).glob("*.parquet"))
        assert parts, table
        assert sum(pq.read_table(p).num_rows for p in parts) == info["rows"]
        assert pl.read_parquet(parts).height == info["rows"]
    assert json.loads((wh / store.MANIFEST).read_text())["version"] == man.version


def test_republish_replaces_rows_and_keeps_first_ingested_at(tmp_path):
    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info("r-1"))
    first = catalog.connect(wh).execute("SELECT article_id, ingested_at FROM articles").fetchall()
    frames = tiny_frames()
    frames["articles"] = frames["articles"].with_columns(pl.col("ingested_at").dt.offset_by("1d"))
    publish.publish(wh, frames, run_info("r-2"))
    con = catalog.connect(wh)
    assert con.execute("SELECT article_id, ingested_at FROM articles").fetchall() == first
    assert con.execute("SELECT count(*) FROM quotes").fetchone() == (1,)
    assert [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY started_at").fetchall()] == ["r-1", "r-2"]


def test_old_versions_and_staging_leftovers_are_removed(tmp_path):
    wh = tmp_path / "wh"
    versions = [publish.publish(wh, tiny_frames(), run_info(f"r-{i}")).version for i in range(3)]
    (wh / store.TABLES_DIR / ".staging-crashed").mkdir()
    publish.recover(wh)
    assert sorted(p.name for p in (wh / store.TABLES_DIR).iterdir()) == [versions[-1]]


def test_recover_removes_the_scratch_files_of_a_killed_run(tmp_path):
    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info("r-0"))
    left = wh / store.SCRATCH_DIR / "killed-run" / "newsdesk-dedup-0-1024-x"
    left.mkdir(parents=True)
    (left / "sig.npy").write_bytes(b"x")
    publish.recover(wh)
    assert not (wh / store.SCRATCH_DIR).exists()


def test_recover_rebuilds_a_catalog_that_lags_the_manifest(tmp_path):
    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info("r-1"))
    (wh / store.CATALOG).unlink()  # as if the run died between commit and catalog build
    publish.recover(wh)
    assert catalog.connect(wh).execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_only_one_writer(tmp_path):
    with store.WriterLock(tmp_path):
        with pytest.raises(store.WarehouseBusy, match="another newsdesk run"):
            with store.WriterLock(tmp_path, wait_seconds=0.3):
                pass
    with store.WriterLock(tmp_path):  # released again
        pass


def test_empty_input_publishes_empty_tables(tmp_path):
    wh = tmp_path / "wh"
    frames = {name: pl.DataFrame() for name in ("articles", "paragraphs", "sentences", "quotes", "figures", "rejects")}
    publish.publish(wh, frames, run_info())
    con = catalog.connect(wh)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)


def test_data_tests_refuse_bad_data_and_keep_the_previous_version(tmp_path):
    wh = tmp_path / "wh"
    good = publish.publish(wh, tiny_frames(), run_info("r-1"))
    frames = tiny_frames()
    frames["quotes"] = frames["quotes"].with_columns(pl.lit(0).alias("char_start"))  # offsets no longer give the quote
    with pytest.raises(checks.DataTestsFailed, match="spans_match_text"):
        publish.publish(wh, frames, run_info("r-2"))
    assert store.read_manifest(wh).version == good.version
    assert sorted(p.name for p in (wh / store.TABLES_DIR).iterdir()) == [good.version]
    assert catalog.connect(wh).execute("SELECT run_id FROM runs").fetchall() == [("r-1",)]


def _break(frames, table, **cols):
    frames[table] = frames[table].with_columns(**{k: pl.lit(v) for k, v in cols.items()})
    return frames


@pytest.mark.parametrize(
    ("test", "breakage"),
    [
        ("unique_article_id", lambda f: {**f, "articles": pl.concat([f["articles"], f["articles"].with_columns(
            pl.lit("y/b.txt").alias("source_file"))])}),
        ("not_null_keys", lambda f: _break(f, "figures", value=None)),
        ("rows_point_at_articles", lambda f: _break(f, "quotes", article_id="zz")),
        ("accepted_values", lambda f: _break(f, "paragraphs", role="sidebar")),
        ("accepted_values", lambda f: {**f, "article_clusters": pl.DataFrame(
            {"article_id": ["a1"], "cluster_id": ["a1"], "similarity": [1.0], "method": ["guess"]})}),
        ("files_are_articles_or_rejects", lambda f: _break(f, "rejects", source_file="x/a.txt")),
        # Spans of every table that has them: offsets that no longer give the text.
        ("spans_match_text", lambda f: _break(f, "paragraphs", char_start=1)),
        ("spans_match_text", lambda f: _break(f, "sentences", char_start=1)),
        ("spans_match_text", lambda f: _break(f, "figures", char_end=0)),
    ],
)
def test_each_data_test_catches_its_breakage(tmp_path, test, breakage):
    wh = tmp_path / "wh"
    with pytest.raises(checks.DataTestsFailed) as err:
        publish.publish(wh, breakage(tiny_frames()), run_info())
    assert [f.test for f in err.value.failures] == [test]
    assert store.read_manifest(wh) is None


def test_good_data_passes_every_data_test(tmp_path, capsys):
    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info())
    assert checks.run_checks(catalog.connect(wh)) == []
    assert cli.main(["check", "--warehouse", str(wh)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{len(checks.test_files())} passed, 0 failed"


def test_data_tests_run_within_a_memory_limit(tmp_path):
    # The limit reaches the queries (a tiny one makes DuckDB give up instead of growing), and the
    # scratch folder it spills to is gone afterwards.
    import glob
    import tempfile

    import duckdb

    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info())
    tables = wh / store.TABLES_DIR / store.read_manifest(wh).version
    before = set(glob.glob(f"{tempfile.gettempdir()}/newsdesk-checks-*"))
    assert checks.check_version(tables) == []
    with pytest.raises(duckdb.OutOfMemoryException):
        checks.check_version(tables, memory_limit="1MB")
    assert set(glob.glob(f"{tempfile.gettempdir()}/newsdesk-checks-*")) == before


def test_whole_tables_written_first_then_committed_give_the_same_version(tmp_path):
    # The flow writes the whole tables and lets them go before the data tests: the version must be
    # the one a single commit_version makes.
    got = {}
    for way in ("at_once", "written_first"):
        wh = tmp_path / way
        frames = tiny_frames()
        staged = store.StagedVersion(wh, "r-1")
        publish.write_batch(staged, frames, "part-00000")
        aid = frames["articles"]["article_id"]
        whole = {"rejects": frames["rejects"],
                 "article_clusters": pl.DataFrame({"article_id": aid, "cluster_id": aid, "similarity": [1.0],
                                                   "method": ["singleton"]})}
        if way == "written_first":
            publish.write_whole(staged, whole)
            whole = {}
        man = publish.commit_version(staged, whole, run_info())
        got[way] = {t: info["rows"] for t, info in man.tables.items()}
        con = catalog.connect(wh)
        got[way + "_clusters"] = con.execute("SELECT * FROM article_clusters ORDER BY ALL").fetchall()
    assert got["at_once"] == got["written_first"]
    assert got["at_once_clusters"] == got["written_first_clusters"] != []


def test_a_failed_whole_table_write_leaves_nothing_staged(tmp_path):
    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    publish.write_batch(staged, tiny_frames(), "part-00000")
    with pytest.raises(Exception):
        publish.write_whole(staged, {"article_clusters": pl.DataFrame({"no_such_column": [1]})})
    assert not staged.root.exists()


def test_a_frame_already_in_write_order_is_not_copied_to_sort_it():
    ordered = pl.DataFrame({"sentence_hash": [1, 2, 3], "x": ["a", "b", "c"]})
    assert publish._sorted(ordered, ["sentence_hash"]) is ordered
    shuffled = ordered.reverse()
    assert publish._sorted(shuffled, ["sentence_hash"]).equals(ordered)


def test_parts_written_two_at_a_time_are_all_there_and_counted(tmp_path):
    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    frames = [pl.DataFrame({"key": list(range(k * 1000, k * 1000 + 500 + k)), "pos": [k] * (500 + k)})
              for k in range(9)]
    staged.write_parts((("dedup_evidence", f.to_arrow(), f"part-{k:05d}") for k, f in enumerate(frames)), threads=2)
    assert staged.rows["dedup_evidence"] == sum(f.height for f in frames)
    back = pl.read_parquet(staged.root / "dedup_evidence" / "*.parquet").sort("key")
    assert back.equals(pl.concat(frames).cast(back.schema))


def test_a_part_that_fails_to_write_fails_the_parts_write(tmp_path):
    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    good = pl.DataFrame({"key": [1]}).to_arrow()
    with pytest.raises(Exception):
        staged.write_parts([("t", good, "part-00000"), ("t", "not a table", "part-00001"), ("t", good, "part-00002")])


def test_parts_written_from_several_threads_are_all_counted(tmp_path):
    # The default runner writes each batch from a thread of its own, into one StagedVersion.
    from concurrent.futures import ThreadPoolExecutor

    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    data = pl.DataFrame({"key": list(range(2000))}).to_arrow()

    def batch(i: int) -> None:
        for k in range(10):
            staged.write("dedup_evidence", data, f"part-{i:02d}-{k:02d}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(batch, range(8)))
    assert staged.rows["dedup_evidence"] == 8 * 10 * 2000


def test_a_whole_table_is_written_as_parts_of_about_whole_part_bytes_in_order(tmp_path, monkeypatch):
    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    aid = [f"a{k}" for k in range(5)]
    clusters = pl.DataFrame({"article_id": aid[::-1], "cluster_id": "a0", "similarity": 1.0, "method": "minhash"})
    monkeypatch.setattr(publish, "WHOLE_PART_BYTES", clusters.estimated_size() * 2 // 5 + 1)  # two rows' worth
    publish.write_whole(staged, {"article_clusters": clusters})
    files = sorted((staged.root / "article_clusters").glob("*.parquet"))
    assert [pq.ParquetFile(f).metadata.num_rows for f in files] == [2, 2, 1]
    assert staged.rows["article_clusters"] == 5
    # part by part, in file order, the rows sorted as one table
    assert pl.concat([pl.read_parquet(f) for f in files])["article_id"].to_list() == aid


def test_a_whole_table_given_as_its_parts_in_order_is_written_as_the_frame_would_be(tmp_path, monkeypatch):
    reuse = pl.DataFrame({"sentence_hash": pl.Series(range(7), dtype=pl.UInt64), "sentence": [f"s{i}" for i in range(7)],
                          "article_ids": [["a", "b"]] * 7, "articles": pl.Series([2] * 7, dtype=pl.UInt32)})
    monkeypatch.setattr(publish, "WHOLE_PART_BYTES", reuse.estimated_size() * 2 // 7 + 1)  # two rows' worth
    got = {}
    for way, value in (("frame", reuse), ("parts", iter([reuse.slice(0, 3), reuse.clear(), reuse.slice(3, 4)]))):
        staged = store.StagedVersion(tmp_path / way, "r-1")
        publish.write_whole(staged, {"sentence_reuse": value})
        files = sorted((staged.root / "sentence_reuse").glob("*.parquet"))
        got[way] = ([f.name for f in files], pl.concat([pl.read_parquet(f) for f in files]), staged.rows["sentence_reuse"],
                    [pq.ParquetFile(f).metadata.num_rows for f in files])
    names, rows, counted, sizes = got["parts"]
    # Numbered on across the given parts (each cut to size on its own), the rows in order.
    assert names == [f"part-{k:05d}.parquet" for k in range(4)] and sizes == [2, 1, 2, 2] and counted == 7
    assert rows.equals(got["frame"][1]) and rows["sentence_hash"].to_list() == list(range(7))


def test_a_part_of_a_whole_table_carries_only_its_own_list_items_to_arrow():
    n = 20_000
    reuse = pl.DataFrame({"sentence_hash": pl.Series(range(n), dtype=pl.UInt64), "sentence": [f"s{i}" for i in range(n)],
                          "article_ids": [[f"article-{i + j:08d}" for j in range(4)] for i in range(n)],
                          "articles": pl.Series([4] * n, dtype=pl.UInt32)})
    whole = reuse.to_arrow().column("article_ids").get_total_buffer_size()
    part = schema.to_arrow("sentence_reuse", publish._rows(reuse, 1000, 10))
    assert part.column("article_ids").to_pylist() == reuse["article_ids"][1000:1010].to_list()
    assert part.column("article_ids").get_total_buffer_size() < whole / 100


def test_wide_rows_are_written_in_row_groups_of_about_row_group_bytes(tmp_path):
    staged = store.StagedVersion(tmp_path / "wh", "r-1")
    n = 40_000
    wide = pl.DataFrame({"key": range(n), "blob": [bytes(1000)] * n}).to_arrow()  # ~1 KB a row
    narrow = pl.DataFrame({"key": range(3 * n)}).to_arrow()
    staged.write("wide", wide, "part-00000")
    staged.write("narrow", narrow, "part-00000")
    wide_groups = pq.ParquetFile(staged.root / "wide" / "part-00000.parquet").metadata
    narrow_groups = pq.ParquetFile(staged.root / "narrow" / "part-00000.parquet").metadata
    assert wide_groups.num_row_groups == -(-n // store.row_group_rows(wide)) >= 5
    assert abs(wide_groups.row_group(0).num_rows * 1000 - store.ROW_GROUP_BYTES) < store.ROW_GROUP_BYTES / 10
    assert narrow_groups.row_group(0).num_rows == store.ROW_GROUP_ROWS
