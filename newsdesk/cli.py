"""The `newsdesk` command: run the pipeline, query the warehouse, score it against gold."""

from __future__ import annotations

import argparse
import asyncio
import csv
import ipaddress
import json
import os
import socket
import sys
import time
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path

# polars allocates through jemalloc, which by default keeps freed pages for 10 s: in a long run the
# worker processes would hold each batch's peak long after it is gone. jemalloc reads this when polars
# loads, so it is set here for this process, and again for the workers once polars has loaded here.
# This process gives freed pages back at once: at a million articles its end phase (the final
# clustering, then writing the whole tables) was the run's peak, with ~200 MB of pages freed by the
# first still held through the second. The workers keep them 1 s: at once cost them ~10% more CPU.
JEMALLOC = "_RJEM_MALLOC_CONF"
JEMALLOC_THIS_PROCESS = "dirty_decay_ms:0,muzzy_decay_ms:0"
JEMALLOC_WORKERS = "dirty_decay_ms:1000,muzzy_decay_ms:0"
_JEMALLOC_SET_BY_USER = JEMALLOC in os.environ
os.environ.setdefault(JEMALLOC, JEMALLOC_THIS_PROCESS)

DEFAULT_INPUT = "seeds"
DEFAULT_WAREHOUSE = "warehouse"

# Prefect's ephemeral server needs more than its default 20 s to start on a busy
# 2-core machine, and newsdesk runs offline: no analytics.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
}


def _fail(message: str, code: int = 1) -> int:
    print(f"newsdesk: {message}", file=sys.stderr)
    return code


# ---------------------------------------------------------------- run
async def _dask_identity(address: str, timeout: float) -> dict:
    from distributed.comm import connect

    comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
    try:
        await asyncio.wait_for(comm.write({"op": "identity", "reply": True}), timeout)
        return await asyncio.wait_for(comm.read(), timeout)
    finally:
        comm.abort()


def _dask_address_problem(address: str) -> tuple[str | None, bool]:
    """(why the scheduler at address cannot be used, in one line, or None; whether it is on this machine).

    Dask's own client retries an address nobody answers at for 30 s and then raises a
    traceback, and waits for ever on one where something else answers (a dashboard port).
    """
    scheme, sep, location = address.partition("://")
    if not sep:
        scheme, location = "tcp", address
    if scheme not in ("tcp", "tls"):
        return None, False  # other transports (ucx, inproc, ws): Dask itself checks them
    host, _, port = location.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        return f"not a Dask scheduler address (tcp://HOST:PORT): {address}", False
    try:
        infos = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
        with socket.create_connection((host, int(port)), timeout=5):
            pass
    except OSError as err:
        return f"cannot reach the Dask scheduler at {address}: {err.strerror or err}", False
    local = all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)
    if scheme == "tcp":  # a tls:// handshake needs the cluster's certificates: Dask checks those itself
        try:
            identity = asyncio.run(_dask_identity(f"tcp://{location}", timeout=5))
        except Exception as err:  # any failure means: not a scheduler we can use
            identity = {"error": f"{type(err).__name__}: {err}"}
        if not isinstance(identity, dict) or identity.get("type") != "Scheduler":
            return f"no Dask scheduler answers at {address} (is it the scheduler port, usually 8786?)", local
    return None, local


