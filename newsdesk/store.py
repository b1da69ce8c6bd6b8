"""The warehouse on disk: versioned Parquet, a manifest as the commit record, one writer.

Layout (see warehouse/README.md):
    <warehouse>/_manifest.json           the committed version, written last (atomic rename)
    <warehouse>/tables/<version>/<table>/*.parquet  one immutable folder per published version
    <warehouse>/news.duckdb              views over the committed version (derived, rebuilt)
    <warehouse>/.lock                    held by the one run allowed to write
    <warehouse>/.scratch/<run>/          a running run's working files (the near-duplicate state)

A run writes its tables into a hidden staging folder, renames it into place,
then swaps the manifest. Readers of the catalog see the old version or the
new one, never half of either. Leftovers of a crashed run are removed by the
next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import faults, schema

MANIFEST = "_manifest.json"
TABLES_DIR = "tables"
SCRATCH_DIR = ".scratch"  # working files of a run (the near-duplicate state), removed when it ends
CATALOG = "news.duckdb"
STAGING_PREFIX = ".staging-"
# A row group's worth of a Parquet part: the writer holds a row group's encoded columns until it ends. The
# near-duplicate signatures (~1 KB a row) in row groups of 64,000 rows took ~140 MB of writer memory per
# 33 MB part, two parts at once, at a run's peak; in 8 MB row groups, ~85 MB. Narrow tables keep 64,000 rows.
ROW_GROUP_BYTES = 8 << 20
ROW_GROUP_ROWS = 64_000


class WarehouseBusy(RuntimeError):
    """Another run holds the writer lock."""


@dataclass
class Manifest:
    version: str
    run_id: str
    committed_at: str
    tables: dict[str, dict]
    extraction_version: str = ""

    @property
    def as_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)


def new_version(run_id: str) -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + run_id[:8]


class WriterLock:
    """An exclusive advisory lock on <warehouse>/.lock; released when the process dies."""

    def __init__(self, warehouse: Path, wait_seconds: float = 0.0):
        self.path = Path(warehouse) / ".lock"
        self.wait_seconds = wait_seconds
        self._fh = None

    def __enter__(self) -> "WriterLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise WarehouseBusy(f"another newsdesk run is writing to {self.path.parent}; try again when it ends")
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self._fh:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def read_manifest(warehouse: Path) -> Manifest | None:
    path = Path(warehouse) / MANIFEST
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Manifest(**data)


def table_dir(warehouse: Path, version: str, table: str) -> Path:
    return Path(warehouse) / TABLES_DIR / version / table


def read_table(warehouse: Path, table: str) -> pa.Table | None:
    """The committed version of a table (all its parts), or None when nothing is published yet."""
    man = read_manifest(warehouse)
    if man is None or table not in man.tables:
        return None
    parts = sorted(table_dir(warehouse, man.version, table).glob("*.parquet"))
    return pa.concat_tables([pq.read_table(p) for p in parts]) if parts else None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def describe_version(warehouse: Path, version: str) -> Manifest:
    """A manifest for a version from its files, for when the run that wrote it died before its manifest."""
    root = Path(warehouse) / TABLES_DIR / version
    tables = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet"))
        tables[folder.name] = {"rows": rows, "dir": f"{TABLES_DIR}/{version}/{folder.name}"}
    run_id = version.rsplit("-", 1)[-1]
    extraction = ""
    articles = sorted((root / "articles").glob("*.parquet"))
    if articles:
        col = pq.read_table(articles[0], columns=["extraction_version"]).column(0)
        extraction = str(col[0]) if len(col) else ""
    return Manifest(version=version, run_id=run_id, committed_at="", tables=tables, extraction_version=extraction)


_COUNT_LOCK = threading.Lock()  # module-level: a StagedVersion is pickled to worker processes


def row_group_rows(data: pa.Table) -> int:
    """Rows per row group for data: ROW_GROUP_ROWS, or fewer so that a row group is about ROW_GROUP_BYTES."""
    return max(1024, min(ROW_GROUP_ROWS, data.num_rows * ROW_GROUP_BYTES // max(data.nbytes, 1)))


class StagedVersion:
    """A version being written: table folders of Parquet parts in a hidden staging folder.

    Parts arrive batch by batch (so memory stays flat), or are hard-linked from
    the previous version when their articles did not change. finish() renames
    the folder into place; nothing is visible to readers until the manifest swap.
    """

    def __init__(self, warehouse: Path, run_id: str):
        self.warehouse = Path(warehouse)
        self.version = new_version(run_id)
        self.root = self.warehouse / TABLES_DIR / f"{STAGING_PREFIX}{self.version}"
        self.root.mkdir(parents=True, exist_ok=False)
        self.rows: dict[str, int] = {}

    def _target(self, table: str, part: str) -> Path:
        folder = self.root / table
        folder.mkdir(exist_ok=True)
        self.rows.setdefault(table, 0)
        return folder / f"{part}.parquet"

    def write(self, table: str, data: pa.Table, part: str) -> None:
        target = self._target(table, part)
        pq.write_table(data, target, compression="zstd", row_group_size=row_group_rows(data))
        _fsync_file(target)
        self._count(table, data.num_rows)
        faults.checkpoint("store.part_written")

    def _count(self, table: str, rows: int) -> None:
        # Batches write from threads of their own: `rows[t] += write()` would read the count before a
        # write that releases the GIL and store it after, losing another thread's rows.
        with _COUNT_LOCK:
            self.rows[table] = self.rows.get(table, 0) + rows

    def write_parts(self, parts: Iterable[tuple[str, pa.Table, str]], threads: int = 2) -> None:
        """Write (table, data, part) items, `threads` at a time, holding at most threads + 1 of them.

        pyarrow encodes and compresses without the GIL, so the parts a run writes at its end (the
        near-duplicate state: ~1 KB an article) take both cores, not one.
        """
        pending: deque = deque()
        with ThreadPoolExecutor(max(1, threads)) as pool:
            for table, data, part in parts:
                pending.append(pool.submit(self.write, table, data, part))
                while len(pending) > threads:
                    pending.popleft().result()
            while pending:
                pending.popleft().result()

    def link(self, source: Path, table: str, part: str, rows: int) -> None:
        """Reuse an unchanged part of the previous version without copying it."""
        target = self._target(table, part)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)
        self._count(table, rows)

    def finish(self, tables: tuple[str, ...]) -> dict[str, dict]:
        """Give every table at least an empty part (views glob the folders), then move into place."""
        for name in tables:
            if name not in self.rows:
                self.write(name, schema.empty(name), "part-empty")
        for folder in self.root.iterdir():
            _fsync_dir(folder)
        _fsync_dir(self.root)
        final = self.root.parent / self.version
        os.rename(self.root, final)
        _fsync_dir(final.parent)
        self.root = final
        return {name: {"rows": n, "dir": f"{TABLES_DIR}/{self.version}/{name}"} for name, n in sorted(self.rows.items())}

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def commit(warehouse: Path, manifest: Manifest) -> None:
    """Swap the manifest: the single atomic step that publishes a version."""
    warehouse = Path(warehouse)
    tmp = warehouse / f".{MANIFEST}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(manifest.as_json)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, warehouse / MANIFEST)
    _fsync_dir(warehouse)


def cleanup(warehouse: Path, keep: set[str]) -> list[str]:
    """Remove staging leftovers and versions no longer referenced. Returns what was removed."""
    root = Path(warehouse) / TABLES_DIR
    removed = []
    if root.is_dir():
        for child in root.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
    for tmp in Path(warehouse).glob(f".{CATALOG}.tmp-*"):
        tmp.unlink(missing_ok=True)
        removed.append(tmp.name)
    return removed
