"""Two runs at once: one writes, the other exits cleanly or waits; readers are never disturbed."""

from __future__ import annotations

import subprocess
import sys
import time

from conftest import ROOT
from newsdesk import catalog, store
from test_faults import _cli_env, _counts
from test_incremental import stable_snapshot


def _start(input_dir, wh, *extra):
    cmd = [sys.executable, "-m", "newsdesk.cli", "run", "--input", str(input_dir), "--warehouse", str(wh),
           "--workers", "1", *extra]
    return subprocess.Popen(cmd, env=_cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def test_two_runs_started_together(prefect_harness, seeds_dir, tmp_path):
    wh = tmp_path / "wh"
    procs = [_start(seeds_dir, wh), _start(seeds_dir, wh)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, err in results:
        if code == 3:
            assert "another newsdesk run is writing" in err.splitlines()[-1]
    clean = tmp_path / "clean"
    assert _start(seeds_dir, clean).wait(timeout=300) == 0
    assert stable_snapshot(wh) == stable_snapshot(clean)


def test_a_waiting_run_goes_after_the_first(prefect_harness, seeds_dir, tmp_path):
    # The test holds the writer lock itself, so which run "came first" is certain, not a race of start-ups.
    wh = tmp_path / "wh"
    assert _start(seeds_dir, wh).wait(timeout=300) == 0
    with store.WriterLock(wh):
        impatient = _start(seeds_dir, wh)
        waiting = _start(seeds_dir, wh, "--wait", "300")
        assert impatient.wait(timeout=300) == 3
        assert "another newsdesk run is writing" in impatient.stderr.read().splitlines()[-1]
        time.sleep(2)
        assert waiting.poll() is None  # still waiting for the lock
    assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    con = catalog.connect(wh)
    assert con.execute("SELECT count(*) FROM runs").fetchone() == (2,)


def test_readers_see_whole_versions_while_a_run_writes(prefect_harness, seeds_dir, tmp_path):
    wh = tmp_path / "wh"
    assert _start(seeds_dir, wh).wait(timeout=300) == 0
    before = _counts(wh)
    (seeds_dir / "extra.txt").write_text("Extra story\n\nThe minister said “we will pay $1 billion”.\n", encoding="utf-8")
    writer = _start(seeds_dir, wh)
    seen = []
    while writer.poll() is None:
        seen.append(_counts(wh)["articles"])
        time.sleep(0.05)
    assert writer.returncode == 0
    assert set(seen) <= {before["articles"], before["articles"] + 1}
    assert _counts(wh)["articles"] == before["articles"] + 1
