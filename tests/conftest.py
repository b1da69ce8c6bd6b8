"""Shared fixtures. Prefect gets a home of the project's own and one harness per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# Must be set before prefect is imported anywhere.
os.environ["PREFECT_HOME"] = str(ROOT / ".prefect")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness():
    """One real Prefect server (temporary database) for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def seeds_dir(tmp_path: Path) -> Path:
    """A copy of the project's five seed articles."""
    dst = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", dst)
    return dst


@pytest.fixture()
def articles_dir(tmp_path: Path) -> Path:
    """A copy of the small article set shipped with the tests (BBC and web samples)."""
    dst = tmp_path / "articles"
    shutil.copytree(DATA / "articles", dst)
    return dst
