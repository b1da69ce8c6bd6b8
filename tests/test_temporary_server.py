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
    from prefect.settings import PREFECT_API_URL

    with prefect_api() as (url, wait):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        assert os.environ["PREFECT_API_URL"] == url  # processes the run starts use it too
        assert PREFECT_API_URL.value() == url
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

    with temporary_settings({PREFECT_API_URL: "http://example.invalid:4200/api"}):
        with prefect_api() as (url, wait):
            wait()  # nothing to wait for: no server is started
            assert url == "http://example.invalid:4200/api"
