"""The progress line: shown on a terminal, silent otherwise."""

from __future__ import annotations

import io

from newsdesk.progress import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_counts_and_rate():
    out = Tty()
    bar = Progress(10, stream=out)
    bar.advance(4, 3)
    bar.advance(6, 2)
    bar.close()
    last = out.getvalue().rstrip("\n").split("\r")[-1]
    assert "10/10 files" in last and "5 new articles" in last and "files/s" in last
    assert "#" * 30 in last


def test_silent_when_not_a_terminal():
    out = io.StringIO()
    bar = Progress(10, stream=out)
    bar.advance(10, 10)
    bar.close()
    assert out.getvalue() == ""
