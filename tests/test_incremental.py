"""Incremental runs: only new or changed inputs are extracted; results equal a clean run."""

from __future__ import annotations

import shutil
from pathlib import Path

from newsdesk import catalog, publish, schema, store
from test_flow import TABLES, snapshot


def _run(input_dir: Path, wh: Path, **kw) -> dict:
    from flows.pipeline import news_pipeline

    return news_pipeline(input_dir=str(input_dir), warehouse=str(wh), **kw)


def _ids(wh: Path) -> dict[str, str]:
    con = catalog.connect(wh)
    try:
        return dict(con.execute("SELECT source_file, article_id FROM articles").fetchall())
    finally:
        con.close()


def stable_snapshot(wh: Path) -> dict[str, list[tuple]]:
    """Every table, less ingested_at: it records when an article first arrived, so warehouses differ in it."""
    con = catalog.connect(wh)
    try:
        out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES if t != "articles"}
        out["articles"] = sorted(con.execute("SELECT * EXCLUDE (ingested_at) FROM articles").fetchall(), key=repr)
        out["stories"] = sorted(con.execute("SELECT members, source_files FROM stories").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_rerun_with_nothing_new_extracts_nothing(prefect_harness, seeds_dir, tmp_path):
    wh = tmp_path / "wh"
    first = _run(seeds_dir, wh)
    assert first["new_articles"] == 5
    before = snapshot(wh)
    again = _run(seeds_dir, wh)
    assert again["new_articles"] == 0 and again["articles"] == 5
    assert "extract" not in again["stage_seconds"] and "segment" not in again["stage_seconds"]
    assert snapshot(wh) == before


def test_a_rerun_with_the_same_articles_carries_clusters_and_state_over(prefect_harness, seeds_dir, tmp_path):
    wh = tmp_path / "wh"
    _run(seeds_dir, wh)
    first = store.read_manifest(wh)
    (seeds_dir / "not news.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a reject: the articles are the same
    again = _run(seeds_dir, wh)
    second = store.read_manifest(wh)
    assert again["new_articles"] == 0 and second.version != first.version
    for table in publish.STATE_DERIVED:
        old = {p.name: p.stat().st_ino for p in store.table_dir(wh, first.version, table).glob("*.parquet")}
        new = {p.name: p.stat().st_ino for p in store.table_dir(wh, second.version, table).glob("*.parquet")}
        assert old and new == old, table  # the same files, linked: not clustered and written again
    con = catalog.connect(wh)
    assert con.execute("SELECT reason FROM rejects").fetchall() == [("unsupported_type",)]


def test_the_state_of_other_extraction_rules_is_not_loaded(prefect_harness, seeds_dir, tmp_path, monkeypatch):
    wh = tmp_path / "wh"
    _run(seeds_dir, wh)
    state = publish.load_state(wh, store.read_manifest(wh))
    assert state.n == 5 and state.meta["article_id"].sort().to_list() == sorted(
        catalog.connect(wh).execute("SELECT article_id FROM articles").fetchnumpy()["article_id"].tolist())
    monkeypatch.setattr(schema, "EXTRACTION_VERSION", schema.EXTRACTION_VERSION + "-next")
    # Its signatures come from the old rules' sentences, quotes and figures: every article starts afresh.
    assert publish.load_state(wh, store.read_manifest(wh)) is None


def test_a_state_of_another_layout_is_ignored_with_a_warning(prefect_harness, seeds_dir, tmp_path):
    import pyarrow.parquet as pq
    import pytest

    wh = tmp_path / "wh"
    _run(seeds_dir, wh)
    manifest = store.read_manifest(wh)
    for part in store.table_dir(wh, manifest.version, "dedup_signatures").glob("*.parquet"):
        pq.write_table(pq.read_table(part).drop_columns(["qkeys"]), part)  # as a build before that column
    with pytest.warns(UserWarning, match="incompatible version"):
        assert publish.load_state(wh, manifest) is None


def test_changed_removed_and_added_files(prefect_harness, seeds_dir, tmp_path):
    wh = tmp_path / "wh"
    _run(seeds_dir, wh, batch_files=2)
    old = _ids(wh)
    changed = seeds_dir / "000_a53597ac67f30f61.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nHe said the bill was $2 billion.\n", encoding="utf-8")
    (seeds_dir / "004_28aa73e70d0a97b8.txt").unlink()
    shutil.copy(seeds_dir / "003_0d8db924328cadb2.txt", seeds_dir / "copy of 003.txt")
    got = _run(seeds_dir, wh, batch_files=2)
    assert (got["new_articles"], got["articles"]) == (2, 5)
    new = _ids(wh)
    assert "004_28aa73e70d0a97b8.txt" not in new
    assert new["000_a53597ac67f30f61.txt"] != old["000_a53597ac67f30f61.txt"]
    assert new["001_55db5891b9aeab93.txt"] == old["001_55db5891b9aeab93.txt"]

    # The incremental result equals a clean run over the same folder.
    clean = tmp_path / "clean"
    _run(seeds_dir, clean)
    assert stable_snapshot(wh) == stable_snapshot(clean)
    con = catalog.connect(wh)
    orphans = con.execute(
        "SELECT count(*) FROM article_clusters WHERE article_id NOT IN (SELECT article_id FROM articles)"
    ).fetchone()
    assert orphans == (0,)
    copies = con.execute(
        "SELECT count(DISTINCT cluster_id) FROM article_clusters c JOIN articles a USING (article_id) "
        "WHERE a.source_file IN ('003_0d8db924328cadb2.txt', 'copy of 003.txt')"
    ).fetchone()
    assert copies == (1,)


def test_batch_size_does_not_change_the_result(prefect_harness, seeds_dir, tmp_path):
    _run(seeds_dir, tmp_path / "one", batch_files=1)
    _run(seeds_dir, tmp_path / "all", batch_files=1000)
    assert stable_snapshot(tmp_path / "one") == stable_snapshot(tmp_path / "all")
    assert len(list((tmp_path / "one" / "tables").glob("*/articles/*.parquet"))) == 5


def test_a_new_extraction_version_reprocesses_everything(prefect_harness, seeds_dir, tmp_path, monkeypatch):
    wh = tmp_path / "wh"
    _run(seeds_dir, wh)
    monkeypatch.setattr(schema, "EXTRACTION_VERSION", schema.EXTRACTION_VERSION + "-next")
    got = _run(seeds_dir, wh)
    assert got["new_articles"] == 5
    con = catalog.connect(wh)
    assert con.execute("SELECT DISTINCT extraction_version FROM articles").fetchall() == [(schema.EXTRACTION_VERSION,)]


def test_worker_processes_give_the_same_result(prefect_harness, tmp_path):
    from conftest import DATA

    one = _run(DATA / "bbc", tmp_path / "one", workers=1)
    two = _run(DATA / "bbc", tmp_path / "two", workers=2, batch_files=3)
    assert one["articles"] == two["articles"] == 10
    assert stable_snapshot(tmp_path / "one") == stable_snapshot(tmp_path / "two")


def test_workers_stopped_while_unchanged_inputs_are_read_start_again_for_new_ones(prefect_harness, tmp_path, monkeypatch):
    from conftest import DATA
    from flows import pipeline

    src = tmp_path / "in"
    shutil.copytree(DATA / "bbc", src)
    wh = tmp_path / "wh"
    _run(src, wh, workers=2, batch_files=1)
    files = sorted(p for p in src.rglob("*.txt"))
    for path in (files[0], files[-1]):  # one batch at each end: the unchanged ones between them leave the workers idle
        path.write_text(path.read_text(encoding="utf-8") + "\n\nHe said the bill was $2 billion.\n", encoding="utf-8")
    stopped = []
    retire = pipeline._Pool.retire_idle
    monkeypatch.setattr(pipeline, "WORKER_IDLE_SECONDS", 0.0)
    monkeypatch.setattr(pipeline._Pool, "retire_idle", lambda pool, s=0.0: stopped.append(retire(pool, s)) or stopped[-1])
    got = _run(src, wh, workers=2, batch_files=1)
    assert got["new_articles"] == 2
    assert sum(stopped) >= 1
    _run(src, tmp_path / "clean")
    assert stable_snapshot(wh) == stable_snapshot(tmp_path / "clean")
