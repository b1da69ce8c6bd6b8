"""Data tests: each file in sql/tests/ is a query returning the rows that break a rule."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsdesk import catalog


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
    failures = []
    for path in test_files(root):
        sql = path.read_text(encoding="utf-8")
        count = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        if count:
            failures.append(Failure(path.stem, count, con.execute(f"{sql} LIMIT 3").fetchall()))
    return failures


# The span test joins every span with its article's text: left unbounded, DuckDB held ~8 GB for it at
# a million articles. With a limit it spills its hash tables to a scratch folder instead. Not lower:
# at a million articles 256 MB made the tests spill for two minutes, and at 100,000 64 MB ran out.
MEMORY_LIMIT = "1GB"


def check_version(tables_dir: Path, memory_limit: str = MEMORY_LIMIT) -> list[Failure]:
    with tempfile.TemporaryDirectory(prefix="newsdesk-checks-") as scratch:
        con = catalog.memory_catalog(tables_dir)
        try:
            con.execute(f"SET memory_limit = {catalog.sql_literal(memory_limit)}")
            con.execute(f"SET temp_directory = {catalog.sql_literal(scratch)}")
            return run_checks(con)
        finally:
            con.close()
