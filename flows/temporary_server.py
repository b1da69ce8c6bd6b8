"""Prefect's temporary API server, started before the rest of Prefect is imported.

Without PREFECT_API_URL Prefect starts a temporary server the first time a flow
talks to its API, after every import is done: the two start-ups (≈4 s of imports,
≈5 s for the server) then add up. Started here, before Prefect is imported, the
server comes up while this process is still importing. It serves the app Prefect's
own SubprocessASGIServer serves, with the same settings, on a socket bound here.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

# What Prefect's own SubprocessASGIServer sets: an API without the UI, for one client.
_SERVER_FLAGS = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


# What `uvicorn --factory prefect.server.api.server:create_app` runs (Prefect's own command), on the socket
# given. Not `uvicorn --fd`: it opens the socket as AF_UNIX, so asyncio leaves Nagle's algorithm on for
# every connection, and each API call can wait for a delayed ACK (0.3 s more over a run, measured).
_SERVE = (
    "import socket, sys, uvicorn; sys.path.insert(0, sys.argv[1]); "
    "uvicorn.Server(uvicorn.Config('prefect.server.api.server:create_app', factory=True, log_level='error', "
    "lifespan='on')).run(sockets=[socket.socket(fileno=int(sys.argv[2]))])"
)


def _bound_socket() -> socket.socket:
    """A socket on a free port of 127.0.0.1, bound here and handed to the server: a port only found free
    here could be taken (by another run's server) before the server binds it, seconds later."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, chosen by the OS
    return sock


class TemporaryServer:
    """A Prefect API server in a subprocess on 127.0.0.1, for this run only."""

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> "TemporaryServer":
        import prefect  # noqa: F401  (the package root sets up what its settings need)
        from prefect.settings import get_current_settings

        env = {**os.environ, **_SERVER_FLAGS, **get_current_settings().to_environment_variables(exclude_unset=True)}
        env.pop("PREFECT_API_URL", None)
        self._env = env
        self.process = self._spawn()
        return self

    @classmethod
    def spawn_early(cls) -> "TemporaryServer | None":
        """A server started before Prefect is imported here, unless PREFECT_API_URL is in the environment.

        Importing Prefect takes this process ~1 s; the server's start-up (~4 s) is what the run waits
        for, so it starts first. Its settings come from the environment and the profile files, which
        it reads as this process would: nothing has changed them in here yet. prefect_api() stops it
        when the settings name a server after all.
        """
        if "PREFECT_API_URL" in os.environ:
            return None
        server = cls()
        server._env = {**os.environ, **_SERVER_FLAGS}
        server.process = server._spawn()
        return server

    def _spawn(self) -> subprocess.Popen:
        # The folder holding the prefect package, found without importing it.
        app_dir = Path(importlib.util.find_spec("prefect").origin).parent.parent
        with closing(_bound_socket()) as sock:  # the server keeps its own copy of it
            self.port = sock.getsockname()[1]
            return subprocess.Popen([sys.executable, "-c", _SERVE, str(app_dir), str(sock.fileno())],
                                    env=self._env, pass_fds=(sock.fileno(),))

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise RuntimeError(f"Prefect's temporary server exited with status {code} while starting")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Prefect's temporary server did not start within {timeout:.0f} s "
                           "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextmanager
def prefect_api(early: TemporaryServer | None = None) -> Iterator[tuple[str, Callable[[], None]]]:
    """(API URL, wait): the configured PREFECT_API_URL, else a temporary server's: early's, or one started now.

    Enter it before importing the flows, so that the server starts while they import, and
    call wait() before the first flow runs. On the way out, logs and events still queued
    are sent before the server stops.
    """
    from prefect.settings import (PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
                                  PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings)

    configured = PREFECT_API_URL.value()
    if configured:
        if early is not None:
            early.stop()
        yield configured, lambda: None
        return
    server = early or TemporaryServer().start()
    timeout = float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url  # for processes this run starts
    try:
        # Heartbeats let a server mark a run crashed when its process dies without a word; this server dies
        # with the process, so none is ever read, and the flow's end waits out the heartbeat thread's 1 s sleep.
        with temporary_settings({PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            try:
                yield server.api_url, lambda: server.wait_ready(timeout)
            finally:
                if "prefect.logging.handlers" in sys.modules:
                    from prefect.events.worker import EventsWorker
                    from prefect.logging.handlers import APILogWorker

                    APILogWorker.drain_all(timeout=10)
                    EventsWorker.drain_all(timeout=10)
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        server.stop()
