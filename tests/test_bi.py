"""BI-ready output: every table reads back in pyarrow, polars and pandas; SQLAlchemy sees views and comments."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from newsdesk import catalog, publish, schema, store
from test_catalog import run_info, tiny_frames


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = tmp_path_factory.mktemp("bi") / "wh"
    publish.publish(wh, tiny_frames(), run_info())
    return wh


def _parts(wh, table):
    man = store.read_manifest(wh)
    return sorted((wh / man.tables[table]["dir"]).glob("*.parquet"))


@pytest.mark.parametrize("table", schema.TABLES)
def test_three_readers_agree(warehouse, table):
    parts = _parts(warehouse, table)
    arrow = pa.concat_tables([pq.read_table(p) for p in parts])
    assert arrow.schema.equals(schema.SCHEMAS[table], check_metadata=False)
    frame = pl.read_parquet(parts)
    pandas = pd.concat([pd.read_parquet(p) for p in parts])
    assert arrow.num_rows == frame.height == len(pandas)
    assert list(frame.columns) == list(pandas.columns) == schema.SCHEMAS[table].names


def test_explicit_types_for_bi(warehouse):
    arts = pq.read_table(_parts(warehouse, "articles")[0])
    assert arts.schema.field("ingested_at").type == pa.timestamp("us", tz="UTC")
    assert pa.types.is_dictionary(arts.schema.field("encoding").type)
    meta = pq.ParquetFile(_parts(warehouse, "quotes")[0]).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    pandas = pd.read_parquet(_parts(warehouse, "articles")[0])
    assert str(pandas["ingested_at"].dt.tz) == "UTC"


def test_sqlalchemy_lists_views_columns_and_comments(warehouse):
    con = catalog.connect(warehouse)
    expected = {v for v, _ in catalog.views(con)}
    con.close()  # DuckDB allows one configuration per file and process
    engine = sa.create_engine(f"duckdb:///{warehouse / store.CATALOG}", connect_args={"read_only": True})
    insp = sa.inspect(engine)
    assert set(insp.get_view_names()) == expected
    for view in ("articles", "quotes", "figures", "speakers"):
        assert insp.get_table_comment(view)["text"]
        columns = insp.get_columns(view)
        assert columns and all(c["comment"] for c in columns), view
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT speaker FROM quotes")).scalar() == "Ann Lee"
    engine.dispose()
