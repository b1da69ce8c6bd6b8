"""Data tests: each file in sql/tests/ is a query returning the rows that break a rule."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from newsdesk import catalog, schema


@dataclass
class Failure:
    test: str
    rows: int
    sample: list[tuple]

    def __str__(self) -> str:
        return f"{self.test}: {self.rows} failing row(s), e.g. {self.sample[:3]}"


class DataTestsFailed(RuntimeError):
    def __init__(self, failures: list[Failure]):
        self.failures = failures
        super().__init__("data tests failed, nothing published: " + "; ".join(map(str, failures)))


def test_files(root: Path | None = None) -> list[Path]:
    return sorted(((root or catalog.sql_dir()) / "tests").glob("*.sql"))


def run_checks(con: duckdb.DuckDBPyConnection, root: Path | None = None) -> list[Failure]:
    return [f for path in test_files(root) for f in _run_one(con, path)]


def _run_one(con: duckdb.DuckDBPyConnection, path: Path) -> list[Failure]:
    sql = path.read_text(encoding="utf-8")
    count = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    return [Failure(path.stem, count, con.execute(f"{sql} LIMIT 3").fetchall())] if count else []


# The span test joins every span with its article's text: left unbounded, DuckDB held ~8 GB for it at
# a million articles. With a limit it spills its hash tables to a scratch folder instead. Not lower:
# at a million articles 256 MB made the tests spill for two minutes, and at 100,000 64 MB ran out.
MEMORY_LIMIT = "1GB"


# Tests run over a group of Parquet parts at a time. Their rows each belong to one article, and a part's
# rows of the article tables are in that part's files (a batch writes them under one name, and
# carrying a part over keeps it). Over the whole version the span test joined every span with all the
# article text, 1.7 GB at a million articles: 25 s, spilling under the limit, and the run's peak
# memory; a group of parts at a time, 12 s and a third of the memory. The second test finds, in a
# group, the rows whose article is not in that group; where it finds any, or the test finds a row,
# the test runs again over the whole version, which decides.
PER_PART = {"spans_match_text": "rows_point_at_articles"}
GROUP_BYTES = 192 * 1024 * 1024  # Parquet bytes of the article tables per group (~12 batches)


def check_version(tables_dir: Path, memory_limit: str = MEMORY_LIMIT, group_bytes: int = GROUP_BYTES) -> list[Failure]:
    tables_dir = Path(tables_dir)
    with tempfile.TemporaryDirectory(prefix="newsdesk-checks-") as scratch:
        con = _limited_catalog(tables_dir, memory_limit, Path(scratch))
        try:
            groups = part_groups(tables_dir, group_bytes)
            # The tests run a group at a time first: the whole version's connection has read nothing yet.
            passed = {path for path in test_files() if path.stem in PER_PART and len(groups) > 1
                      and _passes_per_group(path, tables_dir, groups, Path(scratch), memory_limit)}
            return [f for path in test_files() if path not in passed for f in _run_one(con, path)]
        finally:
            con.close()


def _limited_catalog(tables_dir: Path, memory_limit: str, scratch: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory catalog over tables_dir that spills to scratch beyond memory_limit."""
    con = catalog.memory_catalog(tables_dir)
    try:
        con.execute(f"SET memory_limit = {catalog.sql_literal(memory_limit)}")
        con.execute(f"SET temp_directory = {catalog.sql_literal(str(scratch))}")
    except BaseException:
        con.close()
        raise
    return con


def part_groups(tables_dir: Path, group_bytes: int = GROUP_BYTES) -> list[list[str]]:
    """The part names of the article tables, in order, cut into groups of about group_bytes of Parquet."""
    sizes: dict[str, int] = defaultdict(int)
    for table in schema.ARTICLE_TABLES:
        for f in (Path(tables_dir) / table).glob("*.parquet"):
            sizes[f.stem] += f.stat().st_size
    groups: list[list[str]] = []
    held = 0
    for part in sorted(sizes):
        if not groups or held + sizes[part] > group_bytes:
            groups.append([])
            held = 0
        groups[-1].append(part)
        held += sizes[part]
    return groups


def _passes_per_group(path: Path, tables_dir: Path, groups: list[list[str]], scratch: Path, memory_limit: str) -> bool:
    """Whether, in every group of parts (a catalog over links to the group's files), the test finds no
    row and every row it reads has its article in the group."""
    sqls = [path.read_text(encoding="utf-8"), (path.parent / f"{PER_PART[path.stem]}.sql").read_text(encoding="utf-8")]
    for i, parts in enumerate(groups):
        folder = scratch / f"group-{i}"
        for table_dir in sorted(p for p in tables_dir.iterdir() if p.is_dir()):
            if table_dir.name not in schema.ARTICLE_TABLES:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / table_dir.name).symlink_to(table_dir.resolve(), target_is_directory=True)
                continue
            (folder / table_dir.name).mkdir(parents=True)
            files = [table_dir / f"{p}.parquet" for p in parts if (table_dir / f"{p}.parquet").exists()]
            for f in files:
                (folder / table_dir.name / f.name).symlink_to(f.resolve())
            if not files:  # the views glob every table's folder
                pq.write_table(schema.empty(table_dir.name), folder / table_dir.name / "part-empty.parquet")
        con = _limited_catalog(folder, memory_limit, scratch)
        try:
            if any(con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] for sql in sqls):
                return False
        finally:
            con.close()
    return True
