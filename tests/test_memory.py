"""Handing freed memory back to the system (newsdesk.memory)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from newsdesk import memory

needs_glibc = pytest.mark.skipif(memory._LIBC is None, reason="malloc_trim and mallopt are glibc's")


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def _in_fresh_interpreter(release: bool) -> tuple[float, float, float]:
    # Objects over 512 bytes come from glibc's heap (smaller ones from pymalloc's own arenas, which it
    # unmaps itself); one allocated after them pins the heap top, so freeing them alone returns nothing.
    code = textwrap.dedent(f"""
        from newsdesk import memory
        from tests.test_memory import _rss_mb
        base = _rss_mb()
        junk = [bytes(1000) + bytes([i % 256]) for i in range(500_000)]  # ~500 MB
        keep = bytes(1000) + b"x"
        held = _rss_mb()
        del junk
        if {release}:
            memory.release()
        print(base, held, _rss_mb())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/tests/", 1)[0])
    base, held, after = map(float, out.stdout.split())
    assert held - base > 300
    return base, held, after


@needs_glibc
def test_release_gives_a_dropped_heap_back():
    base, held, after = _in_fresh_interpreter(release=False)
    assert after - base > (held - base) * 0.8  # without a trim glibc keeps the pages
    base, held, after = _in_fresh_interpreter(release=True)
    assert after - base < (held - base) / 4


def _after_fixing(code: str, reuse: bool = True) -> list[float]:
    """Numbers printed by code, run in a fresh interpreter (mallopt is for the whole process) after the fix."""
    code = textwrap.dedent(f"""
        import resource
        import numpy as np
        from newsdesk import memory
        from tests.test_memory import _rss_mb
        assert memory.fixed_mmap_threshold({reuse})
        faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    """) + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/tests/", 1)[0])
    return [float(x) for x in out.stdout.split()]


@needs_glibc
@pytest.mark.parametrize("reuse", [True, False])
def test_heap_pages_are_reused_below_the_threshold_only_when_asked(reuse):
    # Each array is the heap's top chunk when freed: trimmed on free (glibc's default once the threshold is
    # fixed), or given pages of their own, every one of the 100 would fault its 512 pages in again.
    # 2 MB: from 4 MB numpy asks for huge pages, which fault in 2 MB at a time (still zeroed each time).
    pages, faults = _after_fixing("""
        a = np.ones((2 << 20) // 8)
        del a
        f0 = faults()
        for _ in range(100):
            a = np.ones((2 << 20) // 8)
            del a
        print((2 << 20) // 4096, faults() - f0)
    """, reuse)
    if reuse:
        assert faults < pages * 100 / 20
    else:  # the workers' setting: less memory held, and the faults this costs
        assert faults > pages * 100 / 2


@needs_glibc
def test_arrays_above_the_threshold_give_their_pages_back_when_freed():
    base, held, after = _after_fixing(f"""
        base = _rss_mb()
        a = np.ones({memory.MMAP_THRESHOLD * 4} // 8)
        pin = bytes(1000) + b"x"  # allocated after the array: a heap top it would sit below
        held = _rss_mb()
        del a
        print(base, held, _rss_mb())
    """)
    assert held - base > memory.MMAP_THRESHOLD * 3 / 2**20
    assert after - base < (held - base) / 4


