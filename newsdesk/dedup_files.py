"""The near-duplicate state's columns as files: one folder per index run, read through memory maps.

At a million articles the state (lookup index, MinHash slots, sentence sketches, evidence) is over
a gigabyte. Held in the orchestrator's heap, with the allocator's overhead and the copies made when
runs merge, it was most of a run's peak memory. The runs are immutable (a binary counter of article
blocks: a run is written once, and only replaced when runs merge), so each is written once as .npy
files and mapped only while a step reads it. What is read stays in the operating system's page
cache, which it can reclaim; the process holds only the pages of the step at hand.

A run's folder is removed when the last state that uses it is let go (states share unchanged runs).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from contextlib import contextmanager
from pathlib import Path

import numpy as np

_SCRATCH: dict[str, Path | None] = {"dir": None}


def set_scratch(path: Path | str | None) -> None:
    """Where new runs are written (default: the system's temp folder). The pipeline points it at the
    warehouse's disk: a temp folder may be a RAM file system, which would hold the state in memory again."""
    if path is not None:
        Path(path).mkdir(parents=True, exist_ok=True)
    _SCRATCH["dir"] = Path(path) if path is not None else None


def scratch() -> Path:
    path = _SCRATCH["dir"] or Path(tempfile.gettempdir())
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def scratch_at(path: Path):
    """New runs go to path while the block runs; the folder is removed after it (with any run left in it)."""
    before = _SCRATCH["dir"]
    set_scratch(path)
    try:
        yield path
    finally:
        _SCRATCH["dir"] = before
        shutil.rmtree(path, ignore_errors=True)
        try:
            path.parent.rmdir()  # the warehouse's scratch folder, when no other run uses it
        except OSError:
            pass


def _remove(folder: str, owner: int) -> None:
    # A forked worker inherits the finalizer; only the process that wrote the run removes it.
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


class Run:
    """Articles [lo, hi) of the state: each column a .npy file in one folder."""

    def __init__(self, lo: int, hi: int, folder: Path, shapes: dict[str, tuple[tuple[int, ...], str]]):
        self.lo, self.hi, self.folder, self.shapes = lo, hi, folder, shapes
        self._cleanup = weakref.finalize(self, _remove, str(folder), os.getpid())

    @classmethod
    def write(cls, lo: int, hi: int, columns: dict[str, np.ndarray]) -> "Run":
        folder = Path(tempfile.mkdtemp(prefix=f"newsdesk-dedup-{lo}-{hi}-", dir=scratch()))
        shapes = {}
        for name, arr in columns.items():
            arr = np.ascontiguousarray(arr)
            np.save(folder / f"{name}.npy", arr, allow_pickle=False)
            shapes[name] = (arr.shape, arr.dtype.str)
        return cls(lo, hi, folder, shapes)

    def array(self, name: str) -> np.ndarray:
        """The column, mapped read-only: pages are read when touched and let go with the array."""
        shape, dtype = self.shapes[name]
        if 0 in shape:  # an empty array cannot be mapped
            return np.empty(shape, dtype)
        return np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    def nbytes(self) -> int:
        return sum(int(np.prod(s)) * np.dtype(d).itemsize for s, d in self.shapes.values())
