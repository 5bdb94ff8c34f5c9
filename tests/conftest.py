"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = REPO_ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def shared_reference_dir() -> Path:
    """``../shared/reference`` beside the checkout (CI clones with shared/ beside it)."""
    assert SHARED_REFERENCE.is_dir(), f"{SHARED_REFERENCE} fehlt: ../shared muss neben dem Checkout liegen"
    return SHARED_REFERENCE


@pytest.fixture(scope="session")
def musterstadt_dir(shared_reference_dir: Path) -> Path:
    return shared_reference_dir / "musterstadt"


# --- CI guard: a skipped test (e.g. for a missing browser) must not pass silently in CI. ---
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import os

    if os.environ.get("CI") and _skipped and session.exitstatus == 0:
        session.exitstatus = 1
        print(f"\nCI: {len(_skipped)} übersprungene Tests gelten als Fehler: {', '.join(_skipped[:5])}")