def cmd_run(args: argparse.Namespace) -> int:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    input_dir = Path(args.input)
    if not input_dir.is_dir():
        return _fail(f"input folder not found: {input_dir}")
    if args.dask_address and args.runner != "dask":
        return _fail("--dask-address needs --runner dask")
    local_scheduler = True
    if args.dask_address:
        problem, local_scheduler = _dask_address_problem(args.dask_address)
        if problem:
            return _fail(problem)
    workers = args.workers or (2 if args.runner == "dask" else os.cpu_count() or 1)
    from newsdesk import memory

    # This process holds the near-duplicate state for the whole run, and its pair checks make many
    # temporaries of 1-8 MB: reused from the heap, not faulted in afresh (at 1M, a third of its CPU).
    memory.fixed_mmap_threshold()
    from flows.temporary_server import TemporaryServer, prefect_api

    t0 = time.perf_counter()
    try:
        with ExitStack() as stack:
            # The temporary server (when there is no PREFECT_API_URL) starts before Prefect imports here.
            early = TemporaryServer.spawn_early() if local_scheduler else None
            if early is not None:
                stack.callback(early.stop)  # for a failure before prefect_api takes it over
            from prefect.settings import PREFECT_API_URL

            if not local_scheduler and not PREFECT_API_URL.value():  # a temporary server listens on 127.0.0.1 only
                return _fail("workers on other machines need a Prefect server they can reach: start one and set "
                             "PREFECT_API_URL (README: Running on a Dask cluster)")
            api_url, wait_for_server = stack.enter_context(prefect_api(early))
            from flows.pipeline import dask_task_runner, news_pipeline

            if not _JEMALLOC_SET_BY_USER:  # polars has loaded: what follows is for the processes started from here
                os.environ[JEMALLOC] = JEMALLOC_WORKERS

            flow = news_pipeline
            if args.runner == "dask":
                flow = news_pipeline.with_options(task_runner=dask_task_runner(args.dask_address, workers, api_url))
            wait_for_server()
            summary = flow(
                input_dir=str(input_dir), warehouse=str(args.warehouse),
                max_file_bytes=args.max_file_bytes, wait_for_lock=args.wait,
                workers=workers, batch_files=args.batch_files, progress=sys.stderr.isatty(),
                jsonl_fields={k: getattr(args, f"field_{k}") for k in ("text", "title", "url", "published_at", "source")},
            )
    except Exception as err:  # the run failed: one line, the reason
        from newsdesk.store import WarehouseBusy

        if isinstance(err, WarehouseBusy):
            return _fail(str(err), code=3)
        return _fail(f"run failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
    elapsed = time.perf_counter() - t0
    print(
        f"newsdesk: {summary['files']} files read, {summary['articles']} articles, {summary['rejects']} rejects, "
        f"{summary['quotes']} quotes, {summary['figures']} figures in {elapsed:.1f} s -> {Path(args.warehouse) / 'news.duckdb'}"
    )
    return 0


# ---------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace) -> int:
    """Serve news_pipeline as a Prefect deployment on a schedule (runs one at a time)."""
    if not os.environ.get("PREFECT_API_URL"):
        return _fail(
            "serve needs a Prefect server: run `prefect server start` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    input_dir = Path(args.input).resolve()
    if not input_dir.is_dir():
        return _fail(f"input folder not found: {input_dir}")
    from flows.pipeline import news_pipeline

    print(f"newsdesk: serving deployment news_pipeline/{args.name} ({args.cron}); "
          f"trigger a run with: prefect deployment run 'news_pipeline/{args.name}'", flush=True)
    news_pipeline.serve(
        name=args.name,
        cron=args.cron,
        parameters={"input_dir": str(input_dir), "warehouse": str(Path(args.warehouse).resolve()),
                    "workers": args.workers, "wait_for_lock": 60.0},
        global_limit=1,  # a scheduled run never overlaps the previous one
        description="newsdesk: raw news files in, a clean analytical dataset out",
        tags=["newsdesk"],
    )
    return 0


# ---------------------------------------------------------------- sql
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def print_table(columns: list[str], rows: list[tuple], fmt: str, out=None, max_width: int = 60) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(v) for v in r])
        return
    if fmt == "json":
        json.dump([dict(zip(columns, map(_jsonable, r))) for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    cells = [[_cell(v).replace("\n", " ") for v in r] for r in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "+".join("-" * (w + 2) for w in widths)
    out.write(" | ".join(c.ljust(w) for c, w in zip(columns, widths)) + "\n")
    out.write(line + "\n")
    for r in cells:
        out.write(" | ".join(c.ljust(w) for c, w in zip(r, widths)) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from newsdesk import catalog

    try:
        con = catalog.connect(Path(args.warehouse))
    except FileNotFoundError as err:
        return _fail(str(err))
    try:
        cur = con.execute(args.query)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as err:
        return _fail(f"query failed: {str(err).splitlines()[0]}")
    finally:
        con.close()
    print_table(columns, rows, args.format)
    return 0


# ---------------------------------------------------------------- check
def cmd_check(args: argparse.Namespace) -> int:
    from newsdesk import catalog, checks, store

    warehouse = Path(args.warehouse).resolve()
    version = catalog.current_version(warehouse)
    tables = warehouse / store.TABLES_DIR / version if version else None
    if tables is not None and tables.is_dir():
        # As a run tests its version: under a memory limit, the span test a group of parts at a time.
        # Over the catalog, without a limit, the tests took 1.9 GB at a million articles; this way
        # 0.56 GB, in 17 s instead of 15.
        failures = checks.check_version(tables)
    else:
        try:
            con = catalog.connect(warehouse)  # says what is missing when there is no warehouse
        except FileNotFoundError as err:
            return _fail(str(err))
        try:
            failures = checks.run_checks(con)
        finally:
            con.close()
    names = [p.stem for p in checks.test_files()]
    failed = {f.test: f for f in failures}
    for name in names:
        print(f"{'FAIL' if name in failed else 'ok  '} {failed[name] if name in failed else name}")
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    return 1 if failures else 0


# ---------------------------------------------------------------- report, describe
def cmd_report(args: argparse.Namespace) -> int:
    from newsdesk import report

    try:
        path = report.build_report(Path(args.warehouse), Path(args.out) if args.out else None)
    except FileNotFoundError as err:
        return _fail(str(err))
    print(f"newsdesk: report written to {path}")
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    from newsdesk import report

    try:
        print(report.describe(Path(args.warehouse), include_staging=args.staging))
    except FileNotFoundError as err:
        return _fail(str(err))
    return 0


# ---------------------------------------------------------------- eval
def cmd_eval(args: argparse.Namespace) -> int:
    from newsdesk import catalog, gold

    gold_dir = Path(args.gold)
    if not (gold_dir / "docs.jsonl").exists():
        return _fail(f"not a gold folder (no docs.jsonl): {gold_dir}")
    try:
        con = catalog.connect(Path(args.warehouse))
    except FileNotFoundError as err:
        return _fail(str(err))
    try:
        report = gold.evaluate_warehouse(con, gold_dir)
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print(gold.format_report(report, show_misses=not args.no_misses))
    return 0


# ---------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsdesk", description="Raw news files in, a clean analytical dataset out.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run the pipeline once over a folder of articles")
    r.add_argument("--input", default=DEFAULT_INPUT, help="folder of input files (default: seeds)")
    r.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="output folder (default: warehouse)")
    r.add_argument("--max-file-bytes", type=int, default=50 * 1024 * 1024, help="larger files are rejected")
    r.add_argument("--workers", type=int, default=None,
                   help="batches processed at once, in that many worker processes "
                        "(default: CPU count; with --runner dask, the local cluster's worker processes, default 2)")
    r.add_argument("--runner", choices=("default", "dask"), default="default",
                   help="where the batch tasks run: this machine's worker processes, or a Dask cluster")
    r.add_argument("--dask-address", default=None, metavar="tcp://HOST:PORT",
                   help="scheduler of an existing Dask cluster (with --runner dask; default: a local cluster)")
    r.add_argument("--batch-files", type=int, default=2000, help="files per batch at most (default: 2000)")
    r.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another run to finish")
    for key in ("text", "title", "url", "published_at", "source"):
        r.add_argument(f"--field-{key.replace('_', '-')}", dest=f"field_{key}", default=key, metavar="NAME",
                       help=f"JSON-lines key holding the {key.replace('_', ' ')} (default: {key})")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("serve", help="serve the pipeline on a schedule against a Prefect server")
    v.add_argument("--cron", required=True, help='schedule, e.g. "*/30 * * * *"')
    v.add_argument("--input", default=DEFAULT_INPUT)
    v.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    v.add_argument("--name", default="newsdesk", help="deployment name (default: newsdesk)")
    v.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    v.set_defaults(func=cmd_serve)

    s = sub.add_parser("sql", help="run a read-only query against the warehouse catalog")
    s.add_argument("query")
    s.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.set_defaults(func=cmd_sql)

    c = sub.add_parser("check", help="run the data tests of sql/tests against the warehouse")
    c.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    c.set_defaults(func=cmd_check)

    rp = sub.add_parser("report", help="write a self-contained HTML report of the warehouse")
    rp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    rp.add_argument("--out", default=None, help="output file (default: <warehouse>/report.html)")
    rp.set_defaults(func=cmd_report)

    d = sub.add_parser("describe", help="print the data dictionary: every view and column with its comment")
    d.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    d.add_argument("--staging", action="store_true", help="include the staging views")
    d.set_defaults(func=cmd_describe)

    e = sub.add_parser("eval", help="score the warehouse against a gold folder")
    e.add_argument("--gold", required=True, help="folder with docs.jsonl, quotes.jsonl, figures.jsonl, segments.jsonl")
    e.add_argument("--warehouse", default=DEFAULT_WAREHOUSE)
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.add_argument("--no-misses", action="store_true", help="print the scores only")
    e.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
