"""The catalog: views over the committed Parquet, documented, readable from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl
import pytest

from newsdesk import catalog, publish

CONTRACT = {
    "articles": ["article_id", "content_hash", "source_file", "title", "text", "word_count", "encoding", "ingested_at"],
    "paragraphs": ["article_id", "paragraph_index", "role", "text", "char_start", "char_end"],
    "sentences": ["article_id", "sentence_index", "paragraph_index", "text", "char_start", "char_end"],
    "quotes": ["article_id", "source_file", "sentence_index", "char_start", "char_end", "quote", "speaker",
               "speaker_kind", "kind", "verb"],
    "figures": ["article_id", "source_file", "sentence_index", "char_start", "char_end", "span", "kind", "value",
                "value_high", "unit", "qualifier", "base", "per", "spelled"],
    "rejects": ["source_file", "reason", "detail"],
    "runs": ["run_id", "started_at", "finished_at", "status", "files_seen", "articles", "rejects"],
    "speakers": ["speaker", "speaker_kind", "articles", "quotes", "first_seen", "last_seen"],
}

TEXT = "Title here\nHe said “yes we can,” Ann Lee said, citing $5 billion."


def tiny_frames() -> dict[str, pl.DataFrame]:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    q0 = TEXT.index("yes")
    f0 = TEXT.index("$5")
    return {
        "articles": pl.DataFrame([{
            "article_id": "a1", "content_hash": "h", "source_file": "x/a.txt", "title": "Title here", "text": TEXT,
            "word_count": 10, "byte_size": len(TEXT.encode()), "encoding": "utf-8", "flags": [], "ingested_at": now,
            "extraction_version": "1",
        }]),
        "paragraphs": pl.DataFrame([
            {"article_id": "a1", "paragraph_index": 0, "role": "title", "text": "Title here", "char_start": 0, "char_end": 10},
            {"article_id": "a1", "paragraph_index": 1, "role": "body", "text": TEXT[11:], "char_start": 11, "char_end": len(TEXT)},
        ]),
        "sentences": pl.DataFrame([{"article_id": "a1", "sentence_index": 0, "paragraph_index": 1, "text": TEXT[11:],
                                    "char_start": 11, "char_end": len(TEXT)}]),
        "quotes": pl.DataFrame([{"article_id": "a1", "source_file": "x/a.txt", "quote_index": 0, "sentence_index": 0,
                                 "paragraph_index": 1, "char_start": q0, "char_end": q0 + 10, "quote": "yes we can",
                                 "speaker": "Ann Lee", "speaker_kind": "person", "kind": "full", "verb": "said",
                                 "flagged": False}]),
        "figures": pl.DataFrame([{"article_id": "a1", "source_file": "x/a.txt", "figure_index": 0, "sentence_index": 0,
                                  "char_start": f0, "char_end": f0 + 10, "span": "$5 billion", "kind": "money",
                                  "value": 5e9, "value_high": None, "unit": "USD", "qualifier": None, "base": None,
                                  "per": None, "spelled": False}]),
        "rejects": pl.DataFrame([{"source_file": "bad.bin", "reason": "binary", "detail": "content is not text",
                                  "content_hash": None}]),
    }


def run_info(run_id: str = "r-0001") -> publish.RunInfo:
    return publish.RunInfo(run_id, datetime.now(timezone.utc), "/in", 2, {"ingest": 0.1})


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    wh = tmp_path / "wh"
    publish.publish(wh, tiny_frames(), run_info())
    return wh


def test_contract_views_and_columns_exist(warehouse):
    con = catalog.connect(warehouse)
    for view, columns in CONTRACT.items():
        got = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        missing = [c for c in columns if c not in got]
        assert not missing, f"{view} lacks {missing}"


def test_every_view_and_column_is_documented(warehouse):
    con = catalog.connect(warehouse)
    views = catalog.views(con)
    assert {v for v, _ in views} >= set(CONTRACT)
    undocumented = [v for v, comment in views if not comment]
    assert not undocumented, f"views without COMMENT ON: {undocumented}"
    cols = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert not cols, f"columns without COMMENT ON: {cols}"


def test_every_sql_file_defines_a_view_named_after_it():
    for path in catalog.view_files():
        assert f"VIEW {path.stem} AS" in path.read_text(), path


def test_views_read_from_another_working_directory(warehouse, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True);"
        "print(c.execute('select count(*) from quotes').fetchone()[0], c.execute('select speaker from speakers').fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(warehouse / "news.duckdb")], cwd=elsewhere,
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "Ann", "Lee"]


def test_catalog_uses_the_v1_0_storage_format(warehouse):
    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse / 'news.duckdb'}' AS c (READ_ONLY)")
    tags = dict(con.execute("SELECT database_name, tags FROM duckdb_databases() WHERE database_name='c'").fetchall())["c"]
    assert tags["storage_version"].startswith("v1.0.0")


def test_read_only_connection_cannot_write_or_leave_the_warehouse(warehouse, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    con = catalog.connect(warehouse)
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE t AS SELECT 1")
    with pytest.raises(duckdb.Error):
        con.execute(f"SELECT * FROM read_csv('{outside}')")
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")


def test_two_connections_in_one_process_are_both_sandboxed(warehouse, tmp_path):
    # DuckDB gives both the same locked instance; the second connect must not fail on SET.
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    first = catalog.connect(warehouse)
    second = catalog.connect(warehouse)
    assert second.execute("SELECT count(*) FROM quotes").fetchone() == (1,)
    assert first.execute("SELECT count(*) FROM quotes").fetchone() == (1,)
    with pytest.raises(duckdb.Error):
        second.execute(f"SELECT * FROM read_csv('{outside}')")
    first.close()
    second.close()


def test_values_round_trip(warehouse):
    con = catalog.connect(warehouse)
    q = con.execute("SELECT quote, speaker, kind, verb, char_start, char_end FROM quotes").fetchone()
    text = con.execute("SELECT text FROM articles").fetchone()[0]
    assert q[:4] == ("yes we can", "Ann Lee", "full", "said")
    assert text[q[4]:q[5]] == "yes we can"
    assert con.execute("SELECT value, unit FROM figures").fetchone() == (5e9, "USD")
    assert con.execute("SELECT reason FROM rejects").fetchone() == ("binary",)
