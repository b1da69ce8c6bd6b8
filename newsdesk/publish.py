"""Publish: turn a run's output into one committed warehouse version.

Per-article tables arrive as Parquet parts, one per batch, while the run goes
(memory stays flat); parts of the previous version whose articles are
unchanged are hard-linked instead of recomputed. Whole tables (rejects,
clusters, runs, state) are written at the end. Then the data tests run over
the staged version, the manifest is swapped (the commit), the catalog is
rebuilt from sql/, and what no version refers to is removed.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import catalog, checks, dedup, faults, schema, store

STATE_READ_ROWS = 16_384  # signature rows (~1 KB each) read at once when the dedup state is loaded
WHOLE_PART_BYTES = 32 << 20  # about what a Parquet part of a table made whole at the end of a run holds in memory
_SORT_KEYS = {
    "articles": ["source_file"],
    "paragraphs": ["article_id", "paragraph_index"],
    "sentences": ["article_id", "sentence_index"],
    "quotes": ["article_id", "quote_index"],
    "figures": ["article_id", "figure_index"],
    "rejects": ["source_file", "reason"],
    "article_clusters": ["article_id"],
    "sentence_reuse": ["sentence_hash"],
}


@dataclass
class RunInfo:
    run_id: str
    started_at: datetime
    input_dir: str
    files_seen: int
    stage_seconds: dict[str, float]


@dataclass(frozen=True)
class Finished:
    """A version moved into place and through the data tests, not yet published (see swap_in)."""
    warehouse: Path
    version: str
    tables: dict[str, dict]
    run_id: str
    finished_at: datetime
    previous: str | None  # the version current before this run, kept for readers that still hold it


def _sorted(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    if frame.height == 0 or (len(keys) == 1 and frame[keys[0]].is_sorted()):
        return frame  # no sorted copy of what is in order already
    return frame.sort(keys)


def _rows(frame: pl.DataFrame, start: int, n: int) -> pl.DataFrame:
    """Rows [start, start + n) of frame, as a compact copy: polars turns a slice of a list column into
    arrow with all of the column's items, not the slice's (a copy of the whole column for each part)."""
    return frame.gather(np.arange(start, min(start + n, frame.height)))


def write_batch(staged: store.StagedVersion, frames: dict[str, pl.DataFrame], part: str) -> None:
    """Write one batch's per-article tables as parts named `part`."""
    for table in schema.ARTICLE_TABLES:
        frame = frames.get(table)
        if frame is not None and frame.height:
            staged.write(table, schema.to_arrow(table, _sorted(frame, _SORT_KEYS[table])), part)


# ---------------------------------------------------------------- the previous version
def _same_rules(manifest: store.Manifest | None) -> bool:
    """Was the committed version made by this extraction version? Else none of it is reused."""
    return manifest is not None and manifest.extraction_version == schema.EXTRACTION_VERSION


def previous_articles(warehouse: Path, manifest: store.Manifest | None) -> pl.DataFrame:
    """article_id, ingested_at and the part holding it, for every article of the committed version.

    Empty when there is none, or when it was made by other extraction rules
    (then everything is extracted anew).
    """
    empty = pl.DataFrame(schema={"article_id": pl.String, "ingested_at": pl.Datetime("us", "UTC"), "part": pl.String})
    if not _same_rules(manifest):
        return empty
    folder = store.table_dir(warehouse, manifest.version, "articles")
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return empty
    frame = pl.scan_parquet(files, include_file_paths="path").select("article_id", "ingested_at", "path").collect()
    return frame.with_columns(pl.col("path").str.extract(r"([^/]+)\.parquet$").alias("part")).drop("path")


def reuse_previous(staged: store.StagedVersion, warehouse: Path, manifest: store.Manifest, keep: pl.DataFrame,
                   previous: pl.DataFrame) -> int:
    """Carry unchanged articles into the new version: link whole parts, filter partly stale ones.

    keep: article_id of every previous article still in the input unchanged. Returns the count carried.
    """
    if keep.is_empty():
        return 0
    kept = previous.join(keep.select("article_id"), on="article_id", how="semi")
    per_part = previous.group_by("part").len().join(kept.group_by("part").len(), on="part", how="left", suffix="_kept")
    for part, total, still in per_part.sort("part").iter_rows():
        if not still:
            continue
        for table in schema.ARTICLE_TABLES:
            source = store.table_dir(warehouse, manifest.version, table) / f"{part}.parquet"
            if not source.exists():
                continue
            if still == total:
                staged.link(source, table, part, rows=_parquet_rows(source))
            else:
                ids = kept.filter(pl.col("part") == part).select("article_id")
                rows = pl.read_parquet(source).join(ids, on="article_id", how="semi")
                if rows.height:
                    staged.write(table, schema.to_arrow(table, rows), part)
    return kept.height


# Tables worked out from the near-duplicate state over all current articles: the same state and the
# same articles give the same rows.
STATE_DERIVED = ("article_clusters", "sentence_reuse", *schema.STATE_TABLES)


