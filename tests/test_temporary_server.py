"""flows.temporary_server: the run's own Prefect server starts early, answers, and is gone afterwards."""

from __future__ import annotations

import os
import urllib.request

import pytest


def test_temporary_server_serves_the_run_then_stops(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.temporary_server import prefect_api

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    # No API configured (the session's test harness sets one for the flow tests).
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not PREFECT_API_URL.value()
        _serve_and_stop(prefect_api)


def _serve_and_stop(prefect_api):
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is not None
    with prefect_api() as (url, wait):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        assert os.environ["PREFECT_API_URL"] == url  # processes the run starts use it too
        assert PREFECT_API_URL.value() == url
        # No heartbeats to a server that dies with the run: no one reads them, and stopping them costs up to 1 s.
        assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None
        wait()
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            assert response.status == 200
    assert "PREFECT_API_URL" not in os.environ
    assert not PREFECT_API_URL.value()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=5)


def test_a_configured_server_is_used_as_it_is(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.temporary_server import prefect_api

    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    with temporary_settings({PREFECT_API_URL: "http://example.invalid:4200/api", PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):
        with prefect_api() as (url, wait):
            wait()  # nothing to wait for: no server is started
            assert url == "http://example.invalid:4200/api"
            # A real server watches for crashed runs by their heartbeats: they stay as configured.
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 60


def test_a_server_started_before_prefect_loads_serves_the_run(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.temporary_server import TemporaryServer, prefect_api

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        early = TemporaryServer.spawn_early()
        assert early is not None and early.process.poll() is None
        _serve_and_stop(lambda: prefect_api(early))
        assert early.process is None  # stopped with the run


def test_an_early_server_is_stopped_when_the_settings_name_a_server(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.temporary_server import TemporaryServer, prefect_api

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    early = TemporaryServer.spawn_early()  # the environment names no server; a profile may still name one
    process = early.process
    with temporary_settings({PREFECT_API_URL: "http://example.invalid:4200/api"}):
        with prefect_api(early) as (url, wait):
            assert url == "http://example.invalid:4200/api"
            assert process.poll() is not None  # stopped at once, not left running beside the configured one


def test_no_early_server_when_the_environment_names_one(monkeypatch):
    from flows.temporary_server import TemporaryServer

    monkeypatch.setenv("PREFECT_API_URL", "http://example.invalid:4200/api")
    assert TemporaryServer.spawn_early() is None


def test_the_port_is_held_from_the_moment_it_is_chosen(monkeypatch):
    import socket

    from flows.temporary_server import TemporaryServer

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    server = TemporaryServer.spawn_early()
    try:
        # Seconds before the server has imported enough to listen, no other process can take its port
        # (another run starting at the same time): the run's API URL could otherwise reach that one's server.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other, pytest.raises(OSError):
            other.bind(("127.0.0.1", server.port))
        server.wait_ready(120)
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=5) as response:
            assert response.status == 200
    finally:
        server.stop()