def test_importing_the_module_loads_no_pyarrow():
    # The CLI imports newsdesk.memory before it starts Prefect's server: anything heavy it imports
    # delays that start (pyarrow: ~0.7 s).
    code = "import sys, newsdesk.memory; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_worker_collects_cycles_only_on_release_and_exits_quietly():
    code = textwrap.dedent("""
        import gc, weakref
        import duckdb  # its binding reports frozen objects as leaked at exit unless they are unfrozen
        from newsdesk import batch_work, memory
        batch_work.start_worker()
        class Node: pass
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
        del a, b
        junk = [[i] for i in range(200_000)]  # enough allocations to set off every generation's collection
        print(gc.isenabled(), alive() is not None, end=" ")
        memory.release()
        print(alive() is not None)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.stdout.split() == ["False", "True", "False"]
    assert out.stderr == ""


def test_the_pool_s_workers_are_set_up_as_batch_workers():
    import gc

    from flows.pipeline import _Pool

    pool = _Pool(2)
    try:
        with pool.slot() as call:
            assert call(gc.isenabled) is False
            assert call(gc.get_freeze_count) > 0
    finally:
        pool.close()


def _alive(pid: int) -> bool:
    import os
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_idle_workers_are_stopped_and_started_again_when_needed_but_never_one_a_batch_holds():
    import gc
    import os

    from flows.pipeline import _Pool

    pool = _Pool(2)
    try:
        with pool.slot() as held, pool.slot() as other:
            pid_held, pid_other = held(os.getpid), other(os.getpid)
        assert pool.retire_idle(idle_seconds=3600) == 0  # both just let go
        with pool.slot() as held:
            assert held(os.getpid) in (pid_held, pid_other)
            assert pool.retire_idle() == 1  # the other one; the held one goes on
            pid_kept = held(os.getpid)
        assert {_alive(pid_held), _alive(pid_other)} == {True, False}
        assert _alive(pid_kept)
        assert pool.retire_idle() == 1
        assert not _alive(pid_kept)
        with pool.slot() as again:
            assert again(os.getpid) not in (pid_held, pid_other)
            assert again(gc.isenabled) is False  # set up as a batch worker, like the first
    finally:
        pool.close()


def test_a_pool_with_an_idle_time_stops_its_idle_workers_by_itself():
    import os
    import time

    from flows.pipeline import _Pool

    pool = _Pool(2, idle_seconds=0.3)
    try:
        with pool.slot() as held:
            pid = held(os.getpid)
            time.sleep(1.0)  # held past the idle time: not stopped
            assert held(os.getpid) == pid
        deadline = time.monotonic() + 30
        while (pool.started or _alive(pid)) and time.monotonic() < deadline:  # it stops as this thread looks
            time.sleep(0.05)
        assert not pool.started and not _alive(pid)
        with pool.slot() as again:
            assert again(os.getpid) != pid
    finally:
        pool.close()
    assert pool._watcher is None


@pytest.mark.parametrize("user_setting", [None, "narenas:2"])
def test_the_cli_s_workers_start_with_the_workers_jemalloc_setting(prefect_harness, seeds_dir, tmp_path, monkeypatch,
                                                                    user_setting):
    import os
    import threading
    import time

    from bench.run import tree_pids
    from newsdesk import cli

    # As the CLI's import leaves things: its own setting in the environment, or the user's untouched.
    monkeypatch.setattr(cli, "_JEMALLOC_SET_BY_USER", user_setting is not None)
    monkeypatch.setenv(cli.JEMALLOC, user_setting or cli.JEMALLOC_THIS_PROCESS)
    seen: set[bytes] = set()
    stop = threading.Event()

    def watch() -> None:  # the environment each spawned worker started with
        while not stop.is_set():
            for pid in tree_pids(os.getpid())[1:]:
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as fh:
                        if b"spawn_main" not in fh.read():
                            continue
                    with open(f"/proc/{pid}/environ", "rb") as fh:
                        seen.update(v for v in fh.read().split(b"\0") if v.startswith(cli.JEMALLOC.encode() + b"="))
                except OSError:
                    continue
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        argv = ["run", "--input", str(seeds_dir), "--warehouse", str(tmp_path / "wh"), "--workers", "2",
                "--batch-files", "1"]
        assert cli.main(argv) == 0
    finally:
        stop.set()
        watcher.join()
    expected = user_setting or cli.JEMALLOC_WORKERS
    assert seen == {f"{cli.JEMALLOC}={expected}".encode()}


def test_a_frozen_heap_is_unfrozen_when_the_block_ends_even_on_error():
    import gc

    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError):
        with memory.frozen_heap():
            assert gc.get_freeze_count() > 0
            raise RuntimeError
    assert gc.get_freeze_count() == 0