def reuse_whole(staged: store.StagedVersion, warehouse: Path, manifest: store.Manifest,
                tables: tuple[str, ...] = STATE_DERIVED) -> bool:
    """Link every part of these tables from the previous version; False (nothing linked) when one is missing.

    For a run whose articles are exactly the previous version's: loading the state, clustering and
    writing it again would give the same files (at a million articles, gigabytes read and written).
    """
    if not _same_rules(manifest):
        return False
    parts = {t: sorted(store.table_dir(warehouse, manifest.version, t).glob("*.parquet")) for t in tables}
    if not all(parts.values()):
        return False
    for table, files in parts.items():
        for source in files:
            staged.link(source, table, source.stem, rows=_parquet_rows(source))
    return True


def _parquet_rows(path: Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def load_state(warehouse: Path, manifest: store.Manifest | None) -> dedup.DedupState | None:
    """The near-duplicate state the last published run left, or None.

    None too when that run had other extraction rules: its signatures come from their sentences,
    quotes and figures, and an article it already holds would keep them when extracted anew.
    The signatures and evidence are read a row group at a time (see DedupState.from_parts).
    """
    if not _same_rules(manifest):
        return None
    parts = {name: sorted(store.table_dir(Path(warehouse), manifest.version, name).glob("*.parquet"))
             for name in schema.STATE_TABLES}
    if not all(parts.values()):
        return None
    # As DedupState.from_frames: a state another version of the module wrote (same extraction rules) is
    # ignored with a warning, not read into a failure.
    for name, want in (("dedup_signatures", dedup._SIG_SCHEMA), ("dedup_evidence", dedup._EV_SCHEMA)):
        if not set(want) <= set(pq.read_schema(parts[name][0]).names):
            dedup.warn_incompatible_state()
            return None

    def frames(name: str):
        for path in parts[name]:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=STATE_READ_ROWS):
                yield pl.from_arrow(batch)

    def whole(name: str) -> pl.DataFrame:  # the small ones: sentence texts and edges
        return pl.from_arrow(pa.concat_tables([pq.read_table(path) for path in parts[name]]))

    n = sum(_parquet_rows(path) for path in parts["dedup_signatures"])
    return dedup.DedupState.from_parts(n, frames("dedup_signatures"), frames("dedup_evidence"),
                                       whole("dedup_sentences"), whole("dedup_edges"))


# ---------------------------------------------------------------- commit
def _runs_table(warehouse: Path, run: RunInfo, finished_at: datetime, rows: dict[str, int]) -> pa.Table:
    this_run = pl.DataFrame([{
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": finished_at,
        "status": "succeeded",
        "input_dir": run.input_dir,
        "files_seen": run.files_seen,
        "articles": rows.get("articles", 0),
        "rejects": rows.get("rejects", 0),
        "quotes": rows.get("quotes", 0),
        "figures": rows.get("figures", 0),
        "stage_seconds": json.dumps({k: round(v, 4) for k, v in run.stage_seconds.items()}),
        "extraction_version": schema.EXTRACTION_VERSION,
    }])
    runs = schema.to_arrow("runs", this_run)
    previous_runs = store.read_table(warehouse, "runs")
    if previous_runs is not None:
        runs = pa.concat_tables([previous_runs.cast(runs.schema), runs])
    return runs


