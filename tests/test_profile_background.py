"""survey.profile_background: parts of the profile computed in a forked child give exactly what the
process itself computes; a part the child could not compute is computed by the process (same error), a
cancelled child is gone; the parts of a sample commune are the same with and without the child."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from survey.profile_background import NO_FORK_ENV, Background

ROOT = Path(__file__).resolve().parent.parent
forking = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork fehlt (nur Linux/macOS)")


@pytest.fixture(autouse=True)
def single_threaded(monkeypatch):
    """Earlier tests of the session may leave threads (a web server, a browser driver) alive; the fork
    rule (no fork in a multi-threaded process) is tested on its own, these tests are about the child."""
    monkeypatch.delenv(NO_FORK_ENV, raising=False)
    monkeypatch.setattr("survey.forking.threading.active_count", lambda: 1)
    monkeypatch.setattr("survey.forking._fork_unsafe_in", None)  # a Typst test earlier in the session


def test_no_child_in_a_multi_threaded_process(monkeypatch):
    monkeypatch.setattr("survey.forking.threading.active_count", lambda: 2)
    job = Background({"pid": os.getpid})
    assert not job.forked and job.part("pid") == os.getpid()


@forking
def test_child_results_are_the_values_and_the_child_is_collected():
    values = np.random.default_rng(7).random(10_000)
    parent = os.getpid()
    job = Background({"pid": os.getpid, "sum": lambda: float(values.sum()), "triple": lambda: values * 3})
    assert job.forked
    child = job._pid
    assert job.part("pid") == child != parent  # computed by the child
    assert job.part("sum") == float(values.sum()) and np.array_equal(job.part("triple"), values * 3)
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # the child has been collected (other tests' children may still run)


@forking
def test_a_part_the_child_could_not_compute_is_computed_by_the_process_with_its_error():
    calls = []

    def broken():
        calls.append(os.getpid())
        raise ValueError("kaputt")

    job = Background({"good": lambda: 42, "broken": broken})
    assert job.part("good") == 42
    with pytest.raises(ValueError, match="kaputt"):
        job.part("broken")
    assert calls == [os.getpid()]  # the process's own attempt (the child's is in the child)


@forking
def test_cancel_ends_the_child():
    job = Background({"slow": lambda: time.sleep(30)})
    pid = job._pid
    job.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    job.cancel()  # twice is harmless


def test_without_fork_the_value_is_computed_on_request(monkeypatch):
    monkeypatch.setenv(NO_FORK_ENV, "1")
    job = Background({"pid": os.getpid})
    assert not job.forked and job.part("pid") == os.getpid()


@forking
def test_profile_of_a_sample_commune_is_the_same_with_and_without_the_child(monkeypatch):
    import datetime as dt

    from survey.folder import load_folder
    from survey.profile_builder import engine_document

    with_child = engine_document(load_folder(ROOT / "sample_data" / "quellenthal"), created=dt.date(2027, 6, 1))
    monkeypatch.setenv(NO_FORK_ENV, "1")
    without = engine_document(load_folder(ROOT / "sample_data" / "quellenthal"), created=dt.date(2027, 6, 1))
    assert with_child == without and with_child["item_distributions"] and with_child["free_text"]
