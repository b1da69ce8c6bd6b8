"""Named crash points for the fault tests: a no-op unless NEWSDESK_KILL_AT names one.

NEWSDESK_KILL_AT="<point>#<n>" makes the process SIGKILL itself the n-th time it
passes <point>; NEWSDESK_TRACE_POINTS=<file> appends every point passed to a
file, so a test can pick kill points among those a run really goes through.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter

_seen: Counter = Counter()
_lock = threading.Lock()


def checkpoint(point: str) -> None:
    kill_at = os.environ.get("NEWSDESK_KILL_AT")
    trace = os.environ.get("NEWSDESK_TRACE_POINTS")
    if not kill_at and not trace:
        return
    with _lock:
        _seen[point] += 1
        label = f"{point}#{_seen[point]}"
        if trace:
            with open(trace, "a", encoding="utf-8") as fh:
                fh.write(label + "\n")
    if kill_at == label:
        os.kill(os.getpid(), signal.SIGKILL)
