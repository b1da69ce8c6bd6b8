"""Giving freed memory back to the system, so that a long run's RSS follows what it holds.

CPython's objects and numpy's arrays come from glibc's heap, which keeps freed pages
unless trimmed; and above 128 KB glibc raises its mmap threshold as large arrays are
freed, after which they too are carved from the heap and fragment it. Both matter in
a run that builds and drops frames of thousands of articles for hours.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

_M_MMAP_THRESHOLD = -3  # mallopt parameter number (malloc.h)
MMAP_THRESHOLD = 1 << 20  # allocations from 1 MB up get pages of their own, returned when freed


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
    if _LIBC is None:
        return False
    _LIBC.malloc_trim(0)
    return True


def fixed_mmap_threshold() -> bool:
    """Stop glibc from raising its mmap threshold: large arrays stay out of the heap. False if not glibc."""
    return _LIBC is not None and bool(_LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
