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

import math
import mmap
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


def let_go(column: np.ndarray) -> None:
    """Drop the pages of a mapped column (from Run.array) that this process has read so far; they stay
    in the page cache, and a later read maps them again. A long search through a large run holds every
    page it touched until the map goes: this bounds it to a stretch at a time."""
    owner = column
    while isinstance(owner, np.ndarray) and owner.base is not None:
        owner = owner.base
    if isinstance(owner, memoryview):
        owner = owner.obj
    if isinstance(owner, mmap.mmap):
        owner.madvise(mmap.MADV_DONTNEED)


_MAX_ROWS = 1 << 62  # a row count no column reaches: sizes the header of a column of unknown length


def _npy_header(dtype: np.dtype, shape: tuple[int, ...], length: int | None = None) -> bytes:
    """An .npy (format 1.0) header, padded to `length` bytes (default: a multiple of 64, as numpy writes it)."""
    text = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (np.lib.format.dtype_to_descr(dtype), tuple(shape))
    length = length or -(-(10 + len(text) + 1) // 64) * 64
    if 10 + len(text) + 1 > length:
        raise ValueError(f"an .npy header for shape {shape} does not fit in {length} bytes")
    body = text.ljust(length - 10 - 1) + "\n"
    return b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body.encode("latin1")


class RunWriter:
    """Writes a run's columns one at a time, each from pieces, so no column need be whole in memory."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        self.folder = Path(tempfile.mkdtemp(prefix=f"newsdesk-dedup-{lo}-{hi}-", dir=scratch()))
        self.shapes: dict[str, tuple[tuple[int, ...], str, int]] = {}

    def column(self, name: str, shape: tuple[int, ...], dtype, pieces) -> None:
        """A column of this shape and dtype from pieces (arrays of whole rows, in order)."""
        self.columns({name: (shape, dtype)}, ((p,) for p in pieces))

    def columns(self, specs: dict[str, tuple[tuple[int | None, ...], object]], pieces) -> None:
        """Several columns written side by side: each piece is a tuple with one array per column.

        A shape whose first dimension is None is a column of as many rows as the pieces hold (a list
        column's values, whose count is known only once they are read).
        """
        names = list(specs)
        dtypes = [np.dtype(specs[c][1]) for c in names]
        shapes = [tuple(specs[c][0]) for c in names]
        want = [int(np.prod(sh)) if sh[0] is not None else None for sh in shapes]
        got = [0] * len(names)
        files = [open(self.folder / f"{c}.npy", "wb") for c in names]
        try:
            offsets = []
            for f, sh, dt in zip(files, shapes, dtypes):
                # Room for the largest header: rewritten with the real row count at the end.
                f.write(_npy_header(dt, sh if sh[0] is not None else (_MAX_ROWS,) + sh[1:]))
                offsets.append(f.tell())
            for piece in pieces:
                for k, (f, arr) in enumerate(zip(files, piece)):
                    arr = np.ascontiguousarray(arr, dtype=dtypes[k])
                    got[k] += arr.size
                    if arr.size and (want[k] is None or got[k] <= want[k]):
                        f.write(memoryview(arr.reshape(-1)).cast("B"))
            for k, (f, sh, dt) in enumerate(zip(files, shapes, dtypes)):
                if sh[0] is None:
                    width = int(np.prod(sh[1:]))
                    if got[k] % max(width, 1):
                        raise ValueError(f"run column {names[k]}: {got[k]} values do not make rows of {width}")
                    shapes[k] = (got[k] // max(width, 1),) + sh[1:]
                    want[k] = got[k]
                    f.seek(0)
                    f.write(_npy_header(dt, shapes[k], offsets[k]))
        finally:
            for f in files:
                f.close()
        for c, g, w, sh in zip(names, got, want, shapes):
            if g != w:
                raise ValueError(f"run column {c}: {g} values written for shape {sh}")
        for c, sh, dt, off in zip(names, shapes, dtypes, offsets):
            self.shapes[c] = (tuple(int(x) for x in sh), dt.str, off)

    def done(self) -> "Run":
        return Run(self.lo, self.hi, self.folder, self.shapes)


class Spill:
    """A column built out of order: arrays appended to a scratch file, read back as one array at the end.

    Rebuilding the state's runs sends every kept lookup key and evidence row to its new run. Held in
    memory until the runs were written, they took cutting 1,000 of a million articles from a peak of
    0.68 GB to 1.41 GB (state loading included).
    """

    def __init__(self, dtype):
        fd, self.path = tempfile.mkstemp(prefix="newsdesk-spill-", dir=scratch())
        self._fh = os.fdopen(fd, "wb")
        self.dtype = np.dtype(dtype)

    def add(self, arr: np.ndarray) -> None:
        self._fh.write(memoryview(np.ascontiguousarray(arr, self.dtype).reshape(-1)).cast("B"))

    def take(self) -> np.ndarray:
        """Everything added, in order; the file is removed."""
        self._fh.close()
        try:
            return np.fromfile(self.path, self.dtype)
        finally:
            os.unlink(self.path)


class Run:
    """Articles [lo, hi) of the state: each column a .npy file in one folder."""

    def __init__(self, lo: int, hi: int, folder: Path, shapes: dict[str, tuple[tuple[int, ...], str, int]]):
        self.lo, self.hi, self.folder, self.shapes = lo, hi, folder, shapes
        self._cleanup = weakref.finalize(self, _remove, str(folder), os.getpid())

    @classmethod
    def write(cls, lo: int, hi: int, columns: dict[str, np.ndarray]) -> "Run":
        writer = RunWriter(lo, hi)
        for name, arr in columns.items():
            arr = np.asarray(arr)
            writer.column(name, arr.shape, arr.dtype, [arr])
        return writer.done()

    def array(self, name: str) -> np.ndarray:
        """The column, mapped read-only: pages are read when touched and let go with the array."""
        shape, dtype, offset = self.shapes[name]
        if 0 in shape:  # an empty array cannot be mapped
            return np.empty(shape, dtype)
        # Mapped at the data offset noted when written: np.load would parse the header again (a
        # literal_eval each time, and a step maps a few hundred columns). Not np.memmap: it resolves the
        # path (an lstat per folder level) and wraps every slice in its subclass, ~5% of the state
        # updates' CPU at a million articles.
        with open(os.path.join(self.folder, name + ".npy"), "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return np.frombuffer(mapped, dtype=dtype, count=math.prod(shape), offset=offset).reshape(shape)

    def read(self, name: str, a: int, b: int) -> np.ndarray:
        """Rows [a, b) of the column, read into memory. Unlike a slice of `array`, whose pages stay
        mapped (and counted in the process's memory) while the map lives, this holds only what it returns."""
        shape, dtype, offset = self.shapes[name]
        a, b = max(0, a), min(b, shape[0])
        out = np.empty((max(b - a, 0),) + shape[1:], dtype)
        if out.size:
            with open(self.folder / f"{name}.npy", "rb") as f:
                f.seek(offset + a * out.itemsize * int(np.prod(shape[1:])))
                if f.readinto(memoryview(out).cast("B")) != out.nbytes:
                    raise OSError(f"{self.folder / name}.npy is shorter than its header says")
        return out

    def rows_at(self, name: str, rows) -> np.ndarray:
        """The given rows of a column, read one by one (a few, far apart: a map would hold the pages around each)."""
        shape, dtype, offset = self.shapes[name]
        out = np.empty((len(rows),) + shape[1:], dtype)
        size = out.itemsize * int(np.prod(shape[1:]))
        with open(self.folder / f"{name}.npy", "rb") as f:
            for k, r in enumerate(rows):
                f.seek(offset + int(r) * size)
                if f.readinto(memoryview(out[k:k + 1]).cast("B")) != size:
                    raise OSError(f"{self.folder / name}.npy is shorter than its header says")
        return out

    def length(self, name: str) -> int:
        return self.shapes[name][0][0]

    def nbytes(self) -> int:
        return sum(int(np.prod(s)) * np.dtype(d).itemsize for s, d, _ in self.shapes.values())