def _whole_parts(name: str, frames: Iterable[pl.DataFrame]):
    """(table, arrow part, part name) for frames that are, one after the other, the table in order:
    each cut into parts of about WHOLE_PART_BYTES."""
    k = 0
    for frame in frames:
        rows = max(1, frame.height * WHOLE_PART_BYTES // max(frame.estimated_size(), 1))
        for a in range(0, frame.height, rows):
            yield name, schema.to_arrow(name, _rows(frame, a, rows)), f"part-{k:05d}"
            k += 1


def write_whole(staged: store.StagedVersion, whole: dict[str, pl.DataFrame | Iterable[pl.DataFrame]],
                state_parts: Iterable[tuple[str, pl.DataFrame]] = ()) -> None:
    """Write the tables made whole at the end of a run: rejects, clusters, sentence reuse, dedup state.

    A run can write them and let them go before commit_version, so that the data tests do not hold
    their memory on top of these frames (at a million articles, gigabytes). A table comes as a frame,
    or as frames that are its parts in order, each sorted (`dedup.sentence_reuse_parts`), worked out
    as they are written. The dedup state comes as frames in `whole` or as (table, frame) parts
    (`DedupState.table_parts`), written two parts at a time.
    """
    try:
        # One at a time: each is a sorted copy of a frame as long as the articles table. Each is written
        # as parts of about WHOLE_PART_BYTES, two at a time, not converted to arrow whole. At a million
        # articles (sentence reuse ~200 MB), in a harness replaying a run's end: writing these two as
        # plain slices (each carried the whole list column to arrow) took it from ~0.75 to ~1.2 GB, as
        # compact parts to ~1.05 GB.
        for name in ("rejects", "article_clusters", "sentence_reuse"):
            got = whole.get(name, pl.DataFrame())
            frames = [_sorted(got, _SORT_KEYS[name])] if isinstance(got, pl.DataFrame) else got
            staged.write_parts(_whole_parts(name, (f for f in frames if f.height)))
        for name in schema.STATE_TABLES:
            if name in whole:
                staged.write(name, whole[name].to_arrow(), "part-00000")
        staged.write_parts((name, frame.to_arrow(), f"part-{k:05d}") for k, (name, frame) in enumerate(state_parts))
    except BaseException:
        staged.abort()
        raise


def finish_version(staged: store.StagedVersion, whole: dict[str, pl.DataFrame], run: RunInfo) -> Finished:
    """Write the whole tables (if not written yet) and the runs row, move the version into place and test
    its data. Nothing is published yet.

    On any failure the staged version is removed and the previous version stays current: there is nothing
    left to retry (a retry would find no staged folder and hide the first error behind its own).
    """
    t0 = time.perf_counter()
    warehouse = staged.warehouse.resolve()
    previous = store.read_manifest(warehouse)
    write_whole(staged, whole)
    try:
        finished_at = datetime.now(timezone.utc)
        # The runs row is written before the data tests and the swap: it counts the publish work up to here.
        run.stage_seconds["publish"] = run.stage_seconds.get("publish", 0.0) + time.perf_counter() - t0
        staged.write("runs", _runs_table(warehouse, run, finished_at, staged.rows), "part-00000")
        faults.checkpoint("publish.before_finish")
        info = staged.finish(schema.TABLES)
        faults.checkpoint("publish.after_finish")
        failures = checks.check_version(staged.root)
        if failures:  # refuse to publish: the previous version stays current
            raise checks.DataTestsFailed(failures)
    except BaseException:
        staged.abort()
        raise
    return Finished(warehouse, staged.version, info, run.run_id, finished_at, previous.version if previous else None)


def swap_in(done: Finished) -> store.Manifest:
    """Publish a finished version: build its catalog, then write the manifest.

    Each step replaces a file whole, so this can be run again after a failure (a retry redoes it all).
    Readers see the version once its catalog is in place; should the run die before the manifest is
    written, the next run's recover() writes it from the catalog.
    """
    catalog.build(done.warehouse, done.version)  # the commit: readers now see this version
    manifest = store.Manifest(version=done.version, run_id=done.run_id, committed_at=done.finished_at.isoformat(),
                              tables=done.tables, extraction_version=schema.EXTRACTION_VERSION)
    store.commit(done.warehouse, manifest)  # the load manifest, written last
    faults.checkpoint("publish.after_manifest")
    # Keep the previous version too: a reader may still hold the old catalog open.
    store.cleanup(done.warehouse, keep={done.version} | ({done.previous} if done.previous else set()))
    return manifest


def commit_version(staged: store.StagedVersion, whole: dict[str, pl.DataFrame], run: RunInfo) -> store.Manifest:
    """Write the whole tables (if not written yet), test the data, swap the manifest and rebuild the catalog."""
    return swap_in(finish_version(staged, whole, run))


def keep_first_ingested(articles: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """An article already published keeps its first ingested_at: reruns give the same rows."""
    if previous.is_empty() or articles.height == 0:
        return articles
    prev = previous.select("article_id", pl.col("ingested_at").alias("_prev"))
    return (
        articles.join(prev, on="article_id", how="left")
        .with_columns(pl.coalesce("_prev", "ingested_at").alias("ingested_at"))
        .drop("_prev")
    )


def publish(warehouse: Path, frames: dict[str, pl.DataFrame], run: RunInfo) -> store.Manifest:
    """Publish a complete set of frames at once (everything in one part). The caller holds the lock."""
    warehouse = Path(warehouse).resolve()
    warehouse.mkdir(parents=True, exist_ok=True)
    previous = previous_articles(warehouse, store.read_manifest(warehouse))
    frames = dict(frames)
    frames["articles"] = keep_first_ingested(frames.get("articles", pl.DataFrame()), previous)
    staged = store.StagedVersion(warehouse, run.run_id)
    try:
        write_batch(staged, frames, "part-00000")
    except BaseException:
        staged.abort()
        raise
    return commit_version(staged, frames, run)


def recover(warehouse: Path) -> None:
    """Before a run: make the manifest match the committed catalog and drop a crashed run's leftovers.

    The catalog is the truth (its swap is the commit). A run killed after the swap
    but before the manifest left an old manifest: it is written again from the
    version's files. A lost catalog is rebuilt from the manifest.
    """
    warehouse = Path(warehouse).resolve()
    man = store.read_manifest(warehouse)
    version = catalog.current_version(warehouse)
    if version is None and man is not None and store.table_dir(warehouse, man.version, "articles").parent.is_dir():
        catalog.build(warehouse, man.version)
        version = man.version
    if version is not None and (man is None or man.version != version):
        store.commit(warehouse, store.describe_version(warehouse, version))
    store.cleanup(warehouse, keep={version} if version else set())
    # Under the writer lock no run is working: scratch files left are a killed run's.
    shutil.rmtree(warehouse / store.SCRATCH_DIR, ignore_errors=True)
