"""The warehouse on disk: versioned Parquet, a manifest as the commit record, one writer.

Layout (see warehouse/README.md):
    <warehouse>/_manifest.json           the committed version, written last (atomic rename)
    <warehouse>/tables/<version>/*.parquet  one immutable folder per published version
    <warehouse>/news.duckdb              views over the committed version (derived, rebuilt)
    <warehouse>/.lock                    held by the one run allowed to write

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
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import schema

MANIFEST = "_manifest.json"
TABLES_DIR = "tables"
CATALOG = "news.duckdb"
STAGING_PREFIX = ".staging-"


class WarehouseBusy(RuntimeError):
    """Another run holds the writer lock."""


@dataclass
class Manifest:
    version: str
    run_id: str
    committed_at: str
    tables: dict[str, dict]

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


def table_path(warehouse: Path, version: str, table: str) -> Path:
    return Path(warehouse) / TABLES_DIR / version / f"{table}.parquet"


def read_table(warehouse: Path, table: str) -> pa.Table | None:
    """The committed version of a table, or None when nothing is published yet."""
    man = read_manifest(warehouse)
    if man is None or table not in man.tables:
        return None
    return pq.read_table(table_path(warehouse, man.version, table))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_version(warehouse: Path, version: str, tables: dict[str, pa.Table]) -> dict[str, dict]:
    """Write every table of a version into staging, then rename the folder into place."""
    warehouse = Path(warehouse)
    root = warehouse / TABLES_DIR
    staging = root / f"{STAGING_PREFIX}{version}"
    staging.mkdir(parents=True, exist_ok=False)
    info: dict[str, dict] = {}
    for name, table in tables.items():
        target = staging / f"{name}.parquet"
        pq.write_table(table, target, compression="zstd", row_group_size=64_000)
        with open(target, "rb") as fh:
            os.fsync(fh.fileno())
        info[name] = {"rows": table.num_rows, "file": f"{TABLES_DIR}/{version}/{name}.parquet"}
    _fsync_dir(staging)
    os.rename(staging, root / version)
    _fsync_dir(root)
    return info


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


def empty_tables() -> dict[str, pa.Table]:
    return {name: schema.empty(name) for name in schema.TABLES}
