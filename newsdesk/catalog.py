"""news.duckdb: a thin catalog of views over the committed Parquet version, built from sql/.

Swapping a new catalog file into place is the commit: readers open news.duckdb,
so they see the old version or the new one, whole.

The catalog holds absolute Parquet paths, so its views read from any working
directory. It is built into a temporary file and renamed over the old one,
so a reader never opens a half-built catalog; it is written in the v1.0.0
storage format so that DuckDB 1.x drivers in BI tools can open it: DuckDB 1.4
(the LTS release BI tools bundle) refuses the v1.5.0 format, and a catalog of
views holds no data that a newer format would store better.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from newsdesk import faults, store

STORAGE_VERSION = "v1.0.0"  # tests/test_duckdb1.py opens it with real 1.x clients
TABLES_TOKEN = "{{tables}}"
LAYERS = ("staging", "marts")


def sql_dir() -> Path:
    """The project's sql/ folder (NEWSDESK_SQL_DIR overrides)."""
    env = os.environ.get("NEWSDESK_SQL_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "sql"


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def view_files(root: Path | None = None) -> list[Path]:
    root = root or sql_dir()
    files: list[Path] = []
    for layer in LAYERS:
        files.extend(sorted((root / layer).glob("*.sql")))
    return files


def render(sql: str, tables_dir: Path) -> str:
    # The token stands inside a quoted string in the SQL files: substitute the escaped path.
    quoted = sql_literal(str(tables_dir))[1:-1]
    return sql.replace(TABLES_TOKEN, quoted)


def apply_views(con: duckdb.DuckDBPyConnection, tables_dir: Path, root: Path | None = None) -> None:
    """Create every view of sql/ (staging, then marts) over the Parquet files in tables_dir."""
    for path in view_files(root):
        try:
            con.execute(render(path.read_text(encoding="utf-8"), tables_dir))
        except duckdb.Error as err:
            raise RuntimeError(f"{path.name}: {err}") from err
    inherit_comments(con)


def memory_catalog(tables_dir: Path, root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The views over an unpublished version, in memory: for data tests before commit."""
    con = duckdb.connect()
    apply_views(con, Path(tables_dir).resolve(), root)
    return con


VERSION_VIEW = "warehouse_version"


def _version_view(con: duckdb.DuckDBPyConnection, version: str) -> None:
    con.execute(f"CREATE OR REPLACE VIEW {VERSION_VIEW} AS SELECT {sql_literal(version)} AS version")
    con.execute(f"COMMENT ON VIEW {VERSION_VIEW} IS 'The warehouse version this catalog reads (tables/<version>/).'")
    con.execute(f"COMMENT ON COLUMN {VERSION_VIEW}.version IS 'Version id: UTC time of the run and its run id.'")


def current_version(warehouse: Path) -> str | None:
    """The version the catalog reads, or None when there is no readable catalog."""
    path = Path(warehouse) / store.CATALOG
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(f"SELECT version FROM {VERSION_VIEW}").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def build(warehouse: Path, version: str, root: Path | None = None) -> Path:
    """Build news.duckdb for a version and swap it into place: the atomic step that publishes it."""
    warehouse = Path(warehouse).resolve()
    tables_dir = warehouse / store.TABLES_DIR / version
    tmp = warehouse / f".{store.CATALOG}.tmp-{version}"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {sql_literal(str(tmp))} AS catalog (STORAGE_VERSION '{STORAGE_VERSION}')")
        con.execute("USE catalog")
        apply_views(con, tables_dir, root)
        _version_view(con, version)
        con.execute("CHECKPOINT")
        con.execute("USE memory")
        con.execute("DETACH catalog")
    finally:
        con.close()
    faults.checkpoint("catalog.before_swap")
    os.replace(tmp, warehouse / store.CATALOG)
    faults.checkpoint("catalog.after_swap")
    return warehouse / store.CATALOG


def inherit_comments(con: duckdb.DuckDBPyConnection, prefix: str = "stg_newsdesk__") -> None:
    """Columns a mart passes through unchanged keep the comment of its staging model.

    A mart `x` documents only the columns it adds; the rest are described once,
    in `stg_newsdesk__x`, as dbt's doc blocks would do.
    """
    rows = con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database()"
    ).fetchall()
    documented = {(t, c): m for t, c, m in rows if m}
    for table, column, comment in rows:
        if comment or table.startswith(prefix):
            continue
        inherited = documented.get((prefix + table, column))
        if inherited:
            con.execute(f'COMMENT ON COLUMN "{table}"."{column}" IS {sql_literal(inherited)}')


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the catalog that can read only inside the warehouse."""
    warehouse = Path(warehouse).resolve()
    path = warehouse / store.CATALOG
    if not path.exists():
        raise FileNotFoundError(f"no catalog at {path}: run `newsdesk run` first")
    con = duckdb.connect(str(path), read_only=True)
    if _already_locked_down(con, warehouse):
        # DuckDB hands every connection to one file in a process the same instance, whose settings
        # an earlier connect() locked: the sandbox is already in place, and SET would now fail.
        return con
    con.execute(f"SET allowed_directories = [{sql_literal(str(warehouse) + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _already_locked_down(con: duckdb.DuckDBPyConnection, warehouse: Path) -> bool:
    locked, external, allowed = con.execute(
        "SELECT current_setting('lock_configuration'), current_setting('enable_external_access'), "
        "current_setting('allowed_directories')"
    ).fetchone()
    root = str(warehouse) + "/"
    # DuckDB adds its own temp folder (<catalog>.tmp/), which lies inside the warehouse too.
    return bool(locked) and not external and root in allowed and all(a.startswith(root) for a in allowed)


def views(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None]]:
    return con.execute(
        "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND database_name = current_database() "
        "ORDER BY view_name"
    ).fetchall()
