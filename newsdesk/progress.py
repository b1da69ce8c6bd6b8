"""A one-line progress display for interactive runs: files done, rate, and what is left.

It writes to a terminal only; piped or scheduled runs print nothing extra.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, stream=None, enabled: bool | None = None):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.articles = 0
        self.t0 = time.perf_counter()

    def advance(self, files: int, new_articles: int) -> None:
        self.done += files
        self.articles += new_articles
        if not self.enabled:
            return
        secs = max(time.perf_counter() - self.t0, 1e-9)
        rate = self.done / secs
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        eta = (self.total - self.done) / rate if rate else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files, "
            f"{self.articles} new articles, {rate:,.0f} files/s, {eta:,.0f} s left "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
