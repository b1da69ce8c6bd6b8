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


@needs_glibc
def test_large_arrays_stay_out_of_the_heap_after_the_threshold_is_fixed():
    assert memory.fixed_mmap_threshold() is True
