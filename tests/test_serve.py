"""Scheduled runs: `newsdesk serve` against a real Prefect server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from newsdesk import catalog

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str, procs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"{what}: process exited early: {p.stdout.read()[-2000:] if p.stdout else ''}")
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture()
def prefect_server(tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_API_URL=url, PREFECT_SERVER_UI_ENABLED="false")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        _wait(lambda: _healthy(url), 180, "the Prefect server", [proc])
        yield env
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def test_serve_then_trigger_a_run_by_hand(prefect_server, seeds_dir, tmp_path):
    wh = tmp_path / "wh"
    serve = subprocess.Popen(
        [str(BIN / "newsdesk"), "serve", "--cron", "0 0 1 1 *", "--input", str(seeds_dir), "--warehouse", str(wh),
         "--workers", "1"],
        env=prefect_server, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, start_new_session=True,
    )
    try:
        def deployed() -> bool:
            out = subprocess.run([str(BIN / "prefect"), "deployment", "ls"], env=prefect_server, capture_output=True,
                                 text=True, timeout=60)
            return "news_pipeline/newsdesk" in out.stdout.replace("\n", "")

        _wait(deployed, 120, "the deployment", [serve])
        run = subprocess.run([str(BIN / "prefect"), "deployment", "run", "news_pipeline/newsdesk"],
                             env=prefect_server, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stdout + run.stderr
        _wait(lambda: catalog.current_version(wh) is not None, 240, "the scheduled run to publish", [serve])
        con = catalog.connect(wh)
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (5,)
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)


def test_serve_without_a_server_says_how_to_start_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    out = subprocess.run([str(BIN / "newsdesk"), "serve", "--cron", "* * * * *"], env=env, capture_output=True,
                         text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 1 and "prefect server start" in out.stderr
