"""Giving freed memory back to the system, so that a long run's RSS follows what it holds.

CPython's objects and numpy's arrays come from glibc's heap, which keeps freed pages
unless trimmed; and above 128 KB glibc raises its mmap threshold as large arrays are
freed, after which they too are carved from the heap and fragment it. Both matter in
a run that builds and drops frames of thousands of articles for hours.

The threshold is fixed at 8 MB, not lower: an array that gets pages of its own gets
fresh ones every time, which the kernel must zero and fault in. With 1 MB, the
near-duplicate checks' per-chunk temporaries were all such arrays, and a third of
the orchestrator's CPU at a million articles went to page faults. Below the
threshold the heap reuses freed memory; it keeps it (the trim threshold is raised
too) until release() hands it back after each step.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_M_TRIM_THRESHOLD = -1  # mallopt parameter numbers (malloc.h)
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 8 << 20  # allocations from 8 MB up get pages of their own, returned when freed
TRIM_THRESHOLD = 1 << 30  # free() leaves the heap's top alone: release() trims it


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None  # glibc only


_LIBC = _libc()


def release(collect: bool = True) -> bool:
    """Collect garbage cycles (unless collect is False) and trim the heap; False where glibc is absent."""
    if collect:
        gc.collect()
    # pyarrow's allocator (mimalloc) keeps freed pages for reuse: hand them back too. Only when pyarrow
    # is loaded already: the CLI imports this module before it starts Prefect's server, and importing
    # pyarrow here put ~0.7 s in front of that start.
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    if _LIBC is None:
        return False
    _LIBC.malloc_trim(0)
    return True


def fixed_mmap_threshold(reuse: bool = True) -> bool:
    """Stop glibc from raising its mmap threshold: large arrays stay out of the heap. With reuse, the
    threshold is MMAP_THRESHOLD and free() leaves the heap alone (smaller arrays reuse its pages until
    release()); without, every array from 1 MB up gets pages of its own and the heap is trimmed on free,
    which holds less memory for more page faults. False if not glibc."""
    if _LIBC is None:
        return False
    if not reuse:
        return bool(_LIBC.mallopt(_M_MMAP_THRESHOLD, 1 << 20))
    return bool(_LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(_LIBC.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def collect_on_release_only() -> None:
    """Freeze the objects loaded so far and stop automatic collection: release() collects.

    For a worker process, after its imports. Its stages build hundreds of thousands of short-lived
    dicts and lists per batch, which set off full collections that walk every module object
    loaded (polars, numpy, pyarrow) as well: ~3.5% of a worker's CPU, measured. Cyclic garbage
    is rare in the stages (~250 objects a batch), and the stages call release() after each batch.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    # Frozen objects outlive the interpreter's last collection, and nanobind (duckdb's binding)
    # then prints its instances as leaked at exit: unfreeze them first.
    atexit.register(gc.unfreeze)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Leave the objects that exist now out of garbage collection until the block ends.

    For a run in the orchestrating process: its full collections walked every object Prefect and
    the libraries had made before the run: ~70 of them at a million articles, ~10 s of CPU (measured).
    Unfrozen after, so a process that runs many flows (a served deployment) still collects them.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
