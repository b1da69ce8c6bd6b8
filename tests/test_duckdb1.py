"""The catalog opens in real DuckDB 1.x clients, as BI tools bundle them, not only in the DuckDB 2.0 we write with.

`make test` installs pinned 1.x Python packages into `.duckdb1/<version>/`
(Makefile: DUCKDB1_VERSIONS). Each runs in a subprocess whose path holds that
folder and the standard library only, so the venv's DuckDB 2.0 cannot stand
in for it. The warehouse is built by the real flow; the client opens it
read-only from another working directory and reads every view and every
comment, and the answers must equal what DuckDB 2.0 reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

CLIENTS = ROOT / ".duckdb1"

# A few columns of the marts, compared value for value between 1.x and 2.0.
SAMPLES = {
    "articles": "SELECT source_file, title, word_count, quote_count, figure_count, url, outlet FROM articles ORDER BY source_file",
    "quotes": "SELECT source_file, quote_index, speaker, verb, quote FROM quotes ORDER BY source_file, quote_index",
    "figures": "SELECT source_file, figure_index, span, kind, value, unit FROM figures ORDER BY source_file, figure_index",
    "money": "SELECT source_file, figure_index, amount, currency, amount_usd FROM money ORDER BY source_file, figure_index",
    "speakers": "SELECT speaker, articles, quotes FROM speakers ORDER BY speaker",
    "stories": "SELECT members, source_files FROM stories ORDER BY source_files",
    "sentence_reuse": "SELECT sentence, articles, source_files FROM sentence_reuse ORDER BY sentence",
    "rejects": "SELECT source_file, reason FROM rejects ORDER BY source_file",
    "runs": "SELECT files_seen, articles, rejects, seconds >= 0 FROM runs",
    "warehouse_version": "SELECT version FROM warehouse_version",
}

CHILD = r"""
import json, sys
import duckdb

samples = json.loads(sys.argv[2])
con = duckdb.connect(sys.argv[1], read_only=True)
out = {"version": duckdb.__version__, "module": duckdb.__file__}
out["views"] = con.execute(
    "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY view_name").fetchall()
out["columns"] = con.execute(
    "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal "
    "ORDER BY table_name, column_index").fetchall()
out["counts"] = {v: con.execute(f'SELECT count(*) FROM "{v}"').fetchone()[0] for v, _ in out["views"]}
# Every column of every view, as text: the 1.x Python client needs pytz to hand out TIMESTAMPTZ values.
out["read"] = {v: len(con.execute(f'SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "{v}"').fetchall())
               for v, _ in out["views"]}
out["samples"] = {name: con.execute(sql).fetchall() for name, sql in samples.items()}
print(json.dumps(out))
"""


def _clients() -> list[Path | None]:
    required = os.environ.get("NEWSDESK_DUCKDB1_VERSIONS", "").split()
    if required:  # set by `make test`: every pinned client must be there
        return [CLIENTS / v for v in required]
    return sorted(p.parent.parent for p in CLIENTS.glob("*/duckdb/__init__.py")) or [None]


@pytest.fixture(scope="module")
def real_warehouse(prefect_harness, tmp_path_factory) -> Path:
    """The seeds through the real flow, with a copy (clusters, reuse, spreads) and a reject, so no mart is empty."""
    from flows.pipeline import news_pipeline

    base = tmp_path_factory.mktemp("duckdb1")
    inp = base / "in"
    shutil.copytree(ROOT / "seeds", inp)
    first = inp / "004_28aa73e70d0a97b8.txt"  # the seed with the most figures and quotes
    (inp / "copies").mkdir()
    shutil.copy(first, inp / "copies" / first.name)
    (inp / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (inp / f"{first.name}.meta.json").write_text(
        json.dumps({"url": "https://wire.example/1", "outlet": "The Wire"}), encoding="utf-8")
    wh = base / "wh"
    news_pipeline(input_dir=str(inp), warehouse=str(wh))
    return wh


def _read_with_2_0(catalog: Path) -> dict:
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        views = con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY view_name").fetchall()
        return {
            "views": [list(v) for v in views],
            "columns": [list(c) for c in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal "
                "ORDER BY table_name, column_index").fetchall()],
            "counts": {v: con.execute(f'SELECT count(*) FROM "{v}"').fetchone()[0] for v, _ in views},
            # through JSON, as the child's answers come
            "samples": json.loads(json.dumps({n: con.execute(sql).fetchall() for n, sql in SAMPLES.items()})),
        }
    finally:
        con.close()


@pytest.mark.parametrize("client", _clients(), ids=lambda p: p.name if p else "none")
def test_a_duckdb_1x_client_reads_every_view_and_comment(client, request, tmp_path):
    if client is None:
        pytest.skip("no DuckDB 1.x client in .duckdb1/: run `make test`, which installs the pinned ones")
    assert (client / "duckdb" / "__init__.py").is_file(), f"DuckDB 1.x client missing in {client}: run `make test`"
    real_warehouse = request.getfixturevalue("real_warehouse")  # built only once a client is there to read it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    catalog = real_warehouse / "news.duckdb"
    # -S: no site-packages, so only the client folder and the standard library are importable.
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(client), "PYTHONNOUSERSITE": "1", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-S", "-c", CHILD, str(catalog), json.dumps(SAMPLES)], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout)
    assert got["version"].startswith("1."), got["version"]
    assert Path(got["module"]).resolve().is_relative_to(client.resolve()), got["module"]

    want = _read_with_2_0(catalog)
    assert got["views"] == want["views"]
    assert got["columns"] == want["columns"]
    assert all(comment for _, comment in got["views"]) and all(comment for *_, comment in got["columns"])
    assert got["counts"] == want["counts"] and got["read"] == got["counts"]
    assert got["samples"] == want["samples"]
    # The fixture makes every mart non-empty, so a view that reads nothing in 1.x cannot pass unnoticed.
    empty = sorted(v for v, n in got["counts"].items() if n == 0 and not v.startswith("stg_"))
    assert empty == [], empty
