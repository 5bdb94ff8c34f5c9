"""survey.profile_background: a part of the profile computed in a forked child gives exactly what the
process itself computes; a failing child falls back to the process (same error), a cancelled child is
gone; the item distributions of a sample commune are the same with and without the child."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from survey.profile_background import NO_FORK_ENV, Background

ROOT = Path(__file__).resolve().parent.parent
forking = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork fehlt (nur Linux/macOS)")


@forking
def test_child_result_is_the_value_and_the_child_is_collected():
    values = np.random.default_rng(7).random(10_000)
    parent = os.getpid()
    job = Background(lambda: (os.getpid(), float(values.sum()), values * 3))
    assert job._pid is not None
    pid, total, tripled = job.result()
    assert pid != parent  # computed by the child
    assert total == float(values.sum()) and np.array_equal(tripled, values * 3)
    assert job._pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left


@forking
def test_failing_child_falls_back_to_the_parent_with_its_error():
    calls = []

    def compute():
        calls.append(os.getpid())
        raise ValueError("kaputt")

    job = Background(compute)
    with pytest.raises(ValueError, match="kaputt"):
        job.result()
    assert calls == [os.getpid()]  # the parent's own attempt (the child's is in the child)


@forking
def test_cancel_ends_the_child():
    job = Background(lambda: time.sleep(30))
    pid = job._pid
    job.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    job.cancel()  # twice is harmless


def test_without_fork_the_value_is_computed_on_request(monkeypatch):
    monkeypatch.setenv(NO_FORK_ENV, "1")
    job = Background(lambda: os.getpid())
    assert job._pid is None and job.result() == os.getpid()


@forking
def test_item_distributions_of_a_sample_commune_are_the_same_with_and_without_the_child(monkeypatch):
    from analysis.profile.items import item_distributions
    from survey.folder import load_folder
    from survey.profile_background import item_distributions_in_background
    from survey.profile_builder import breakdowns_for, items_for
    from survey.weighting_runner import weight_folder

    folder = load_folder(ROOT / "sample_data" / "quellenthal")
    sample = weight_folder(folder)
    breakdowns = breakdowns_for(sample, folder.config.ortsteile)
    items = items_for(sample.questionnaire)
    job = item_distributions_in_background(sample.data, sample.design, items, breakdowns)
    assert job._pid is not None
    assert job.result() == item_distributions(sample.data, sample.design, items, breakdowns)
