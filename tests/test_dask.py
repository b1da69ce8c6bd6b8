"""`newsdesk run --runner dask`: the batch tasks on a Dask cluster give the warehouse the default runner gives."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from newsdesk import store
from test_flow import PNG
from test_incremental import stable_snapshot

SERVER_APP = "prefect.server.api.server:create_app"


def _worker_report() -> dict:
    """Run on each Dask worker: what it imported and which processes it started."""
    import psutil

    pipeline = sys.modules.get("flows.pipeline")
    servers = sys.modules.get("prefect.server.api.server")
    return {
        "ran_batches": pipeline is not None,
        "pool": pipeline is not None and pipeline._POOL.started,
        "servers": [k for k, s in servers.SubprocessASGIServer._instances.items() if s.running] if servers else [],
        "children": [" ".join(c.cmdline()) for c in psutil.Process().children(recursive=True)],
    }


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, started without PREFECT_API_URL: like a remote cluster's, they learn it per task."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c, \
            Client(c, set_as_default=False) as client:
        yield c, client


@pytest.fixture()
def inputs(seeds_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A: the seeds. B: A with one file changed, the ten BBC articles, a copy and two rejects (several batches)."""
    b = tmp_path / "b"
    shutil.copytree(seeds_dir, b)
    shutil.copytree(DATA / "bbc", b / "bbc")
    changed = b / "000_a53597ac67f30f61.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nOfficials said the deal was worth $3 billion.\n",
                       encoding="utf-8")
    shutil.copy(b / "003_0d8db924328cadb2.txt", b / "copy of 003.txt")
    (b / "empty.txt").write_bytes(b"")
    (b / "picture.png").write_bytes(PNG)
    return seeds_dir, b


def _rows(wh: Path) -> dict[str, int]:
    return {name: info["rows"] for name, info in store.read_manifest(wh).tables.items()}


def test_dask_runner_gives_the_default_runners_warehouse(prefect_harness, cluster, inputs, tmp_path):
    from flows.pipeline import dask_task_runner, news_pipeline

    local, client = cluster
    on_dask = news_pipeline.with_options(task_runner=dask_task_runner(local.scheduler_address))
    a, b = inputs
    default_wh, dask_wh = tmp_path / "default", tmp_path / "dask"
    # A first, then B on top: new, changed, carried-over and rejected files all pass through the batches.
    for folder in (a, b):
        want = news_pipeline(input_dir=str(folder), warehouse=str(default_wh), batch_files=3)
        got = on_dask(input_dir=str(folder), warehouse=str(dask_wh), batch_files=3)
        assert stable_snapshot(dask_wh) == stable_snapshot(default_wh)
        assert _rows(dask_wh) == _rows(default_wh)  # the manifest counts rows the workers wrote
        for key in ("files", "articles", "new_articles", "rejects", "quotes", "figures"):
            assert got[key] == want[key], key
    assert got["new_articles"] == 12 and got["rejects"] == 2  # B: ten BBC articles, a changed seed, a copy

    reports = client.run(_worker_report)
    assert len(reports) == 2
    assert any(r["ran_batches"] for r in reports.values()), reports
    for report in reports.values():
        assert not report["pool"] and not report["servers"] and not report["children"], report


def _descendants_running(proc: subprocess.Popen) -> tuple[set[tuple[int, int]], float]:
    """Wait for proc; every Prefect server among its descendants as (pid, parent pid), and the seconds it took."""
    import psutil

    root, seen, t0 = psutil.Process(proc.pid), set(), time.perf_counter()
    while proc.poll() is None:
        try:
            for child in root.children(recursive=True):
                try:
                    if SERVER_APP in " ".join(child.cmdline()):
                        seen.add((child.pid, child.ppid()))
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.1)
    return seen, time.perf_counter() - t0


def _cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newsdesk.cli", "run", *args]
    return subprocess.Popen(cmd, env=env or dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, **kw)


def test_cli_dask_runner_starts_one_prefect_server(seeds_dir, tmp_path):
    """Without PREFECT_API_URL the CLI starts one temporary server and its local workers use it too."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # its own database, not the one other runs share
    wh = tmp_path / "wh"
    proc = _cli("--runner", "dask", "--workers", "2", "--input", str(seeds_dir), "--warehouse", str(wh), env=env)
    servers, seconds = _descendants_running(proc)
    out, err = proc.communicate()
    assert proc.returncode == 0, err[-3000:]
    assert out.startswith("newsdesk: 5 files read, 5 articles"), out
    assert len(servers) == 1 and next(iter(servers))[1] == proc.pid, servers
    print(f"CLI --runner dask on the seeds: {seconds:.1f} s")


@pytest.mark.parametrize("kind, message", [
    ("closed", "cannot reach the Dask scheduler at tcp://127.0.0.1:"),
    ("malformed", "not a Dask scheduler address"),
    ("not dask", "no Dask scheduler answers at tcp://127.0.0.1:"),  # Dask's own client would wait for ever
])
def test_a_bad_dask_address_is_one_line(seeds_dir, tmp_path, kind, message):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        address = "scheduler-without-port" if kind == "malformed" else f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        if kind == "not dask":
            listener.listen()  # accepts connections, never answers
        else:
            listener.close()
        proc = _cli("--runner", "dask", "--dask-address", address, "--input", str(seeds_dir),
                    "--warehouse", str(tmp_path / "wh"))
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.startswith(f"newsdesk: {message}") and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "wh").exists()


def test_dask_address_needs_the_dask_runner(seeds_dir, tmp_path):
    proc = _cli("--dask-address", "tcp://127.0.0.1:8786", "--input", str(seeds_dir), "--warehouse", str(tmp_path / "wh"))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and err.strip() == "newsdesk: --dask-address needs --runner dask"
