"""Crash safety: a run killed with SIGKILL anywhere leaves the last good warehouse readable.

Runs go through the real CLI in a subprocess (talking to the session's Prefect
server), killed at points drawn at random from those a run really passes:
ingest, extract, part writes, publish, the catalog swap and the manifest.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from newsdesk import catalog, store
from test_incremental import stable_snapshot

VIEWS = ("articles", "paragraphs", "sentences", "quotes", "figures", "rejects", "runs", "speakers", "stories",
         "article_clusters", "sentence_reuse", "quote_spread", "figure_spread")
KILLS = 20


def _cli_env(extra: dict | None = None) -> dict:
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    env.pop("NEWSDESK_KILL_AT", None)
    env.pop("NEWSDESK_TRACE_POINTS", None)
    env.update(extra or {})
    return env


def _run(input_dir: Path, wh: Path, **env) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "newsdesk.cli", "run", "--input", str(input_dir), "--warehouse", str(wh),
           "--workers", "1", "--batch-files", "3"]
    return subprocess.run(cmd, env=_cli_env(env), capture_output=True, text=True, timeout=300, cwd=ROOT)


def _counts(wh: Path) -> dict[str, int]:
    con = catalog.connect(wh)
    try:
        return {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in VIEWS}
    finally:
        con.close()


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    """A: the seeds. B: the seeds, one changed, plus the ten BBC gold articles (more batches, more points)."""
    a = tmp_path / "a"
    shutil.copytree(ROOT / "seeds", a)
    b = tmp_path / "b"
    shutil.copytree(ROOT / "seeds", b)
    shutil.copytree(DATA / "bbc", b / "bbc")
    p = b / "000_a53597ac67f30f61.txt"
    p.write_text(p.read_text(encoding="utf-8") + "\n\nOfficials said the package was worth $3 billion.\n", encoding="utf-8")
    return a, b


def test_sigkill_at_random_points_never_breaks_the_warehouse(prefect_harness, inputs, tmp_path):
    a, b = inputs
    # Which points does a run from A to B pass? Trace one in a scratch warehouse.
    scratch = tmp_path / "scratch"
    assert _run(a, scratch).returncode == 0
    trace = tmp_path / "trace.txt"
    assert _run(b, scratch, NEWSDESK_TRACE_POINTS=str(trace)).returncode == 0
    points = trace.read_text().split()
    assert {p.split("#")[0] for p in points} >= {
        "flow.after_ingest", "flow.after_extract", "store.part_written", "publish.before_finish",
        "publish.after_finish", "catalog.before_swap", "catalog.after_swap", "publish.after_manifest",
    }
    committed_at = points.index(next(p for p in points if p.startswith("catalog.after_swap")))

    wh = tmp_path / "wh"
    assert _run(a, wh).returncode == 0
    good = _counts(wh)
    picks = sorted(random.Random(8).sample(range(len(points)), k=min(KILLS, len(points))))
    # Always include the two windows around the commit.
    picks = sorted(set(picks) | {committed_at - 1, committed_at})
    for k in picks:
        point = points[k]
        killed = _run(b, wh, NEWSDESK_KILL_AT=point)
        assert killed.returncode == -9, (point, killed.stderr[-500:])
        assert (wh / store.CATALOG).exists()
        counts = _counts(wh)  # the catalog opens and every view reads
        if k >= committed_at:  # killed after the commit: that run is the last good one
            assert counts["articles"] == 15, point
            # Back to A, so that the next kill has work to lose.
            assert _run(a, wh).returncode == 0
            good = _counts(wh)
        else:
            assert counts == good, point

    # After all that, a normal run completes and equals a clean run.
    assert _run(b, wh).returncode == 0
    clean = tmp_path / "clean"
    assert _run(b, clean).returncode == 0
    assert stable_snapshot(wh) == stable_snapshot(clean)
    leftovers = [p.name for p in (wh / store.TABLES_DIR).iterdir() if p.name.startswith(store.STAGING_PREFIX)]
    assert leftovers == []
    assert len(picks) >= KILLS
