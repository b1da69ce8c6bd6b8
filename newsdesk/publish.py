"""Publish: turn a run's frames into one committed warehouse version.

Order matters for crash safety: Parquet into a staging folder, rename it into
place, swap the manifest (the commit), then rebuild the catalog from sql/ and
remove what no version refers to.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pyarrow as pa

from newsdesk import catalog, checks, schema, store


@dataclass
class RunInfo:
    run_id: str
    started_at: datetime
    input_dir: str
    files_seen: int
    stage_seconds: dict[str, float]


def _previous_ingested_at(warehouse: Path) -> pl.DataFrame | None:
    prev = store.read_table(warehouse, "articles")
    if prev is None or prev.num_rows == 0:
        return None
    return pl.from_arrow(prev.select(["article_id", "ingested_at"]))


def keep_first_ingested(articles: pl.DataFrame, warehouse: Path) -> pl.DataFrame:
    """An article already in the warehouse keeps its first ingested_at: reruns give the same rows."""
    prev = _previous_ingested_at(warehouse)
    if prev is None or articles.height == 0:
        return articles
    return (
        articles.join(prev.rename({"ingested_at": "_prev"}), on="article_id", how="left")
        .with_columns(pl.coalesce("_prev", "ingested_at").alias("ingested_at"))
        .drop("_prev")
    )


def load_state(warehouse: Path) -> dict[str, pl.DataFrame] | None:
    """The near-duplicate state the last published run left, or None."""
    frames = {}
    for name in schema.STATE_TABLES:
        table = store.read_table(Path(warehouse), name)
        if table is None:
            return None
        frames[name] = pl.from_arrow(table)
    return frames


def _sorted(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return frame.sort(keys) if frame.height else frame


def build_tables(frames: dict[str, pl.DataFrame], run: RunInfo, warehouse: Path, finished_at: datetime) -> dict[str, pa.Table]:
    """Arrow tables in their explicit schemas, rows in a stable order, runs history appended."""
    articles = keep_first_ingested(frames["articles"], warehouse)
    tables = {
        "articles": schema.to_arrow("articles", _sorted(articles, ["source_file"])),
        "paragraphs": schema.to_arrow("paragraphs", _sorted(frames["paragraphs"], ["article_id", "paragraph_index"])),
        "sentences": schema.to_arrow("sentences", _sorted(frames["sentences"], ["article_id", "sentence_index"])),
        "quotes": schema.to_arrow("quotes", _sorted(frames["quotes"], ["article_id", "quote_index"])),
        "figures": schema.to_arrow("figures", _sorted(frames["figures"], ["article_id", "figure_index"])),
        "rejects": schema.to_arrow("rejects", _sorted(frames["rejects"], ["source_file", "reason"])),
        "article_clusters": schema.to_arrow("article_clusters", _sorted(frames.get("article_clusters", pl.DataFrame()), ["article_id"])),
        "sentence_reuse": schema.to_arrow("sentence_reuse", _sorted(frames.get("sentence_reuse", pl.DataFrame()), ["sentence_hash"])),
    }
    for name in schema.STATE_TABLES:
        if name in frames:
            tables[name] = frames[name].to_arrow()
    this_run = pl.DataFrame([{
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": finished_at,
        "status": "succeeded",
        "input_dir": run.input_dir,
        "files_seen": run.files_seen,
        "articles": tables["articles"].num_rows,
        "rejects": tables["rejects"].num_rows,
        "quotes": tables["quotes"].num_rows,
        "figures": tables["figures"].num_rows,
        "stage_seconds": json.dumps({k: round(v, 4) for k, v in run.stage_seconds.items()}),
        "extraction_version": schema.EXTRACTION_VERSION,
    }])
    runs = schema.to_arrow("runs", this_run)
    previous_runs = store.read_table(warehouse, "runs")
    if previous_runs is not None:
        runs = pa.concat_tables([previous_runs.cast(runs.schema), runs])
    tables["runs"] = runs
    return tables


def publish(warehouse: Path, frames: dict[str, pl.DataFrame], run: RunInfo) -> store.Manifest:
    """Write, commit and catalog one version. The caller holds the writer lock."""
    warehouse = Path(warehouse).resolve()
    warehouse.mkdir(parents=True, exist_ok=True)
    previous = store.read_manifest(warehouse)
    finished_at = datetime.now(timezone.utc)
    tables = build_tables(frames, run, warehouse, finished_at)
    version = store.new_version(run.run_id)
    info = store.write_version(warehouse, version, tables)
    failures = checks.check_version(warehouse / store.TABLES_DIR / version)
    if failures:  # refuse to publish: the previous version stays current
        shutil.rmtree(warehouse / store.TABLES_DIR / version, ignore_errors=True)
        raise checks.DataTestsFailed(failures)
    manifest = store.Manifest(version=version, run_id=run.run_id, committed_at=finished_at.isoformat(), tables=info)
    store.commit(warehouse, manifest)
    catalog.build(warehouse, version)
    # Keep the previous version too: a reader may still hold the old catalog open.
    store.cleanup(warehouse, keep={version} | ({previous.version} if previous else set()))
    return manifest


def recover(warehouse: Path) -> None:
    """Before a run: drop a crashed run's leftovers and make the catalog match the manifest."""
    warehouse = Path(warehouse).resolve()
    man = store.read_manifest(warehouse)
    store.cleanup(warehouse, keep={man.version} if man else set())
    if man is not None:
        catalog.build(warehouse, man.version)
